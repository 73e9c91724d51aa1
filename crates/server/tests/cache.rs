//! The server caches what it computes from the whole store (the snapshot, pages' figures,
//! statistics, the ids of event lists) under the store's generation. A write, by this server
//! or by another connection to the file, must show on the very next read.

mod support;

use axum::http::StatusCode;
use serde_json::json;
use support::*;

/// The overview's number of events to review.
fn to_review(html: &str) -> u64 {
    let at = html.find("href=\"/review\"><strong>").expect("the overview links the review queue");
    let rest = &html[at + "href=\"/review\"><strong>".len()..];
    rest[..rest.find('<').unwrap()].parse().unwrap()
}

fn ids(list: &serde_json::Value) -> Vec<i64> {
    list["items"].as_array().unwrap().iter().map(|e| e["id"].as_i64().unwrap()).collect()
}

#[tokio::test]
async fn a_decision_shows_on_the_next_read_of_every_cached_view() {
    let f = fixture();
    let app = f.app();
    let token = f.token("Malika");
    let all = f.event_ids();
    let (a, c) = (all[0], all[2]);

    // Read everything once, twice: the second answers come from the caches.
    for _ in 0..2 {
        assert_eq!(to_review(&get(&app, "/").await.body), all.len() as u64);
        assert_eq!(ids(&get(&app, "/api/events").await.json()).len(), all.len());
        assert!(ids(&get(&app, "/api/events?review=reviewed").await.json()).is_empty());
        let stats = get(&app, "/api/stats").await.json();
        assert_eq!(stats["review"], json!({"to_review": all.len(), "reviewed": 0}));
        assert_eq!(get(&app, "/review").await.status, StatusCode::OK);
    }

    let r = post_json(&app, &format!("/api/review/events/{a}/accept"), Some(&token), json!({})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(to_review(&get(&app, "/").await.body), all.len() as u64 - 1);
    assert_eq!(ids(&get(&app, "/api/events?review=reviewed").await.json()), vec![a]);
    let stats = get(&app, "/api/stats").await.json();
    assert_eq!(stats["review"], json!({"to_review": all.len() - 1, "reviewed": 1}));

    let r = post_json(&app, &format!("/api/review/events/{c}/reject"), Some(&token), json!({"reason": "no"})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let listed = ids(&get(&app, "/api/events").await.json());
    assert_eq!(listed.len(), all.len() - 1);
    assert!(!listed.contains(&c), "a rejected event leaves the cached list");
    assert!(!get(&app, "/events").await.body.contains(&format!("href=\"/events/{c}\"")));
    assert_eq!(get(&app, "/api/stats").await.json()["events"], json!(all.len() - 1));
}

#[tokio::test]
async fn a_write_by_another_connection_shows_on_the_next_read() {
    let f = fixture();
    let app = f.app();
    let all = f.event_ids();
    assert_eq!(to_review(&get(&app, "/").await.body), all.len() as u64);
    assert_eq!(ids(&get(&app, "/api/events").await.json()).len(), all.len());
    // As another process would (`hamkor review reject`), on its own connection.
    let mut other = f.store();
    other.reject_event(all[1], "Aziz", "not cooperation", None).unwrap();
    assert_eq!(to_review(&get(&app, "/").await.body), all.len() as u64 - 1);
    let listed = ids(&get(&app, "/api/events").await.json());
    assert!(!listed.contains(&all[1]) && listed.len() == all.len() - 1, "{listed:?}");
}
