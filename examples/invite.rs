//! Invite a participant into a call with the generated `participant_invite` request
//! and the async client.
//!
//! The example needs no Graph tenant: it starts a small stand-in server on
//! 127.0.0.1 (the one the tests use, `tests/common/server.rs`) that answers the
//! invite the way the service does, with an `inviteParticipantsOperation` and a
//! `Location` header. Against the real service, leave out `base_url` and give a
//! real token provider.
//!
//! ```text
//! cargo run --example invite
//! ```

#[path = "../tests/common/server.rs"]
mod server;

use std::time::Duration;

use msgraph::client::{Client, RetryPolicy};
use msgraph::models::graph::{Identity, IdentityKind, IdentitySet, IdentitySetKind, InvitationParticipantInfo, ParticipantInviteRequestBody};
use msgraph::requests;
use serde_json::{json, Value};

use server::{graph_error, Recorded, Server};

const CALL_ID: &str = "4f2b9c61-0d3e-4a87-b5f1-92c6e7a3d048";

/// The stand-in service: `POST .../calls/{callId}/participants/invite` creates a
/// running operation that echoes the invitees and the client context.
fn answer_invite(base: &str, request: &Recorded) -> http::Response<Vec<u8>> {
    let prefix = "/v1.0/communications/calls/";
    let call_id = request.path().strip_prefix(prefix).and_then(|rest| rest.strip_suffix("/participants/invite"));
    let (Some(call_id), true) = (call_id, request.method == http::Method::POST) else {
        return graph_error(404, "itemNotFound", "no such resource", "example");
    };
    if !matches!(request.header("authorization"), Some(a) if a.starts_with("Bearer ")) {
        return graph_error(401, "InvalidAuthenticationToken", "Access token is empty.", "example");
    }
    let Ok(body) = serde_json::from_slice::<Value>(&request.body) else {
        return graph_error(400, "BadRequest", "the body is not JSON", "example");
    };
    let operation_id = "6ab1f0d4-93c7-4e28-b5a2-0f84d7c3e619";
    let operation = json!({
        "@odata.type": "#microsoft.graph.inviteParticipantsOperation",
        "id": operation_id,
        "status": "running",
        "clientContext": body["clientContext"],
        "participants": body["participants"],
    });
    http::Response::builder()
        .status(200)
        .header("content-type", "application/json")
        .header("location", format!("{base}/communications/calls/{call_id}/operations/{operation_id}"))
        .body(serde_json::to_vec(&operation).expect("JSON"))
        .expect("response")
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let base = std::sync::Arc::new(std::sync::OnceLock::<String>::new());
    let server = {
        let base = base.clone();
        Server::start(move |request| {
            let response = answer_invite(base.get().map(String::as_str).unwrap_or(""), &request);
            async move { response }
        })
        .await
    };
    base.set(server.base_url()).expect("set once");
    println!("stand-in Graph service at {}", server.base_url());

    let client = Client::builder()
        .base_url(server.base_url())
        .token("example-token")
        .timeout(Duration::from_secs(10))
        .retry_policy(RetryPolicy::default().with_max_retries(2))
        .build()?;

    let invitee = InvitationParticipantInfo {
        odata_type: Some("#microsoft.graph.invitationParticipantInfo".into()),
        identity: Some(IdentitySetKind::IdentitySet(IdentitySet {
            odata_type: Some("#microsoft.graph.identitySet".into()),
            user: Some(IdentityKind::Identity(Identity {
                odata_type: Some("#microsoft.graph.identity".into()),
                id: Some("e05a7b3c-28d9-4c61-9f42-b6a1d83e0f57".into()),
                display_name: Some("Tomasz Wieczorek".into()),
                ..Default::default()
            })),
            ..Default::default()
        })),
        replaces_call_id: Some("9d3c61e8-5b27-4f0a-83d4-2e7ab9f16c05".into()),
        ..Default::default()
    };
    let body = ParticipantInviteRequestBody {
        participants: Some(vec![invitee]),
        client_context: Some("invite-batch-7c2e91".into()),
        ..Default::default()
    };

    let request = requests::participant_invite(CALL_ID, &body);
    println!("{} {}", request.method(), request.path_and_query());
    let response = client.send(request).await?;

    println!("status: {}", response.status);
    println!("Location: {}", response.location().unwrap_or("(none)"));
    let operation = &response.body;
    println!("operation id: {}", operation.id.as_deref().unwrap_or("(none)"));
    println!("operation status: {}", operation.status.as_ref().map_or("(none)", |s| s.as_str()));
    println!("client context: {}", operation.client_context.as_deref().unwrap_or("(none)"));
    println!("invited: {}", operation.participants.as_ref().map_or(0, Vec::len));
    println!("{operation:#?}");
    Ok(())
}
