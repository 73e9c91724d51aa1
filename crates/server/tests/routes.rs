//! The route table, walked: no write succeeds without a token, every read answers, the OpenAPI
//! document lists exactly the API routes, and errors keep their shape.

mod support;

use axum::http::{header, Method, StatusCode};
use hamkor_server::routes::{self, Access, Kind, Route};
use hamkor_store::Store;
use support::*;

/// A concrete URI for a route's path pattern.
fn concrete(f: &Fixture, path: &str) -> String {
    let event = f.event_ids()[0];
    let store = f.store();
    let id = if path.contains("documents") {
        "1".to_string()
    } else if path.contains("agreements") {
        hamkor_app::registry(&store).unwrap().agreements[0].id.clone()
    } else if path.contains("canonical") {
        store.canonical_of(event).unwrap().expect("a canonical event").to_string()
    } else {
        event.to_string()
    };
    path.replace("{id}", &id)
        .replace("{pair}", "TJK-UZB")
        .replace("{document}", "1")
        .replace("{file}", "style.css")
        + if path == "/api/search" { "?q=water" } else { "" }
}

/// What the store holds that a write could change.
fn state_of(f: &Fixture) -> (u64, u64, usize, usize, usize, (u64, u64)) {
    let s = f.store();
    let st = s.stats().unwrap();
    let audit = s.audit_log(&hamkor_store::AuditQuery { limit: 1000, ..Default::default() }).unwrap();
    // Token creation writes an audit row too; count only the others.
    let audit = audit.iter().filter(|a| !a.action.starts_with("token")).count();
    (st.documents, st.events, audit, s.codings(None).unwrap().len(), f.event_ids().len(), s.review_counts().unwrap())
}

fn write_body(route: &Route, doc_text_len: usize) -> (String, &'static str) {
    if route.kind == Kind::Api {
        let body = match route.path {
            "/api/documents" => return ("{\"id\":\"x\",\"text\":\"Uzbekistan and Kazakhstan signed a treaty.\"}\n".into(), "application/x-ndjson"),
            "/api/review/merge" => serde_json::json!({"event_id": 1, "canonical": 2, "reason": "same summit"}),
            "/api/review/split" => serde_json::json!({"event_id": 1, "reason": "another summit"}),
            "/api/review/codings" => serde_json::json!({
                "document_id": 1, "evidence_start": 0, "evidence_end": doc_text_len.min(10),
                "type": "meeting", "actors": ["UZB", "TJK"], "domains": ["water"]
            }),
            p if p.ends_with("/reject") => serde_json::json!({"reason": "not an event"}),
            p if p.ends_with("/edit") => serde_json::json!({"type": "meeting"}),
            _ => serde_json::json!({}),
        };
        (body.to_string(), "application/json")
    } else {
        ("reason=x&type=meeting&actors=UZB%2CTJK&u0_span=0-10&u0_type=meeting&token=hk_nope".into(), "application/x-www-form-urlencoded")
    }
}

