//! What generated request builders are made of: [`Path`] (a resource path being
//! built, one encoded segment at a time), [`Query`] (a request with the query options
//! and headers its operation documents, and no others), and [`Field`] (a property name
//! of a resource type, for `$select`, `$expand` and `$orderby`).
//!
//! An operation whose page documents query options or typed headers returns a
//! `Query<T, O>`: `O` is a zero-sized marker type generated for that operation, and
//! each setter exists only when `O` implements the matching trait ([`Select`],
//! [`Top`], [`Prefer`], ...), so an option the docs do not document for the
//! operation does not compile. `Query<T, O>` dereferences to its [`Request<T>`] and
//! converts into it ([`Query::build`], `From`); the client takes either.
//!
//! ```
//! use msgraph_runtime::{Field, Page, Path, Query, Select, Top};
//!
//! // What a generator writes for `GET /users` documenting `$select` and `$top`:
//! struct User;
//! impl User {
//!     const DISPLAY_NAME: Field<User> = Field::new("displayName");
//! }
//! struct ListUsers;
//! impl Select for ListUsers {
//!     type Resource = User;
//! }
//! impl Top for ListUsers {}
//!
//! let users = Path::root().segment("users");
//! let query: Query<Page<serde_json::Value>, ListUsers> =
//!     Query::new(users.request(http::Method::GET, 200));
//! let request = query.select(&[User::DISPLAY_NAME, Field::other("employeeId")]).top(5).build();
//! assert_eq!(request.path_and_query(), "/users?$select=displayName,employeeId&$top=5");
//! ```
//!
//! ```compile_fail
//! use msgraph_runtime::{Page, Path, Query, Top};
//! struct ListUsers;
//! impl Top for ListUsers {}
//! let query: Query<Page<serde_json::Value>, ListUsers> =
//!     Query::new(Path::root().segment("users").request(http::Method::GET, 200));
//! // `$filter` is not documented for this operation: no `filter` method.
//! let _ = query.filter("startswith(displayName,'a')");
//! ```

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use crate::request::{encode_segment, Request};

/// A resource path being built: the encoded path so far and the path parameters
/// it holds (checked when the request is built, see [`Request::path_params`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Path {
    path: String,
    params: Vec<(&'static str, String)>,
}

impl Path {
    /// The service root.
    pub fn root() -> Path {
        Path::default()
    }

    /// This path and one more segment, given already encoded (a literal segment of
    /// the docs, such as `messages` or `$value`).
    pub fn segment(&self, encoded: &str) -> Path {
        let mut p = self.clone();
        p.path.push('/');
        p.path.push_str(encoded);
        p
    }

    /// This path and `value` followed by `suffix`. With no suffix (an id) the value
    /// is encoded as one segment: a `/` in it is data (`%2F`). With a suffix (the `:`
    /// of OneDrive path addressing, `root:/{item-path}:`) the value is an item path:
    /// its `/`s separate folders and each name between them is encoded on its own
    /// (`Documents/Q1 report.docx` -> `Documents/Q1%20report.docx`). An empty value,
    /// `.` and `..` (or, in an item path, an empty name, `.` or `..` between the
    /// `/`s) make the request invalid.
    pub fn param(&self, name: &'static str, value: &str, suffix: &str) -> Path {
        let mut p = self.clone();
        p.path.push('/');
        if suffix.is_empty() {
            p.path.push_str(&encode_segment(value));
            p.params.push((name, value.to_owned()));
        } else {
            let names: Vec<&str> = value.split('/').collect();
            p.path.push_str(&names.iter().map(|n| encode_segment(n)).collect::<Vec<_>>().join("/"));
            p.params.extend(names.iter().map(|n| (name, (*n).to_owned())));
        }
        p.path.push_str(suffix);
        p
    }

