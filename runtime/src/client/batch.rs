//! JSON batching: many typed requests in `POST /$batch` calls of at most
//! [`MAX_BATCH_SIZE`] items each.
//!
//! ```no_run
//! # async fn run(client: msgraph_runtime::client::Client) -> Result<(), msgraph_runtime::client::Error> {
//! use msgraph_runtime::client::Batch;
//! use msgraph_runtime::{Page, Request};
//! use serde_json::Value;
//!
//! #[derive(serde::Deserialize)]
//! struct Call { id: String }
//!
//! let mut batch = Batch::new();
//! let call = batch.add(Request::<Call>::new(http::Method::GET, "/communications/calls/c1".into(), 200));
//! let people = batch.add(Request::<Page<Value>>::new(http::Method::GET, "/communications/calls/c1/participants".into(), 200));
//! // Runs only after `call` succeeded (Graph answers 424 otherwise).
//! let hang_up = batch.add_after(Request::<()>::new(http::Method::DELETE, "/communications/calls/c1".into(), 204), &[call.id()]);
//!
//! let responses = client.batch(batch).await?; // Err only for what is wrong before sending
//! let call: Call = responses.get(&call)?.body; // each item: its own type, or its own error
//! let people = responses.get(&people)?.body.value;
//! responses.get(&hang_up)?;
//! # Ok(()) }
//! ```

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::marker::PhantomData;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde_json::{json, Value};

use super::error::with_client_request_id;
use super::{Client, Error, RetryPolicy, Target, CLIENT_REQUEST_ID};
use crate::{Request, Response};

/// The most requests Graph accepts in one `POST /$batch`.
pub const MAX_BATCH_SIZE: usize = 20;

static NEXT_BATCH: AtomicU64 = AtomicU64::new(1);

/// One request of a batch, type-erased.
struct Item {
    method: http::Method,
    url: String,
    headers: http::HeaderMap,
    body: Option<Value>,
    depends_on: Vec<usize>,
    idempotent: bool,
    /// Why the item cannot be sent.
    invalid: Option<String>,
}

/// Requests to send together with [`Client::batch`]: any number of them, each with
/// its own response type. [`Batch::add`] returns a typed [`BatchHandle`] that reads
/// the item's result from the [`BatchResponses`].
///
/// How it is sent: items are split into `POST /$batch` calls of at most
/// [`MAX_BATCH_SIZE`]; items linked by `dependsOn` ([`Batch::add_after`]) always
/// go into the same call (a linked group of more than 20 is refused before
/// anything is sent). Items answered `429` (or `503`/`504` when idempotent) are
/// sent again, alone, after their own `Retry-After` (with the client's
/// [`RetryPolicy`]), with the items that depend on them; items that succeeded are
/// never sent again.
pub struct Batch {
    id: u64,
    items: Vec<Item>,
}

impl fmt::Debug for Batch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Batch").field("items", &self.items.len()).finish()
    }
}

impl Default for Batch {
    fn default() -> Self {
        Batch::new()
    }
}

/// The typed ticket for one item of a [`Batch`]: pass it to [`BatchResponses::get`].
pub struct BatchHandle<T> {
    id: BatchItemId,
    _type: PhantomData<fn() -> T>,
}

impl<T> Clone for BatchHandle<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for BatchHandle<T> {}

impl<T> fmt::Debug for BatchHandle<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "BatchHandle({})", self.id.index)
    }
}

impl<T> BatchHandle<T> {
    /// The item's id, for [`Batch::add_after`].
    pub fn id(&self) -> BatchItemId {
        self.id
    }

    /// The item's position in the batch (0 for the first added).
    pub fn index(&self) -> usize {
        self.id.index
    }
}

/// The untyped id of a batch item, to name it in `dependsOn`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct BatchItemId {
    batch: u64,
    index: usize,
}

impl Batch {
    /// An empty batch.
    pub fn new() -> Self {
        Batch { id: NEXT_BATCH.fetch_add(1, Ordering::Relaxed), items: Vec::new() }
    }

