//! Parsing and serializing about 30 MB of users with the models generated from the
//! Graph v1.0 reference (issue 14), in two shapes.
//!
//! Not a target of this workspace: `scripts/bench.sh parse` generates the v1.0
//! crate, writes a small crate around this file (`Cargo.toml` from bench.sh, the
//! generated crate as the dependency `graph`) and runs `cargo bench` there, so
//! `cargo test --workspace` never compiles the whole v1.0 crate.
//!
//! The data: the first response example of `api/user-get.md` in the reference (read
//! at run time from `MSGRAPH_CORPUS`), with `"@odata.type": "#microsoft.graph.user"`
//! in front and one property the docs do not list at the end, repeated as the
//! `value` of a page. Two shapes of the same 50,000 users:
//!
//! - groups `parse` and `serialize`: one page of 50,000 users (29.35 MB), kept for
//!   continuity with the earlier figures. Its `Vec<User>` (about 107 MB) is above
//!   glibc's largest mmap threshold, so on glibc every iteration maps fresh pages and
//!   faults them in: this shape mostly measures the allocator and the kernel;
//! - groups `parse_paged` and `serialize_paged`: what a user listing a tenant's
//!   users sees: 50 pages of 1,000 users (Graph's `$top` is at most 999), each with
//!   `@odata.nextLink`; one iteration parses (or writes) all 50 pages in turn, and
//!   drops each page before the next, as a user's loop over the pages would.
//!
//! The cases, each group in one run (so the ratios come from one run):
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
//! - `page_directory_object_kind_tag_last` (single page only): the same objects
//!   with `@odata.type` moved to the end (the buffered path; other bytes).
//!
//! Serialization: the parsed pages (`Page<User>`, `Page<DirectoryObjectKind>`, the
//! plain struct, the example struct and the `Value`), to a reused `Vec<u8>`.
//!
//! Nothing parsed stays alive while the parse groups run (the checks up front drop
//! what they parse; the serialize groups parse their inputs afterwards), so every
//! case starts from the same heap, as a user's loop over pages would leave it.
use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use graph::models::graph::{DirectoryObjectKind, User};
use graph::runtime::Page;
use serde::{Deserialize, Serialize};

const USERS: usize = 50_000;
/// Users per page in the paged shape (`$top` is at most 999 in Graph).
const PAGE_SIZE: usize = 1_000;

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

/// A page of `count` copies of the example, pretty-printed like the docs, with
/// `@odata.nextLink` when `next` is given.
fn page(tag_first: bool, count: usize, next: Option<usize>) -> String {
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
    let value = serde_json::Value::Array(vec![serde_json::Value::Object(user); count]);
    let mut page = serde_json::Map::new();
    page.insert("@odata.context".into(), "https://graph.microsoft.com/v1.0/$metadata#users".into());
    page.insert("value".into(), value);
    if let Some(n) = next {
        page.insert("@odata.nextLink".into(), format!("https://graph.microsoft.com/v1.0/users?$top={count}&$skiptoken=page{n}").into());
    }
    serde_json::to_string_pretty(&page).unwrap()
}