    /// This path and a function segment `name(key=value,...)`: each argument is
    /// `(key, prefix, quoted, value)`; values are percent-encoded, and a quoted value
    /// has its single quotes doubled, as OData string literals need.
    pub fn function(&self, name: &str, args: &[(&str, &str, bool, &str)]) -> Path {
        let mut seg = String::from(name);
        seg.push('(');
        for (i, (key, prefix, quoted, value)) in args.iter().enumerate() {
            if i > 0 {
                seg.push(',');
            }
            if !key.is_empty() {
                seg.push_str(key);
                seg.push('=');
            }
            seg.push_str(prefix);
            if *quoted {
                seg.push('\'');
                seg.push_str(&encode_segment(&value.replace('\'', "''")));
                seg.push('\'');
            } else {
                seg.push_str(&encode_segment(value));
            }
        }
        seg.push(')');
        self.segment(&seg)
    }

    /// This path's last segment (a collection) addressed by an alternate key:
    /// `/directoryRoles` and `("roleTemplateId", "62e9...", true)` give
    /// `/directoryRoles(roleTemplateId='62e9...')`. The value is percent-encoded (a
    /// quoted one with its single quotes doubled) and checked as a path parameter is.
    pub fn key(&self, name: &'static str, value: &str, quoted: bool) -> Path {
        let mut p = self.clone();
        p.path.push('(');
        p.path.push_str(name);
        p.path.push('=');
        if quoted {
            p.path.push('\'');
            p.path.push_str(&encode_segment(&value.replace('\'', "''")));
            p.path.push('\'');
        } else {
            p.path.push_str(&encode_segment(value));
        }
        p.path.push(')');
        p.params.push((name, value.to_owned()));
        p
    }

    /// The encoded path (`/users/a%40b.com/messages`).
    pub fn as_str(&self) -> &str {
        if self.path.is_empty() {
            "/"
        } else {
            &self.path
        }
    }

    /// A request for this path, with the documented success status.
    pub fn request<T>(&self, method: http::Method, success_status: u16) -> Request<T> {
        let params: Vec<(&str, &str)> = self.params.iter().map(|(n, v)| (*n, v.as_str())).collect();
        let r = Request::new(method, self.as_str().to_owned(), success_status);
        if params.is_empty() {
            r
        } else {
            r.path_params(&params)
        }
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A property name of the resource type `T`, for `$select`, `$expand` and
/// `$orderby`. Generated models have one constant per property
/// (`User::DISPLAY_NAME`); [`Field::other`] names one the docs do not list.
pub struct Field<T> {
    name: Cow<'static, str>,
    _type: PhantomData<fn() -> T>,
}

impl<T> Field<T> {
    /// A documented property (what the generated constants hold).
    pub const fn new(name: &'static str) -> Self {
        Field { name: Cow::Borrowed(name), _type: PhantomData }
    }

    /// A property the docs do not list for `T` (the escape hatch), or a path such as
    /// `manager/displayName`.
    pub fn other(name: impl Into<String>) -> Self {
        Field { name: Cow::Owned(name.into()), _type: PhantomData }
    }

    pub fn as_str(&self) -> &str {
        &self.name
    }
}

impl<T> Clone for Field<T> {
    fn clone(&self) -> Self {
        Field { name: self.name.clone(), _type: PhantomData }
    }
}

impl<T> fmt::Debug for Field<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Field({:?})", self.name)
    }
}

