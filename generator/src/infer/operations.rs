//! Pass 3: API pages become operations; their request-body tables and examples are evidence.

use super::*;

impl Inferrer<'_> {
    // ---- pass 3: operations ----

    /// The operations of an API page, from what [`recognize_api_page`] read in it.
    /// `evidence`: its examples are evidence about the types (an API page's are; a
    /// resource page's request examples only make operations).
    pub(super) fn operation(&mut self, page: &DocPage, recognized: ApiPage, evidence: bool) -> Vec<Operation> {
        let ns = page.namespace.clone();
        let area = page.area.clone();
        let title = page.title.clone();
        let doc = page.description.clone();

        let ApiPage { mut declared, examples, mut diags, body_named, body_table, response: response_section, query_options, headers, deprecated } = recognized;
        // Deprecated by the page itself, or by the Methods table of its resource.
        let deprecated = deprecated.or_else(|| self.deprecated_ops.get(&page.path.to_ascii_lowercase()).cloned());
        self.diags.append(&mut diags);
        let correction_note = self.apply_corrections(page, &mut declared);
        self.root_tails(&examples, &mut declared);
        quote_like_examples(&examples, &mut declared);
        // Values where parameters belong are noted in the page's own request lines
        // (in lines made from examples they are the example's values).
        self.values_in_request_lines(&declared);
        if declared.is_empty() {
            declared = self.requests_from_examples(&examples);
        }
        if declared.is_empty() {
            self.diags.push(
                Diagnostic::new(Code::NoHttpRequest, page.start.clone(), "API page has no HTTP request block; no request function is generated")
                    .hint("add a `## HTTP request` section with a ```http block such as `GET /me`"),
            );
            return Vec::new();
        }

        self.check_example_requests(page, &examples, &declared, correction_note.as_ref());
        let examples_fit = examples.iter().filter_map(|e| e.request.as_ref()).all(|r| match &r.start {
            StartLine::Request { target, .. } => declared.iter().any(|(_, p, _)| http::path_matches(p, &http::url_path(target))),
            _ => true,
        });

        // Request body.
        let Some(method) = declared.first().map(|d| d.0.clone()) else { return Vec::new() };
        // A body that is not JSON takes bytes; a JSON body, its type. A GET or a
        // DELETE takes one only where an example of the page sends one (the Excel
        // range pages do); a "Request body" section alone is not enough, as the
        // Excel pages list a function's arguments there and send none.
        let media = body_media(&examples, &method, &declared);
        let example_body = examples
            .iter()
            .filter_map(|e| e.request.as_ref())
            .any(|r| r.body.is_some() && matches!(&r.start, StartLine::Request { method: m, .. } if m.eq_ignore_ascii_case(&method)));
        let takes_body = example_body || !matches!(method.as_str(), "GET" | "DELETE" | "HEAD");
        let body = if media.is_some() || !takes_body {
            None
        } else {
            // The spellings of the request lines' segments name the body (`createLink`).
            let segments: Vec<String> = declared
                .iter()
                .flat_map(|(_, p, _)| http::template_segments(p))
                .filter_map(|s| match s {
                    PathSegment::Literal(l) => Some(l.rsplit('.').next().unwrap_or_default().to_string()),
                    PathSegment::Param(_) => None,
                })
                .collect();
            self.request_body(page, body_named, body_table.as_ref(), &examples, ns.as_deref(), area.as_deref(), &method, &segments)
        };
        // Response.
        let (success_status, response, location_header) = self.response(page, &response_section, &examples, ns.as_deref());
        if evidence {
            self.example_bodies(&examples, body.as_ref(), ns.as_deref());
        }

        let mut headers = headers;
        // A header an example request sends is documented too (`Prefer:
        // return=representation` on a page whose table lists only Authorization).
        for (name, value) in examples.iter().filter_map(|e| e.request.as_ref()).flat_map(|r| &r.headers) {
            let ignored = ["authorization", "content-type", "content-length", "host"];
            if !ignored.iter().any(|i| name.eq_ignore_ascii_case(i)) && !headers.iter().any(|h| h.name.eq_ignore_ascii_case(name)) {
                headers.push(Header { name: name.clone(), value: value.clone() });
            }
        }
        let model_examples: Vec<Example> = examples.iter().filter_map(ParsedExample::to_model).collect();
        let mut ops = Vec::new();
        for (i, (m, p, span)) in declared.iter().enumerate() {
            let id = if i == 0 { page.stem.clone() } else { format!("{}-{}", page.stem, i + 1) };
            // The response of the example of this very line, where it differs.
            let response = if i == 0 { response.clone() } else { self.line_response(page, &examples, ns.as_deref(), p).unwrap_or_else(|| response.clone()) };
            // Bytes or JSON, by this line's own method.
            let line_media = if *m == method { media.clone() } else { body_media(&examples, m, &declared) };
            ops.push(Operation {
                id,
                title: title.clone(),
                doc: doc.clone(),
                method: m.to_ascii_uppercase(),
                path: http::template_segments(p),
                line_query: p.split_once('?').map(|(_, q)| q.to_string()).filter(|q| !q.is_empty()),
                query_options: query_options.clone(),
                headers: headers.clone(),
                body: if (i == 0 || *m == method) && line_media.is_none() { body.clone() } else { None },
                body_media: line_media,
                success_status,
                response,
                location_header,
                span: span.clone(),
                area: area.clone(),
                examples: if i == 0 { model_examples.clone() } else { Vec::new() },
                deprecated: deprecated.clone(),
                examples_fit,
            });
        }
        ops
    }

    /// Request lines that are the tail of the path their examples show (the Excel
    /// pages write `/workbook/worksheets/{id}`, their examples
    /// `/me/drive/items/{id}/workbook/worksheets/{id}`): each is placed under every
    /// distinct prefix the examples give it (a `request-line-rooted` note). A line
    /// that an example already fits is left as it is.
    fn root_tails(&mut self, examples: &[ParsedExample], declared: &mut Vec<Declared>) {
        let paths: Vec<(Vec<String>, &Span)> = examples
            .iter()
            .filter_map(|e| e.request.as_ref())
            .filter_map(|r| match &r.start {
                StartLine::Request { target, .. } => Some((http::url_path(target).split('/').filter(|s| !s.is_empty()).map(str::to_string).collect(), &r.span)),
                _ => None,
            })
            .collect();
        let mut out = Vec::with_capacity(declared.len());
        for (m, p, span) in declared.drain(..) {
            let t = http::template_segments(&p);
            let fits = paths.iter().any(|(e, _)| http::path_matches(&p, &format!("/{}", e.join("/"))));
            let mut prefixes: Vec<(String, &Span)> = Vec::new();
            if !fits && !t.is_empty() {
                for (e, at) in &paths {
                    if e.len() > t.len() {
                        let tail: Vec<&str> = e[e.len() - t.len()..].iter().map(String::as_str).collect();
                        let prefix = format!("/{}", e[..e.len() - t.len()].join("/"));
                        if http::path_matches_exact(&t, &tail) && !prefixes.iter().any(|(p, _)| *p == prefix) {
                            prefixes.push((prefix, at));
                        }
                    }
                }
            }
            if prefixes.is_empty() {
                out.push((m, p, span));
                continue;
            }
            for (prefix, at) in prefixes {
                let rooted = format!("{prefix}{p}");
                self.diags.push(
                    Diagnostic::new(
                        Code::RequestLineRooted,
                        span.clone(),
                        format!("request line `{m} {p}` is the tail of the path its example shows; placed as `{m} {rooted}`"),
                    )
                    .related((*at).clone(), "example request")
                    .hint("write the whole path in the HTTP request block"),
                );
                out.push((m.clone(), rooted, span.clone()));
            }
        }
        *declared = out;
    }

    /// A page with no request line but request examples: each example's method and
    /// path (its query left out), once per shape, as the page's request lines (a
    /// `request-from-example` note); values in the path become parameters when the
    /// path is read ([`http::template_segments`]).
    fn requests_from_examples(&mut self, examples: &[ParsedExample]) -> Vec<Declared> {
        let mut out: Vec<Declared> = Vec::new();
        for r in examples.iter().filter_map(|e| e.request.as_ref()) {
            let StartLine::Request { method, target } = &r.start else { continue };
            let path = http::url_path(target);
            if path.trim_matches('/').is_empty() {
                continue;
            }
            let shape = |p: &str| {
                http::template_segments(p)
                    .into_iter()
                    .map(|s| if let PathSegment::Literal(l) = s { l.to_ascii_lowercase() } else { "{}".into() })
                    .collect::<Vec<_>>()
            };
            if out.iter().any(|(m, p, _)| m == method && shape(p) == shape(&path)) {
                continue;
            }
            self.diags.push(
                Diagnostic::new(
                    Code::RequestFromExample,
                    r.span.clone(),
                    format!("the page has no HTTP request block; the operation is made from its example `{method} {path}`"),
                )
                .hint("add a `## HTTP request` section with the request line"),
            );
            out.push((method.clone(), path, r.span.clone()));
        }
        out
    }

    /// A `request-line-value` note for each segment of a request line that is a
    /// value or a malformed placeholder read as a parameter.
    fn values_in_request_lines(&mut self, declared: &[Declared]) {
        for (m, p, span) in declared {
            let path = http::url_path(p);
            for seg in path.split('/').filter(|s| !s.is_empty()) {
                let exact = seg.starts_with('{') && seg.ends_with('}') && seg.matches('{').count() == 1;
                if exact || seg.contains('(') || seg.ends_with(':') {
                    continue;
                }
                if http::template_segments(&format!("/{seg}")).iter().any(|s| matches!(s, PathSegment::Param(_))) {
                    self.diags.push(
                        Diagnostic::new(
                            Code::RequestLineValue,
                            span.clone(),
                            format!("request line `{m} {p}` writes `{seg}` where a parameter belongs; it is read as a parameter"),
                        )
                        .hint("write the parameter as `{name}`"),
                    );
                }
            }
        }
    }

    /// Reviewed corrections of the page's request line (corrections.json) applied
    /// to `declared`: the original line and the correction, if one applied.
    fn apply_corrections(&mut self, page: &DocPage, declared: &mut Vec<Declared>) -> Option<(Option<Declared>, Correction)> {
        let mut correction_note = None;
        for (i, c) in self.corrections.items.iter().enumerate() {
            if c.page != *page.path {
                continue;
            }
            if let Some(req) = &c.http_request {
                if let Some((m, p)) = http::request_line(req) {
                    self.used_corrections.insert(i);
                    let old = declared.first().cloned();
                    let span = old.as_ref().map(|o| o.2.clone()).unwrap_or_else(|| page.start.clone());
                    correction_note = Some((old, c.clone()));
                    match declared.first_mut() {
                        Some(first) => *first = (m, p, span),
                        None => declared.push((m, p, span)),
                    }
                }
            }
        }
        correction_note
    }

    /// Each example request checked against the declared request lines: the
    /// method, the path, and a note where a correction made them agree.
    fn check_example_requests(
        &mut self,
        page: &DocPage,
        examples: &[ParsedExample],
        declared: &[Declared],
        correction_note: Option<&(Option<Declared>, Correction)>,
    ) {
        for ex in examples {
            let Some(req) = &ex.request else { continue };
            let StartLine::Request { method, target } = &req.start else { continue };
            let ex_path = http::url_path(target);
            let matching = declared.iter().find(|(_, p, _)| http::path_matches(p, &ex_path));
            match matching {
                Some((m, _, dspan)) => {
                    if !m.eq_ignore_ascii_case(method) {
                        self.diags.push(
                            Diagnostic::new(Code::MethodMismatch, req.span.clone(), format!("example uses {method} but the HTTP request block says {m}"))
                                .related(dspan.clone(), "declared here")
                                .hint("make the example and the HTTP request block agree"),
                        );
                    }
                    if let Some((Some((om, op, ospan)), c)) = correction_note {
                        self.diags.push(
                            Diagnostic::new(
                                Code::CorrectionApplied,
                                ospan.clone(),
                                format!("HTTP request block says `{om} {op}`; corrected to `{}` ({})", c.http_request.as_deref().unwrap_or(""), c.reason),
                            )
                            .related(req.span.clone(), format!("the example request sends `{method} {ex_path}`"))
                            .related(c.span.clone(), "correction recorded here"),
                        );
                    }
                }
                None => {
                    let Some((m, p, dspan)) = declared.first() else { continue };
                    self.diags.push(
                        Diagnostic::new(
                            Code::PathMismatch,
                            dspan.clone(),
                            format!("HTTP request block says `{m} {p}` but the example request sends `{method} {ex_path}`"),
                        )
                        .related(req.span.clone(), "example request")
                        .hint(format!(
                            "fix the page, or record a reviewed correction in {} (\"page\": \"{}\", \"http_request\": \"{method} ...\", \"reason\": \"...\")",
                            crate::recognize::corrections::FILE_NAME,
                            page.path
                        )),
                    );
                }
            }
        }
    }

    /// The examples' bodies as evidence about the types they show: request bodies
    /// of the request-body type, responses of their annotated type.
    fn example_bodies(&mut self, examples: &[ParsedExample], body: Option<&TypeRef>, ns: Option<&str>) {
        for ex in examples {
            if let (Some(req), Some(TypeRef::Named(t))) = (&ex.request, body) {
                if let Some((v, vspan)) = &req.body {
                    let t = t.clone();
                    let mut loc = Locator::new(&req.body_text, vspan.clone());
                    self.example_value(Some(&t), v, &mut loc, ns);
                }
            }
            if let Some(resp) = &ex.response {
                if let Some((v, vspan)) = &resp.body {
                    let ty = ex.response_type.clone();
                    let ty = ty.map(|t| self.resolve_name(&t, ns));
                    let mut loc = Locator::new(&resp.body_text, vspan.clone());
                    if ex.is_collection {
                        if let Some(Value::Array(items)) = v.get("value") {
                            loc.key("value");
                            for item in items {
                                self.example_value(ty.as_deref(), item, &mut loc, ns);
                            }
                        }
                    } else if ty.is_some() || v.get("@odata.type").is_some() {
                        self.example_value(ty.as_deref(), v, &mut loc, ns);
                    }
                }
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn request_body(
        &mut self,
        page: &DocPage,
        named: Option<(LinkRef, Span)>,
        table: Option<&(PropertyTable, Span)>,
        examples: &[ParsedExample],
        ns: Option<&str>,
        area: Option<&str>,
        method: &str,
        segments: &[String],
    ) -> Option<TypeRef> {
        // "supply a JSON representation of/for the [x](...) object"
        let named = named.map(|(l, span)| (self.linked_type(&l.text, &l.dest, ns), span));
        let example_type = examples
            .iter()
            .filter_map(|e| e.request.as_ref())
            .find_map(|r| r.body.as_ref().and_then(|(v, s)| v.get("@odata.type").and_then(Value::as_str).map(|t| (t.to_string(), s.clone()))));
        // An example of this method that sends a body (a POST page's GET example does not count).
        let has_example_body = examples
            .iter()
            .filter_map(|e| e.request.as_ref())
            .any(|r| r.body.is_some() && matches!(&r.start, StartLine::Request { method: m, .. } if m.eq_ignore_ascii_case(method)));
        let ty = if let Some((name, span)) = named {
            let full = self.resolve_name(&clean_cell(&name), ns);
            let full = self.register(&full, Kind::Struct, &span, 2, None);
            if let Some((et, espan)) = &example_type {
                let ef = self.resolve_name(et, ns);
                if !ef.eq_ignore_ascii_case(&full) {
                    self.diags.push(
                        Diagnostic::new(Code::TypeConflict, espan.clone(), format!("example request body is a {ef} but the page says the body is a {full}"))
                            .related(span.clone(), "request body described here"),
                    );
                }
            }
            Some(full)
        } else if let Some((et, espan)) = example_type {
            let full = self.resolve_name(&et, ns);
            Some(self.register(&full, Kind::Struct, &espan, 1, None))
        } else if table.is_some() || has_example_body {
            // An ad-hoc body: a type of its own, named after the operation.
            let span = table.map(|(_, s)| s.clone()).unwrap_or_else(|| page.start.clone());
            let name = format!("{}.{}RequestBody", ns.unwrap_or(DEFAULT_NAMESPACE), self.stem_name(&page.stem, ns, segments));
            let full = self.register(&name, Kind::Struct, &span, 0, area);
            self.adhoc_bodies.insert(full.clone(), page.stem.clone());
            if let Some(b) = self.types.get_mut(&full) {
                b.kind = Kind::Struct;
                b.defined_by = table.map(|_| Source::RequestTable);
                b.doc = Some(format!("The request body of `{}`.", page.stem));
            }
            Some(full)
        } else {
            None
        };
        if let (Some(t), Some((table, _))) = (&ty, table) {
            self.property_table(t, table, ns, Source::RequestTable, false);
        }
        ty.map(TypeRef::Named)
    }

    /// A page stem as a lowerCamelCase name in which each run of words that names
    /// a type a page defines is spelled as the type is, and else each run that is a
    /// segment of the page's request lines as the segment is (`contactfolder-update`
    /// -> `contactFolderUpdate`, `user-post-contactfolders` -> `userPostContactFolders`,
    /// `driveitem-createlink` -> `driveItemCreateLink`): a file name is lower-cased,
    /// the names it is made of are not.
    pub(super) fn stem_name(&self, stem: &str, ns: Option<&str>, segments: &[String]) -> String {
        let words: Vec<&str> = stem.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).collect();
        let defined = |name: &str| -> Option<String> {
            [ns.unwrap_or(DEFAULT_NAMESPACE), DEFAULT_NAMESPACE].iter().find_map(|ns| {
                let c = self.types.canonical(&format!("{ns}.{name}"))?;
                self.types.get(c).filter(|b| b.kind != Kind::Unknown && b.def_rank == 0).map(|_| split_name(c).1.to_string())
            })
        };
        let mut out = String::new();
        let mut i = 0;
        while i < words.len() {
            // The longest run of words from here that names a type, or its plural.
            let found = (i + 1..=words.len()).rev().find_map(|j| {
                let joined = words[i..j].concat();
                if let Some(t) = defined(&joined) {
                    return Some((j, t));
                }
                if let Some(seg) = segments.iter().find(|s| s.eq_ignore_ascii_case(&joined)) {
                    return Some((j, seg.clone()));
                }
                let single = joined.strip_suffix('s').filter(|s| !s.is_empty())?;
                defined(single).map(|t| (j, format!("{t}s")))
            });
            let (next, word) = found.unwrap_or_else(|| (i + 1, words[i].to_string()));
            out.push_str(&heck::AsUpperCamelCase(&word).to_string());
            i = next;
        }
        let mut chars = out.chars();
        chars.next().map(|c| c.to_ascii_lowercase().to_string() + chars.as_str()).unwrap_or_default()
    }

    pub(super) fn response(&mut self, page: &DocPage, section: &ResponseSection, examples: &[ParsedExample], ns: Option<&str>) -> (u16, ResponseBody, bool) {
        let status = section.status;
        let (collection, collection_of) = (section.collection, section.collection_of);
        let mut location = section.location;
        let prose_type = section.type_link.as_ref().map(|(l, span)| (self.linked_type(&l.text, &l.dest, ns), span.clone()));
        // The first example response that is a success.
        let ex = examples.iter().find(|e| e.response.as_ref().is_some_and(|r| matches!(r.start, StartLine::Status { code, .. } if code < 300)));
        let ex_status = ex.and_then(|e| e.response.as_ref()).map(|r| match r.start {
            StartLine::Status { code, .. } => code,
            _ => 200,
        });
        location |= ex.and_then(|e| e.response.as_ref()).is_some_and(|r| r.headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("location")));
        let status = match (status, ex_status) {
            (Some(s), _) => s,
            (None, Some(s)) => s,
            (None, None) => {
                self.diags.push(
                    Diagnostic::new(Code::NoResponse, page.start.clone(), "no response status documented; 200 is assumed")
                        .hint("say \"returns a `200 OK` response code\" in the Response section"),
                );
                200
            }
        };
        if status == 204 {
            return (status, ResponseBody::None, location);
        }
        let ann_type = ex.and_then(|e| e.response_type.clone().map(|t| (t, e.is_collection)));
        // A collection by any sign the page gives: the annotation (`Collection(x)`,
        // `isCollection`), a response body shaped `{"value": [...]}`, or a return
        // sentence that says "collection of". The example's own body outweighs the
        // sentence: one object that is no page is one object.
        let single = ex.and_then(|e| e.response.as_ref()).and_then(|r| r.body.as_ref()).is_some_and(|(v, _)| v.is_object() && !is_page_shaped(v));
        let (name, coll) = match (ann_type, prose_type) {
            (Some((t, c)), _) => (Some(t), c || (collection_of && !single)),
            (None, Some((p, _))) => (Some(p), (collection && !single) || ex.is_some_and(|e| e.is_collection)),
            (None, None) => (None, false),
        };
        let body = match name {
            Some(n) => self.typed_response(&n, coll, page, ns),
            None => {
                let has_body = ex.and_then(|e| e.response.as_ref()).is_some_and(|r| r.body.is_some());
                if has_body {
                    self.diags.push(
                        Diagnostic::new(Code::BodyTypeUnknown, page.start.clone(), "the response body type is not documented; it is typed as raw JSON")
                            .hint("add \"@odata.type\" to the response example's annotation"),
                    );
                    ResponseBody::Single(TypeRef::json())
                } else {
                    ResponseBody::None
                }
            }
        };
        (status, body, location)
    }

    /// The type a body or response sentence links to: the type whose page the link
    /// points to, when that page defines one (`[message](../resources/chatmessage.md)`
    /// is a chatMessage, whatever its words), else the one its text names.
    fn linked_type(&self, text: &str, dest: &str, ns: Option<&str>) -> String {
        let stem = dest.split(['#', '?']).next().unwrap_or("").rsplit('/').next().unwrap_or("").trim_end_matches(".md");
        if !stem.is_empty() && !dest.contains("://") {
            if let Some(full) = self.types.canonical(&self.resolve_name(stem, ns)) {
                return full.to_string();
            }
        }
        self.link_type_name(text, dest, ns)
    }

    /// A response of the type named `name` (a collection of it when `coll`).
    fn typed_response(&mut self, name: &str, coll: bool, page: &DocPage, ns: Option<&str>) -> ResponseBody {
        let t = match Prim::parse(name) {
            Some(p) => TypeRef::Prim(p),
            None => {
                let full = self.resolve_name(name, ns);
                TypeRef::Named(self.register(&full, Kind::Unknown, &page.start, 2, None))
            }
        };
        if coll {
            ResponseBody::Collection(t)
        } else {
            ResponseBody::Single(t)
        }
    }

    /// The response of one request line that an example of its own answers (its
    /// path fits the line), when that is not the page's first success example (a
    /// page documenting `GET /special/{name}` and `GET /special/{name}/children`):
    /// that example's annotated type, a collection when it says so and its body is
    /// no single object.
    fn line_response(&mut self, page: &DocPage, examples: &[ParsedExample], ns: Option<&str>, line: &str) -> Option<ResponseBody> {
        let path = http::url_path(line);
        let success = |e: &&ParsedExample| e.response.as_ref().is_some_and(|r| matches!(r.start, StartLine::Status { code, .. } if code < 300));
        let fits = |e: &&ParsedExample| matches!(e.request.as_ref().map(|r| &r.start), Some(StartLine::Request { target, .. }) if http::path_matches(&path, &http::url_path(target)));
        let ex = examples.iter().filter(success).find(fits)?;
        if examples.iter().find(success).is_some_and(|first| std::ptr::eq(first, ex)) {
            return None;
        }
        let name = ex.response_type.clone()?;
        let single = ex.response.as_ref().and_then(|r| r.body.as_ref()).is_some_and(|(v, _)| v.is_object() && !is_page_shaped(v));
        Some(self.typed_response(&name, ex.is_collection && !single, page, ns))
    }
}

