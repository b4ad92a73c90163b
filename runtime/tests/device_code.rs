//! Feature `device-code`: the OAuth2 device code flow against a stand-in of the
//! Microsoft identity platform on 127.0.0.1 (`/{tenant}/oauth2/v2.0/devicecode`
//! and `/{tenant}/oauth2/v2.0/token`), each poll answered from a script:
//! pending, slow down, declined, expired and success; then the token cached,
//! refreshed with the refresh token, and sent to a stand-in Graph.

mod common;

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use msgraph_runtime::client::{Client, DeviceCodeError, DeviceCodeFlow, Error, TokenProvider};
use msgraph_runtime::Request;
use serde_json::{json, Value};

use common::client::bounded;
use common::server::{graph_error, json, Recorded, Server};

const DEVICE_CODE: &str = "dc-GAQABAAEAAAD-secret";
const USER_CODE: &str = "ABCD-EFGH";
const DEFAULT_SCOPES: &str = "https://graph.microsoft.com/.default offline_access";

fn form(body: &[u8]) -> Vec<(String, String)> {
    let text = std::str::from_utf8(body).unwrap();
    text.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap();
            let v = percent_encoding::percent_decode_str(&v.replace('+', " ")).decode_utf8().unwrap().into_owned();
            (k.to_owned(), v)
        })
        .collect()
}

fn field<'a>(f: &'a [(String, String)], k: &str) -> Option<&'a str> {
    f.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str())
}

/// An OAuth error answer, as the identity platform sends it (400).
fn oauth_error(error: &str, description: &str) -> http::Response<Vec<u8>> {
    json(400, &json!({ "error": error, "error_description": description, "error_codes": [70016] }))
}

fn pending() -> http::Response<Vec<u8>> {
    oauth_error("authorization_pending", "AADSTS70016: OAuth 2.0 device flow error. Authorization is pending. Continue polling.")
}

fn token(access: &str, refresh: Option<&str>, expires_in: u64) -> http::Response<Vec<u8>> {
    let mut body =
        json!({ "token_type": "Bearer", "scope": "User.Read profile openid", "expires_in": expires_in, "ext_expires_in": expires_in, "access_token": access });
    if let Some(r) = refresh {
        body["refresh_token"] = json!(r);
    }
    json(200, &body)
}

/// A token request as the stand-in received it: when, and its form fields.
type Poll = (Instant, Vec<(String, String)>);

/// The stand-in authorization server: the device authorization answer, then one
/// scripted answer per poll of the token endpoint (and per refresh), in order.
/// Every token request is recorded with its time.
struct Authority {
    server: Server,
    polls: Arc<Mutex<Vec<Poll>>>,
}

impl Authority {
    async fn start(device: Value, answers: Vec<http::Response<Vec<u8>>>) -> Authority {
        let answers = Arc::new(Mutex::new(VecDeque::from(answers)));
        let polls = Arc::new(Mutex::new(Vec::new()));
        let log = polls.clone();
        let server = Server::start(move |r: Recorded| {
            let device = device.clone();
            let answers = answers.clone();
            let log = log.clone();
            async move {
                assert_eq!(r.method, http::Method::POST);
                assert_eq!(r.header("authorization"), None, "a public client sends no Basic authentication");
                let f = form(&r.body);
                assert_eq!(field(&f, "client_id"), Some("app-1"), "{f:?}");
                match r.path() {
                    "/contoso/oauth2/v2.0/devicecode" => {
                        assert_eq!(field(&f, "scope"), Some(DEFAULT_SCOPES));
                        json(200, &device)
                    }
                    "/contoso/oauth2/v2.0/token" => {
                        log.lock().unwrap().push((Instant::now(), f));
                        answers.lock().unwrap().pop_front().unwrap_or_else(|| oauth_error("invalid_request", "no more scripted answers"))
                    }
                    other => json(404, &json!({ "error": "not_found", "error_description": other })),
                }
            }
        })
        .await;
        Authority { server, polls }
    }

