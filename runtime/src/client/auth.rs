//! Tokens: the [`TokenProvider`] the client asks before every attempt, the
//! ready-made providers ([`StaticToken`], [`TokenFn`]), and token acquisition by
//! the OAuth2 client-credentials grant of the Microsoft identity platform (an app's
//! own identity: tenant, client id, client secret).

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A boxed error, as returned by token providers.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// The future a [`TokenProvider`] returns.
pub type TokenFuture<'a> = Pin<Box<dyn Future<Output = Result<String, BoxError>> + Send + 'a>>;

/// Supplies the OAuth access token sent as `Authorization: Bearer <token>`.
///
/// The client asks for a token before every attempt (including retries and every
/// page), so a provider that caches and refreshes tokens is called often and should
/// answer from its cache while the token is valid. Errors are returned to the
/// caller as [`Error::Token`](super::Error::Token), and no request is sent.
///
/// Ready-made providers: [`StaticToken`] and [`TokenFn`] (any async closure).
pub trait TokenProvider: Send + Sync + 'static {
    /// The current access token, without the `Bearer ` prefix.
    fn token(&self) -> TokenFuture<'_>;
}

/// A fixed token. Its `Debug` output does not show the token.
#[derive(Clone)]
pub struct StaticToken(String);

impl StaticToken {
    /// A provider that always returns `token`.
    pub fn new(token: impl Into<String>) -> Self {
        StaticToken(token.into())
    }
}

impl fmt::Debug for StaticToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("StaticToken(<redacted>)")
    }
}

impl TokenProvider for StaticToken {
    fn token(&self) -> TokenFuture<'_> {
        let token = self.0.clone();
        Box::pin(async move { Ok(token) })
    }
}

/// A provider backed by an async closure, for example one that asks an identity
/// library for a token. Build it with [`TokenFn::new`] or
/// [`ClientBuilder::token_fn`](super::ClientBuilder::token_fn).
pub struct TokenFn<F>(F);

impl<F> TokenFn<F> {
    /// Wrap `f`, a closure returning a future of `Result<String, E>`.
    pub fn new<Fut, E>(f: F) -> Self
    where
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<String, E>> + Send + 'static,
        E: Into<BoxError>,
    {
        TokenFn(f)
    }
}

impl<F> fmt::Debug for TokenFn<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TokenFn(..)")
    }
}

impl<F, Fut, E> TokenProvider for TokenFn<F>
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<String, E>> + Send + 'static,
    E: Into<BoxError>,
{
    fn token(&self) -> TokenFuture<'_> {
        let fut = (self.0)();
        Box::pin(async move { fut.await.map_err(Into::into) })
    }
}

impl<P: TokenProvider + ?Sized> TokenProvider for Arc<P> {
    fn token(&self) -> TokenFuture<'_> {
        (**self).token()
    }
}

/// The Microsoft identity platform of the global cloud (the default authority).
pub const AUTHORITY_GLOBAL: &str = "https://login.microsoftonline.com";
/// The identity platform of the US Government clouds.
pub const AUTHORITY_US_GOV: &str = "https://login.microsoftonline.us";
/// The identity platform of Microsoft Graph China operated by 21Vianet.
pub const AUTHORITY_CHINA: &str = "https://login.chinacloudapi.cn";
/// The scope of an app-only token for Microsoft Graph (global cloud).
pub const GRAPH_DEFAULT_SCOPE: &str = "https://graph.microsoft.com/.default";
/// The `.default` scope of Microsoft Graph for US Government L4 (GCC High).
pub const GRAPH_SCOPE_US_GOV_L4: &str = "https://graph.microsoft.us/.default";
/// The `.default` scope of Microsoft Graph for US Government L5 (DoD).
pub const GRAPH_SCOPE_US_GOV_L5: &str = "https://dod-graph.microsoft.us/.default";
/// The `.default` scope of Microsoft Graph China operated by 21Vianet.
pub const GRAPH_SCOPE_CHINA: &str = "https://microsoftgraph.chinacloudapi.cn/.default";

