//! Invite a participant into a call with the generated `participant_invite` request
//! and the async client.
//!
//! The example needs no Graph tenant: it serves this repository's docs as a local
//! Graph (`msgraph_mock::MockGraph`), which answers the invite with the response
//! its page documents: an `inviteParticipantsOperation` and a `Location` header on
//! the mock's own address. Against the real service, leave out `base_url` and give a
//! real token provider.
//!
//! ```text
//! cargo run --example invite
//! ```

use std::time::Duration;

use msgraph::client::{Client, RetryPolicy};
use msgraph::models::graph::{Identity, IdentitySet, InvitationParticipantInfo, ParticipantInviteRequestBody};
use msgraph::requests;
use msgraph_mock::MockGraph;

const CALL_ID: &str = "4f2b9c61-0d3e-4a87-b5f1-92c6e7a3d048";

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let server = MockGraph::start(concat!(env!("CARGO_MANIFEST_DIR"), "/docs")).await?;
    println!("local Graph served from docs/ at {}", server.base_url());

    let client = Client::builder()
        .base_url(server.base_url())
        .token("example-token")
        .timeout(Duration::from_secs(10))
        .retry_policy(RetryPolicy::default().with_max_retries(2))
        .build()?;

    // A value is `.into()` (a derived type into its base's `Kind`, boxed where the
    // field is); what is not set stays absent and is not sent.
    let invitee = InvitationParticipantInfo {
        odata_type: Some("#microsoft.graph.invitationParticipantInfo".into()),
        identity: IdentitySet {
            odata_type: Some("#microsoft.graph.identitySet".into()),
            user: Identity {
                odata_type: Some("#microsoft.graph.identity".into()),
                id: "e05a7b3c-28d9-4c61-9f42-b6a1d83e0f57".into(),
                display_name: "Tomasz Wieczorek".into(),
                ..Default::default()
            }
            .into(),
            ..Default::default()
        }
        .into(),
        replaces_call_id: "9d3c61e8-5b27-4f0a-83d4-2e7ab9f16c05".into(),
        ..Default::default()
    };
    let body = ParticipantInviteRequestBody { participants: vec![invitee].into(), client_context: "invite-batch-7c2e91".into(), ..Default::default() };

    let request = requests::communications().calls().by_id(CALL_ID).participants().invite(&body);
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
