//! Delegated sign-in for tools and scripts (feature `device-code`): the OAuth2
//! device authorization grant (RFC 8628) of the Microsoft identity platform,
//! through the `oauth2` crate.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use oauth2::basic::{BasicClient, BasicTokenResponse};
use oauth2::{
    AuthType, ClientId, DeviceAuthorizationResponse, DeviceAuthorizationUrl, EndpointNotSet, EndpointSet, ErrorResponse, ExtraDeviceAuthorizationFields,
    HttpClientError, RefreshToken, RequestTokenError, Scope, StandardErrorResponse, TokenResponse, TokenUrl,
};

use super::{BoxError, TokenFuture, TokenProvider, AUTHORITY_GLOBAL, GRAPH_DEFAULT_SCOPE};

/// The oauth2 client with the two endpoints of the flow.
type OAuthClient = BasicClient<EndpointNotSet, EndpointSet, EndpointNotSet, EndpointNotSet, EndpointSet>;

/// A token answer without `expires_in` counts as valid this long (the identity
/// platform always sends it; its tokens live 60 to 90 minutes).
const UNSTATED_LIFETIME: Duration = Duration::from_secs(3600);

/// Why a device code sign-in (or a refresh of its token) failed. Neither its
/// `Display` nor its `Debug` output holds a device code, a user code or a token.
#[cfg_attr(docsrs, doc(cfg(feature = "device-code")))]
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DeviceCodeError {
    /// The user declined the sign-in (`access_denied`, or the identity platform's
    /// `authorization_declined`).
    #[error("the sign-in was declined ({error}{})", description_suffix(.description))]
    Declined {
        /// The OAuth error code.
        error: String,
        /// The server's description.
        description: Option<String>,
    },
    /// The device code expired before the user signed in (`expired_token`, or
    /// [`DeviceCodePrompt::expires_in`] passed while polling). Start again.
    #[error("the device code expired before the user signed in")]
    Expired,
    /// The authorization server refused a request with another OAuth error
    /// (`invalid_client`, `invalid_scope`, `bad_verification_code`, or
    /// `invalid_grant` when a refresh token is no longer accepted).
    #[error("the authorization server answered {error}{}", description_suffix(.description))]
    Refused {
        /// The OAuth error code.
        error: String,
        /// The server's description.
        description: Option<String>,
    },
    /// The access token expired and the server gave no refresh token: sign in again
    /// with [`DeviceCodeFlow::start`] (ask for the `offline_access` scope to get one).
    #[error("the access token expired and there is no refresh token: sign in again")]
    SignInAgain,
    /// The authorization server could not be reached, or its answer not read.
    #[error("authorization server request failed: {0}")]
    Transport(String),
    /// The authorization server's answer is not what the protocol says.
    #[error("unexpected answer from the authorization server: {0}")]
    Response(String),
    /// The flow's settings are invalid (an authority that is not a URL).
    #[error("invalid device code settings: {0}")]
    Config(String),
}

fn description_suffix(description: &Option<String>) -> String {
    match description {
        Some(d) if !d.is_empty() => format!(": {d}"),
        _ => String::new(),
    }
}

/// The identity platform's `message` beside the standard fields of a device
/// authorization answer.
#[derive(Clone, Debug, serde::Deserialize, serde::Serialize)]
struct EntraFields {
    #[serde(default)]
    message: Option<String>,
}

impl ExtraDeviceAuthorizationFields for EntraFields {}

/// The settings of a device code sign-in shared by its steps and by the
/// credential it ends with.
struct Settings {
    tenant: String,
    client_id: String,
    authority: String,
    scopes: Vec<String>,
    margin: Duration,
    timeout: Duration,
}

impl Settings {
    fn oauth_client(&self) -> Result<OAuthClient, DeviceCodeError> {
        let tenant = crate::encode_segment(&self.tenant);
        let device_url = format!("{}/{tenant}/oauth2/v2.0/devicecode", self.authority);
        let token_url = format!("{}/{tenant}/oauth2/v2.0/token", self.authority);
        let device_url = DeviceAuthorizationUrl::new(device_url).map_err(|e| DeviceCodeError::Config(format!("authority {:?}: {e}", self.authority)))?;
        let token_url = TokenUrl::new(token_url).map_err(|e| DeviceCodeError::Config(format!("authority {:?}: {e}", self.authority)))?;
        Ok(BasicClient::new(ClientId::new(self.client_id.clone()))
            // A public client: its id in the form, no secret, no Basic authentication.
            .set_auth_type(AuthType::RequestBody)
            .set_device_authorization_url(device_url)
            .set_token_uri(token_url))
    }

