//! A local Microsoft Graph served from the API reference docs.
//!
//! [`MockGraph`] starts an HTTP/1.1 server on `127.0.0.1` that answers every
//! documented request with its documented response:
//!
//! * routes come from each operation's path template and from each example
//!   request's own URL (a leading `/v1.0`, `/beta` or other version segment of the
//!   examples is accepted and ignored);
//! * of the examples of the matching route, the best one is chosen by path, query,
//!   body and headers, and its status, headers (`Location`, ...) and body are
//!   sent; an operation without a response example answers its documented success
//!   status;
//! * `@odata.nextLink`, `@odata.deltaLink`, `Location` and `Content-Location` are
//!   moved onto the mock's own origin, and a next link that no example documents
//!   answers an empty last page, so paging works;
//! * a request without a bearer token gets `401`, an undocumented route `404` (a
//!   documented path with another method `405`), each with a Graph error body;
//! * faults can be scripted per route: throttle the next N requests with `429` and
//!   `Retry-After`, fail them with a status, or delay them.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let graph = msgraph_mock::MockGraph::start("docs").await?;
//! graph.throttle("GET", "/communications/calls/{id}", 2, std::time::Duration::from_secs(1));
//! let base_url = graph.base_url(); // http://127.0.0.1:PORT/v1.0: give it to the client
//! # Ok(()) }
//! ```
#![cfg_attr(docsrs, feature(doc_cfg))]

use std::collections::{HashMap, HashSet};
use std::convert::Infallible;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use msgraph_gen::model::{Api, PathSegment, ResponseBody};
use serde_json::{json, Value};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// Why the mock could not start.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("reading the docs: {0}")]
    Docs(#[from] msgraph_gen::Error),
    #[error("binding {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        #[source]
        source: std::io::Error,
    },
}

/// A documented example, ready to match and answer.
#[derive(Clone, Debug)]
struct Documented {
    method: String,
    /// Decoded path segments without the version segment; `None` when the example
    /// has no request.
    path: Option<Vec<String>>,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    body: Option<Value>,
    status: u16,
    response_headers: Vec<(String, String)>,
    response_body: Option<Value>,
    has_response: bool,
    op: usize,
}

#[derive(Clone, Debug)]
enum Seg {
    /// Lower case.
    Lit(String),
    /// A literal with `{...}` inside (`search(q='{text}')`, `{path}:`): the lower-case
    /// text around the braces, which match anything.
    Pattern(Vec<String>),
    Param,
}

fn literal(l: &str) -> Seg {
    if !l.contains('{') {
        return Seg::Lit(l.to_lowercase());
    }
    let mut pieces = Vec::new();
    let mut rest = l.to_lowercase();
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else { break };
        pieces.push(rest[..open].to_string());
        rest = rest[open + close + 1..].to_string();
    }
    pieces.push(rest);
    Seg::Pattern(pieces)
}

/// Whether `text` is `pieces` joined by anything.
fn glob(pieces: &[String], text: &str) -> bool {
    let (Some(first), Some(last)) = (pieces.first(), pieces.last()) else { return false };
    if pieces.len() == 1 {
        return text == first;
    }
    if !text.starts_with(first.as_str()) || text.len() < first.len() + last.len() || !text.ends_with(last.as_str()) {
        return false;
    }
    let mut at = first.len();
    let end = text.len() - last.len();
    for p in &pieces[1..pieces.len() - 1] {
        match text[at..end].find(p.as_str()) {
            Some(i) => at += i + p.len(),
            None => return false,
        }
    }
    true
}

#[derive(Clone, Debug)]
struct Route {
    method: String,
    template: Vec<Seg>,
    id: String,
    success_status: u16,
    /// What to answer when the operation has no response example.
    synthetic: Option<Value>,
    examples: Vec<usize>,
}

/// What kind of fault a rule injects.
#[derive(Clone, Debug, PartialEq)]
pub enum FaultKind {
    /// `429 Too Many Requests` with `Retry-After` (whole seconds, rounded up).
    Throttle { retry_after: Duration },
    /// This status with a Graph error body.
    Status(u16),
    /// Answer normally, after this delay.
    Delay(Duration),
}

#[derive(Clone, Debug)]
struct Fault {
    method: Option<String>,
    path: Vec<Seg>,
    remaining: usize,
    kind: FaultKind,
}

