//! Pass 3: API pages become operations; their request-body tables and examples are evidence.

use super::*;

/// What an API page's request lines and examples say, read from the page alone (so
/// pages are read on another thread while the passes before operations run).
pub(super) struct RecognizedApiPage {
    declared: Vec<Declared>,
    examples: Vec<ParsedExample>,
    /// The diagnostics of reading them, in that order.
    diags: Vec<Diagnostic>,
}

pub(super) fn recognize_api_page(page: &Page) -> RecognizedApiPage {
    let mut diags = Vec::new();
    let declared = declared_requests(page, &mut diags);
    let examples = page_examples(page, &mut diags);
    RecognizedApiPage { declared, examples, diags }
}

impl Inferrer<'_> {
    // ---- pass 3: operations ----

    /// The operations of an API page, from what [`recognize_api_page`] read in it.
    pub(super) fn operation(&mut self, page: &Page, recognized: RecognizedApiPage) -> Vec<Operation> {
        let ns = page.namespace().map(str::to_string);
        let area = page.meta("ms.prod").map(str::to_string);
        let title = page.title().unwrap_or(page.stem()).to_string();
        let doc = page.meta("description").map(str::to_string);

        let RecognizedApiPage { mut declared, examples, mut diags } = recognized;
        self.diags.append(&mut diags);
        let correction_note = self.apply_corrections(page, &mut declared);
        if declared.is_empty() {
            self.diags.push(
                Diagnostic::new(Code::NoHttpRequest, page.start(), "API page has no HTTP request block; no request function is generated")
                    .hint("add a `## HTTP request` section with a ```http block such as `GET /me`"),
            );
            return Vec::new();
        }

        self.check_example_requests(page, &examples, &declared, correction_note.as_ref());

        // Request body.
        let Some(method) = declared.first().map(|d| d.0.clone()) else { return Vec::new() };
        let body = self.request_body(page, &examples, ns.as_deref(), area.as_deref(), &method);
        // Response.
        let (success_status, response, location_header) = self.response(page, &examples, ns.as_deref());
        self.example_bodies(&examples, body.as_ref(), ns.as_deref());

        let query_options = query_options(page);
        let headers = request_headers(page);
        let model_examples: Vec<Example> = examples.iter().filter_map(ParsedExample::to_model).collect();
        let mut ops = Vec::new();
        for (i, (m, p, span)) in declared.iter().enumerate() {
            let id = if i == 0 { page.stem().to_string() } else { format!("{}-{}", page.stem(), i + 1) };
            ops.push(Operation {
                id,
                title: title.clone(),
                doc: doc.clone(),
                method: m.to_ascii_uppercase(),
                path: http::template_segments(p),
                line_query: p.split_once('?').map(|(_, q)| q.to_string()).filter(|q| !q.is_empty()),
                query_options: query_options.clone(),
                headers: headers.clone(),
                body: if i == 0 || *m == method { body.clone() } else { None },
                success_status,
                response: response.clone(),
                location_header,
                span: span.clone(),
                area: area.clone(),
                examples: if i == 0 { model_examples.clone() } else { Vec::new() },
            });
        }
        ops
    }


    /// Reviewed corrections of the page's request line (corrections.json) applied
    /// to `declared`: the original line and the correction, if one applied.
    fn apply_corrections(&mut self, page: &Page, declared: &mut Vec<Declared>) -> Option<(Option<Declared>, Correction)> {
        let mut correction_note = None;
        for (i, c) in self.corrections.items.iter().enumerate() {
            if c.page != *page.path {
                continue;
            }
            if let Some(req) = &c.http_request {
                if let Some((m, p)) = http::request_line(req) {
                    self.used_corrections.insert(i);
                    let old = declared.first().cloned();
                    let span = old.as_ref().map(|o| o.2.clone()).unwrap_or_else(|| page.start());
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
    fn check_example_requests(&mut self, page: &Page, examples: &[ParsedExample], declared: &[Declared], correction_note: Option<&(Option<Declared>, Correction)>) {
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
                        Diagnostic::new(Code::PathMismatch, dspan.clone(), format!("HTTP request block says `{m} {p}` but the example request sends `{method} {ex_path}`"))
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

    pub(super) fn request_body(&mut self, page: &Page, examples: &[ParsedExample], ns: Option<&str>, area: Option<&str>, method: &str) -> Option<TypeRef> {
        let section: Vec<&Block> = section_blocks(page, "request body").collect();
        // "supply a JSON representation of/for the [x](...) object"
        let named = section.iter().find_map(|b| match b {
            Block::Paragraph { text, span } if text.text.to_ascii_lowercase().contains("json representation") => {
                text.links.first().map(|l| (self.link_type_name(&l.text, &l.dest, ns), span.clone()))
            }
            _ => None,
        });
        let example_type = examples.iter().filter_map(|e| e.request.as_ref()).find_map(|r| {
            r.body.as_ref().and_then(|(v, s)| v.get("@odata.type").and_then(Value::as_str).map(|t| (t.to_string(), s.clone())))
        });
        let table = first_table(section.iter().copied());
        let has_example_body = examples.iter().any(|e| e.request.as_ref().is_some_and(|r| r.body.is_some()));
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
        } else if table.is_some() || (has_example_body && matches!(method, "POST" | "PATCH" | "PUT")) {
            // An ad-hoc body: a type of its own, named after the operation.
            let span = table.map(|t| t.span.clone()).unwrap_or_else(|| page.start());
            let name = format!("{}.{}RequestBody", ns.unwrap_or(DEFAULT_NAMESPACE), heck::AsLowerCamelCase(page.stem()));
            let full = self.register(&name, Kind::Struct, &span, 0, area);
            if let Some(b) = self.types.get_mut(&full) {
                b.kind = Kind::Struct;
                b.defined_by = table.map(|_| Source::RequestTable);
                b.doc = Some(format!("The request body of `{}`.", page.stem()));
            }
            Some(full)
        } else {
            None
        };
        if let (Some(t), Some(table)) = (&ty, table) {
            self.property_table(t, table, ns, Source::RequestTable, false);
        }
        ty.map(TypeRef::Named)
    }

    pub(super) fn response(&mut self, page: &Page, examples: &[ParsedExample], ns: Option<&str>) -> (u16, ResponseBody, bool) {
        let section: Vec<&Block> = section_blocks(page, "response").collect();
        let mut status = None;
        let mut prose_type = None;
        let mut collection = false;
        let mut location = false;
        for b in &section {
            if let Block::Paragraph { text, span } = b {
                let l = text.text.to_ascii_lowercase();
                location |= l.contains("location header") || l.contains("`location`");
                if status.is_none() {
                    status = first_status(&text.text);
                    if status.is_some() {
                        collection = l.contains("collection");
                        prose_type = text
                            .links
                            .iter()
                            .find(|l| !l.dest.starts_with("http") && !l.text.contains(' '))
                            .map(|l| (self.link_type_name(&l.text, &l.dest, ns), span.clone()));
                    }
                }
            }
        }
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
                self.diags.push(Diagnostic::new(Code::NoResponse, page.start(), "no response status documented; 200 is assumed").hint("say \"returns a `200 OK` response code\" in the Response section"));
                200
            }
        };
        if status == 204 {
            return (status, ResponseBody::None, location);
        }
        let ann_type = ex.and_then(|e| e.response_type.clone().map(|t| (t, e.is_collection)));
        let (name, coll) = match (ann_type, prose_type) {
            (Some((t, c)), _) => (Some(t), c),
            (None, Some((p, _))) => (Some(p), collection),
            (None, None) => (None, false),
        };
        let body = match name {
            Some(n) => {
                let t = match Prim::parse(&n) {
                    Some(p) => TypeRef::Prim(p),
                    None => {
                        let full = self.resolve_name(&n, ns);
                        TypeRef::Named(self.register(&full, Kind::Unknown, &page.start(), 2, None))
                    }
                };
                if coll {
                    ResponseBody::Collection(t)
                } else {
                    ResponseBody::Single(t)
                }
            }
            None => {
                let has_body = ex.and_then(|e| e.response.as_ref()).is_some_and(|r| r.body.is_some());
                if has_body {
                    self.diags.push(Diagnostic::new(Code::BodyTypeUnknown, page.start(), "the response body type is not documented; it is typed as raw JSON").hint("add \"@odata.type\" to the response example's annotation"));
                    ResponseBody::Single(TypeRef::json())
                } else {
                    ResponseBody::None
                }
            }
        };
        (status, body, location)
    }

}
