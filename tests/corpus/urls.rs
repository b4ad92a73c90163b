//! URLs copied from the pages of the Graph v1.0 reference (`../shared`), written as
//! the URL-to-Rust rule of the README says, built by the whole-v1.0 crate
//! (`scripts/corpus.sh` generates it and runs this as its example `urls`): for each,
//! the method, the encoded path and query, and the headers the request carries.
//! Exits non-zero on any difference.

use graph_corpus::models::graph::{DirectoryObject, DriveItem, Message, Participant};
use graph_corpus::requests;
use graph_corpus::runtime::{Field, Request};

struct Check {
    failures: Vec<String>,
    count: usize,
}

impl Check {
    /// `url`: the request line of the docs page, for the report.
    fn request<T>(&mut self, url: &str, request: impl Into<Request<T>>, method: &str, path_and_query: &str, headers: &[(&str, &str)]) {
        self.count += 1;
        let request: Request<T> = request.into();
        let mut problems = Vec::new();
        if request.method().as_str() != method {
            problems.push(format!("method {} (want {method})", request.method()));
        }
        if request.path_and_query() != path_and_query {
            problems.push(format!("path and query {} (want {path_and_query})", request.path_and_query()));
        }
        let mut got: Vec<(String, String)> = request.headers().iter().map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("?").to_string())).collect();
        got.sort();
        let mut want: Vec<(String, String)> = headers.iter().map(|(k, v)| (k.to_ascii_lowercase(), v.to_string())).collect();
        want.sort();
        if got != want {
            problems.push(format!("headers {got:?} (want {want:?})"));
        }
        if let Some(reason) = request.invalid_reason() {
            problems.push(format!("invalid: {reason}"));
        }
        if !problems.is_empty() {
            self.failures.push(format!("{url}: {}", problems.join("; ")));
        }
    }
}

const JSON: (&str, &str) = ("content-type", "application/json");