/// A request the mock received, and what it answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Logged {
    pub method: String,
    /// Path and query as received (still encoded).
    pub target: String,
    pub status: u16,
    /// The operation id and the docs position of the example answered, if one was.
    pub answered_by: Option<String>,
}

/// The answer to one request (see [`Routes::answer`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Wait this long before answering (a scripted delay).
    pub delay: Duration,
    /// `operation id` and, when an example answered, its docs position.
    pub answered_by: Option<String>,
}

/// Everything the mock serves, built from the API model. Pure: [`Routes::answer`]
/// does no IO, so it can be used without a server.
#[derive(Debug)]
pub struct Routes {
    routes: Vec<Route>,
    examples: Vec<Documented>,
    positions: Vec<String>,
    /// (method, lower-case path) -> examples with that exact path.
    exact: HashMap<(String, String), Vec<usize>>,
    versions: HashSet<String>,
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    faults: Vec<Fault>,
    next_links: HashSet<String>,
    log: Vec<Logged>,
    counter: u64,
}

const GRAPH_HOST: &str = "graph.microsoft.com";

fn decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned()
}

/// `https://host/a/b?x=1` or `/a/b?x=1` -> (host, decoded segments, decoded query).
fn split_target(target: &str) -> (Option<String>, Vec<String>, Vec<(String, String)>) {
    let target = target.trim();
    let (host, rest) = match target.strip_prefix("https://").or_else(|| target.strip_prefix("http://")) {
        Some(r) => match r.find('/') {
            Some(i) => (Some(r[..i].to_ascii_lowercase()), &r[i..]),
            None => (Some(r.to_ascii_lowercase()), "/"),
        },
        None => (None, target),
    };
    let (path, query) = match rest.find('?') {
        Some(i) => (&rest[..i], &rest[i + 1..]),
        None => (rest, ""),
    };
    let segments = path.split('/').filter(|s| !s.is_empty()).map(decode).collect();
    (host, segments, parse_query(query))
}

fn parse_query(q: &str) -> Vec<(String, String)> {
    q.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (decode(k).to_ascii_lowercase(), decode(v)),
            None => (decode(p).to_ascii_lowercase(), String::new()),
        })
        .collect()
}

fn key(segments: &[String]) -> String {
    segments.iter().map(|s| s.to_lowercase()).collect::<Vec<_>>().join("/")
}

/// How specifically `template` matches `path` (literal segments count 2, patterns
/// 1), or `None`.
fn matches(template: &[Seg], path: &[String]) -> Option<usize> {
    if template.len() != path.len() {
        return None;
    }
    let mut literals = 0;
    for (t, p) in template.iter().zip(path) {
        match t {
            Seg::Lit(l) if *l == p.to_lowercase() => literals += 2,
            Seg::Pattern(pieces) if glob(pieces, &p.to_lowercase()) => literals += 1,
            Seg::Lit(_) | Seg::Pattern(_) => return None,
            Seg::Param => {}
        }
    }
    Some(literals)
}

/// A template written by a user (`/users/{id}`): `{...}` segments match any segment.
fn user_template(path: &str, versions: &HashSet<String>) -> Vec<Seg> {
    let (_, mut segs, _) = split_target(path);
    if segs.first().is_some_and(|s| versions.contains(&s.to_lowercase())) {
        segs.remove(0);
    }
    segs.into_iter().map(|s| if s.starts_with('{') && s.ends_with('}') { Seg::Param } else { literal(&s) }).collect()
}

/// A Graph error body.
pub fn graph_error(code: &str, message: &str, request_id: &str) -> Value {
    json!({ "error": { "code": code, "message": message, "innerError": { "request-id": request_id } } })
}