/// The `Content-Type` of a request body that is not JSON: the one an example
/// request of `method` sends (`image/jpeg` for a photo, `text/plain` for a file's
/// text), else `application/octet-stream` for a PUT, POST or PATCH of a `$value` or
/// `content` segment whose examples send no JSON (a stream, whatever it holds).
fn body_media(examples: &[ParsedExample], method: &str, declared: &[Declared]) -> Option<String> {
    let requests = || {
        examples
            .iter()
            .filter_map(|e| e.request.as_ref())
            .filter(|r| matches!(&r.start, StartLine::Request { method: m, .. } if m.eq_ignore_ascii_case(method)))
    };
    // An example with a JSON body says the body is JSON, whatever another sends.
    if requests().any(|r| r.body.is_some()) {
        return None;
    }
    if let Some(media) = requests().find_map(|r| r.non_json_media()) {
        return Some(media);
    }
    let stream = declared.first().is_some_and(|(_, p, _)| {
        let path = http::url_path(p);
        let last = path.rsplit('/').next().unwrap_or("");
        last.eq_ignore_ascii_case("$value") || last.eq_ignore_ascii_case("content")
    });
    (stream && matches!(method, "PUT" | "POST" | "PATCH") && !requests().any(|r| r.body.is_some())).then(|| "application/octet-stream".to_string())
}