    fn flow(&self) -> DeviceCodeFlow {
        DeviceCodeFlow::new("contoso", "app-1").authority(self.server.url(""))
    }

    fn polls(&self) -> Vec<Poll> {
        self.polls.lock().unwrap().clone()
    }

    /// The waits between consecutive token requests.
    fn gaps(&self) -> Vec<Duration> {
        self.polls().windows(2).map(|w| w[1].0 - w[0].0).collect()
    }
}

/// The identity platform's device authorization answer.
fn device(interval: u64, expires_in: u64) -> Value {
    json!({
        "device_code": DEVICE_CODE,
        "user_code": USER_CODE,
        "verification_uri": "https://microsoft.com/devicelogin",
        "expires_in": expires_in,
        "interval": interval,
        "message": format!("To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code {USER_CODE} to authenticate."),
    })
}

fn get_me() -> Request<Value> {
    Request::new(http::Method::GET, "/me".into(), 200)
}

#[tokio::test]
async fn pending_then_success_polls_at_the_interval_and_the_token_reaches_graph() {
    bounded(30, async {
        let authority = Authority::start(device(1, 900), vec![pending(), pending(), token("user-token-1", Some("refresh-1"), 3600)]).await;
        let prompt = authority.flow().start().await.unwrap();
        // What the tool shows the user.
        assert_eq!(prompt.verification_uri(), "https://microsoft.com/devicelogin");
        assert_eq!(prompt.user_code(), USER_CODE);
        assert!(prompt.message().unwrap().contains(USER_CODE));
        assert_eq!(prompt.expires_in(), Duration::from_secs(900));
        assert_eq!(prompt.interval(), Duration::from_secs(1));
        let credential = prompt.wait().await.unwrap();

        let polls = authority.polls();
        assert_eq!(polls.len(), 3, "two pending answers, then the token");
        for (_, f) in &polls {
            assert_eq!(field(f, "grant_type"), Some("urn:ietf:params:oauth:grant-type:device_code"));
            assert_eq!(field(f, "device_code"), Some(DEVICE_CODE));
        }
        for gap in authority.gaps() {
            assert!(gap >= Duration::from_secs(1), "a pending answer waits the interval: {gap:?}");
            assert!(gap < Duration::from_secs(4), "and no longer: {gap:?}");
        }

        // The token, cached, on every request to Graph.
        let graph = Server::start(|r: Recorded| async move {
            match r.header("authorization") {
                Some("Bearer user-token-1") => json(200, &json!({ "displayName": "Adele Vance" })),
                _ => graph_error(401, "InvalidAuthenticationToken", "Access token validation failure.", "t"),
            }
        })
        .await;
        let credential = Arc::new(credential);
        let client = Client::builder().base_url(graph.base_url()).token_provider(credential.clone()).build().unwrap();
        for _ in 0..3 {
            assert_eq!(client.send(get_me()).await.unwrap().body["displayName"], "Adele Vance");
        }
        assert_eq!(credential.tokens_refreshed().await, 0, "valid for an hour: no refresh");
        assert!(credential.has_refresh_token().await);
        assert_eq!(authority.polls().len(), 3, "no more token requests");
    })
    .await;
}

#[tokio::test]
async fn slow_down_makes_the_wait_five_seconds_longer() {
    bounded(30, async {
        // Interval 0: a pending answer is polled again at once; slow_down adds 5 s.
        let authority = Authority::start(device(0, 900), vec![pending(), oauth_error("slow_down", "slow down"), token("user-token-1", None, 3600)]).await;
        let credential = authority.flow().start().await.unwrap().wait().await.unwrap();
        assert_eq!(credential.token().await.unwrap(), "user-token-1");
        let gaps = authority.gaps();
        assert_eq!(gaps.len(), 2);
        assert!(gaps[0] < Duration::from_secs(2), "pending with interval 0: {gaps:?}");
        assert!(gaps[1] >= Duration::from_secs(5), "after slow_down the wait grows by 5 s: {gaps:?}");
    })
    .await;
}