impl Routes {
    /// Every operation and example of `api`.
    pub fn new(api: &Api) -> Routes {
        let mut versions: HashSet<String> = ["v1.0", "beta"].into_iter().map(String::from).collect();
        // A first segment of an example on graph.microsoft.com that its operation's
        // template does not start with is a version (`localtest`, ...).
        for op in &api.operations {
            let first = match op.path.first() {
                Some(PathSegment::Literal(l)) => Some(l.to_lowercase()),
                _ => None,
            };
            for ex in &op.examples {
                let (host, segs, _) = split_target(&ex.url);
                if host.as_deref() == Some(GRAPH_HOST) {
                    if let Some(s) = segs.first().map(|s| s.to_lowercase()) {
                        if first.as_ref().is_some_and(|f| *f != s) && segs.len() > op.path.len() {
                            versions.insert(s);
                        }
                    }
                }
            }
        }
        let mut routes = Vec::new();
        let mut examples = Vec::new();
        let mut positions = Vec::new();
        let mut exact: HashMap<(String, String), Vec<usize>> = HashMap::new();
        for op in &api.operations {
            let template = op.path.iter().map(|s| match s {
                PathSegment::Literal(l) => literal(l),
                PathSegment::Param(_) => Seg::Param,
            });
            let synthetic = match &op.response {
                ResponseBody::None => None,
                ResponseBody::Single(_) => Some(json!({})),
                ResponseBody::Collection(_) => Some(json!({ "value": [] })),
            };
            let mut route = Route {
                method: op.method.to_ascii_uppercase(),
                template: template.collect(),
                id: op.id.clone(),
                success_status: op.success_status,
                synthetic: if op.success_status == 204 { None } else { synthetic },
                examples: Vec::new(),
            };
            for ex in &op.examples {
                let method = if ex.method.is_empty() { route.method.clone() } else { ex.method.to_ascii_uppercase() };
                let path = (!ex.url.is_empty()).then(|| {
                    let (host, mut segs, _) = split_target(&ex.url);
                    if (host.is_none() || host.as_deref() == Some(GRAPH_HOST)) && segs.first().is_some_and(|s| versions.contains(&s.to_lowercase())) {
                        segs.remove(0);
                    }
                    segs
                });
                let (_, _, query) = split_target(&ex.url);
                let i = examples.len();
                if let Some(p) = &path {
                    exact.entry((method.clone(), key(p))).or_default().push(i);
                }
                examples.push(Documented {
                    method,
                    path,
                    query,
                    headers: ex.request_headers.clone(),
                    body: ex.request_body.clone(),
                    status: ex.status.unwrap_or(op.success_status),
                    response_headers: ex.response_headers.clone(),
                    response_body: ex.response_body.clone(),
                    has_response: ex.status.is_some() || ex.response_body.is_some(),
                    op: routes.len(),
                });
                positions.push(format!("{} {}:{}", op.id, ex.span.file, ex.span.line()));
                route.examples.push(i);
            }
            routes.push(route);
        }
        Routes { routes, examples, positions, exact, versions, state: Mutex::new(State::default()) }
    }

