//! Parsing and serializing a page of 50,000 users (about 30 MB) with the models
//! generated from the Graph v1.0 reference (issue 14).
//!
//! Not a target of this workspace: `scripts/bench.sh parse` generates the v1.0
//! crate, writes a small crate around this file (`Cargo.toml` from bench.sh, the
//! generated crate as the dependency `graph`) and runs `cargo bench` there, so
//! `cargo test --workspace` never compiles the whole v1.0 crate.
//!
//! The data: the first response example of `api/user-get.md` in the reference (read
//! at run time from `MSGRAPH_CORPUS`), with `"@odata.type": "#microsoft.graph.user"`
//! in front and one property the docs do not list at the end, repeated 50,000
//! times as the `value` of a page. Every case parses the same bytes, in one
//! criterion group, so the ratios come from one run:
//!
//! - `value`: `serde_json::Value`;
//! - `plain_struct`: a plain serde struct with the same fields as the generated
//!   `User` (every field the enabled features compile, by wire name; no flatten,
//!   a `String` for every scalar, `serde_json::Value` for complex values; unknown
//!   properties ignored), written by `plain_user.py` next to this file into the
//!   bench crate (`plain_user.rs`);
//! - `example_struct`: a plain serde struct with only the example's 12 fields
//!   (the smallest possible struct: shows what the size of `User` costs);
//! - `page_user`: the generated `Page<User>` (a plain generated type);
//! - `page_directory_object_kind`: the generated `Page<DirectoryObjectKind>` (a
//!   polymorphic type: dispatch on `@odata.type`);
//! - `page_directory_object_kind_tag_last`: the same objects with `@odata.type`
//!   moved to the end (the buffered path; other bytes), for reference.
//!
//! Serialization (group `serialize`): the parsed `Page<User>`, the parsed
//! `Page<DirectoryObjectKind>`, the plain struct and the `Value`, to a `Vec<u8>`.
use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use graph::models::graph::{DirectoryObjectKind, User};
use graph::runtime::Page;
use serde::{Deserialize, Serialize};

const USERS: usize = 50_000;

include!(concat!(env!("CARGO_MANIFEST_DIR"), "/plain_user.rs"));

/// The fields of the docs' example, every scalar a string.
#[derive(Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
struct ExampleUser {
    #[serde(rename = "@odata.type")]
    odata_type: Option<String>,
    business_phones: Option<Vec<String>>,
    display_name: Option<String>,
    given_name: Option<String>,
    job_title: Option<String>,
    mail: Option<String>,
    mobile_phone: Option<String>,
    office_location: Option<String>,
    preferred_language: Option<String>,
    surname: Option<String>,
    user_principal_name: Option<String>,
    id: Option<String>,
}

#[derive(Debug, Deserialize, Serialize)]
struct PlainPage {
    value: Vec<PlainUser>,
}

#[derive(Debug, Deserialize, Serialize)]
struct ExamplePage {
    value: Vec<ExampleUser>,
}

fn corpus_dir() -> PathBuf {
    match std::env::var_os("MSGRAPH_CORPUS") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => panic!("parse benchmark: set MSGRAPH_CORPUS to the api-reference/v1.0 directory (scripts/bench.sh parse does)"),
    }
}

/// The JSON object after the first `HTTP/1.1 200 OK` of `api/user-get.md` (its
/// first response example).
fn user_example() -> serde_json::Map<String, serde_json::Value> {
    let path = corpus_dir().join("api/user-get.md");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("parse benchmark: cannot read {}: {e}", path.display()));
    let after = &text[text.find("HTTP/1.1 200 OK").unwrap_or_else(|| panic!("{}: no response example", path.display()))..];
    let start = after.find('{').expect("a JSON object in the response");
    let mut stream = serde_json::Deserializer::from_str(&after[start..]).into_iter::<serde_json::Value>();
    match stream.next() {
        Some(Ok(serde_json::Value::Object(map))) => map,
        other => panic!("{}: the first response example is not a JSON object: {other:?}", path.display()),
    }
}