    fn scopes(&self) -> impl Iterator<Item = Scope> + '_ {
        self.scopes.iter().map(|s| Scope::new(s.clone()))
    }

    fn http(&self) -> Result<reqwest::Client, DeviceCodeError> {
        reqwest::Client::builder()
            .timeout(self.timeout)
            // RFC 6749 section 5.1: token answers are never redirects; following one
            // would send the device code or refresh token elsewhere.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| DeviceCodeError::Transport(e.without_url().to_string()))
    }
}

/// Delegated sign-in by the OAuth2 device code flow (feature `device-code`), for
/// tools and scripts that run where no browser can be opened for them: the tool
/// shows a URL and a short code, the user signs in on any device, and the tool
/// gets a token for the user.
///
/// 1. [`DeviceCodeFlow::start`] asks `{authority}/{tenant}/oauth2/v2.0/devicecode`
///    for a code: the [`DeviceCodePrompt`] holds the verification URI, the user
///    code and the identity platform's own message to show.
/// 2. [`DeviceCodePrompt::wait`] polls `{authority}/{tenant}/oauth2/v2.0/token`
///    every [`DeviceCodePrompt::interval`] while the answer is
///    `authorization_pending`, five seconds more after each `slow_down`, until the
///    user signs in (a [`DeviceCodeCredential`]), declines
///    ([`DeviceCodeError::Declined`]) or the code expires
///    ([`DeviceCodeError::Expired`]).
/// 3. The [`DeviceCodeCredential`] is a [`TokenProvider`]: it caches the access
///    token and, [`DeviceCodeFlow::refresh_margin`] before it expires, gets a new one
///    with the refresh token (kept as the server rotates it).
///
/// The app is a public client (no secret): register it with "Allow public client
/// flows", and ask for delegated scopes (`User.Read`, ...) or the app's
/// `https://graph.microsoft.com/.default`, plus `offline_access` for a refresh
/// token (the default scopes are these two). For a national cloud, set its
/// [`authority`](DeviceCodeFlow::authority) and its Graph scope
/// ([`graph_scope`](super::graph_scope)).
///
/// ```no_run
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// use msgraph_runtime::client::{Client, DeviceCodeFlow};
///
/// let prompt = DeviceCodeFlow::new("organizations", "my-app-client-id")
///     .scopes(["User.Read", "offline_access"])
///     .start()
///     .await?;
/// // "To sign in, use a web browser to open the page https://microsoft.com/devicelogin
/// // and enter the code ABCD-EFGH to authenticate."
/// eprintln!("{}", prompt.message().unwrap_or(prompt.verification_uri()));
/// let credential = prompt.wait().await?;
/// let client = Client::builder().token_provider(credential).build()?;
/// # Ok(()) }
/// ```
#[cfg_attr(docsrs, doc(cfg(feature = "device-code")))]
pub struct DeviceCodeFlow {
    settings: Settings,
}

impl fmt::Debug for DeviceCodeFlow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DeviceCodeFlow")
            .field("tenant", &self.settings.tenant)
            .field("client_id", &self.settings.client_id)
            .field("authority", &self.settings.authority)
            .field("scopes", &self.settings.scopes)
            .finish_non_exhaustive()
    }
}

impl DeviceCodeFlow {
    /// A sign-in to the public client app `client_id` in `tenant` (a tenant id or
    /// domain, or `organizations` / `common` for any work account), asking for
    /// [`GRAPH_DEFAULT_SCOPE`] and `offline_access` at [`AUTHORITY_GLOBAL`].
    pub fn new(tenant: impl Into<String>, client_id: impl Into<String>) -> Self {
        DeviceCodeFlow {
            settings: Settings {
                tenant: tenant.into(),
                client_id: client_id.into(),
                authority: AUTHORITY_GLOBAL.to_owned(),
                scopes: vec![GRAPH_DEFAULT_SCOPE.to_owned(), "offline_access".to_owned()],
                margin: Duration::from_secs(300),
                timeout: Duration::from_secs(30),
            },
        }
    }

    /// The identity platform's base URL (default [`AUTHORITY_GLOBAL`]; a national
    /// cloud's, or a local server's in tests).
    #[must_use]
    pub fn authority(mut self, base_url: impl Into<String>) -> Self {
        self.settings.authority = base_url.into().trim_end_matches('/').to_owned();
        self
    }