#[tokio::test]
async fn no_write_succeeds_without_a_token() {
    let f = fixture();
    let app = f.app();
    let before = state_of(&f);
    let table = routes::routes();
    let writes: Vec<&Route> = table.iter().filter(|r| r.access == Access::Write).collect();
    assert!(writes.len() >= 9, "the table has the review and ingest writes: {writes:?}");
    let doc_len = support::DOCS[0].2.len();
    for r in &writes {
        assert_ne!(r.method, Method::GET, "{} {} is a write on GET", r.method, r.path);
        let uri = concrete(&f, r.path);
        let (body, ctype) = write_body(r, doc_len);
        // No token at all; a wrong token; a token-shaped string that was never issued; a
        // session cookie that was never opened (with a matching CSRF pair).
        let attempts: Vec<Vec<(&str, String)>> = vec![
            vec![],
            vec![("authorization", "Bearer nonsense".into())],
            vec![("authorization", format!("Bearer hk_{}", "0".repeat(64)))],
            vec![("cookie", format!("hamkor_session={}; hamkor_csrf={}", "a".repeat(64), "b".repeat(32)))],
        ];
        for headers in attempts {
            let mut req = axum::http::Request::builder().method(r.method.clone()).uri(&uri).header(header::CONTENT_TYPE, ctype);
            for (k, v) in &headers {
                req = req.header(*k, v);
            }
            let body = if headers.iter().any(|(k, _)| *k == "cookie") { format!("{body}&csrf={}", "b".repeat(32)) } else { body.clone() };
            let res = send(&app, req.body(axum::body::Body::from(body)).unwrap()).await;
            assert_eq!(res.status, StatusCode::UNAUTHORIZED, "{} {uri} with {headers:?}: {}", r.method, res.body);
            if r.kind == Kind::Api {
                assert_eq!(res.json()["error"]["code"], "unauthorized");
            } else {
                assert!(res.body.contains("<html"), "a page route answers an HTML page: {}", res.body);
            }
        }
        // The same path with GET is no way around it.
        if !table.iter().any(|x| x.path == r.path && x.method == Method::GET) {
            let res = get(&app, &uri).await;
            assert_eq!(res.status, StatusCode::METHOD_NOT_ALLOWED, "GET {uri}");
        }
    }
    // Signing in with a token that was never issued fails too.
    let login = get(&app, "/login").await;
    let csrf = set_cookie(&login, "hamkor_csrf").unwrap();
    let res = post_form(&app, "/login", &[("cookie", &format!("hamkor_csrf={csrf}"))], &[("csrf", &csrf), ("token", "hk_wrong")]).await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    assert!(set_cookie(&res, "hamkor_session").is_none());
    assert_eq!(state_of(&f), before, "nothing changed in the store");
}

#[tokio::test]
async fn writes_with_a_token_succeed_and_name_the_reviewer() {
    let f = fixture();
    let app = f.app();
    let token = f.token("Dilnoza");
    let ids = f.event_ids();
    let r = post_json(&app, &format!("/api/review/events/{}/accept", ids[0]), Some(&token), serde_json::json!({"reason": "checked"})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["audit"]["actor"], "Dilnoza");
    // A body cannot choose the reviewer's name.
    let r = post_json(
        &app,
        &format!("/api/review/events/{}/edit", ids[1]),
        Some(&token),
        serde_json::json!({"type": "meeting", "actor": "Mallory", "reviewer": "Mallory"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["audit"]["actor"], "Dilnoza");
    // Ingest through the API needs a pipeline this test server was not given: 503, not 200.
    let r = send(
        &app,
        axum::http::Request::post("/api/documents")
            .header("authorization", format!("Bearer {token}"))
            .header("content-type", "application/x-ndjson")
            .body(axum::body::Body::from("{\"id\":\"1\",\"text\":\"x\"}"))
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE, "{}", r.body);
    assert_eq!(r.json()["error"]["code"], "unavailable");
}

#[tokio::test]
async fn every_read_route_answers_here_and_needs_a_token_from_elsewhere() {
    let f = fixture();
    let app = f.app();
    let remote = f.remote_app();
    let token = f.token("Reader");
    let bearer = format!("Bearer {token}");
    for r in routes::routes().iter().filter(|r| r.method == Method::GET) {
        let uri = concrete(&f, r.path);
        let res = get(&app, &uri).await;
        assert_eq!(res.status, StatusCode::OK, "GET {uri}: {}", &res.body[..res.body.len().min(400)]);
        let ctype = res.headers.get(header::CONTENT_TYPE).unwrap().to_str().unwrap().to_string();
        match r.kind {
            Kind::Api => assert!(ctype.starts_with("application/json"), "{uri}: {ctype}"),
            Kind::Page => {
                assert!(ctype.starts_with("text/html"), "{uri}: {ctype}");
                assert!(res.body.starts_with("<!DOCTYPE html>"), "{uri}");
                assert!(!res.body.contains("http://") || res.body.contains("http://www.w3.org"), "{uri}: no external URL");
            }
            Kind::Asset => {}
        }
        for h in ["x-content-type-options", "x-frame-options", "content-security-policy"] {
            assert!(res.headers.contains_key(h), "{uri}: {h}");
        }
        let from_afar = get(&remote, &uri).await;
        if r.access == Access::SignIn || r.kind == Kind::Asset {
            assert_eq!(from_afar.status, StatusCode::OK, "remote GET {uri} (the way in stays open)");
        } else {
            assert_eq!(from_afar.status, StatusCode::UNAUTHORIZED, "remote GET {uri} without a token");
            let with = get_with(&remote, &uri, &[("authorization", &bearer)]).await;
            assert_eq!(with.status, StatusCode::OK, "remote GET {uri} with a token");
        }
    }
}

#[tokio::test]
async fn the_openapi_document_lists_exactly_the_api_routes() {
    let f = fixture();
    let res = get(&f.app(), "/api/openapi.json").await;
    assert_eq!(res.status, StatusCode::OK);
    let doc = res.json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"), "{}", doc["openapi"]);
    let mut documented: Vec<(String, String)> = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            if ["get", "post", "put", "patch", "delete"].contains(&method.as_str()) {
                documented.push((method.to_uppercase(), path.clone()));
            }
        }
    }
    documented.sort();
    let mut table: Vec<(String, String)> = routes::routes()
        .iter()
        .filter(|r| r.kind == Kind::Api)
        .map(|r| (r.method.to_string(), r.path.to_string()))
        .collect();
    table.sort();
    assert_eq!(documented, table, "the OpenAPI document and the route table differ");
    // Every write says it needs the token.
    for r in routes::routes().iter().filter(|r| r.kind == Kind::Api && r.access == Access::Write) {
        let op = &doc["paths"][r.path][r.method.as_str().to_lowercase()];
        assert!(op["security"].to_string().contains("token"), "{} {} has no security", r.method, r.path);
    }
    assert!(doc["components"]["securitySchemes"]["token"].is_object());
}