fn bench(c: &mut Criterion) {
    let json = page(true, USERS, None);
    let tag_last = page(false, USERS, None);
    let pages: Vec<String> = (0..USERS / PAGE_SIZE).map(|i| page(true, PAGE_SIZE, (i + 1 < USERS / PAGE_SIZE).then_some(i + 1))).collect();
    let paged_bytes: usize = pages.iter().map(String::len).sum();
    eprintln!(
        "parse benchmark: {USERS} users, {} bytes (tag last: {} bytes); paged: {} pages of {PAGE_SIZE}, {paged_bytes} bytes; size_of User {} B, DirectoryObjectKind {} B, PlainUser {} B ({PLAIN_USER_FIELDS} fields), ExampleUser {} B",
        json.len(),
        tag_last.len(),
        pages.len(),
        std::mem::size_of::<User>(),
        std::mem::size_of::<DirectoryObjectKind>(),
        std::mem::size_of::<PlainUser>(),
        std::mem::size_of::<ExampleUser>()
    );

    // The generated models keep what they do not know and read what they know.
    {
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
        let paged: Vec<Page<User>> = parsed(&pages);
        assert_eq!(paged.iter().map(|p| p.value.len()).sum::<usize>(), USERS);
        assert!(paged[0].next_link.is_some() && paged.last().unwrap().next_link.is_none());
        assert_eq!(paged[7].value[999], users.value[0]);
    }
    // Nothing parsed stays alive while the parse groups run (the heap is as a
    // user's loop leaves it); the serialize groups parse their inputs afterwards.

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

    // The paged shape: every page parsed in turn, each dropped before the next.
    let mut g = c.benchmark_group("parse_paged");
    g.sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(8));
    g.throughput(Throughput::Bytes(paged_bytes as u64));
    g.bench_function("value", |b| b.iter(|| parse_all::<serde_json::Value>(&pages)));
    g.bench_function("plain_struct", |b| b.iter(|| parse_all::<PlainPage>(&pages)));
    g.bench_function("example_struct", |b| b.iter(|| parse_all::<ExamplePage>(&pages)));
    g.bench_function("page_user", |b| b.iter(|| parse_all::<Page<User>>(&pages)));
    g.bench_function("page_directory_object_kind", |b| b.iter(|| parse_all::<Page<DirectoryObjectKind>>(&pages)));
    g.finish();

    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    let plain: PlainPage = serde_json::from_str(&json).unwrap();
    let example: ExamplePage = serde_json::from_str(&json).unwrap();
    let users: Page<User> = serde_json::from_str(&json).unwrap();
    let kinds: Page<DirectoryObjectKind> = serde_json::from_str(&json).unwrap();
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
    drop((value, plain, example, users, kinds));

    let mut g = c.benchmark_group("serialize_paged");
    g.sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(6));
    g.throughput(Throughput::Bytes(paged_bytes as u64));
    let value: Vec<serde_json::Value> = parsed(&pages);
    g.bench_function("value", |b| b.iter(|| serialize_all(&mut buf, &value)));
    drop(value);
    let plain: Vec<PlainPage> = parsed(&pages);
    g.bench_function("plain_struct", |b| b.iter(|| serialize_all(&mut buf, &plain)));
    drop(plain);
    let example: Vec<ExamplePage> = parsed(&pages);
    g.bench_function("example_struct", |b| b.iter(|| serialize_all(&mut buf, &example)));
    drop(example);
    let users: Vec<Page<User>> = parsed(&pages);
    g.bench_function("page_user", |b| b.iter(|| serialize_all(&mut buf, &users)));
    drop(users);
    let kinds: Vec<Page<DirectoryObjectKind>> = parsed(&pages);
    g.bench_function("page_directory_object_kind", |b| b.iter(|| serialize_all(&mut buf, &kinds)));
    g.finish();
}

/// Parses every page in turn and drops it; returns how many pages parsed.
fn parse_all<T: serde::de::DeserializeOwned>(pages: &[String]) -> usize {
    let mut n = 0;
    for p in pages {
        let page: T = serde_json::from_str(black_box(p)).unwrap();
        black_box(&page);
        n += 1;
    }
    n
}

fn parsed<T: serde::de::DeserializeOwned>(pages: &[String]) -> Vec<T> {
    pages.iter().map(|p| serde_json::from_str(p).unwrap()).collect()
}

/// Writes every page in turn into `buf` (cleared per page, as a user's loop would reuse it).
fn serialize_all<T: Serialize>(buf: &mut Vec<u8>, pages: &[T]) -> usize {
    pages.iter().map(|p| serialize(buf, p)).sum()
}

fn serialize<T: Serialize>(buf: &mut Vec<u8>, value: &T) -> usize {
    buf.clear();
    serde_json::to_writer(&mut *buf, black_box(value)).unwrap();
    buf.len()
}

criterion_group!(benches, bench);
criterion_main!(benches);
