//! The "Add participants" page, used the way a user would: its example bodies
//! through the generated models, its example request through the generated
//! request function.

use msgraph::models::graph::{EndpointType, Participant};
use msgraph::requests;
use msgraph::support::Nullable;

fn call_post_participants(call_id: &str, body: &Participant) -> msgraph::support::Request<Participant> {
    requests::communications().calls().by_id(call_id).participants().create(body)
}
use msgraph_gen::model::Operation;
use pretty_assertions::assert_eq;
use serde_json::Value;

fn seed_operation() -> Operation {
    let generated = msgraph_gen::Config::new().docs_dir("docs").run().expect("docs generate");
    generated.api.operations.into_iter().find(|o| o.id == "call-post-participants").expect("the seed page is an operation")
}

#[test]
fn request_body_round_trips_through_participant() {
    let op = seed_operation();
    let body = op.examples[0].request_body.clone().expect("the seed example has a body");
    let participant: Participant = serde_json::from_value(body.clone()).expect("deserializes");
    // Typed access works on what the page shows.
    assert_eq!(participant.is_muted, Nullable::Value(true));
    let info = participant.info.as_ref().expect("info");
    assert_eq!(info.region.as_deref(), Some("Region value"));
    // The page shows the placeholder "String" where an endpointType belongs: kept, not lost.
    assert_eq!(info.endpoint_type, Nullable::Value(EndpointType::Unrecognized("String".into())));
    let streams = participant.media_streams.as_ref().expect("mediaStreams");
    assert_eq!(streams[0].server_muted, Nullable::Value(true));
    assert_eq!(serde_json::to_value(&participant).unwrap(), body);
}

#[test]
fn response_body_round_trips_through_participant() {
    let op = seed_operation();
    let ex = &op.examples[0];
    assert_eq!(ex.status, Some(201));
    let body = ex.response_body.clone().expect("the seed example has a response");
    let participant: Participant = serde_json::from_value(body.clone()).expect("deserializes");
    assert_eq!(participant.id.as_deref(), Some("bcf70126-0126-bcf7-2601-f7bc2601f7bc"));
    assert_eq!(participant.odata_type.as_deref(), Some("#microsoft.graph.participant"));
    assert_eq!(serde_json::to_value(&participant).unwrap(), body);
}

#[test]
fn request_function_matches_the_example_request() {
    let op = seed_operation();
    let ex = &op.examples[0];
    let body: Participant = serde_json::from_value(ex.request_body.clone().unwrap()).unwrap();
    let request = call_post_participants("{callId}", &body);
    // The page's example posts to .../participants (the HTTP request block's /$ref is
    // a defect corrected in docs/corrections.json).
    assert_eq!(ex.method, "POST");
    assert_eq!(request.method(), "POST");
    assert_eq!(request.success_status(), 201);
    let example_path = ex.url.strip_prefix("https://graph.microsoft.com/localtest").unwrap();
    assert_eq!(example_path, "/communications/calls/{callId}/participants");
    assert_eq!(request.path(), "/communications/calls/%7BcallId%7D/participants");
    let http = request.to_http("https://graph.microsoft.com/v1.0").unwrap();
    assert_eq!(http.uri(), "https://graph.microsoft.com/v1.0/communications/calls/%7BcallId%7D/participants");
    assert_eq!(http.headers()["content-type"], "application/json");
    let sent: Value = serde_json::from_slice(http.body()).unwrap();
    assert_eq!(sent, ex.request_body.clone().unwrap());

    let request = call_post_participants("57dab8b1-894c-409a-b240-bd8beae78896", &body);
    assert_eq!(request.path(), "/communications/calls/57dab8b1-894c-409a-b240-bd8beae78896/participants");
}

#[test]
fn path_parameters_are_one_encoded_segment() {
    let request = call_post_participants("a/b?c#d", &Participant::default());
    assert_eq!(request.path(), "/communications/calls/a%2Fb%3Fc%23d/participants");
    // URL parsers resolve `..` even when encoded; such requests are refused.
    for bad in ["..", ".", ""] {
        let request = call_post_participants(bad, &Participant::default());
        let err = request.to_http("https://graph.microsoft.com/v1.0").unwrap_err();
        assert!(err.to_string().contains("path parameter callId"), "{err}");
    }
    assert!(call_post_participants("...", &Participant::default()).invalid_reason().is_none());
    let request = call_post_participants("100% é", &Participant::default());
    assert_eq!(request.path(), "/communications/calls/100%25%20%C3%A9/participants");
    let http = request.to_http("http://127.0.0.1:9/v1.0/").unwrap();
    assert_eq!(http.uri().path(), "/v1.0/communications/calls/100%25%20%C3%A9/participants");
}

#[test]
fn response_parsing_gives_the_documented_type_or_a_graph_error() {
    let op = seed_operation();
    let ex = &op.examples[0];
    let request = call_post_participants("x", &Participant::default());
    let body = serde_json::to_vec(ex.response_body.as_ref().unwrap()).unwrap();
    let response = http::Response::builder().status(201).body(body).unwrap();
    let parsed = request.parse_response(response).unwrap();
    assert_eq!(parsed.status, 201);
    assert_eq!(parsed.body.metadata.as_deref(), Some("Metadata value"));

    let error = br#"{"error": {"code": "Forbidden", "message": "Not allowed", "innerError": {"request-id": "r-1"}}}"#;
    let response = http::Response::builder().status(403).body(error.to_vec()).unwrap();
    let err = request.parse_response(response).unwrap_err();
    assert_eq!(err.to_string(), "403 Forbidden: Forbidden: Not allowed");
    match err {
        msgraph::support::Error::Api(api) => assert_eq!(api.request_id(), Some("r-1")),
        other => panic!("{other:?}"),
    }
}