/// The `.default` scope of Microsoft Graph in the cloud of a service root, by its
/// host: [`GRAPH_DEFAULT_SCOPE`] for `graph.microsoft.com` ([`GLOBAL`](super::GLOBAL),
/// [`GLOBAL_BETA`](super::GLOBAL_BETA)), [`GRAPH_SCOPE_US_GOV_L4`] for
/// `graph.microsoft.us`, [`GRAPH_SCOPE_US_GOV_L5`] for `dod-graph.microsoft.us`,
/// [`GRAPH_SCOPE_CHINA`] for `microsoftgraph.chinacloudapi.cn`; `None` for any
/// other host (a local server, a proxy) or a URL that does not parse.
///
/// ```
/// use msgraph_runtime::client::{graph_scope, CHINA, GLOBAL, US_GOV_L4};
///
/// assert_eq!(graph_scope(GLOBAL), Some("https://graph.microsoft.com/.default"));
/// assert_eq!(graph_scope(US_GOV_L4), Some("https://graph.microsoft.us/.default"));
/// assert_eq!(graph_scope(CHINA), Some("https://microsoftgraph.chinacloudapi.cn/.default"));
/// assert_eq!(graph_scope("http://127.0.0.1:8080/v1.0"), None);
/// ```
pub fn graph_scope(base_url: &str) -> Option<&'static str> {
    let uri: http::Uri = base_url.parse().ok()?;
    let host = uri.host()?.trim_end_matches('.');
    [
        ("graph.microsoft.com", GRAPH_DEFAULT_SCOPE),
        ("graph.microsoft.us", GRAPH_SCOPE_US_GOV_L4),
        ("dod-graph.microsoft.us", GRAPH_SCOPE_US_GOV_L5),
        ("microsoftgraph.chinacloudapi.cn", GRAPH_SCOPE_CHINA),
    ]
    .into_iter()
    .find(|(h, _)| host.eq_ignore_ascii_case(h))
    .map(|(_, scope)| scope)
}

/// An app-only token provider: the OAuth2 client-credentials grant
/// (`POST {authority}/{tenant}/oauth2/v2.0/token` with the client id and secret).
///
/// The token is cached and reused until [`ClientCredentials::refresh_margin`]
/// before it expires (default 5 minutes); then the next caller fetches a new one
/// while concurrent callers wait for it rather than fetching their own. Neither
/// the secret nor a token appears in `Debug` output or in errors.
///
/// ```no_run
/// use msgraph_runtime::client::{Client, ClientCredentials};
///
/// let credentials = ClientCredentials::new("contoso.onmicrosoft.com", "client-id", std::env::var("CLIENT_SECRET").unwrap_or_default());
/// let client = Client::builder().token_provider(credentials).build()?;
/// # Ok::<(), msgraph_runtime::client::Error>(())
/// ```
pub struct ClientCredentials {
    tenant: String,
    client_id: String,
    secret: String,
    authority: String,
    scope: String,
    margin: Duration,
    timeout: Duration,
    state: tokio::sync::Mutex<State>,
}

#[derive(Default)]
struct State {
    http: Option<reqwest::Client>,
    token: Option<(String, Instant)>,
    fetched: u64,
}

impl fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCredentials")
            .field("tenant", &self.tenant)
            .field("client_id", &self.client_id)
            .field("secret", &"<redacted>")
            .field("authority", &self.authority)
            .field("scope", &self.scope)
            .field("refresh_margin", &self.margin)
            .finish_non_exhaustive()
    }
}

#[derive(serde::Deserialize)]
struct TokenAnswer {
    access_token: String,
    #[serde(default)]
    expires_in: Option<serde_json::Value>,
}

#[derive(serde::Deserialize)]
struct TokenError {
    #[serde(default)]
    error: String,
    #[serde(default)]
    error_description: String,
}

impl ClientCredentials {
    /// A provider for the app `client_id` in `tenant` (a tenant id or domain),
    /// authenticating with `secret`, for the scope [`GRAPH_DEFAULT_SCOPE`] at
    /// [`AUTHORITY_GLOBAL`].
    pub fn new(tenant: impl Into<String>, client_id: impl Into<String>, secret: impl Into<String>) -> Self {
        ClientCredentials {
            tenant: tenant.into(),
            client_id: client_id.into(),
            secret: secret.into(),
            authority: AUTHORITY_GLOBAL.to_owned(),
            scope: GRAPH_DEFAULT_SCOPE.to_owned(),
            margin: Duration::from_secs(300),
            timeout: Duration::from_secs(30),
            state: tokio::sync::Mutex::new(State::default()),
        }
    }