#[tokio::test]
async fn a_declined_sign_in_is_declined() {
    bounded(30, async {
        for code in ["authorization_declined", "access_denied"] {
            let authority = Authority::start(device(0, 900), vec![pending(), oauth_error(code, "AADSTS70000: the user declined")]).await;
            let err = authority.flow().start().await.unwrap().wait().await.unwrap_err();
            match &err {
                DeviceCodeError::Declined { error, description } => {
                    assert_eq!(error, code);
                    assert!(description.as_deref().unwrap().contains("declined"));
                }
                other => panic!("{code}: {other:?}"),
            }
            assert_eq!(authority.polls().len(), 2, "no poll after the refusal");
            let shown = format!("{err} {err:?}");
            assert!(shown.contains(code) && !shown.contains(DEVICE_CODE) && !shown.contains(USER_CODE), "{shown}");
        }
    })
    .await;
}

#[tokio::test]
async fn an_expired_code_is_expired() {
    bounded(30, async {
        // The server says so.
        let authority = Authority::start(device(0, 900), vec![pending(), oauth_error("expired_token", "AADSTS70019: Verification code expired.")]).await;
        let err = authority.flow().start().await.unwrap().wait().await.unwrap_err();
        assert!(matches!(err, DeviceCodeError::Expired), "{err:?}");
        assert_eq!(authority.polls().len(), 2);

        // Or the code's lifetime passes while the server still says pending.
        let authority = Authority::start(device(1, 1), vec![pending(), pending(), pending(), pending()]).await;
        let started = Instant::now();
        let err = authority.flow().start().await.unwrap().wait().await.unwrap_err();
        assert!(matches!(err, DeviceCodeError::Expired), "{err:?}");
        assert!(started.elapsed() < Duration::from_secs(4), "{:?}", started.elapsed());
        assert!(authority.polls().len() <= 2, "{}", authority.polls().len());
    })
    .await;
}

#[tokio::test]
async fn the_token_is_refreshed_with_the_refresh_token() {
    bounded(30, async {
        let authority = Authority::start(
            device(0, 900),
            vec![
                token("user-token-1", Some("refresh-1"), 60),
                // The first refresh rotates the refresh token, the second does not.
                token("user-token-2", Some("refresh-2"), 60),
                token("user-token-3", None, 60),
                token("user-token-4", None, 60),
            ],
        )
        .await;
        // A margin as long as the lifetime: every call refreshes.
        let credential = authority.flow().refresh_margin(Duration::from_secs(60)).start().await.unwrap().wait().await.unwrap();
        assert_eq!(credential.token().await.unwrap(), "user-token-2");
        assert_eq!(credential.token().await.unwrap(), "user-token-3");
        assert_eq!(credential.token().await.unwrap(), "user-token-4");
        assert_eq!(credential.tokens_refreshed().await, 3);
        let refreshes: Vec<_> = authority.polls().into_iter().skip(1).map(|(_, f)| f).collect();
        let used: Vec<_> = refreshes.iter().map(|f| field(f, "refresh_token").unwrap().to_owned()).collect();
        assert_eq!(used, ["refresh-1", "refresh-2", "refresh-2"], "the rotated refresh token replaces the old one");
        for f in &refreshes {
            assert_eq!(field(f, "grant_type"), Some("refresh_token"));
            assert_eq!(field(f, "scope"), Some(DEFAULT_SCOPES));
        }
    })
    .await;
}

#[tokio::test]
async fn an_absurd_lifetime_is_no_panic() {
    bounded(30, async {
        // expires_in far beyond what an Instant can hold: cached, not a crash.
        let authority = Authority::start(device(0, 900), vec![token("user-token-1", Some("refresh-1"), u64::MAX)]).await;
        let credential = authority.flow().start().await.unwrap().wait().await.unwrap();
        assert_eq!(credential.token().await.unwrap(), "user-token-1");
        assert_eq!(credential.token().await.unwrap(), "user-token-1");
        assert_eq!(credential.tokens_refreshed().await, 0);
    })
    .await;
}