impl<T> PartialEq for Field<T> {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

/// `$select`: the operation's page documents it; `Resource` is the type whose
/// properties it selects.
pub trait Select {
    type Resource;
}
/// `$expand`.
pub trait Expand {
    type Resource;
}
/// `$orderby`.
pub trait OrderBy {
    type Resource;
}
/// `$filter`. `EVENTUAL`: the docs say it needs `ConsistencyLevel: eventual`.
pub trait Filter {
    const EVENTUAL: bool = false;
}
/// `$search`.
pub trait Search {
    const EVENTUAL: bool = false;
}
/// `$count`.
pub trait Count {
    const EVENTUAL: bool = false;
}
/// `$top`.
pub trait Top {}
/// `$skip`.
pub trait Skip {}
/// The `Prefer` request header.
pub trait Prefer {}
/// The `If-Match` request header.
pub trait IfMatch {}
/// The `If-None-Match` request header.
pub trait IfNoneMatch {}
/// The `ConsistencyLevel` request header.
pub trait ConsistencyLevel {}
/// The `Workbook-Session-Id` request header (Excel workbook sessions).
pub trait WorkbookSessionId {}

/// The marker of the operations whose page says they support the OData query
/// parameters: all eight standard options, `$select`, `$expand` and `$orderby` over
/// the properties of `R`, no typed headers. Generated operations share it rather
/// than each having a marker of its own.
pub struct Standard<R>(PhantomData<fn() -> R>);

impl<R> Select for Standard<R> {
    type Resource = R;
}
impl<R> Expand for Standard<R> {
    type Resource = R;
}
impl<R> OrderBy for Standard<R> {
    type Resource = R;
}
impl<R> Filter for Standard<R> {}
impl<R> Search for Standard<R> {}
impl<R> Count for Standard<R> {}
impl<R> Top for Standard<R> {}
impl<R> Skip for Standard<R> {}

/// A request whose query options and headers are those its operation documents.
///
/// `O` is a zero-sized marker type generated for the operation, and each setter
/// exists only when `O` implements the matching trait ([`Select`], [`Top`],
/// [`Prefer`], ...), so an option the docs do not document for the operation does
/// not compile. A `Query<T, O>` dereferences to its [`Request<T>`] and converts into
/// it ([`Query::build`], `From`); the client takes either.
pub struct Query<T, O> {
    request: Request<T>,
    _options: PhantomData<fn() -> O>,
}

impl<T, O> Query<T, O> {
    pub fn new(request: Request<T>) -> Self {
        Query { request, _options: PhantomData }
    }

    /// The request, to send or to build an [`http::Request`] from.
    pub fn build(self) -> Request<T> {
        self.request
    }

    /// `Prefer: include-unknown-enum-members` (see
    /// [`Request::include_unknown_enum_members`]): any request may carry it, before
    /// or after [`prefer`](Query::prefer).
    pub fn include_unknown_enum_members(mut self) -> Self {
        self.request = self.request.include_unknown_enum_members();
        self
    }

    fn param(mut self, name: &str, value: String) -> Self {
        self.request = self.request.query_param(name, value);
        self
    }

    fn list<R>(mut self, name: &str, fields: &[Field<R>], suffix: &str) -> Self {
        let items: Vec<String> = fields.iter().map(|f| format!("{}{suffix}", f.as_str())).collect();
        self.request = self.request.append_query_list(name, &items.join(","));
        self
    }

    fn eventual(mut self, needed: bool) -> Self {
        if needed {
            self.request = self.request.typed_header("consistencylevel", "eventual");
        }
        self
    }

    fn header(mut self, name: &'static str, value: &str) -> Self {
        self.request = self.request.typed_header(name, value);
        self
    }
}

impl<T, O> Clone for Query<T, O> {
    fn clone(&self) -> Self {
        Query { request: self.request.clone(), _options: PhantomData }
    }
}

impl<T, O> fmt::Debug for Query<T, O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.request.fmt(f)
    }
}

impl<T, O> std::ops::Deref for Query<T, O> {
    type Target = Request<T>;
    fn deref(&self) -> &Request<T> {
        &self.request
    }
}

impl<T, O> From<Query<T, O>> for Request<T> {
    fn from(q: Query<T, O>) -> Request<T> {
        q.request
    }
}

impl<T, O: Select> Query<T, O> {
    /// `$select=a,b` (a second call adds to the list).
    pub fn select(self, fields: &[Field<O::Resource>]) -> Self {
        self.list("$select", fields, "")
    }
}

impl<T, O: Expand> Query<T, O> {
    /// `$expand=a,b` (a second call adds to the list).
    pub fn expand(self, fields: &[Field<O::Resource>]) -> Self {
        self.list("$expand", fields, "")
    }
}

impl<T, O: OrderBy> Query<T, O> {
    /// `$orderby=a,b`, ascending (a second call adds to the list).
    pub fn order_by(self, fields: &[Field<O::Resource>]) -> Self {
        self.list("$orderby", fields, "")
    }