    /// The number of items.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether there are no items.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Add a request; its result is read with the returned handle.
    pub fn add<T>(&mut self, request: impl Into<Request<T>>) -> BatchHandle<T> {
        self.add_after(request, &[])
    }

    /// Add a request that Graph runs only after the items `depends_on` (earlier
    /// items of this batch) succeeded (`dependsOn`); when one of them fails, Graph
    /// answers this one `424 Failed Dependency`.
    pub fn add_after<T>(&mut self, request: impl Into<Request<T>>, depends_on: &[BatchItemId]) -> BatchHandle<T> {
        let request: Request<T> = request.into();
        let index = self.items.len();
        let mut invalid = request.to_http_at("http://localhost/").err().map(|e| e.to_string());
        let body = match request.body() {
            None => None,
            Some(bytes) => match serde_json::from_slice::<Value>(bytes) {
                Ok(v) => Some(v),
                Err(e) => {
                    invalid.get_or_insert_with(|| format!("a batch item's body must be JSON: {e}"));
                    None
                }
            },
        };
        let mut deps = Vec::new();
        for d in depends_on {
            if d.batch != self.id || d.index >= index {
                invalid.get_or_insert_with(|| "dependsOn names an item that is not an earlier item of this batch".to_owned());
            } else if !deps.contains(&d.index) {
                deps.push(d.index);
            }
        }
        self.items.push(Item {
            method: request.method().clone(),
            url: request.path_and_query(),
            headers: request.headers().clone(),
            body,
            depends_on: deps,
            idempotent: request.is_idempotent(),
            invalid,
        });
        BatchHandle { id: BatchItemId { batch: self.id, index }, _type: PhantomData }
    }

    /// Groups of items that must travel together (linked by `dependsOn`), each in
    /// ascending order, ordered by their first item.
    fn groups(&self) -> Vec<Vec<usize>> {
        let mut parent: Vec<usize> = (0..self.items.len()).collect();
        fn find(parent: &mut [usize], mut i: usize) -> usize {
            while parent[i] != i {
                parent[i] = parent[parent[i]];
                i = parent[i];
            }
            i
        }
        for (i, item) in self.items.iter().enumerate() {
            for &d in &item.depends_on {
                let (a, b) = (find(&mut parent, i), find(&mut parent, d));
                if a != b {
                    parent[a.max(b)] = a.min(b);
                }
            }
        }
        let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for i in 0..self.items.len() {
            let root = find(&mut parent, i);
            groups.entry(root).or_default().push(i);
        }
        groups.into_values().collect()
    }

    /// Pack groups into calls of at most [`MAX_BATCH_SIZE`] items, in order.
    fn plan(&self) -> Result<Vec<Vec<usize>>, Error> {
        if let Some((i, reason)) = self.items.iter().enumerate().find_map(|(i, it)| it.invalid.as_ref().map(|r| (i, r))) {
            return Err(Error::Request(crate::Error::InvalidRequest(format!("batch item {i}: {reason}"))));
        }
        let mut calls: Vec<Vec<usize>> = Vec::new();
        let mut current: Vec<usize> = Vec::new();
        for group in self.groups() {
            if group.len() > MAX_BATCH_SIZE {
                return Err(Error::Request(crate::Error::InvalidRequest(format!(
                    "batch items {:?} are linked by dependsOn into a group of {}, more than the {MAX_BATCH_SIZE} requests one batch call can carry",
                    group,
                    group.len()
                ))));
            }
            if current.len() + group.len() > MAX_BATCH_SIZE {
                calls.push(std::mem::take(&mut current));
            }
            current.extend(group);
        }
        if !current.is_empty() {
            calls.push(current);
        }
        for call in &mut calls {
            call.sort_unstable();
        }
        Ok(calls)
    }
}