#[tokio::test]
async fn errors_have_stable_codes_and_leak_nothing() {
    let f = fixture();
    let app = f.app();
    let r = get(&app, "/api/nothing-here").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.json()["error"]["code"], "not_found");
    let r = get(&app, "/nothing-here").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.body.contains("<html"));
    let r = get(&app, "/api/events?type=banquet").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.json()["error"]["code"], "bad_request");
    let r = get(&app, "/api/events?from=yesterday").await;
    assert_eq!(r.json()["error"]["code"], "bad_request");
    let r = get(&app, "/api/search?q=...").await;
    assert_eq!(r.json()["error"]["code"], "bad_query");
    let r = get(&app, "/api/events/999999").await;
    assert_eq!(r.json()["error"]["code"], "not_found");
    let r = get(&app, "/api/events/abc").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let token = f.token("Big");
    let big = serde_json::json!({ "reason": "x".repeat(hamkor_server::BODY_LIMIT + 10) });
    let id = f.event_ids()[0];
    let r = post_json(&app, &format!("/api/review/events/{id}/reject"), Some(&token), big).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(r.json()["error"]["code"], "payload_too_large");
    let r = post_json(&app, &format!("/api/review/events/{id}/reject"), Some(&token), serde_json::json!({"reason": " "})).await;
    assert_eq!(r.json()["error"]["code"], "bad_request");
    let r = send(
        &app,
        axum::http::Request::post(format!("/api/review/events/{id}/accept"))
            .header("authorization", format!("Bearer {token}"))
            .body(axum::body::Body::from("{}"))
            .unwrap(),
    )
    .await;
    assert_eq!(r.json()["error"]["code"], "unsupported_media_type");
    // Every code the server can send is in the table, with its status.
    for (code, status) in hamkor_server::error::CODES {
        assert!(*status >= 400 && !code.is_empty());
    }
    // An internal failure: the events table is gone. The answer is a generic 500.
    let conn = rusqlite::Connection::open(&f.db).unwrap();
    conn.execute_batch("PRAGMA foreign_keys = OFF; DROP TABLE event_actors; DROP TABLE event_domains; DROP TABLE events;").unwrap();
    let r = get(&app, "/api/events").await;
    assert_eq!(r.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(r.json()["error"]["code"], "internal");
    for leak in ["events", "sqlite", "SQL", "table", "/tmp", ".db"] {
        assert!(!r.body.contains(leak), "the 500 leaks {leak:?}: {}", r.body);
    }
}