    /// The scopes asked for, replacing the default ones. Add `offline_access` to
    /// get a refresh token.
    #[must_use]
    pub fn scopes<S: Into<String>>(mut self, scopes: impl IntoIterator<Item = S>) -> Self {
        self.settings.scopes = scopes.into_iter().map(Into::into).collect();
        self
    }

    /// How long before its expiry the credential replaces a token (default 5
    /// minutes).
    #[must_use]
    pub fn refresh_margin(mut self, margin: Duration) -> Self {
        self.settings.margin = margin;
        self
    }

    /// The time limit of each request to the authorization server (default 30 s).
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.settings.timeout = timeout;
        self
    }

    /// Ask for a device code: what to show the user, and what
    /// [`DeviceCodePrompt::wait`] polls with.
    pub async fn start(self) -> Result<DeviceCodePrompt, DeviceCodeError> {
        let oauth = self.settings.oauth_client()?;
        let http = self.settings.http()?;
        let details: DeviceAuthorizationResponse<EntraFields> =
            oauth.exchange_device_code().add_scopes(self.settings.scopes()).request_async(&http).await.map_err(token_error)?;
        Ok(DeviceCodePrompt { settings: Arc::new(self.settings), oauth, http, details })
    }
}

/// A device code waiting for the user: show [`DeviceCodePrompt::message`] (or the
/// [`verification_uri`](DeviceCodePrompt::verification_uri) and the
/// [`user_code`](DeviceCodePrompt::user_code)), then [`DeviceCodePrompt::wait`].
/// Its `Debug` output shows neither code.
#[cfg_attr(docsrs, doc(cfg(feature = "device-code")))]
pub struct DeviceCodePrompt {
    settings: Arc<Settings>,
    oauth: OAuthClient,
    http: reqwest::Client,
    details: DeviceAuthorizationResponse<EntraFields>,
}

impl fmt::Debug for DeviceCodePrompt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DeviceCodePrompt")
            .field("verification_uri", &self.verification_uri())
            .field("user_code", &"<redacted>")
            .field("expires_in", &self.expires_in())
            .field("interval", &self.interval())
            .finish_non_exhaustive()
    }
}

impl DeviceCodePrompt {
    /// Where the user signs in (`https://microsoft.com/devicelogin`).
    pub fn verification_uri(&self) -> &str {
        self.details.verification_uri().as_str()
    }

    /// A verification URI that already holds the user code, when the server gives
    /// one (for a QR code).
    pub fn verification_uri_complete(&self) -> Option<&str> {
        self.details.verification_uri_complete().map(|u| u.secret().as_str())
    }

    /// The code the user enters at the verification URI.
    pub fn user_code(&self) -> &str {
        self.details.user_code().secret()
    }

    /// The identity platform's sentence for the user, naming the URI and the code
    /// (in the language of the request), when the server sends one.
    pub fn message(&self) -> Option<&str> {
        self.details.extra_fields().message.as_deref()
    }

    /// How long the codes are valid.
    pub fn expires_in(&self) -> Duration {
        self.details.expires_in()
    }

    /// The wait between two polls the server asked for (5 s when it did not say).
    pub fn interval(&self) -> Duration {
        self.details.interval()
    }

    /// Poll the token endpoint until the user signs in, declines or the code
    /// expires: `authorization_pending` waits [`DeviceCodePrompt::interval`] and
    /// polls again, `slow_down` makes the wait five seconds longer for this and
    /// every later poll (RFC 8628), `access_denied` and `authorization_declined`
    /// give [`DeviceCodeError::Declined`], `expired_token` (or
    /// [`DeviceCodePrompt::expires_in`] passing) gives [`DeviceCodeError::Expired`].
    /// A poll that fails to connect is retried after a longer wait (at most 10 s).
    pub async fn wait(self) -> Result<DeviceCodeCredential, DeviceCodeError> {
        let answer = self.oauth.exchange_device_access_token(&self.details).request_async(&self.http, tokio::time::sleep, None).await.map_err(token_error)?;
        let state = TokenState::from_answer(&answer, None, self.settings.margin);
        Ok(DeviceCodeCredential { settings: self.settings, oauth: self.oauth, http: self.http, state: tokio::sync::Mutex::new(state) })
    }
}

