//! Behaviour of the generated types, used as a user would: enums that never fail,
//! polymorphic properties that dispatch on `@odata.type`, unknown properties that
//! survive a round trip, and the primitive types.

use msgraph::models::graph::{Call, CommsOperationKind, EndpointType, IdentityKind, IdentitySetKind, Modality, Participant, ParticipantInfo, RecordingStatus};
use msgraph::support::{Base64, Date, DateTimeOffset, Duration, Flags, Guid, Nullable, StringEnum, TimeOfDay};
use pretty_assertions::assert_eq;
use serde_json::{json, Value};

fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(v: Value) -> (T, Value) {
    let typed: T = serde_json::from_value(v).expect("deserializes");
    let back = serde_json::to_value(&typed).unwrap();
    (typed, back)
}

#[test]
fn enums_match_exactly_then_case_insensitively_and_keep_unknown_values() {
    assert_eq!(EndpointType::from_wire("voicemail"), EndpointType::Voicemail);
    assert_eq!(EndpointType::from_wire("Voicemail"), EndpointType::Voicemail);
    assert_eq!(EndpointType::from_wire("SKYPEFORBUSINESS"), EndpointType::SkypeForBusiness);
    assert_eq!(EndpointType::from_wire("unknownFutureValue"), EndpointType::UnknownFutureValue);
    assert_eq!(EndpointType::from_wire("teamsRoom"), EndpointType::Unrecognized("teamsRoom".into()));
    assert_eq!(EndpointType::MEMBERS, ["default", "voicemail", "skypeForBusiness", "skypeForBusinessVoipPhone", "unknownFutureValue"]);
    // Through serde: a known value in another case reads as the member; an unknown
    // value is kept and written back unchanged.
    let (info, back): (ParticipantInfo, Value) = round_trip(json!({"endpointType": "teamsRoom"}));
    assert_eq!(info.endpoint_type, Nullable::Value(EndpointType::Unrecognized("teamsRoom".into())));
    assert_eq!(back, json!({"endpointType": "teamsRoom"}));
    let info: ParticipantInfo = serde_json::from_value(json!({"endpointType": "Default"})).unwrap();
    assert_eq!(info.endpoint_type, Nullable::Value(EndpointType::Default));
    assert_eq!(serde_json::to_value(&info).unwrap(), json!({"endpointType": "default"}));
    assert_eq!(RecordingStatus::NotRecording.to_string(), "notRecording");
    assert_eq!("failed".parse::<RecordingStatus>(), Ok(RecordingStatus::Failed));
}

#[test]
fn a_base_typed_property_dispatches_on_odata_type() {
    let v = json!({
        "identity": {
            "@odata.type": "#microsoft.graph.communicationsIdentitySet",
            "endpointType": "default",
            "user": {"@odata.type": "#microsoft.graph.communicationsUserIdentity", "id": "u1", "tenantId": "t1"},
            "phone": {"id": "+15555550100"}
        }
    });
    let (info, back): (ParticipantInfo, Value) = round_trip(v.clone());
    assert_eq!(back, v);
    let Some(IdentitySetKind::CommunicationsIdentitySet(set)) = info.identity.as_deref() else { panic!("{:?}", info.identity) };
    assert_eq!(set.endpoint_type, Nullable::Value(EndpointType::Default));
    // Inherited properties are there too (`user` comes from identitySet).
    let Some(IdentityKind::CommunicationsUserIdentity(user)) = set.user.as_deref() else { panic!("{:?}", set.user) };
    assert_eq!((user.id.as_deref(), user.tenant_id.as_deref()), (Some("u1"), Some("t1")));
    let Some(IdentityKind::Identity(phone)) = set.phone.as_deref() else { panic!("{:?}", set.phone) };
    assert_eq!(phone.id.as_deref(), Some("+15555550100"));
    // Case of the type name does not matter; with or without `#`.
    let info: ParticipantInfo = serde_json::from_value(json!({"identity": {"@odata.type": "microsoft.graph.COMMUNICATIONSIDENTITYSET"}})).unwrap();
    assert!(matches!(info.identity.as_deref(), Some(IdentitySetKind::CommunicationsIdentitySet(_))));
}

#[test]
fn an_unknown_odata_type_falls_back_to_the_base_and_keeps_its_fields() {
    let v = json!({"identity": {"@odata.type": "#microsoft.graph.futureIdentitySet", "user": {"id": "u2"}, "hologram": {"id": "h1"}}});
    let (info, back): (ParticipantInfo, Value) = round_trip(v.clone());
    assert_eq!(back, v);
    let Some(IdentitySetKind::IdentitySet(base)) = info.identity.as_deref() else { panic!("{:?}", info.identity) };
    assert_eq!(base.odata_type.as_deref(), Some("#microsoft.graph.futureIdentitySet"));
    assert_eq!(base.additional_properties["hologram"], json!({"id": "h1"}));
}