#[tokio::test]
async fn without_a_refresh_token_an_expired_token_asks_to_sign_in_again() {
    bounded(30, async {
        let authority = Authority::start(device(0, 900), vec![token("user-token-1", None, 60)]).await;
        let credential = authority.flow().refresh_margin(Duration::from_secs(60)).start().await.unwrap().wait().await.unwrap();
        assert!(!credential.has_refresh_token().await);
        let graph = Server::start(|_| async { json(200, &json!({})) }).await;
        let client = Client::builder().base_url(graph.base_url()).token_provider(credential).build().unwrap();
        let err = client.send(get_me()).await.unwrap_err();
        assert!(matches!(err, Error::Token(_)), "{err:?}");
        assert!(err.to_string().contains("sign in again"), "{err}");
        assert_eq!(graph.request_count(), 0, "nothing is sent without a token");
    })
    .await;
}

#[tokio::test]
async fn refusals_and_bad_answers_are_errors_that_show_no_code_or_token() {
    bounded(30, async {
        // The device authorization itself refused.
        let server =
            Server::start(|_| async { oauth_error("invalid_client", "AADSTS7000218: The request body must contain client_assertion or client_secret.") }).await;
        let err = DeviceCodeFlow::new("contoso", "app-1").authority(server.url("")).start().await.unwrap_err();
        assert!(matches!(&err, DeviceCodeError::Refused { error, .. } if error == "invalid_client"), "{err:?}");
        assert!(err.to_string().contains("AADSTS7000218"), "{err}");

        // A device answer that is not one: an error, not a panic.
        for kind in 0..3 {
            let server = Server::start(move |_| async move {
                match kind {
                    0 => json(200, &json!({ "user_code": USER_CODE })),
                    1 => json(200, &json!([1, 2])),
                    _ => http::Response::builder().status(200).header("content-type", "text/html").body(b"<html>".to_vec()).unwrap(),
                }
            })
            .await;
            let err = DeviceCodeFlow::new("contoso", "app-1").authority(server.url("")).start().await.unwrap_err();
            assert!(matches!(err, DeviceCodeError::Response(_)), "{err:?}");
        }

        // A token answer whose fields are wrong: the error does not quote the body.
        let bad = json(200, &json!({ "token_type": "Bearer", "access_token": "leaked-access-token", "expires_in": "soon", "refresh_token": "leaked-refresh" }));
        let authority = Authority::start(device(0, 900), vec![bad]).await;
        let prompt = authority.flow().start().await.unwrap();
        let shown = format!("{prompt:?}");
        assert!(!shown.contains(USER_CODE) && !shown.contains(DEVICE_CODE) && shown.contains("devicelogin"), "{shown}");
        let err = prompt.wait().await.unwrap_err();
        assert!(matches!(err, DeviceCodeError::Response(_)), "{err:?}");
        let shown = format!("{err} {err:?}");
        assert!(shown.contains("expires_in") && !shown.contains("leaked"), "{shown}");

        // A refresh token no longer accepted.
        let authority = Authority::start(
            device(0, 900),
            vec![token("user-token-1", Some("refresh-secret-1"), 60), oauth_error("invalid_grant", "AADSTS700082: The refresh token has expired.")],
        )
        .await;
        let credential = authority.flow().refresh_margin(Duration::from_secs(60)).start().await.unwrap().wait().await.unwrap();
        let shown = format!("{credential:?}");
        assert!(!shown.contains("user-token-1") && !shown.contains("refresh-secret-1"), "{shown}");
        let err = credential.token().await.unwrap_err();
        let shown = format!("{err} {err:?}");
        assert!(shown.contains("invalid_grant") && shown.contains("AADSTS700082"), "{shown}");
        assert!(!shown.contains("refresh-secret-1") && !shown.contains("user-token-1"), "{shown}");
    })
    .await;
}
