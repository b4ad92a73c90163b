//! Delta queries: read every page of a delta function, keep removed entries, and
//! hand back the `@odata.deltaLink` that starts the next round.
//!
//! ```no_run
//! # async fn run(client: msgraph_runtime::client::Client, stored: Option<String>) -> Result<(), msgraph_runtime::client::Error> {
//! use msgraph_runtime::{Page, Request};
//! use serde_json::Value;
//!
//! // What a generated delta function returns, e.g. GET /users/delta.
//! let delta: Request<Page<Value>> = Request::new(http::Method::GET, "/users/delta".into(), 200);
//! let round = match stored {
//!     None => client.delta(delta),                 // the first round: everything
//!     Some(link) => client.delta_from(delta, link), // later rounds: the changes since
//! };
//! let sync = round.collect().await?;
//! for entry in &sync.entries {
//!     if entry.is_removed() { /* delete locally */ } else { /* upsert entry.item */ }
//! }
//! let store_me: String = sync.delta_link; // for the next round
//! # Ok(()) }
//! ```

use std::fmt;
use std::sync::Arc;

use serde::de::DeserializeOwned;
use serde::Deserialize;

use super::error::with_client_request_id;
use super::{Client, Error, Target};
use crate::{Page, Request};

/// An entry of a delta page: the item, and `@removed` when the item was deleted
/// or left the collection (a tombstone, which often carries only the `id`). The
/// `@removed` object also stays in the item when its type keeps unknown
/// properties.
#[derive(Debug, Clone, PartialEq)]
pub struct DeltaEntry<T> {
    /// The item as the page gives it.
    pub item: T,
    /// The entry's `@removed` annotation, if it has one.
    pub removed: Option<Removed>,
}

impl<T> DeltaEntry<T> {
    /// Whether this entry is a removal (has `@removed`).
    pub fn is_removed(&self) -> bool {
        self.removed.is_some()
    }
}

/// The `@removed` annotation of a delta entry.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, serde::Serialize)]
pub struct Removed {
    /// `changed` (the item left the collection but still exists) or `deleted`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Anything else the annotation holds.
    #[serde(flatten)]
    pub additional_properties: serde_json::Map<String, serde_json::Value>,
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for DeltaEntry<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        let value = serde_json::Value::deserialize(deserializer)?;
        let removed = match value.get("@removed") {
            None | Some(serde_json::Value::Null) => None,
            Some(r) => Some(Removed::deserialize(r).map_err(D::Error::custom)?),
        };
        let item = T::deserialize(value).map_err(D::Error::custom)?;
        Ok(DeltaEntry { item, removed })
    }
}

/// The result of a whole delta round.
#[derive(Debug, Clone)]
pub struct DeltaSync<T> {
    /// Every entry of every page, in order, removals included.
    pub entries: Vec<DeltaEntry<T>>,
    /// The `@odata.deltaLink` of the last page: store it and pass it to
    /// [`Client::delta_from`] for the next round.
    pub delta_link: String,
}

enum Cursor {
    /// The request's own URL.
    First,
    /// A next link, or a stored delta link.
    Link(String),
    /// The round ended with this delta link.
    Done(String),
}

/// One round of a delta query, page by page ([`DeltaRound::next_page`]) or whole
/// ([`DeltaRound::collect`]).
///
/// Next links, a stored delta link and the final delta link must all be on the
/// base URL's origin (the rule of [`Client::pages`]); one that is not is refused
/// with [`Error::NextLink`] before anything is sent to it. A page with neither an
/// `@odata.nextLink` nor an `@odata.deltaLink` ends the round with
/// [`Error::Delta`]: without a delta link the next round could not start.
pub struct DeltaRound<T> {
    client: Client,
    request: Arc<Request<Page<T>>>,
    cursor: Cursor,
}

impl<T> fmt::Debug for DeltaRound<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match &self.cursor {
            Cursor::First => "first page",
            Cursor::Link(_) => "reading",
            Cursor::Done(_) => "done",
        };
        f.debug_struct("DeltaRound").field("path", &self.request.path_template()).field("state", &state).finish()
    }
}

impl<T: DeserializeOwned> DeltaRound<T> {
    /// The entries of the next page, or `None` after the last page.
    pub async fn next_page(&mut self) -> Result<Option<Vec<DeltaEntry<T>>>, Error> {
        let parser: Request<Page<DeltaEntry<T>>> = Request::new(http::Method::GET, String::new(), 200);
        let (response, id, link) = match &self.cursor {
            Cursor::Done(_) => return Ok(None),
            Cursor::First => {
                let (r, id) = self.client.execute_raw(&*self.request, Target::Base).await?;
                (r, id, None)
            }
            Cursor::Link(link) => {
                let uri = self.client.check_next_link(link)?;
                let (r, id) = self.client.execute_raw(&*self.request, Target::Link(&uri)).await?;
                (r, id, Some(link.clone()))
            }
        };
        let page = parser.parse_response(response).map_err(|e| with_client_request_id(Error::from(e), &id))?.body;
        self.cursor = match (page.next_link, page.delta_link) {
            (Some(next), _) => {
                if link.as_deref() == Some(next.as_str()) {
                    return Err(Error::NextLink { link: next, reason: "it repeats the page just read".into() });
                }
                self.client.check_next_link(&next)?;
                Cursor::Link(next)
            }
            (None, Some(delta)) => {
                self.client.check_next_link(&delta).map_err(|e| match e {
                    Error::NextLink { link, reason } => Error::NextLink { link, reason: format!("(the @odata.deltaLink) {reason}") },
                    other => other,
                })?;
                Cursor::Done(delta)
            }
            (None, None) => return Err(Error::Delta("a delta page has neither @odata.nextLink nor @odata.deltaLink".into())),
        };
        Ok(Some(page.value))
    }

    /// The `@odata.deltaLink` that ended the round; `None` until the last page is read.
    pub fn delta_link(&self) -> Option<&str> {
        match &self.cursor {
            Cursor::Done(link) => Some(link),
            _ => None,
        }
    }

    /// Read every remaining page: all entries and the final delta link.
    pub async fn collect(mut self) -> Result<DeltaSync<T>, Error> {
        let mut entries = Vec::new();
        while let Some(page) = self.next_page().await? {
            entries.extend(page);
        }
        match self.cursor {
            Cursor::Done(delta_link) => Ok(DeltaSync { entries, delta_link }),
            _ => Err(Error::Delta("the round ended without a delta link".into())),
        }
    }
}

impl Client {
    /// Start a delta round from the delta function's own request (the first
    /// round: the whole collection). The request's headers (such as `Prefer`) go
    /// with every page.
    pub fn delta<T: DeserializeOwned>(&self, request: impl Into<Request<Page<T>>>) -> DeltaRound<T> {
        DeltaRound { client: self.clone(), request: Arc::new(request.into()), cursor: Cursor::First }
    }

    /// Start a delta round from a stored `@odata.deltaLink` (the changes since the
    /// round that gave it). `request` is the same delta function's request: it
    /// gives the item type and the headers; its own path is not used.
    pub fn delta_from<T: DeserializeOwned>(&self, request: impl Into<Request<Page<T>>>, delta_link: impl Into<String>) -> DeltaRound<T> {
        DeltaRound { client: self.clone(), request: Arc::new(request.into()), cursor: Cursor::Link(delta_link.into()) }
    }
}