/// The arguments of a request line's function segments quoted as the page's
/// examples quote them: the line `getYammerActivityUserDetail(date={date_value})`
/// with the example `getYammerActivityUserDetail(date='2018-03-05')` is read as
/// `(date='{date_value}')` (the example is the request the service answered). An
/// argument no example shows keeps the line's quoting.
fn quote_like_examples(examples: &[ParsedExample], declared: &mut [Declared]) {
    let paths: Vec<String> = examples
        .iter()
        .filter_map(|e| e.request.as_ref())
        .filter_map(|r| match &r.start {
            StartLine::Request { target, .. } => Some(http::url_path(target)),
            _ => None,
        })
        .collect();
    for (_, p, _) in declared.iter_mut() {
        let (path, query) = match p.split_once('?') {
            Some((a, b)) => (a.to_string(), Some(b.to_string())),
            None => (p.clone(), None),
        };
        if !path.contains('(') {
            continue;
        }
        let Some(example) = paths.iter().find(|e| http::path_matches(&path, e)) else { continue };
        let ex_segs: Vec<&str> = example.split('/').filter(|s| !s.is_empty()).collect();
        let segs: Vec<&str> = path.split('/').collect();
        // Align from the end: a `/me` example of a `/users/{id}` line has another length.
        let offset = ex_segs.len() as isize - segs.iter().filter(|s| !s.is_empty()).count() as isize;
        let mut k = 0isize;
        let mut out: Vec<String> = Vec::with_capacity(segs.len());
        for seg in &segs {
            if seg.is_empty() {
                out.push(String::new());
                continue;
            }
            let ex = usize::try_from(k + offset).ok().and_then(|i| ex_segs.get(i)).copied();
            k += 1;
            out.push(match ex {
                Some(ex) => requote(seg, ex),
                None => seg.to_string(),
            });
        }
        let joined = out.join("/");
        *p = match query {
            Some(q) => format!("{joined}?{q}"),
            None => joined,
        };
    }
}