    /// How many operations and examples are served.
    pub fn counts(&self) -> (usize, usize) {
        (self.routes.len(), self.examples.len())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Add a fault rule for requests with `method` (`*` for any) to `path` (a path
    /// or a template such as `/users/{id}`; a version segment is ignored), applied
    /// to the next `times` requests that match.
    pub fn add_fault(&self, method: &str, path: &str, times: usize, kind: FaultKind) {
        let method = (method != "*").then(|| method.to_ascii_uppercase());
        let path = user_template(path, &self.versions);
        self.lock().faults.push(Fault { method, path, remaining: times, kind });
    }

    /// Every request answered so far, in order.
    pub fn log(&self) -> Vec<Logged> {
        self.lock().log.clone()
    }

    /// Answer one request. `origin` (`http://127.0.0.1:PORT`) is where links point.
    pub fn answer(&self, method: &str, target: &str, headers: &[(String, String)], body: &[u8], origin: &str) -> Answer {
        let method = method.to_ascii_uppercase();
        let mut answer = self.answer_inner(&method, target, headers, body, origin);
        let mut state = self.lock();
        state.counter += 1;
        let request_id = format!("mock-{}", state.counter);
        if !answer.headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("request-id")) {
            answer.headers.push(("request-id".into(), request_id));
        }
        state.log.push(Logged { method, target: target.to_string(), status: answer.status, answered_by: answer.answered_by.clone() });
        answer
    }

    fn error(&self, status: u16, code: &str, message: String) -> Answer {
        let request_id = format!("mock-{}", self.lock().counter + 1);
        Answer {
            status,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: serde_json::to_vec(&graph_error(code, &message, &request_id)).unwrap_or_default(),
            delay: Duration::ZERO,
            answered_by: None,
        }
    }

    fn answer_inner(&self, method: &str, target: &str, headers: &[(String, String)], body: &[u8], origin: &str) -> Answer {
        let bearer = headers.iter().find(|(k, _)| k.eq_ignore_ascii_case("authorization")).map(|(_, v)| v.trim());
        let token = bearer.and_then(|v| v.get(..7).filter(|p| p.eq_ignore_ascii_case("bearer ")).and_then(|_| v.get(7..)));
        if token.is_none_or(|t| t.trim().is_empty()) {
            let mut a = self.error(401, "InvalidAuthenticationToken", "Access token is empty.".into());
            a.headers.push(("WWW-Authenticate".into(), "Bearer".into()));
            return a;
        }
        let (_, mut path, query) = split_target(target);
        if path.first().is_some_and(|s| self.versions.contains(&s.to_lowercase())) {
            path.remove(0);
        }
        // Scripted faults: delays add up, the first throttle or failure answers.
        let mut delay = Duration::ZERO;
        let mut fault = None;
        {
            let mut state = self.lock();
            for f in state.faults.iter_mut().filter(|f| f.remaining > 0) {
                if f.method.as_ref().is_some_and(|m| m != method) || matches(&f.path, &path).is_none() {
                    continue;
                }
                match &f.kind {
                    FaultKind::Delay(d) => {
                        f.remaining -= 1;
                        delay += *d;
                    }
                    kind if fault.is_none() => {
                        f.remaining -= 1;
                        fault = Some(kind.clone());
                    }
                    _ => {}
                }
            }
        }
        let shown = format!("{method} /{}", path.join("/"));
        let mut answer = match fault {
            Some(FaultKind::Throttle { retry_after }) => {
                let mut a = self.error(429, "TooManyRequests", format!("{shown} is throttled (scripted)."));
                a.headers.push(("Retry-After".into(), retry_after.as_secs_f64().ceil().to_string()));
                a
            }
            Some(FaultKind::Status(s)) => self.error(s, "ScriptedFault", format!("{shown} fails with {s} (scripted).")),
            _ => self.documented(method, &path, &query, headers, body, origin, &shown),
        };
        answer.delay = delay;
        answer
    }

    #[allow(clippy::too_many_arguments)]
    fn documented(
        &self,
        method: &str,
        path: &[String],
        query: &[(String, String)],
        headers: &[(String, String)],
        body: &[u8],
        origin: &str,
        shown: &str,
    ) -> Answer {
        let request_body: Option<Value> = serde_json::from_slice(body).ok();
        let exact = self.exact.get(&(method.to_string(), key(path))).cloned().unwrap_or_default();
        let exact_query = |i: &usize| sorted(&self.examples[*i].query) == sorted(query);
        // A next link this mock handed out, that no example documents: the last page.
        let link = format!("{}?{}", key(path), query_key(query));
        if !exact.iter().any(exact_query) && self.lock().next_links.contains(&link) {
            return Answer {
                status: 200,
                headers: vec![("Content-Type".into(), "application/json".into())],
                body: br#"{"value":[]}"#.to_vec(),
                delay: Duration::ZERO,
                answered_by: None,
            };
        }
        // Templates that match, the most specific (most literal segments) only.
        let mut best_literals = None;
        let mut routes: Vec<usize> = Vec::new();
        let mut other_method = false;
        for (i, r) in self.routes.iter().enumerate() {
            let Some(l) = matches(&r.template, path) else { continue };
            if r.method != method {
                other_method = true;
                continue;
            }
            match best_literals {
                Some(b) if l < b => {}
                Some(b) if l == b => routes.push(i),
                _ => {
                    best_literals = Some(l);
                    routes = vec![i];
                }
            }
        }
        let mut candidates: Vec<usize> = exact.clone();
        for r in &routes {
            candidates.extend(self.routes[*r].examples.iter().copied().filter(|i| self.examples[*i].method == method));
        }
        candidates.sort_unstable();
        candidates.dedup();
        let answered: Vec<usize> = candidates.iter().copied().filter(|i| self.examples[*i].has_response).collect();
        let best = answered.iter().copied().max_by_key(|i| (self.score(*i, path, query, headers, request_body.as_ref()), std::cmp::Reverse(*i)));
        if let Some(i) = best {
            return self.reply(i, origin);
        }
        if let Some(r) = routes.first().map(|r| &self.routes[*r]).or_else(|| candidates.first().map(|i| &self.routes[self.examples[*i].op])) {
            // A documented operation without a response example: its success status.
            return Answer {
                status: r.success_status,
                headers: if r.synthetic.is_some() { vec![("Content-Type".into(), "application/json".into())] } else { vec![] },
                body: r.synthetic.as_ref().map(|v| serde_json::to_vec(v).unwrap_or_default()).unwrap_or_default(),
                delay: Duration::ZERO,
                answered_by: Some(r.id.clone()),
            };
        }
        if other_method {
            return self.error(405, "MethodNotAllowed", format!("{shown}: the docs document this path with other methods only."));
        }
        self.error(404, "UnknownRoute", format!("{shown}: no documented request matches (msgraph-mock serves the requests the docs document)."))
    }

    /// How well example `i` fits a request: path, query, body, headers.
    fn score(&self, i: usize, path: &[String], query: &[(String, String)], headers: &[(String, String)], body: Option<&Value>) -> i64 {
        let ex = &self.examples[i];
        let mut s = 0;
        if ex.path.as_ref().is_some_and(|p| key(p) == key(path)) {
            s += 8;
            if ex.path.as_deref() == Some(path) {
                s += 1;
            }
        }
        if sorted(&ex.query) == sorted(query) {
            s += 4;
        }
        for (k, v) in &ex.query {
            match query.iter().find(|(qk, _)| qk == k) {
                Some((_, qv)) if qv == v => s += 3,
                Some(_) => s += 1,
                None => s -= 1,
            }
        }
        s -= query.iter().filter(|(k, _)| !ex.query.iter().any(|(ek, _)| ek == k)).count() as i64;
        match (&ex.body, body) {
            (Some(a), Some(b)) if a == b => s += 10,
            (Some(Value::Object(a)), Some(Value::Object(b))) => {
                s += a.keys().filter(|k| b.contains_key(*k)).count() as i64;
                s -= a.keys().filter(|k| !b.contains_key(*k)).count() as i64;
                s -= b.keys().filter(|k| !a.contains_key(*k)).count() as i64;
            }
            (None, None) => s += 1,
            _ => s -= 2,
        }
        for (k, v) in &ex.headers {
            if ["authorization", "content-type", "content-length", "host"].iter().any(|h| k.eq_ignore_ascii_case(h)) {
                continue;
            }
            match headers.iter().find(|(hk, _)| hk.eq_ignore_ascii_case(k)) {
                Some((_, hv)) if hv.trim() == v.trim() => s += 2,
                Some(_) => s += 1,
                None => {}
            }
        }
        s
    }

    fn reply(&self, i: usize, origin: &str) -> Answer {
        let ex = &self.examples[i];
        let mut headers: Vec<(String, String)> = Vec::new();
        for (k, v) in &ex.response_headers {
            if ["content-length", "transfer-encoding", "connection"].iter().any(|h| k.eq_ignore_ascii_case(h)) {
                continue;
            }
            let v = if k.eq_ignore_ascii_case("location") || k.eq_ignore_ascii_case("content-location") { self.relink(v, origin) } else { v.clone() };
            headers.push((k.clone(), v));
        }
        let body = ex.response_body.clone().map(|mut b| {
            if let Value::Object(m) = &mut b {
                for link in ["@odata.nextLink", "@odata.deltaLink"] {
                    if let Some(Value::String(u)) = m.get_mut(link) {
                        *u = self.relink(u, origin);
                        let (_, mut segs, q) = split_target(u);
                        if segs.first().is_some_and(|s| self.versions.contains(&s.to_lowercase())) {
                            segs.remove(0);
                        }
                        self.lock().next_links.insert(format!("{}?{}", key(&segs), query_key(&q)));
                    }
                }
            }
            b
        });
        if body.is_some() && !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("content-type")) {
            headers.push(("Content-Type".into(), "application/json".into()));
        }
        Answer {
            status: ex.status,
            headers,
            body: body.map(|b| serde_json::to_vec(&b).unwrap_or_default()).unwrap_or_default(),
            delay: Duration::ZERO,
            answered_by: Some(self.positions[i].clone()),
        }
    }

