//! The client attacks of issue 14, each through the real router, each now harmless: foreign
//! `Host` names (DNS rebinding), open redirects and newlines after sign-in, a session cookie
//! writing through the JSON API, ingest bodies of any content type, caching of private pages,
//! parameters out of range, search queries that would expand without end, FTS syntax and path
//! traversal. (Budgets in time — a search flood, a client that goes away, SIGTERM — are tested
//! through the real binary: crates/cli/tests/server_budgets.rs; uploads and their retries
//! there too, with the real ingest pipeline: crates/cli/tests/server_cli.rs.)

mod support;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use support::*;

#[tokio::test]
async fn a_foreign_host_gets_421_for_every_kind_of_request() {
    let f = fixture();
    let app = f.app();
    let token = f.token("Reviewer");
    let bearer = format!("Bearer {token}");
    for host in ["evil.example", "evil.example:8080", "127.0.0.1.evil.example", "localhost.evil.example:80", "10.1.2.3"] {
        for path in ["/", "/review/audit", "/api/documents/1", "/api/review/audit", "/login", "/assets/style.css"] {
            let r = get_with(&app, path, &[("host", host)]).await;
            assert_eq!(r.status, StatusCode::MISDIRECTED_REQUEST, "{host} {path}");
            assert!(!r.body.contains("Water deal") && !r.body.contains("Reviewer"), "{host} {path}: {}", r.body);
            let r = get_with(&app, path, &[("host", host), ("authorization", &bearer)]).await;
            assert_eq!(r.status, StatusCode::MISDIRECTED_REQUEST, "{host} {path} with a token");
        }
        let id = f.event_ids()[0];
        let mut req = Request::builder()
            .method(Method::POST)
            .uri(format!("/api/review/events/{id}/accept"))
            .header(header::HOST, host)
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::AUTHORIZATION, &bearer);
        req = req.header("x-test", "1");
        let r = send(&app, req.body(Body::from("{}")).unwrap()).await;
        assert_eq!(r.status, StatusCode::MISDIRECTED_REQUEST);
    }
    assert_eq!(f.store().review_counts().unwrap().1, 0, "nothing written");
    let api = get_with(&app, "/api/documents/1", &[("host", "evil.example")]).await;
    assert_eq!(api.json()["error"]["code"], "misdirected");
    for host in ["localhost", "localhost:8080", "127.0.0.1:8080", "[::1]:8080", "hamkor.localhost:8080"] {
        let r = get_with(&app, "/api/documents/1", &[("host", host)]).await;
        assert_eq!(r.status, StatusCode::OK, "{host}");
    }
}

async fn csrf_cookie(app: &axum::Router) -> (String, String) {
    let login = get(app, "/login").await;
    let csrf = set_cookie(&login, "hamkor_csrf").expect("a CSRF cookie");
    (csrf.clone(), format!("hamkor_csrf={csrf}"))
}