fn main() {
    let mut c = Check { failures: Vec::new(), count: 0 };

    // List, /me alias, typed $select and $top (api/user-list-messages.md).
    c.request(
        "GET /me/messages",
        requests::me().messages().list().select(&[Message::SUBJECT, Message::FROM]).top(10),
        "GET",
        "/me/messages?$select=subject,from&$top=10",
        &[],
    );
    // The same list by user: `{id | userPrincipalName}` is one parameter, encoded as one segment.
    c.request(
        "GET /users/{id | userPrincipalName}/messages",
        requests::users().by_id("adele@contoso.com").messages().list().filter("importance eq 'high'").order_by_desc(&[Message::RECEIVED_DATE_TIME]),
        "GET",
        "/users/adele%40contoso.com/messages?$filter=importance%20eq%20%27high%27&$orderby=receivedDateTime%20desc",
        &[],
    );
    // Nested collection (api/user-list-messages.md, a folder's messages).
    c.request(
        "GET /me/mailFolders/{id}/messages",
        requests::me().mail_folders().by_id("inbox").messages().list().skip(20).count(true),
        "GET",
        "/me/mailFolders/inbox/messages?$skip=20&$count=true",
        &[],
    );
    // Get, with a property the docs do not list for the type (the escape hatch).
    c.request(
        "GET /me/messages/{id}",
        requests::me().messages().by_id("AAMkAGI2=").get().select(&[Message::BODY, Field::other("uniqueBody")]),
        "GET",
        "/me/messages/AAMkAGI2%3D?$select=body,uniqueBody",
        &[],
    );
    // Create (api/user-post-messages.md).
    c.request("POST /me/messages", requests::me().messages().create(&Default::default()), "POST", "/me/messages", &[JSON]);
    // Update (api/message-update.md).
    c.request("PATCH /me/messages/{id}", requests::me().messages().by_id("m1").update(&Default::default()), "PATCH", "/me/messages/m1", &[JSON]);
    // Delete (api/message-delete.md).
    c.request("DELETE /users/{id | userPrincipalName}/messages/{id}", requests::users().by_id("u1").messages().by_id("m 1").delete(), "DELETE", "/users/u1/messages/m%201", &[]);
    // An action on the user (api/user-sendmail.md).
    c.request("POST /me/sendMail", requests::me().send_mail(&Default::default()), "POST", "/me/sendMail", &[JSON]);
    // An action on an item of a nested collection (api/message-reply.md).
    c.request(
        "POST /users/{id | userPrincipalName}/mailFolders/{id}/messages/{id}/reply",
        requests::users().by_id("u1").mail_folders().by_id("f1").messages().by_id("m1").reply(&Default::default()),
        "POST",
        "/users/u1/mailFolders/f1/messages/m1/reply",
        &[JSON],
    );
    // An action with nothing to send but its name (api/message-createforward.md).
    c.request("POST /me/messages/{id}/createForward", requests::me().messages().by_id("m1").create_forward(), "POST", "/me/messages/m1/createForward", &[]);
    // A function with a parameter (api/reportroot-getemailactivitycounts.md).
    c.request(
        "GET /reports/getEmailActivityCounts(period='{period_value}')",
        requests::reports().get_email_activity_counts("D7"),
        "GET",
        "/reports/getEmailActivityCounts(period='D7')",
        &[],
    );
    // A function with two parameters (api/itemactivitystat-getactivitybyinterval.md).
    c.request(
        "GET /sites/{site-id}/lists/{list-id}/items/{item-id}/getActivitiesByInterval(startDateTime=..,interval=..)",
        requests::sites().by_id("s1").lists().by_id("l1").items().by_id("7").get_activities_by_interval("2017-05-01", "week"),
        "GET",
        "/sites/s1/lists/l1/items/7/getActivitiesByInterval(startDateTime='2017-05-01',interval='week')",
        &[],
    );
    // A function whose parameter has an enum type prefix (api/outlookuser-supportedtimezones.md);
    // the same segment without parentheses is a node, so the function takes its parameter's name.
    c.request(
        "GET /me/outlook/supportedTimeZones(TimeZoneStandard=microsoft.graph.timeZoneStandard'{timezone_format}')",
        requests::me().outlook().supported_time_zones_time_zone_standard("Iana"),
        "GET",
        "/me/outlook/supportedTimeZones(TimeZoneStandard=microsoft.graph.timeZoneStandard'Iana')",
        &[],
    );
    c.request("GET /me/outlook/supportedTimeZones", requests::me().outlook().supported_time_zones().list(), "GET", "/me/outlook/supportedTimeZones", &[]);
    // Members of a group, and references ($ref) to them (api/group-list-members.md,
    // api/group-post-members.md, api/group-delete-members.md).
    c.request(
        "GET /groups/{id}/members",
        requests::groups().by_id("g1").members().list().select(&[DirectoryObject::ID]).top(5),
        "GET",
        "/groups/g1/members?$select=id&$top=5",
        &[],
    );
    c.request("POST /groups/{id}/members/$ref", requests::groups().by_id("g1").members().r#ref().create(&Default::default()), "POST", "/groups/g1/members/$ref", &[JSON]);
    c.request("DELETE /groups/{id}/members/{id}/$ref", requests::groups().by_id("g1").members().by_id("u1").r#ref().delete(), "DELETE", "/groups/g1/members/u1/$ref", &[]);
    // OneDrive: children of the root, and path addressing (api/driveitem-list-children.md,
    // api/driveitem-get.md, api/driveitem-get-content.md).
    c.request(
        "GET /me/drive/items/{item-id}/children",
        requests::me().drive().items().by_id("root").children().list().expand(&[DriveItem::THUMBNAILS]),
        "GET",
        "/me/drive/items/root/children?$expand=thumbnails",
        &[],
    );
    c.request("GET /drives/{drive-id}/root:/{item-path}", requests::drives().by_id("d1").root_path().by_id("Q1 report.xlsx").get(), "GET", "/drives/d1/root:/Q1%20report.xlsx", &[]);
    c.request("GET /me/drive/root:/{item-path}:/content", requests::me().drive().root_path().by_path("notes.txt").content().get(), "GET", "/me/drive/root:/notes.txt:/content", &[]);
    // An item path in folders: the `/`s stay, each name is encoded.
    c.request(
        "GET /me/drive/root:/{item-path}:/content",
        requests::me().drive().root_path().by_path("Documents/Q1 report.docx").content().get(),
        "GET",
        "/me/drive/root:/Documents/Q1%20report.docx:/content",
        &[],
    );
    // Media of an entity: `$value` (api/profilephoto-get.md).
    c.request("GET /me/photo/$value", requests::me().photo().value().get(), "GET", "/me/photo/$value", &[]);
    // Documented request headers as typed setters: If-Match (api/plannerbucket-delete.md),
    // Prefer (api/event-delta.md, api/alert-update.md), Workbook-Session-Id
    // (api/workbook-closesession.md).
    c.request(
        "DELETE /planner/buckets/{id}",
        requests::planner().buckets().by_id("b1").delete().if_match("W/\"JzEtVGFzayAgQEBAQEBAQEBAQEBAQEBAWCc=\""),
        "DELETE",
        "/planner/buckets/b1",
        &[("if-match", "W/\"JzEtVGFzayAgQEBAQEBAQEBAQEBAQEBAWCc=\"")],
    );
    c.request(
        "GET /me/calendarView/delta",
        requests::me().calendar_view().delta().list().prefer("odata.maxpagesize=2"),
        "GET",
        "/me/calendarView/delta",
        &[("prefer", "odata.maxpagesize=2")],
    );
    c.request(
        "PATCH /security/alerts/{alert_id}",
        requests::security().alerts().by_id("a1").update(&Default::default()).prefer("return=representation"),
        "PATCH",
        "/security/alerts/a1",
        &[JSON, ("prefer", "return=representation")],
    );
    // The page's request line is the tail of its example's path: it is placed there.
    c.request(
        "POST /workbook/closeSession (example: /me/drive/items/{id}/workbook/closeSession)",
        requests::me().drive().items().by_id("01AB").workbook().close_session(&Default::default()).workbook_session_id("s-1"),
        "POST",
        "/me/drive/items/01AB/workbook/closeSession",
        &[JSON, ("workbook-session-id", "s-1")],
    );
    // Cloud communications (api/call-get.md, api/participant-invite.md, api/participant-list.md).
    c.request("GET /communications/calls/{id}", requests::communications().calls().by_id("57dab8b1").get(), "GET", "/communications/calls/57dab8b1", &[]);
    c.request(
        "POST /communications/calls/{id}/participants/invite",
        requests::communications().calls().by_id("57dab8b1").participants().invite(&Default::default()),
        "POST",
        "/communications/calls/57dab8b1/participants/invite",
        &[JSON],
    );
    c.request(
        "GET /communications/calls/{id}/participants",
        requests::communications().calls().by_id("57dab8b1").participants().list().select(&[Participant::INFO, Participant::IS_MUTED]),
        "GET",
        "/communications/calls/57dab8b1/participants?$select=info,isMuted",
        &[],
    );

    // Path parameters stay one segment each: `..` is refused, `/` encoded.
    let escape = requests::users().by_id("..").messages().list().build();
    if escape.invalid_reason().is_none() {
        c.failures.push("users().by_id(\"..\") was not refused".into());
    }

    if !c.failures.is_empty() {
        for f in &c.failures {
            eprintln!("urls: {f}");
        }
        eprintln!("urls: {} of {} requests differ", c.failures.len(), c.count);
        std::process::exit(1);
    }
    println!("urls: {} requests built from v1.0 URLs: method, encoded path, query and headers as documented", c.count);
}
