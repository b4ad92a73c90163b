//! The code shown in README.md ("Using the generated crate"), compiled and run.

use msgraph::models::graph::{Identity, IdentitySet, IdentitySetKind, Participant, ParticipantInfo};
use msgraph::requests;

#[test]
fn readme_add_participants_example() -> Result<(), msgraph::support::Error> {
    let participant = Participant {
        info: ParticipantInfo {
            identity: IdentitySet {
                user: Identity { id: "550fae72-d251-43ec-868c-373732c2704f".into(), display_name: "Heidi Steen".into(), ..Default::default() }.into(),
                ..Default::default()
            }
            .into(),
            ..Default::default()
        }
        .into(),
        ..Default::default()
    };
    let request = requests::communications().calls().by_id("57dab8b1-894c-409a-b240-bd8beae78896").participants().create(&participant);
    assert_eq!(request.success_status(), 201);
    let http_request = request.to_http("https://graph.microsoft.com/v1.0")?;
    assert_eq!(http_request.uri(), "https://graph.microsoft.com/v1.0/communications/calls/57dab8b1-894c-409a-b240-bd8beae78896/participants");
    let sent: serde_json::Value = serde_json::from_slice(http_request.body()).unwrap();
    assert_eq!(sent, serde_json::json!({"info": {"identity": {"user": {"id": "550fae72-d251-43ec-868c-373732c2704f", "displayName": "Heidi Steen"}}}}));
    assert!(matches!(participant.info.unwrap().identity.as_deref(), Some(IdentitySetKind::IdentitySet(_))));
    Ok(())
}

/// README.md, "Null and absent": a body with a value, a null and everything else
/// absent, and the three states read back.
#[test]
fn readme_null_and_absent_example() -> Result<(), serde_json::Error> {
    use msgraph::models::graph::Call;
    use msgraph::support::Nullable;

    let patch = Call { subject: "Quarterly budget review".into(), callback_uri: Nullable::Null, ..Default::default() };
    assert_eq!(serde_json::to_string(&patch)?, r#"{"callbackUri":null,"subject":"Quarterly budget review"}"#);

    let read: Call = serde_json::from_str(r#"{"callbackUri":null,"subject":"Quarterly budget review"}"#)?;
    assert_eq!(read.subject.as_deref(), Some("Quarterly budget review"));
    assert!(read.callback_uri.is_null() && read.tenant_id.is_absent());
    assert_eq!(read, patch);
    Ok(())
}