#[tokio::test]
async fn every_next_after_sign_in_stays_on_the_site_and_never_fails() {
    let f = fixture();
    let app = f.app();
    let token = f.token("Nodira");
    let (csrf, cookie) = csrf_cookie(&app).await;
    let hostile = [
        "/\t/evil.example/p",
        "/\n/evil.example",
        "/\r\n/evil.example",
        "//evil.example/p",
        "/\\evil.example",
        "\\/evil.example",
        "https://evil.example/",
        "http:evil.example",
        "javascript:alert(1)",
        "/ /evil.example",
        "/%0a",
        "/\u{0}",
        "/é",
        "",
    ];
    for next in hostile {
        // The form shows a safe value whatever the query said.
        let page = get(&app, &format!("/login?next={}", url_escape(next))).await;
        assert_eq!(page.status, StatusCode::OK, "{next:?}");
        assert!(page.body.contains("name=\"next\" value=\"/"), "{next:?}");
        let r = post_form(&app, "/login", &[("cookie", &cookie)], &[("csrf", &csrf), ("token", &token), ("next", next)]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{next:?}: {}", r.body);
        let to = r.headers[header::LOCATION].to_str().unwrap();
        assert!(to.starts_with('/') && !to.starts_with("//") && !to.contains(['\\', '\t', '\n', '\r']), "{next:?} → {to:?}");
        assert_eq!(r.headers[header::CACHE_CONTROL], "no-store");
    }
    // A wrong token with a hostile next: refused, and no session.
    let r = post_form(&app, "/login", &[("cookie", &cookie)], &[("csrf", &csrf), ("token", "hk_nope"), ("next", "/\n/x")]).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(set_cookie(&r, "hamkor_session").is_none());
    // A next on the site is kept.
    let r = post_form(&app, "/login", &[("cookie", &cookie)], &[("csrf", &csrf), ("token", &token), ("next", "/events?pair=KAZ,UZB")]).await;
    assert_eq!(r.headers[header::LOCATION], "/events?pair=KAZ,UZB");
}

fn url_escape(s: &str) -> String {
    s.bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

async fn session(f: &Fixture, app: &axum::Router, name: &str) -> (String, String) {
    let token = f.token(name);
    let (csrf, cookie) = csrf_cookie(app).await;
    let r = post_form(app, "/login", &[("cookie", &cookie)], &[("csrf", &csrf), ("token", &token)]).await;
    let sid = set_cookie(&r, "hamkor_session").expect("a session");
    let session = format!("hamkor_session={sid}");
    let page = get_with(app, "/review", &[("cookie", &session)]).await;
    let marker = "name=\"csrf-token\" content=\"";
    let i = page.body.find(marker).expect("the page carries the session's CSRF token") + marker.len();
    (session, page.body[i..i + 32].to_string())
}

#[tokio::test]
async fn a_session_cookie_alone_never_writes_through_the_json_api() {
    let f = fixture();
    let app = f.app();
    let (session, csrf) = session(&f, &app, "Aziz").await;
    let id = f.event_ids()[0];
    let post = |extra: Vec<(&'static str, String)>| {
        let mut b = Request::builder()
            .method(Method::POST)
            .uri(format!("/api/review/events/{id}/accept"))
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::COOKIE, session.clone());
        for (k, v) in extra {
            b = b.header(k, v);
        }
        b.body(Body::from("{\"reason\":\"ok\"}")).unwrap()
    };
    let r = send(&app, post(vec![])).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert_eq!(r.json()["error"]["code"], "csrf");
    let r = send(&app, post(vec![("x-csrf-token", "0".repeat(32))])).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Every API write route, the same.
    for route in hamkor_server::routes::routes() {
        if route.kind != hamkor_server::routes::Kind::Api || route.access != hamkor_server::routes::Access::Write {
            continue;
        }
        let uri = route.path.replace("{id}", &id.to_string());
        let r = send(
            &app,
            Request::builder()
                .method(route.method.clone())
                .uri(&uri)
                .header(header::CONTENT_TYPE, "application/json")
                .header(header::COOKIE, session.clone())
                .body(Body::from("{}"))
                .unwrap(),
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{uri} with a session cookie and no CSRF token");
    }
    assert_eq!(f.store().review_counts().unwrap().1, 0, "nothing was accepted");
    let r = send(&app, post(vec![("x-csrf-token", csrf.clone())])).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(f.store().review_counts().unwrap().1, 1);
    assert_eq!(r.headers[header::CACHE_CONTROL], "no-store");
}

#[tokio::test]
async fn private_answers_are_not_cached() {
    let f = fixture();
    let app = f.app();
    let token = f.token("Reviewer");
    let (session, _) = session(&f, &app, "Other").await;
    for path in ["/review", "/review/audit", "/events", "/documents/1", "/"] {
        let r = get_with(&app, path, &[("cookie", &session)]).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        assert_eq!(r.headers[header::CACHE_CONTROL], "no-store", "{path} with a session");
    }
    for path in ["/api/review/audit", "/api/documents/1", "/api/review/queue"] {
        let r = get_with(&app, path, &[("authorization", &format!("Bearer {token}"))]).await;
        assert_eq!(r.headers[header::CACHE_CONTROL], "no-store", "{path} with a token");
    }
    let r = get(&app, "/login").await;
    assert_eq!(r.headers[header::CACHE_CONTROL], "no-store");
}

#[tokio::test]
async fn ingest_takes_json_lines_only() {
    let f = fixture();
    let app = f.app();
    let token = f.token("Loader");
    let line = "{\"id\":\"x\",\"text\":\"Uzbekistan and Kazakhstan signed a treaty.\"}\n";
    for ct in [None, Some("text/plain"), Some("application/x-www-form-urlencoded"), Some("multipart/form-data; boundary=x"), Some("text/html")] {
        let mut b = Request::builder().method(Method::POST).uri("/api/documents").header(header::AUTHORIZATION, format!("Bearer {token}"));
        if let Some(ct) = ct {
            b = b.header(header::CONTENT_TYPE, ct);
        }
        let r = send(&app, b.body(Body::from(line)).unwrap()).await;
        assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{ct:?}");
        assert_eq!(r.json()["error"]["code"], "unsupported_media_type");
    }
    for ct in ["application/x-ndjson", "application/x-ndjson; charset=utf-8", "application/json", "Application/JSONL"] {
        let r = send(
            &app,
            Request::builder()
                .method(Method::POST)
                .uri("/api/documents")
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .header(header::CONTENT_TYPE, ct)
                .body(Body::from(line))
                .unwrap(),
        )
        .await;
        // This router has no ingest pipeline: past the content type, it says so.
        assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE, "{ct}: {}", r.body);
    }
}

#[tokio::test]
async fn parameters_out_of_range_get_400_everywhere() {
    let f = fixture();
    let app = f.app();
    for uri in [
        "/api/panels?from=0&to=-5",
        "/api/panels?from=2020&to=2010",
        "/api/panels?from=99999",
        "/api/comparisons?breakpoint=-1",
        "/api/networks?from=2030&to=2020",
        "/api/events?per_page=0",
        "/api/events?per_page=501",
        "/api/events?page=0",
        "/api/events?page=1000000000000",
        "/api/events?page=-1",
        "/api/events?from=2024&to=2020",
        "/api/documents?per_page=100000",
        "/api/search?q=water&page=18446744073709551615",
        "/api/review/queue?per_page=9999",
        "/api/review/audit?page=0",
        "/heatmap?from=2020&to=2010",
        "/events?per_page=0",
        "/events?page=1000000",
        "/search?q=water&page=0",
        "/review?page=0",
        "/review/audit?page=9999999",
    ] {
        let r = get(&app, uri).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{uri}: {}", &r.body[..r.body.len().min(300)]);
    }
    for uri in ["/api/panels?from=2020&to=2024", "/api/events?per_page=500&page=2", "/heatmap?from=2019&to=2019"] {
        assert_eq!(get(&app, uri).await.status, StatusCode::OK, "{uri}");
    }
}

#[tokio::test]
async fn hostile_searches_are_refused_or_answered_never_500() {
    let f = fixture();
    let app = f.app();
    let sixty = vec!["a*"; 60].join("+");
    let r = get(&app, &format!("/api/search?q={sixty}")).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.json()["error"]["code"], "bad_query");
    let many = (0..40).map(|i| format!("w{i}")).collect::<Vec<_>>().join("+");
    assert_eq!(get(&app, &format!("/api/search?q={many}")).await.status, StatusCode::BAD_REQUEST);
    for q in ["wat*+agr*+bor*+dus*", "%22", "NEAR(a+b)", "title%3Awater", "%2A", "-water", "water)+OR+(", "%00", "%E2%80%8B"] {
        let r = get(&app, &format!("/api/search?q={q}")).await;
        assert!(r.status == StatusCode::OK || r.status == StatusCode::BAD_REQUEST, "{q}: {} {}", r.status, r.body);
        let r = get(&app, &format!("/search?q={q}")).await;
        assert!(r.status == StatusCode::OK || r.status == StatusCode::BAD_REQUEST, "page {q}: {}", r.status);
    }
    // A repeated prefix counts once, so a person's query with it is answered.
    let r = get(&app, &format!("/api/search?q={}", vec!["wat*"; 30].join("+"))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("Water deal"), "{}", r.body);
}

#[tokio::test]
async fn path_traversal_finds_nothing() {
    let f = fixture();
    let app = f.app();
    for uri in ["/assets/..%2f..%2fCargo.toml", "/assets/%2e%2e/%2e%2e/etc/passwd", "/assets/..\\..\\x", "/documents/..%2f1", "/api/documents/1%2f..%2f2"] {
        let r = get(&app, uri).await;
        assert!(r.status == StatusCode::NOT_FOUND || r.status == StatusCode::BAD_REQUEST, "{uri}: {}", r.status);
        assert!(!r.body.contains("[package]") && !r.body.contains("root:"), "{uri}");
    }
}