    /// `$orderby=a desc,b desc` (a second call adds to the list).
    pub fn order_by_desc(self, fields: &[Field<O::Resource>]) -> Self {
        self.list("$orderby", fields, " desc")
    }
}

impl<T, O: Filter> Query<T, O> {
    /// `$filter=expression`.
    pub fn filter(self, expression: &str) -> Self {
        self.param("$filter", expression.to_owned()).eventual(O::EVENTUAL)
    }
}

impl<T, O: Search> Query<T, O> {
    /// `$search=expression` (Graph wants it in double quotes: `"\"displayName:al\""`).
    pub fn search(self, expression: &str) -> Self {
        self.param("$search", expression.to_owned()).eventual(O::EVENTUAL)
    }
}

impl<T, O: Count> Query<T, O> {
    /// `$count=true|false`.
    pub fn count(self, count: bool) -> Self {
        self.param("$count", count.to_string()).eventual(O::EVENTUAL)
    }
}

impl<T, O: Top> Query<T, O> {
    /// `$top=n`.
    pub fn top(self, n: u32) -> Self {
        self.param("$top", n.to_string())
    }
}

impl<T, O: Skip> Query<T, O> {
    /// `$skip=n`.
    pub fn skip(self, n: u32) -> Self {
        self.param("$skip", n.to_string())
    }
}

impl<T, O: Prefer> Query<T, O> {
    /// `Prefer: value` (for example `outlook.timezone="Pacific Standard Time"`). A
    /// value HTTP does not allow makes the request invalid.
    pub fn prefer(self, value: &str) -> Self {
        self.header("prefer", value)
    }
}

impl<T, O: IfMatch> Query<T, O> {
    /// `If-Match: etag`.
    pub fn if_match(self, etag: &str) -> Self {
        self.header("if-match", etag)
    }
}

impl<T, O: IfNoneMatch> Query<T, O> {
    /// `If-None-Match: etag`.
    pub fn if_none_match(self, etag: &str) -> Self {
        self.header("if-none-match", etag)
    }
}

impl<T, O: ConsistencyLevel> Query<T, O> {
    /// `ConsistencyLevel: eventual` (advanced directory queries).
    pub fn consistency_level_eventual(self) -> Self {
        self.header("consistencylevel", "eventual")
    }
}

impl<T, O: WorkbookSessionId> Query<T, O> {
    /// `Workbook-Session-Id: id`.
    pub fn workbook_session_id(self, id: &str) -> Self {
        self.header("workbook-session-id", id)
    }
}

#[cfg(test)]
mod tests {
    use crate::Request;

    #[test]
    fn alternate_keys_address_a_collection_item() {
        let p = super::Path::root().segment("directoryRoles").key("roleTemplateId", "62e9 O'Brien", true);
        assert_eq!(p.as_str(), "/directoryRoles(roleTemplateId='62e9%20O%27%27Brien')");
        let r: Request<()> = p.request(http::Method::GET, 200);
        assert_eq!(r.path_template(), "/directoryRoles(roleTemplateId={roleTemplateId})");
        let p = super::Path::root().segment("items").key("id", "7", false);
        assert_eq!(p.as_str(), "/items(id=7)");
        let bad: Request<()> = super::Path::root().segment("x").key("k", "", true).request(http::Method::GET, 200);
        assert!(bad.invalid_reason().is_some(), "an empty key is refused as an empty id is");
    }

    use super::*;

    struct Opts;
    impl Select for Opts {
        type Resource = ();
    }
    impl OrderBy for Opts {
        type Resource = ();
    }
    impl Count for Opts {
        const EVENTUAL: bool = true;
    }
    impl Top for Opts {}
    impl Prefer for Opts {}