/// The signed-in user's token, from [`DeviceCodePrompt::wait`]: a
/// [`TokenProvider`] for [`ClientBuilder::token_provider`](super::ClientBuilder::token_provider).
///
/// The access token is cached until [`DeviceCodeFlow::refresh_margin`] before it
/// expires; then the next caller gets a new one with the refresh token (the
/// `refresh_token` grant, for the same scopes) while concurrent callers wait for
/// it, and a refresh token the server rotates replaces the old one. Without a
/// refresh token (no `offline_access` scope) an expired token gives
/// [`DeviceCodeError::SignInAgain`]. `Debug` shows no token.
#[cfg_attr(docsrs, doc(cfg(feature = "device-code")))]
pub struct DeviceCodeCredential {
    settings: Arc<Settings>,
    oauth: OAuthClient,
    http: reqwest::Client,
    state: tokio::sync::Mutex<TokenState>,
}

struct TokenState {
    access: String,
    refresh_at: Instant,
    refresh: Option<RefreshToken>,
    refreshed: u64,
}

impl TokenState {
    /// The state after a token answer; `previous` is the refresh token it was
    /// asked with, kept when the answer has no new one.
    fn from_answer(answer: &BasicTokenResponse, previous: Option<RefreshToken>, margin: Duration) -> TokenState {
        let lifetime = answer.expires_in().unwrap_or(UNSTATED_LIFETIME);
        TokenState {
            access: answer.access_token().secret().clone(),
            refresh_at: super::auth::refresh_at(lifetime, margin),
            refresh: answer.refresh_token().cloned().or(previous),
            refreshed: 0,
        }
    }
}

impl fmt::Debug for DeviceCodeCredential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DeviceCodeCredential")
            .field("tenant", &self.settings.tenant)
            .field("client_id", &self.settings.client_id)
            .field("scopes", &self.settings.scopes)
            .finish_non_exhaustive()
    }
}

impl DeviceCodeCredential {
    /// How many times the token has been refreshed with the refresh token.
    pub async fn tokens_refreshed(&self) -> u64 {
        self.state.lock().await.refreshed
    }

    /// Whether the server gave a refresh token (so the sign-in outlives the first
    /// access token).
    pub async fn has_refresh_token(&self) -> bool {
        self.state.lock().await.refresh.is_some()
    }

    async fn current(&self) -> Result<String, DeviceCodeError> {
        let mut state = self.state.lock().await;
        if Instant::now() < state.refresh_at {
            return Ok(state.access.clone());
        }
        let refresh = state.refresh.clone().ok_or(DeviceCodeError::SignInAgain)?;
        let answer = self.oauth.exchange_refresh_token(&refresh).add_scopes(self.settings.scopes()).request_async(&self.http).await.map_err(token_error)?;
        let refreshed = state.refreshed + 1;
        *state = TokenState { refreshed, ..TokenState::from_answer(&answer, Some(refresh), self.settings.margin) };
        Ok(state.access.clone())
    }
}

impl TokenProvider for DeviceCodeCredential {
    fn token(&self) -> TokenFuture<'_> {
        Box::pin(async move { self.current().await.map_err(BoxError::from) })
    }
}

/// An oauth2 error as a [`DeviceCodeError`], without the raw body (which may hold
/// a token) or the request URL.
fn token_error<T>(e: RequestTokenError<HttpClientError<reqwest::Error>, StandardErrorResponse<T>>) -> DeviceCodeError
where
    T: oauth2::ErrorResponseType + AsRef<str> + 'static,
    StandardErrorResponse<T>: ErrorResponse,
{
    match e {
        RequestTokenError::ServerResponse(answer) => {
            let error = answer.error().as_ref().to_owned();
            let description = answer.error_description().cloned();
            match error.as_str() {
                "access_denied" | "authorization_declined" => DeviceCodeError::Declined { error, description },
                "expired_token" => DeviceCodeError::Expired,
                _ => DeviceCodeError::Refused { error, description },
            }
        }
        RequestTokenError::Request(HttpClientError::Reqwest(e)) => DeviceCodeError::Transport(e.without_url().to_string()),
        RequestTokenError::Request(e) => DeviceCodeError::Transport(e.to_string()),
        // The path and kind only: serde's message may quote a value of the body.
        RequestTokenError::Parse(e, _body) => DeviceCodeError::Response(format!("not a valid answer at `{}` ({:?} error)", e.path(), e.inner().classify())),
        RequestTokenError::Other(message) => DeviceCodeError::Response(message),
    }
}