    /// The token endpoint's base URL (default [`AUTHORITY_GLOBAL`]; a national
    /// cloud's, or a local server's in tests). The token is requested from
    /// `{authority}/{tenant}/oauth2/v2.0/token`.
    #[must_use]
    pub fn authority(mut self, base_url: impl Into<String>) -> Self {
        self.authority = base_url.into().trim_end_matches('/').to_owned();
        self
    }

    /// The scope asked for (default [`GRAPH_DEFAULT_SCOPE`]).
    #[must_use]
    pub fn scope(mut self, scope: impl Into<String>) -> Self {
        self.scope = scope.into();
        self
    }

    /// How long before its expiry a token is replaced (default 5 minutes).
    #[must_use]
    pub fn refresh_margin(mut self, margin: Duration) -> Self {
        self.margin = margin;
        self
    }

    /// The time limit of a token request (default 30 s).
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// How many tokens have been fetched from the endpoint so far.
    pub async fn tokens_fetched(&self) -> u64 {
        self.state.lock().await.fetched
    }

    async fn current(&self) -> Result<String, BoxError> {
        let mut state = self.state.lock().await;
        if let Some((token, refresh_at)) = &state.token {
            if Instant::now() < *refresh_at {
                return Ok(token.clone());
            }
        }
        let http = match &state.http {
            Some(h) => h.clone(),
            None => {
                let h = reqwest::Client::builder()
                    .timeout(self.timeout)
                    .redirect(reqwest::redirect::Policy::none())
                    .build()
                    .map_err(|e| format!("token endpoint client: {e}"))?;
                state.http = Some(h.clone());
                h
            }
        };
        let (token, lifetime) = self.fetch(&http).await?;
        state.fetched += 1;
        state.token = Some((token.clone(), refresh_at(lifetime, self.margin)));
        Ok(token)
    }

    async fn fetch(&self, http: &reqwest::Client) -> Result<(String, Duration), BoxError> {
        let url = format!("{}/{}/oauth2/v2.0/token", self.authority, crate::encode_segment(&self.tenant));
        let form = [("grant_type", "client_credentials"), ("client_id", &self.client_id), ("client_secret", &self.secret), ("scope", &self.scope)]
            .iter()
            .map(|(k, v)| format!("{k}={}", form_encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        let response = http
            .post(&url)
            .header(http::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(form)
            .send()
            .await
            .map_err(|e| format!("token request failed: {}", e.without_url()))?;
        let status = response.status();
        let body = response.bytes().await.map_err(|e| format!("token response could not be read: {}", e.without_url()))?;
        if !status.is_success() {
            return Err(match serde_json::from_slice::<TokenError>(&body) {
                Ok(e) if !e.error.is_empty() => format!("token endpoint answered {status}: {}: {}", e.error, e.error_description).into(),
                _ => format!("token endpoint answered {status}").into(),
            });
        }
        let answer: TokenAnswer = serde_json::from_slice(&body).map_err(|e| format!("token response is not a token: {e}"))?;
        // `expires_in` is a number of seconds, sometimes sent as a string.
        let seconds = match &answer.expires_in {
            Some(serde_json::Value::Number(n)) => n.as_u64(),
            Some(serde_json::Value::String(s)) => s.parse().ok(),
            _ => None,
        }
        .unwrap_or(0);
        Ok((answer.access_token, Duration::from_secs(seconds)))
    }
}

impl TokenProvider for ClientCredentials {
    fn token(&self) -> TokenFuture<'_> {
        Box::pin(self.current())
    }
}

/// When to replace a token that lives `lifetime`: `margin` before it expires. A
/// lifetime past a day counts as a day: no identity platform token lives longer,
/// and a larger `expires_in` would overflow the clock.
pub(super) fn refresh_at(lifetime: Duration, margin: Duration) -> Instant {
    const LONGEST: Duration = Duration::from_secs(24 * 3600);
    Instant::now() + lifetime.min(LONGEST).saturating_sub(margin)
}

/// `application/x-www-form-urlencoded` encoding of one value.
fn form_encode(value: &str) -> String {
    use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
    const FORM: &percent_encoding::AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');
    utf8_percent_encode(value, FORM).to_string()
}
