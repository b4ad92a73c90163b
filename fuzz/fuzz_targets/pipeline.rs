//! Arbitrary bytes as a small docs directory (pages separated by `%%%%` lines,
//! `@@ path` headers; see `split`), plus a copy of a real resource page, through
//! the whole pipeline: parse, infer, emit. Every input must give files or
//! diagnostics, never a panic. The code is shared with the regression tests:
//! generator/tests/fuzz_harness/mod.rs.
#![no_main]

#[path = "../../generator/tests/fuzz_harness/mod.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    harness::pipeline(data);
});