#[tokio::test]
async fn forms_need_their_csrf_token_and_the_same_site() {
    let f = fixture();
    let app = f.app();
    let token = f.token("Aziz");
    let id = f.event_ids()[0];
    // Sign in: the login page sets the CSRF cookie that the form must echo.
    let login = get(&app, "/login?next=/review").await;
    let csrf = set_cookie(&login, "hamkor_csrf").expect("a CSRF cookie");
    assert!(login.body.contains(&format!("value=\"{csrf}\"")));
    let cookie = format!("hamkor_csrf={csrf}");
    let r = post_form(&app, "/login", &[("cookie", &cookie)], &[("token", &token), ("next", "/review")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "no CSRF field");
    let r = post_form(&app, "/login", &[("cookie", &cookie)], &[("csrf", &csrf), ("token", &token), ("next", "https://evil.example/")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.headers[header::LOCATION], "/review", "no open redirect");
    let sid = set_cookie(&r, "hamkor_session").expect("a session");
    let session = format!("hamkor_session={sid}");
    // The session's pages carry the session's CSRF token.
    let page = get_with(&app, &format!("/review/events/{id}"), &[("cookie", &session)]).await;
    assert!(page.body.contains("Aziz"), "signed in as Aziz");
    let marker = "name=\"csrf\" value=\"";
    let i = page.body.find(marker).expect("a form with a CSRF token") + marker.len();
    let session_csrf = &page.body[i..i + 32];
    let url = format!("/review/events/{id}/accept");
    let r = post_form(&app, &url, &[("cookie", &session)], &[("reason", "ok")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "no CSRF token");
    let r = post_form(&app, &url, &[("cookie", &session)], &[("csrf", &"0".repeat(32)), ("reason", "ok")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "a wrong CSRF token");
    let r = post_form(
        &app,
        &url,
        &[("cookie", &session), ("origin", "http://evil.example"), ("host", "127.0.0.1:8080")],
        &[("csrf", session_csrf), ("reason", "ok")],
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "another site's form");
    let r = post_form(&app, &url, &[("cookie", &session), ("sec-fetch-site", "cross-site")], &[("csrf", session_csrf)]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "a cross-site fetch");
    assert_eq!(f.store().review_counts().unwrap().1, 0, "nothing was accepted yet");
    let r = post_form(&app, &url, &[("cookie", &session), ("host", "127.0.0.1:8080"), ("origin", "http://127.0.0.1:8080")], &[("csrf", session_csrf), ("reason", "ok")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(f.store().review_counts().unwrap().1, 1);
    let audit = f.store().audit_log(&hamkor_store::AuditQuery { limit: 10, ..Default::default() }).unwrap();
    assert_eq!(audit[0].actor, "Aziz");
    assert_eq!(audit[0].action, "accept");
    // Signing out ends the session.
    let r = post_form(&app, "/logout", &[("cookie", &session)], &[("csrf", session_csrf)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = post_form(&app, &url, &[("cookie", &session)], &[("csrf", session_csrf)]).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    // A revoked token ends its sessions and stops its bearer use.
    let mut store = f.store();
    let tid = store.tokens().unwrap().iter().find(|t| t.name == "Aziz").unwrap().id;
    store.revoke_token(tid).unwrap();
    let r = post_json(&app, &format!("/api/review/events/{id}/accept"), Some(&token), serde_json::json!({})).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
}

#[test]
fn the_table_has_no_duplicates_and_writes_are_posts() {
    let table = routes::routes();
    let mut seen = std::collections::HashSet::new();
    for r in &table {
        assert!(seen.insert((r.method.clone(), r.path)), "{} {} twice", r.method, r.path);
        if r.access == Access::Write {
            assert_eq!(r.method, Method::POST);
        }
        assert_eq!(r.kind == Kind::Api, r.path.starts_with("/api/"), "{}", r.path);
    }
}

#[tokio::test]
async fn a_non_loopback_address_needs_tokens_to_start() {
    let f = fixture();
    let cfg = |addr: &str| hamkor_server::Config { db: f.db.clone(), addr: addr.parse().unwrap(), readers: 1, budgets: Default::default(), allow_hosts: vec![], ingest: None };
    let err = hamkor_server::bind(&cfg("0.0.0.0:0")).await.err().expect("refused");
    assert!(matches!(err, hamkor_server::StartError::OpenToTheNetwork(_)), "{err}");
    assert!(err.to_string().contains("hamkor token create"));
    let (_, _, addr) = hamkor_server::bind(&cfg("127.0.0.1:0")).await.expect("loopback starts without tokens");
    assert!(addr.ip().is_loopback() && addr.port() != 0);
    f.token("Ops");
    assert!(hamkor_server::bind(&cfg("0.0.0.0:0")).await.is_ok(), "with a token it starts");
}