/// The outcome of one item: its own response, or the failure of its batch call.
type ItemOutcome = Result<http::Response<Vec<u8>>, Arc<Error>>;

/// The results of [`Client::batch`], one per item, read with the items' handles.
pub struct BatchResponses {
    batch: u64,
    outcomes: Vec<ItemOutcome>,
    calls: usize,
}

impl fmt::Debug for BatchResponses {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let statuses: Vec<String> = self
            .outcomes
            .iter()
            .map(|o| match o {
                Ok(r) => r.status().as_u16().to_string(),
                Err(_) => "failed".to_owned(),
            })
            .collect();
        f.debug_struct("BatchResponses").field("statuses", &statuses).field("calls", &self.calls).finish()
    }
}

impl BatchResponses {
    /// The item's response decoded into its own type: [`Error::Api`] for an
    /// error status (`424` when an item it depends on failed), [`Error::Decode`]
    /// for a body of the wrong shape, [`Error::Batch`] when the batch call that
    /// carried it failed. A handle from another batch is an [`Error::Request`].
    pub fn get<T: DeserializeOwned>(&self, handle: &BatchHandle<T>) -> Result<Response<T>, Error> {
        if handle.id.batch != self.batch {
            return Err(Error::Request(crate::Error::InvalidRequest("the handle belongs to another batch".into())));
        }
        match &self.outcomes[handle.id.index] {
            Err(e) => Err(Error::Batch(e.clone())),
            Ok(response) => {
                let id = response.headers().get(CLIENT_REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
                let parser: Request<T> = Request::new(http::Method::GET, String::new(), 200);
                parser.parse_response(response.clone()).map_err(|e| with_client_request_id(Error::from(e), &id))
            }
        }
    }

    /// The status each item was answered with, in the order added (`None` when its
    /// batch call failed).
    pub fn statuses(&self) -> Vec<Option<http::StatusCode>> {
        self.outcomes.iter().map(|o| o.as_ref().ok().map(http::Response::status)).collect()
    }

    /// The number of `POST /$batch` calls made, retries included.
    pub fn calls(&self) -> usize {
        self.calls
    }

    /// The number of items.
    pub fn len(&self) -> usize {
        self.outcomes.len()
    }

    /// Whether the batch had no items.
    pub fn is_empty(&self) -> bool {
        self.outcomes.is_empty()
    }
}

impl Client {
    /// Send a [`Batch`]: see there for how it is split and retried. Fails as a
    /// whole only before anything is sent (an item that cannot be built, a
    /// `dependsOn` group of more than [`MAX_BATCH_SIZE`]); after that, each item
    /// has its own result in the [`BatchResponses`].
    pub async fn batch(&self, batch: Batch) -> Result<BatchResponses, Error> {
        let calls = batch.plan()?;
        let mut outcomes: Vec<Option<ItemOutcome>> = (0..batch.items.len()).map(|_| None).collect();
        let mut sent = 0;
        for call in calls {
            sent += self.batch_call(&batch.items, call, &mut outcomes).await;
        }
        let outcomes = outcomes
            .into_iter()
            .map(|o| o.unwrap_or_else(|| Err(Arc::new(Error::Batch(Arc::new(Error::Request(crate::Error::InvalidRequest("not sent".into()))))))))
            .collect();
        Ok(BatchResponses { batch: batch.id, outcomes, calls: sent })
    }

    /// Requests of one type, batched; the results in the same order.
    pub async fn batch_all<T: DeserializeOwned>(&self, requests: Vec<Request<T>>) -> Result<Vec<Result<Response<T>, Error>>, Error> {
        let mut batch = Batch::new();
        let handles: Vec<BatchHandle<T>> = requests.into_iter().map(|r| batch.add(r)).collect();
        let responses = self.batch(batch).await?;
        Ok(handles.iter().map(|h| responses.get(h)).collect())
    }

