//! The runtime on its own, as generated code uses it: every name below is reached
//! through `msgraph_runtime` (serde and serde_json included), the way a generated
//! crate that depends on the runtime alone reaches them.

use msgraph_runtime::serde_json::{self, json};
use msgraph_runtime::{http, Base64, Error, Flags, Guid, Page, Request, StringEnum};

/// A string enum as the generator writes one: inherent `as_str`/`from_wire`, the
/// `StringEnum` impl, and the runtime's `string_enum!` for serde, Display, FromStr.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Shade {
    Light,
    Dark,
    Unrecognized(String),
}

impl Shade {
    fn as_str(&self) -> &str {
        match self {
            Shade::Light => "light",
            Shade::Dark => "dark",
            Shade::Unrecognized(s) => s,
        }
    }
    fn from_wire(s: &str) -> Self {
        match s.to_ascii_lowercase().as_str() {
            "light" => Shade::Light,
            "dark" => Shade::Dark,
            _ => Shade::Unrecognized(s.to_owned()),
        }
    }
}

impl StringEnum for Shade {
    fn as_str(&self) -> &str {
        Shade::as_str(self)
    }
    fn from_wire(s: &str) -> Self {
        Shade::from_wire(s)
    }
}

msgraph_runtime::string_enum!(Shade);

/// A model as the generator writes one: serde derives through the runtime's re-export.
#[derive(Debug, Default, PartialEq, msgraph_runtime::serde::Serialize, msgraph_runtime::serde::Deserialize)]
#[serde(crate = "msgraph_runtime::serde")]
struct Widget {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    #[serde(rename = "ownerId", default, skip_serializing_if = "Option::is_none")]
    owner_id: Option<Guid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    shades: Option<Flags<Shade>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    thumbnail: Option<Base64>,
}

#[test]
fn string_enums_and_derives_work_through_the_runtime_path() {
    let w: Widget = serde_json::from_value(json!({
        "id": "w1", "ownerId": "E1F9E6B4-0F3C-4B4C-9C1E-7A0C2B3D4E5F", "shades": "Light,dark,violet", "thumbnail": "aGk="
    }))
    .unwrap();
    assert_eq!(w.shades.as_ref().unwrap().0, vec![Shade::Light, Shade::Dark, Shade::Unrecognized("violet".into())]);
    assert_eq!(w.thumbnail.as_ref().unwrap().value(), b"hi");
    // Written back: enums in their wire spelling, the GUID as it came.
    assert_eq!(
        serde_json::to_value(&w).unwrap(),
        json!({ "id": "w1", "ownerId": "E1F9E6B4-0F3C-4B4C-9C1E-7A0C2B3D4E5F", "shades": "light,dark,violet", "thumbnail": "aGk=" })
    );
    assert_eq!("DARK".parse::<Shade>().unwrap(), Shade::Dark);
    assert_eq!(Shade::Light.to_string(), "light");
}

#[test]
fn a_request_builds_an_http_request_and_refuses_paths_that_leave_the_resource() {
    let body = Widget { id: Some("w 1".into()), ..Default::default() };
    let request: Request<Widget> = Request::new(http::Method::PATCH, format!("/widgets/{}", msgraph_runtime::encode_segment("a/b c")), 200)
        .path_params(&[("widget-id", "a/b c")])
        .json_body(&body)
        .query_param("$select", "id,name");
    let built = request.to_http("https://graph.example/v1.0/").unwrap();
    assert_eq!(built.method(), http::Method::PATCH);
    assert_eq!(built.uri(), "https://graph.example/v1.0/widgets/a%2Fb%20c?$select=id,name");
    assert_eq!(built.headers()["content-type"], "application/json");
    assert_eq!(serde_json::from_slice::<serde_json::Value>(built.body()).unwrap(), json!({ "id": "w 1" }));

    let escape: Request<()> = Request::new(http::Method::GET, "/widgets/..".into(), 200).path_params(&[("widget-id", "..")]);
    assert!(escape.invalid_reason().unwrap().contains("widget-id"));
    assert!(matches!(escape.to_http("https://graph.example/v1.0"), Err(Error::InvalidRequest(_))));
}

#[test]
fn responses_parse_into_typed_bodies_pages_and_graph_errors() {
    let list: Request<Page<Widget>> = Request::new(http::Method::GET, "/widgets".into(), 200);
    let page = list
        .parse_response(http::Response::new(
            br#"{"value":[{"id":"a"},{"id":"b"}],"@odata.nextLink":"https://graph.example/v1.0/widgets?$skiptoken=2"}"#.to_vec(),
        ))
        .unwrap()
        .body;
    assert_eq!(page.value.iter().map(|w| w.id.as_deref().unwrap()).collect::<Vec<_>>(), ["a", "b"]);
    assert_eq!(page.next_link.as_deref(), Some("https://graph.example/v1.0/widgets?$skiptoken=2"));

    let get: Request<Widget> = Request::new(http::Method::GET, "/widgets/x".into(), 200);
    let missing = http::Response::builder()
        .status(404)
        .header("request-id", "r-9")
        .body(br#"{"error":{"code":"itemNotFound","message":"No widget x."}}"#.to_vec())
        .unwrap();
    match get.parse_response(missing) {
        Err(Error::Api(api)) => {
            assert_eq!((api.status.as_u16(), api.code(), api.request_id()), (404, Some("itemNotFound"), Some("r-9")));
            assert_eq!(api.to_string(), "404 Not Found: itemNotFound: No widget x.");
        }
        other => panic!("expected a Graph error, got {other:?}"),
    }
    // A success whose body is not the documented type is a decode error, with the body kept.
    let wrong = http::Response::new(br#"{"id": 7}"#.to_vec());
    assert!(matches!(get.parse_response(wrong), Err(Error::Decode { body, .. }) if body == br#"{"id": 7}"#));
}