#[test]
fn collections_of_a_base_type_dispatch_per_item() {
    let v = json!({"operations": [
        {"@odata.type": "#microsoft.graph.inviteParticipantsOperation", "id": "o1", "status": "running", "participants": [{"replacesCallId": "c9"}]},
        {"@odata.type": "#microsoft.graph.muteParticipantOperation", "id": "o2", "status": "completed"},
        {"id": "o3", "clientContext": "x"}
    ]});
    let (call, back): (Call, Value) = round_trip(v.clone());
    assert_eq!(back, v);
    let ops = call.operations.unwrap();
    assert!(
        matches!(&ops[0], CommsOperationKind::InviteParticipantsOperation(op) if op.participants.as_ref().unwrap()[0].replaces_call_id.as_deref() == Some("c9"))
    );
    assert!(matches!(&ops[1], CommsOperationKind::MuteParticipantOperation(_)));
    assert!(matches!(&ops[2], CommsOperationKind::CommsOperation(_)));
}

#[test]
fn unknown_properties_survive_a_round_trip() {
    let v = json!({"id": "p1", "isMuted": false, "futureFlag": true, "futureObject": {"a": [1, 2, {"b": null}]}, "@odata.etag": "W/\"1\""});
    let (p, back): (Participant, Value) = round_trip(v.clone());
    assert_eq!(back, v);
    assert_eq!(p.additional_properties.len(), 3);
    assert_eq!(p.additional_properties["futureFlag"], json!(true));
}

#[test]
fn timestamps_accept_what_graph_sends_and_write_it_back_unchanged() {
    let t = DateTimeOffset::parse("2020-03-04T11:22:33.1234567Z").unwrap();
    assert_eq!(t.value().timestamp_subsec_nanos(), 123_456_700);
    assert_eq!(t.as_str(), "2020-03-04T11:22:33.1234567Z");
    assert_eq!(serde_json::to_value(&t).unwrap(), json!("2020-03-04T11:22:33.1234567Z"));
    // No offset: read as UTC.
    let naive = DateTimeOffset::parse("2020-03-04T11:22:33").unwrap();
    assert_eq!(naive, DateTimeOffset::parse("2020-03-04T11:22:33Z").unwrap());
    assert_eq!(DateTimeOffset::parse("2020-03-04T12:22:33+01:00").unwrap(), DateTimeOffset::parse("2020-03-04T11:22:33Z").unwrap());
    assert!(DateTimeOffset::parse("String (timestamp)").is_err());
    // A date alone is its midnight, UTC, and is written back as it came.
    let day = DateTimeOffset::parse("1974-07-22").unwrap();
    assert_eq!(day, DateTimeOffset::parse("1974-07-22T00:00:00Z").unwrap());
    assert_eq!(day.as_str(), "1974-07-22");
    // A constructed value is written in canonical form.
    let built = DateTimeOffset::new(*t.value());
    assert_eq!(built.as_str(), "2020-03-04T11:22:33.123456700Z");
    // Through a model.
    let (call, back): (Call, Value) = round_trip(json!({"createdDateTime": "2020-03-04T11:22:33.1234567Z"}));
    assert_eq!(call.created_date_time.unwrap().value().timestamp(), 1583320953);
    assert_eq!(back, json!({"createdDateTime": "2020-03-04T11:22:33.1234567Z"}));
}

#[test]
fn other_primitives_parse_and_keep_their_text() {
    assert_eq!(Date::parse("2020-02-29").unwrap().value().to_string(), "2020-02-29");
    assert!(Date::parse("2021-02-29").is_err());
    assert_eq!(Date::parse("2001-01-01T00:00:00Z").unwrap().value().to_string(), "2001-01-01");
    let t = TimeOfDay::parse("08:00:00.0000000").unwrap();
    assert_eq!((t.as_str(), t.value().to_string().as_str()), ("08:00:00.0000000", "08:00:00"));
    let d = Duration::parse("PT1H30M").unwrap();
    assert_eq!(std::time::Duration::from(*d.value()), std::time::Duration::from_secs(5400));
    assert!(Duration::parse("an hour").is_err());
    let g = Guid::parse("E1F9E6B4-0F3C-4B4C-9C1E-7A0C2B3D4E5F").unwrap();
    assert_eq!(g, Guid::parse("e1f9e6b4-0f3c-4b4c-9c1e-7a0c2b3d4e5f").unwrap());
    assert_eq!(serde_json::to_value(&g).unwrap(), json!("E1F9E6B4-0F3C-4B4C-9C1E-7A0C2B3D4E5F"));
    let b: Base64 = serde_json::from_value(json!("aGVsbG8=")).unwrap();
    assert_eq!(b.value(), b"hello");
    assert_eq!(Base64::new(b"hello".to_vec()).as_str(), "aGVsbG8=");
    assert!(serde_json::from_value::<Base64>(json!("***")).is_err());
}

#[test]
fn flags_enums_read_and_write_comma_separated_sets() {
    let f: Flags<Modality> = serde_json::from_value(json!("audio, Video,hologram")).unwrap();
    assert_eq!(f.0, vec![Modality::Audio, Modality::Video, Modality::Unrecognized("hologram".into())]);
    assert_eq!(serde_json::to_value(&f).unwrap(), json!("audio,video,hologram"));
    assert_eq!(Flags::<Modality>(vec![]).0.len(), 0);
    assert_eq!(StringEnum::as_str(&Modality::Data), "data");
}