/// A page of `USERS` copies of the example, pretty-printed like the docs.
fn page(tag_first: bool) -> String {
    let example = user_example();
    let mut user = serde_json::Map::new();
    if tag_first {
        user.insert("@odata.type".into(), "#microsoft.graph.user".into());
    }
    for (k, v) in example {
        user.insert(k, v);
    }
    user.insert("extensionProperty_notInTheDocs".into(), "an unknown property".into());
    if !tag_first {
        user.insert("@odata.type".into(), "#microsoft.graph.user".into());
    }
    let value = serde_json::Value::Array(vec![serde_json::Value::Object(user); USERS]);
    let mut page = serde_json::Map::new();
    page.insert("@odata.context".into(), "https://graph.microsoft.com/v1.0/$metadata#users".into());
    page.insert("value".into(), value);
    serde_json::to_string_pretty(&page).unwrap()
}

fn bench(c: &mut Criterion) {
    let json = page(true);
    let tag_last = page(false);
    eprintln!(
        "parse benchmark: {USERS} users, {} bytes (tag last: {} bytes); size_of User {} B, DirectoryObjectKind {} B, PlainUser {} B ({PLAIN_USER_FIELDS} fields), ExampleUser {} B",
        json.len(),
        tag_last.len(),
        std::mem::size_of::<User>(),
        std::mem::size_of::<DirectoryObjectKind>(),
        std::mem::size_of::<PlainUser>(),
        std::mem::size_of::<ExampleUser>()
    );

    // The generated models keep what they do not know and read what they know.
    let users: Page<User> = serde_json::from_str(&json).unwrap();
    assert_eq!(users.value.len(), USERS);
    assert!(users.value[0].additional_properties.contains_key("extensionProperty_notInTheDocs"));
    assert!(users.value[0].display_name.is_some());
    let kinds: Page<DirectoryObjectKind> = serde_json::from_str(&json).unwrap();
    assert!(matches!(kinds.value[0], DirectoryObjectKind::User(_)), "dispatch on @odata.type");
    let kinds_last: Page<DirectoryObjectKind> = serde_json::from_str(&tag_last).unwrap();
    assert_eq!(kinds.value[0], kinds_last.value[0]);
    let plain: PlainPage = serde_json::from_str(&json).unwrap();
    assert!(plain.value[0].f1.is_some(), "the plain struct reads the id");
    let example: ExamplePage = serde_json::from_str(&json).unwrap();
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();

    let mut g = c.benchmark_group("parse");
    g.sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(8));
    g.throughput(Throughput::Bytes(json.len() as u64));
    g.bench_function("value", |b| b.iter(|| serde_json::from_str::<serde_json::Value>(black_box(&json)).unwrap()));
    g.bench_function("plain_struct", |b| b.iter(|| serde_json::from_str::<PlainPage>(black_box(&json)).unwrap()));
    g.bench_function("example_struct", |b| b.iter(|| serde_json::from_str::<ExamplePage>(black_box(&json)).unwrap()));
    g.bench_function("page_user", |b| b.iter(|| serde_json::from_str::<Page<User>>(black_box(&json)).unwrap()));
    g.bench_function("page_directory_object_kind", |b| b.iter(|| serde_json::from_str::<Page<DirectoryObjectKind>>(black_box(&json)).unwrap()));
    g.bench_function("page_directory_object_kind_tag_last", |b| {
        b.iter(|| serde_json::from_str::<Page<DirectoryObjectKind>>(black_box(&tag_last)).unwrap())
    });
    g.finish();

    let mut g = c.benchmark_group("serialize");
    g.sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(6));
    g.throughput(Throughput::Bytes(json.len() as u64));
    let mut buf = Vec::with_capacity(2 * json.len());
    g.bench_function("value", |b| b.iter(|| serialize(&mut buf, &value)));
    g.bench_function("plain_struct", |b| b.iter(|| serialize(&mut buf, &plain)));
    g.bench_function("example_struct", |b| b.iter(|| serialize(&mut buf, &example)));
    g.bench_function("page_user", |b| b.iter(|| serialize(&mut buf, &users)));
    g.bench_function("page_directory_object_kind", |b| b.iter(|| serialize(&mut buf, &kinds)));
    g.finish();
}

fn serialize<T: Serialize>(buf: &mut Vec<u8>, value: &T) -> usize {
    buf.clear();
    serde_json::to_writer(&mut *buf, black_box(value)).unwrap();
    buf.len()
}

criterion_group!(benches, bench);
criterion_main!(benches);