/// `seg` (`f(a={x},b='{y}')`) with each argument quoted as in `ex` (`f(a='1',b=2)`).
fn requote(seg: &str, ex: &str) -> String {
    let (Some((name, args)), Some((ex_name, ex_args))) = (seg.split_once('('), ex.split_once('(')) else { return seg.to_string() };
    if !name.eq_ignore_ascii_case(ex_name) {
        return seg.to_string();
    }
    let quoted: Vec<(String, bool)> = ex_args
        .trim_end_matches(')')
        .split(',')
        .filter_map(|a| a.split_once('='))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().starts_with('\'')))
        .collect();
    let mut parts = Vec::new();
    for a in args.trim_end_matches(')').split(',') {
        let Some((k, v)) = a.split_once('=') else {
            parts.push(a.to_string());
            continue;
        };
        let v = v.trim();
        let bare = v.trim_matches('\'');
        let want = quoted.iter().find(|(ek, _)| ek.eq_ignore_ascii_case(k.trim())).map(|(_, q)| *q);
        parts.push(match want {
            Some(true) if !v.starts_with('\'') => format!("{k}='{bare}'"),
            Some(false) if v.starts_with('\'') => format!("{k}={bare}"),
            _ => a.to_string(),
        });
    }
    format!("{name}({})", parts.join(","))
}

#[cfg(test)]
mod tests {
    use super::requote;

    #[test]
    fn function_arguments_are_quoted_as_the_example_quotes_them() {
        assert_eq!(
            requote("getYammerActivityUserDetail(date={date_value})", "getYammerActivityUserDetail(date='2018-03-05')"),
            "getYammerActivityUserDetail(date='{date_value}')"
        );
        assert_eq!(requote("range(address='<address>')", "range(address=A1:B2)"), "range(address=<address>)");
        assert_eq!(
            requote("reminderView(startDateTime={s},endDateTime={e})", "reminderView(startDateTime='2017-06-05T10:00:00',endDateTime=x)"),
            "reminderView(startDateTime='{s}',endDateTime={e})"
        );
        // Another function, or no example argument: as the line writes it.
        assert_eq!(requote("f(a={x})", "g(a='1')"), "f(a={x})");
        assert_eq!(requote("f(a={x})", "f(b='1')"), "f(a={x})");
    }
}