    /// One group of at most 20 items, with its retry rounds. Returns the number of
    /// `POST /$batch` calls made.
    async fn batch_call(&self, items: &[Item], call: Vec<usize>, outcomes: &mut [Option<ItemOutcome>]) -> usize {
        let policy: RetryPolicy = self.retry_policy();
        let mut pending = call;
        let mut round = 0u32;
        let mut calls = 0;
        loop {
            calls += 1;
            let body = batch_body(items, &pending);
            let request: Request<Value> = Request::new(http::Method::POST, "/$batch".into(), 200).json_body(&body);
            let answers = match self.execute_raw(&request, Target::Base).await {
                Err(e) => Err(e),
                Ok((response, id)) => read_batch_response(&request, response, &id),
            };
            let mut answers = match answers {
                Ok(a) => a,
                Err(e) => {
                    let e = Arc::new(e);
                    for &i in &pending {
                        outcomes[i] = Some(Err(e.clone()));
                    }
                    return calls;
                }
            };
            // Which items to send again, and after how long.
            let mut again: Vec<usize> = Vec::new();
            let mut wait = Duration::ZERO;
            if round < policy.max_retries() {
                for &i in &pending {
                    if let Some(Ok(r)) = answers.get(&i) {
                        if RetryPolicy::is_retryable(r.status(), items[i].idempotent) {
                            if let Some(d) = policy.delay(round, r.headers()) {
                                wait = wait.max(d);
                                again.push(i);
                            }
                        }
                    }
                }
                // Items that failed because an item being retried failed go too.
                for &i in &pending {
                    let failed_dependency = matches!(answers.get(&i), Some(Ok(r)) if r.status() == http::StatusCode::FAILED_DEPENDENCY);
                    if failed_dependency && !again.contains(&i) && items[i].depends_on.iter().any(|d| again.contains(d)) {
                        again.push(i);
                    }
                }
                again.sort_unstable();
            }
            for &i in &pending {
                if !again.contains(&i) {
                    outcomes[i] = Some(
                        answers.remove(&i).unwrap_or_else(|| Err(Arc::new(Error::Transport(format!("the batch response has no answer for item {i}").into())))),
                    );
                }
            }
            if again.is_empty() {
                return calls;
            }
            tokio::time::sleep(wait).await;
            pending = again;
            round += 1;
        }
    }
}

/// `{"requests": [...]}` for the items `pending`; ids are the items' indices, and
/// `dependsOn` names only items in this call (the others have already succeeded).
fn batch_body(items: &[Item], pending: &[usize]) -> Value {
    let requests: Vec<Value> = pending
        .iter()
        .map(|&i| {
            let item = &items[i];
            let mut r = json!({ "id": i.to_string(), "method": item.method.as_str(), "url": item.url });
            let headers: serde_json::Map<String, Value> =
                item.headers.iter().filter_map(|(k, v)| v.to_str().ok().map(|v| (k.as_str().to_owned(), Value::String(v.to_owned())))).collect();
            if !headers.is_empty() {
                r["headers"] = Value::Object(headers);
            }
            if let Some(body) = &item.body {
                r["body"] = body.clone();
            }
            let deps: Vec<Value> = item.depends_on.iter().filter(|d| pending.contains(d)).map(|d| Value::String(d.to_string())).collect();
            if !deps.is_empty() {
                r["dependsOn"] = Value::Array(deps);
            }
            r
        })
        .collect();
    json!({ "requests": requests })
}

#[derive(serde::Deserialize)]
struct BatchAnswer {
    #[serde(default)]
    responses: Vec<ItemAnswer>,
}

#[derive(serde::Deserialize)]
struct ItemAnswer {
    id: String,
    status: u16,
    #[serde(default)]
    headers: HashMap<String, Value>,
    #[serde(default)]
    body: Option<Value>,
}

/// Read a batch response into one `http::Response` per item id. The batch call's
/// `request-id` and `client-request-id` are copied into items that lack them.
fn read_batch_response(request: &Request<Value>, response: http::Response<Vec<u8>>, id: &str) -> Result<HashMap<usize, ItemOutcome>, Error> {
    let outer_headers = response.headers().clone();
    let parsed = request.parse_response(response).map_err(|e| with_client_request_id(Error::from(e), id))?;
    let answer: BatchAnswer = serde_json::from_value(parsed.body.clone()).map_err(|source| Error::Decode {
        status: parsed.status,
        source,
        body: serde_json::to_vec(&parsed.body).unwrap_or_default(),
    })?;
    let mut out = HashMap::new();
    for item in answer.responses {
        let Ok(index) = item.id.parse::<usize>() else { continue };
        let status = http::StatusCode::from_u16(item.status).unwrap_or(http::StatusCode::BAD_GATEWAY);
        let mut headers = http::HeaderMap::new();
        for (k, v) in &item.headers {
            let text = match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            if let (Ok(k), Ok(v)) = (http::HeaderName::from_bytes(k.as_bytes()), http::HeaderValue::from_str(&text)) {
                headers.append(k, v);
            }
        }
        for name in ["request-id", CLIENT_REQUEST_ID] {
            if !headers.contains_key(name) {
                if let Some(v) = outer_headers.get(name) {
                    headers.insert(name, v.clone());
                }
            }
        }
        if !headers.contains_key(CLIENT_REQUEST_ID) {
            if let Ok(v) = http::HeaderValue::from_str(id) {
                headers.insert(CLIENT_REQUEST_ID, v);
            }
        }
        let is_json = headers.get(http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_none_or(|ct| ct.to_ascii_lowercase().contains("json"));
        let body = match item.body {
            None | Some(Value::Null) => Vec::new(),
            // Non-JSON bodies come base64-encoded.
            Some(Value::String(s)) if !is_json => {
                use base64::Engine as _;
                base64::engine::general_purpose::STANDARD.decode(&s).unwrap_or_else(|_| s.into_bytes())
            }
            Some(v) => serde_json::to_vec(&v).unwrap_or_default(),
        };
        let mut r = http::Response::new(body);
        *r.status_mut() = status;
        *r.headers_mut() = headers;
        out.insert(index, Ok(r));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get(path: &str) -> Request<Value> {
        Request::new(http::Method::GET, path.into(), 200)
    }

    #[test]
    fn dependency_groups_stay_together_and_calls_hold_at_most_20() {
        let mut batch = Batch::new();
        let first = batch.add(get("/a"));
        for _ in 0..18 {
            batch.add(get("/b"));
        }
        // Item 19 depends on item 0: the group {0, 19} and 18 singles fit in 20.
        batch.add_after(get("/c"), &[first.id()]);
        let x = batch.add(get("/d"));
        batch.add_after(get("/e"), &[x.id()]);
        let plan = batch.plan().unwrap();
        assert!(plan.iter().all(|c| c.len() <= MAX_BATCH_SIZE), "{plan:?}");
        let call_of = |i: usize| plan.iter().position(|c| c.contains(&i)).unwrap();
        assert_eq!(call_of(0), call_of(19));
        assert_eq!(call_of(20), call_of(21));
        assert_eq!(plan.iter().map(Vec::len).sum::<usize>(), 22);
    }

    #[test]
    fn a_chain_longer_than_20_is_refused() {
        let mut batch = Batch::new();
        let mut last = batch.add(get("/0"));
        for i in 1..21 {
            last = batch.add_after(get(&format!("/{i}")), &[last.id()]);
        }
        let err = batch.plan().unwrap_err();
        assert!(err.to_string().contains("group of 21"), "{err}");
    }

    #[test]
    fn depends_on_must_name_an_earlier_item_of_the_same_batch() {
        let mut other = Batch::new();
        let foreign = other.add(get("/x"));
        let mut batch = Batch::new();
        batch.add_after(get("/y"), &[foreign.id()]);
        assert!(batch.plan().unwrap_err().to_string().contains("earlier item"));
    }
}