    /// An absolute link moved onto `origin` (path and query kept).
    fn relink(&self, url: &str, origin: &str) -> String {
        let u = url.trim();
        match u.strip_prefix("https://").or_else(|| u.strip_prefix("http://")) {
            Some(rest) => format!("{origin}{}", rest.find('/').map_or("/", |i| &rest[i..])),
            None if u.starts_with('/') => format!("{origin}{u}"),
            None => u.to_string(),
        }
    }
}

fn sorted(q: &[(String, String)]) -> Vec<(String, String)> {
    let mut q = q.to_vec();
    q.sort();
    q
}

fn query_key(q: &[(String, String)]) -> String {
    sorted(q).iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&")
}

/// A running mock Graph on 127.0.0.1; it stops when dropped.
pub struct MockGraph {
    addr: SocketAddr,
    routes: Arc<Routes>,
    task: JoinHandle<()>,
}

impl Drop for MockGraph {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl MockGraph {
    /// Serve the docs in `docs_dir` on an ephemeral port of 127.0.0.1. Docs with
    /// errors are served as far as they could be inferred.
    pub async fn start(docs_dir: impl AsRef<Path>) -> Result<MockGraph, Error> {
        let files = msgraph_gen::read_docs(docs_dir.as_ref())?;
        let (api, _) = msgraph_gen::infer_api(files);
        MockGraph::serve(&api, SocketAddr::from(([127, 0, 0, 1], 0))).await
    }

