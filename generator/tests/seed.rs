//! What the "Add participants" page alone gives, with no resource pages: the
//! participant family with every property the table and the examples show, and
//! the page's own defects reported.

use std::collections::BTreeMap;
use std::path::Path;

use msgraph_gen::model::{Prim, TypeKind, TypeRef};
use msgraph_gen::{generate_sources, Code, SourceFile};

const SEED: &str = "api/call-post-participants.md";

fn seed_file() -> SourceFile {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs").join(SEED);
    SourceFile { path: SEED.into(), bytes: std::fs::read(path).unwrap() }
}

/// The properties of `t`, inherited ones included, their types by full name.
fn props(api: &msgraph_gen::model::Api, t: &str) -> BTreeMap<String, TypeRef<String>> {
    let id = api.id(t).unwrap_or_else(|| panic!("{t} is generated: {:?}", api.types().map(|t| &t.full_name).collect::<Vec<_>>()));
    assert!(matches!(api.get(id).map(|d| &d.kind), Some(TypeKind::Struct { .. })), "{t} is a struct");
    api.all_properties(id).into_iter().map(|p| (p.wire.clone(), api.named_ref(&p.ty))).collect()
}

#[test]
fn the_seed_page_is_kept_byte_for_byte() {
    // FNV-1a 64 of the user's page as it was handed over: any edit changes it.
    let bytes = seed_file().bytes;
    let hash = bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3));
    assert_eq!((bytes.len(), hash), (4729, 0xb542_92df_a4af_9a24), "docs/{SEED} changed");
}

#[test]
fn the_seed_alone_gives_the_participant_family() {
    let g = generate_sources(vec![seed_file()]).expect("the seed generates on its own");
    let api = &g.api;
    let s = |p| TypeRef::Prim(p);
    let named = |n: &str| TypeRef::Named(format!("microsoft.graph.{n}"));
    let p = props(api, "microsoft.graph.participant");
    assert_eq!(p["id"], s(Prim::String));
    assert_eq!(p["info"], named("participantInfo"));
    assert_eq!(p["recordingInfo"], named("recordingInfo"));
    assert_eq!(p["mediaStreams"], TypeRef::Collection(Box::new(named("mediaStream"))));
    assert_eq!(p["metadata"], s(Prim::String));
    assert_eq!(p["isMuted"], s(Prim::Boolean));
    assert_eq!(p["isInLobby"], s(Prim::Boolean));
    assert_eq!(p.len(), 7);
    let info = props(api, "microsoft.graph.participantInfo");
    assert_eq!(info["identity"], named("identitySet"));
    for k in ["endpointType", "region", "languageId", "countryCode"] {
        assert_eq!(info[k], s(Prim::String), "{k}");
    }
    let set = props(api, "microsoft.graph.identitySet");
    for k in ["application", "device", "user"] {
        assert_eq!(set[k], named("identity"), "{k}");
    }
    let id = props(api, "microsoft.graph.identity");
    assert_eq!((id["id"].clone(), id["displayName"].clone()), (s(Prim::String), s(Prim::String)));
    let rec = props(api, "microsoft.graph.recordingInfo");
    assert_eq!((rec["recordingStatus"].clone(), rec["initiatedBy"].clone()), (s(Prim::String), named("participantInfo")));
    let ms = props(api, "microsoft.graph.mediaStream");
    assert_eq!(ms["serverMuted"], s(Prim::Boolean));
    for k in ["mediaType", "label", "sourceId", "direction"] {
        assert_eq!(ms[k], s(Prim::String), "{k}");
    }
    // The request function follows the example, and the $ref conflict is reported
    // with both locations.
    let op = &api.operations[0];
    assert_eq!((op.method.as_str(), op.path_template().as_str(), op.success_status), ("POST", "/communications/calls/{callId}/participants/$ref", 201));
    let d = g.diagnostics.iter().find(|d| d.code == Code::PathMismatch).expect("path mismatch reported");
    assert_eq!((&*d.span.file, d.span.line()), (SEED, 31));
    assert_eq!((&*d.related[0].span.file, d.related[0].span.line()), (SEED, 70));
    // Placeholders are hints of a type, not data: "String" gives String.
    assert!(g.files["models/graph/common.rs"].contains("pub struct MediaStream"));
}

#[test]
fn the_correction_makes_the_function_send_what_the_example_sends() {
    let corrections = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/corrections.json")).unwrap();
    let g = generate_sources(vec![seed_file(), SourceFile { path: "corrections.json".into(), bytes: corrections }]).unwrap();
    let op = &g.api.operations[0];
    assert_eq!(op.path_template(), "/communications/calls/{callId}/participants");
    assert!(!g.diagnostics.iter().any(|d| d.code == Code::PathMismatch));
    let d = g.diagnostics.iter().find(|d| d.code == Code::CorrectionApplied).expect("the correction is reported, not hidden");
    assert_eq!(d.span.line(), 31);
    let lines: Vec<(&str, u32)> = d.related.iter().map(|r| (&*r.span.file, r.span.line())).collect();
    assert_eq!(lines, [(SEED, 70), ("corrections.json", 4)]);
    // The operation is a create on the participants collection: no `$ref` segment.
    let requests = &g.files["requests/communications.rs"];
    assert!(requests.contains("pub fn create(") && requests.contains("segment(\"participants\")"), "{requests}");
    assert!(!requests.contains("$ref"), "{requests}");
}

#[test]
fn a_stale_correction_is_reported() {
    let c = br#"{"corrections": [{"page": "api/nope.md", "http_request": "GET /x", "reason": "r"}]}"#;
    let g = generate_sources(vec![seed_file(), SourceFile { path: "corrections.json".into(), bytes: c.to_vec() }]).unwrap();
    assert!(g.diagnostics.iter().any(|d| d.code == Code::CorrectionUnused && d.span.line() == 1));
}
