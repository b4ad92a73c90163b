//! Arbitrary bytes as one docs page: the parser must never panic, and every
//! diagnostic must point into the page. The code is shared with the regression
//! tests: generator/tests/fuzz_harness/mod.rs.
#![no_main]

#[path = "../../generator/tests/fuzz_harness/mod.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    harness::parse_page(data);
});