    /// Serve `api` on `addr`.
    pub async fn serve(api: &Api, addr: SocketAddr) -> Result<MockGraph, Error> {
        let listener = TcpListener::bind(addr).await.map_err(|source| Error::Bind { addr, source })?;
        let addr = listener.local_addr().map_err(|source| Error::Bind { addr, source })?;
        let routes = Arc::new(Routes::new(api));
        let origin = format!("http://{addr}");
        let served = routes.clone();
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                };
                let routes = served.clone();
                let origin = origin.clone();
                tokio::spawn(async move {
                    let service = service_fn(move |req: hyper::Request<hyper::body::Incoming>| {
                        let routes = routes.clone();
                        let origin = origin.clone();
                        async move {
                            let (parts, body) = req.into_parts();
                            let body = body.collect().await.map(|b| b.to_bytes()).unwrap_or_default();
                            let headers: Vec<(String, String)> =
                                parts.headers.iter().map(|(k, v)| (k.as_str().to_string(), String::from_utf8_lossy(v.as_bytes()).into_owned())).collect();
                            let target = parts.uri.path_and_query().map_or("/", |p| p.as_str());
                            let answer = routes.answer(parts.method.as_str(), target, &headers, &body, &origin);
                            if !answer.delay.is_zero() {
                                tokio::time::sleep(answer.delay).await;
                            }
                            Ok::<_, Infallible>(to_response(answer))
                        }
                    });
                    let _ = http1::Builder::new().serve_connection(TokioIo::new(stream), service).await;
                });
            }
        });
        Ok(MockGraph { addr, routes, task })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`
    pub fn origin(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The service root to give a client: `http://127.0.0.1:PORT/v1.0`.
    pub fn base_url(&self) -> String {
        format!("http://{}/v1.0", self.addr)
    }

    /// What the mock serves, and its log and fault rules.
    pub fn routes(&self) -> &Routes {
        &self.routes
    }

    /// Throttle the next `times` requests of `method` `path` (`*` for any method;
    /// `{...}` segments match anything): `429` with `Retry-After`.
    pub fn throttle(&self, method: &str, path: &str, times: usize, retry_after: Duration) {
        self.routes.add_fault(method, path, times, FaultKind::Throttle { retry_after });
    }

    /// Fail the next `times` requests of `method` `path` with `status` and a Graph error body.
    pub fn fail(&self, method: &str, path: &str, times: usize, status: u16) {
        self.routes.add_fault(method, path, times, FaultKind::Status(status));
    }

    /// Delay the answers to the next `times` requests of `method` `path`.
    pub fn delay(&self, method: &str, path: &str, times: usize, delay: Duration) {
        self.routes.add_fault(method, path, times, FaultKind::Delay(delay));
    }

    /// Every request answered so far, in order.
    pub fn requests(&self) -> Vec<Logged> {
        self.routes.log()
    }
}

fn to_response(a: Answer) -> hyper::Response<Full<Bytes>> {
    let mut builder = hyper::Response::builder().status(http::StatusCode::from_u16(a.status).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR));
    for (k, v) in &a.headers {
        // A header the docs spell in a way HTTP does not allow is left out.
        if let (Ok(k), Ok(v)) = (http::HeaderName::from_bytes(k.trim().as_bytes()), http::HeaderValue::from_str(v.trim())) {
            builder = builder.header(k, v);
        }
    }
    builder.body(Full::new(Bytes::from(a.body))).unwrap_or_else(|_| hyper::Response::new(Full::new(Bytes::new())))
}
