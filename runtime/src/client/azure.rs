//! Tokens from the Azure SDK for Rust (feature `azure-identity`): any
//! `azure_core::credentials::TokenCredential` as the client's token source.

use std::fmt;
use std::sync::Arc;

use azure_core::credentials::TokenCredential;

use super::{graph_scope, ClientBuilder, TokenFuture, TokenProvider, GRAPH_DEFAULT_SCOPE};

/// A [`TokenProvider`] backed by an Azure SDK credential: anything that implements
/// [`azure_core::credentials::TokenCredential`], such as the credentials of the
/// [`azure_identity`](https://docs.rs/azure_identity) crate (managed identity,
/// workload identity, Azure CLI, client secret, client certificate, ...).
///
/// The credential is asked for a token for one scope, the `.default` scope of
/// Microsoft Graph in the client's cloud: given to
/// [`ClientBuilder::azure_credential`], the scope is derived from the builder's
/// base URL when the client is built ([`graph_scope`]:
/// `https://graph.microsoft.com/.default` for [`GLOBAL`](super::GLOBAL),
/// `https://graph.microsoft.us/.default` for [`US_GOV_L4`](super::US_GOV_L4),
/// `https://dod-graph.microsoft.us/.default` for [`US_GOV_L5`](super::US_GOV_L5),
/// `https://microsoftgraph.chinacloudapi.cn/.default` for [`CHINA`](super::CHINA);
/// [`GRAPH_DEFAULT_SCOPE`] for any other host, such as a local test server).
/// [`AzureIdentity::scope`] sets another. The credential caches its tokens (the
/// azure_identity credentials do), so the client asks it before every attempt.
///
/// Its errors become [`Error::Token`](super::Error::Token) with the credential's message; `Debug` shows
/// the scope only, never a token.
///
/// ```no_run
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// use msgraph_runtime::client::{Client, US_GOV_L4};
///
/// // On an Azure VM, App Service, Functions, AKS ...: the managed identity.
/// let credential = azure_identity::ManagedIdentityCredential::new(None)?;
/// let client = Client::builder()
///     .base_url(US_GOV_L4)                 // asks for https://graph.microsoft.us/.default
///     .azure_credential(credential)
///     .build()?;
/// # Ok(()) }
/// ```
#[cfg_attr(docsrs, doc(cfg(feature = "azure-identity")))]
#[derive(Clone)]
pub struct AzureIdentity {
    credential: Arc<dyn TokenCredential>,
    scope: Option<String>,
}

impl AzureIdentity {
    /// A provider asking `credential` for tokens. Its scope is the client's cloud's
    /// Graph scope when given to [`ClientBuilder::azure_credential`], and
    /// [`GRAPH_DEFAULT_SCOPE`] when used on its own without [`AzureIdentity::scope`].
    pub fn new(credential: Arc<dyn TokenCredential>) -> Self {
        AzureIdentity { credential, scope: None }
    }

    /// Ask for this scope instead of the one derived from the base URL.
    #[must_use]
    pub fn scope(mut self, scope: impl Into<String>) -> Self {
        self.scope = Some(scope.into());
        self
    }

    /// The scope asked for: the one set, or else [`GRAPH_DEFAULT_SCOPE`].
    pub fn scope_asked(&self) -> &str {
        self.scope.as_deref().unwrap_or(GRAPH_DEFAULT_SCOPE)
    }

    /// This provider with the scope of `base_url`'s cloud, unless one was set.
    fn for_base_url(mut self, base_url: &str) -> Self {
        if self.scope.is_none() {
            self.scope = Some(graph_scope(base_url).unwrap_or(GRAPH_DEFAULT_SCOPE).to_owned());
        }
        self
    }

    async fn current(&self) -> Result<String, super::BoxError> {
        let scope = self.scope_asked();
        match self.credential.get_token(&[scope], None).await {
            Ok(token) => Ok(token.token.secret().to_owned()),
            // The message only: the error's other parts may hold a raw response.
            Err(e) => Err(format!("Azure credential failed for scope {scope}: {e}").into()),
        }
    }
}

impl<T: TokenCredential + 'static> From<Arc<T>> for AzureIdentity {
    fn from(credential: Arc<T>) -> Self {
        AzureIdentity::new(credential)
    }
}

impl From<Arc<dyn TokenCredential>> for AzureIdentity {
    fn from(credential: Arc<dyn TokenCredential>) -> Self {
        AzureIdentity::new(credential)
    }
}

impl fmt::Debug for AzureIdentity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AzureIdentity").field("scope", &self.scope_asked()).finish_non_exhaustive()
    }
}

impl TokenProvider for AzureIdentity {
    fn token(&self) -> TokenFuture<'_> {
        Box::pin(self.current())
    }
}

impl ClientBuilder {
    /// Ask an Azure SDK credential for the token before every attempt (feature
    /// `azure-identity`): an `Arc` of any `azure_identity` credential (what their
    /// constructors return), an `Arc<dyn TokenCredential>`, or an
    /// [`AzureIdentity`]. Unless the [`AzureIdentity`] has a scope of its own,
    /// [`ClientBuilder::build`] asks for the Graph scope of the base URL's cloud
    /// ([`graph_scope`]), whichever of `base_url` and `azure_credential` is called
    /// first. Replaces any other token provider, as the others replace it.
    #[cfg_attr(docsrs, doc(cfg(feature = "azure-identity")))]
    #[must_use]
    pub fn azure_credential(mut self, credential: impl Into<AzureIdentity>) -> Self {
        self.token = None;
        self.azure = Some(credential.into());
        self
    }

    /// At build: the Azure credential, if one was given, becomes the token
    /// provider with the scope of the base URL's cloud.
    pub(super) fn bind_azure_credential(&mut self) {
        if let Some(azure) = self.azure.take() {
            self.token = Some(Arc::new(azure.for_base_url(&self.base_url)));
        }
    }
}