    #[test]
    fn any_request_asks_for_the_members_of_evolvable_enums() {
        let prefer = |r: &Request<()>| r.headers().get_all("prefer").iter().map(|v| v.to_str().unwrap().to_string()).collect::<Vec<_>>();
        // A plain request, once however often asked.
        let r: Request<()> = Path::root().segment("widgets").request(http::Method::GET, 200);
        let r = r.include_unknown_enum_members().include_unknown_enum_members();
        assert_eq!(prefer(&r), ["include-unknown-enum-members"]);
        let h = r.to_http("https://graph.microsoft.com/v1.0").unwrap();
        assert_eq!(h.headers().get("prefer").unwrap(), "include-unknown-enum-members");
        // A query, beside the Prefer value its operation documents.
        let q: Query<(), Opts> = Query::new(Path::root().segment("widgets").request(http::Method::GET, 200));
        let q = q.prefer("outlook.timezone=\"UTC\"").include_unknown_enum_members();
        assert_eq!(prefer(&q.build()), ["outlook.timezone=\"UTC\"", "include-unknown-enum-members"]);
        // In the other order; a second prefer replaces the first value only.
        let q: Query<(), Opts> = Query::new(Path::root().segment("widgets").request(http::Method::GET, 200));
        let q = q.include_unknown_enum_members().prefer("return=minimal").prefer("outlook.timezone=\"UTC\"");
        assert_eq!(prefer(&q.build()), ["outlook.timezone=\"UTC\"", "include-unknown-enum-members"]);
    }

    #[test]
    fn setters_build_the_query_and_headers() {
        let path = Path::root().segment("users").param("id", "a/b c", "").segment("messages");
        assert_eq!(path.as_str(), "/users/a%2Fb%20c/messages");
        let q: Query<(), Opts> = Query::new(path.request(http::Method::GET, 200));
        let r = q
            .select(&[Field::new("subject"), Field::other("from")])
            .select(&[Field::new("id")])
            .order_by_desc(&[Field::new("receivedDateTime")])
            .top(3)
            .count(true)
            .prefer("outlook.body-content-type=\"text\"")
            .build();
        assert_eq!(r.path_and_query(), "/users/a%2Fb%20c/messages?$select=subject,from,id&$orderby=receivedDateTime%20desc&$top=3&$count=true");
        assert_eq!(r.headers()["consistencylevel"], "eventual");
        assert_eq!(r.headers()["prefer"], "outlook.body-content-type=\"text\"");
        assert!(r.invalid_reason().is_none());
    }

    #[test]
    fn an_item_path_keeps_its_folders_and_encodes_each_name() {
        let r: Request<()> = Path::root()
            .segment("me")
            .segment("drive")
            .segment("root:")
            .param("item-path", "Documents/Q1 report #2.docx", ":")
            .segment("content")
            .request(http::Method::GET, 200);
        assert_eq!(r.path_and_query(), "/me/drive/root:/Documents/Q1%20report%20%232.docx:/content");
        assert!(r.invalid_reason().is_none());
        // An id keeps a `/` as data.
        let r: Request<()> = Path::root().segment("users").param("id", "a/b", "").request(http::Method::GET, 200);
        assert_eq!(r.path_and_query(), "/users/a%2Fb");
        // No climbing out of the item path, and no empty folder names.
        for bad in ["Documents/../../x", "./x", "/x", "a//b", "a/"] {
            let r: Request<()> = Path::root().segment("root:").param("item-path", bad, ":").request(http::Method::GET, 200);
            assert!(r.invalid_reason().is_some_and(|m| m.contains("item-path")), "{bad}");
        }
    }

    #[test]
    fn bad_values_make_the_request_invalid() {
        let r: Request<()> = Path::root().segment("users").param("id", "..", "").request(http::Method::GET, 200);
        assert!(r.invalid_reason().is_some_and(|m| m.contains("id")));
        let q: Query<(), Opts> = Query::new(Path::root().segment("me").request(http::Method::GET, 200));
        assert!(q.prefer("a\nb").build().to_http("https://x").is_err());
    }

    #[test]
    fn function_segments_encode_and_quote() {
        let p = Path::root().segment("reports").function("getEmailActivityCounts", &[("period", "", true, "D7")]);
        assert_eq!(p.as_str(), "/reports/getEmailActivityCounts(period='D7')");
        let p = Path::root().function("f", &[("a", "", true, "it's/x"), ("n", "", false, "5")]);
        assert_eq!(p.as_str(), "/f(a='it%27%27s%2Fx',n=5)");
    }
}
