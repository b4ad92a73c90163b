//! The client against the docs served as a local Graph (`msgraph_mock::MockGraph`):
//! the README's example of a user's test, and paging through the mock's next links.

use std::time::Duration;

use futures_util::StreamExt;
use msgraph::client::Client;
use msgraph::requests;
use msgraph_mock::MockGraph;

const CALL: &str = "57dab8b1";

#[tokio::test]
async fn retries_a_throttled_call() {
    let graph = MockGraph::start("docs").await.unwrap();
    graph.throttle("GET", "/communications/calls/{id}", 2, Duration::from_secs(0));
    let client = Client::builder().base_url(graph.base_url()).token("t").build().unwrap();
    let call = client.send(requests::communications().calls().by_id(CALL).get()).await.unwrap();
    assert_eq!(call.body.state.map(|s| s.as_str().to_string()).as_deref(), Some("established"));
    let statuses: Vec<u16> = graph.requests().iter().map(|r| r.status).collect();
    assert_eq!(statuses, [429, 429, 200], "two 429s, then the documented answer");
}

#[tokio::test]
async fn items_follow_the_mock_next_links() {
    let graph = MockGraph::start("docs").await.unwrap();
    let client = Client::builder().base_url(graph.base_url()).token("t").build().unwrap();
    let items: Vec<_> = client.items(requests::communications().calls().by_id(CALL).participants().list()).collect().await;
    let documented = 2; // the participants of the documented first page
    assert_eq!(items.len(), documented, "{items:?}");
    assert!(items.iter().all(Result::is_ok));
    // The first page, then the next link on the mock (an empty last page).
    let log = graph.requests();
    assert_eq!(log.len(), 2);
    assert!(log[1].target.contains("$skiptoken="), "{log:?}");
}
