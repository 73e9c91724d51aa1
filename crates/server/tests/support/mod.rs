//! A small store built by hand (no coder), the app over it, and request helpers.
#![allow(dead_code)]

use axum::body::Body;
use axum::extract::connect_info::MockConnectInfo;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use hamkor_model::{ActorCode, Domain, Event, EventType, PartialDate, Span};
use hamkor_server::AppState;
use hamkor_store::{NewDocument, Source, SqliteStore, Store, WriteOp};
use http_body_util::BodyExt;
use std::net::SocketAddr;
use tower::ServiceExt;

pub struct Fixture {
    pub dir: tempfile::TempDir,
    pub db: std::path::PathBuf,
    pub state: AppState,
}

pub const DOCS: &[(&str, &str, &str)] = &[
    (
        "en",
        "Water deal",
        "Uzbekistan and Tajikistan signed an agreement on water in Dushanbe. The ministers also met in Tashkent.",
    ),
    (
        "ru",
        "Соглашение",
        "Казахстан и Узбекистан подписали соглашение о сотрудничестве в области образования. Стороны обсудили транспорт.",
    ),
    ("uz", "Hamkorlik", "Oʻzbekiston va Qirgʻiziston chegara masalalari boʻyicha hamkorlik toʻgʻrisida kelishuv imzoladi."),
];

fn ev(t: EventType, actors: &[&str], domains: &[Domain], date: Option<&str>, span: (usize, usize), conf: f32) -> Event {
    let mut actors: Vec<ActorCode> = actors.iter().map(|a| ActorCode::new(a).unwrap()).collect();
    actors.sort();
    Event {
        event_type: t,
        actors,
        domains: domains.to_vec(),
        date: date.map(|d| d.parse::<PartialDate>().unwrap()),
        evidence: Span::new(span.0, span.1),
        confidence: conf,
        cues: vec![],
        lexicon: "test-1".into(),
    }
}

/// The byte span of the first sentence (up to and including the first '.').
fn first_sentence(text: &str) -> (usize, usize) {
    (0, text.find('.').map_or(text.len(), |i| i + 1))
}

pub fn build_store(path: &std::path::Path) {
    let mut store = hamkor_app::open_store(path).unwrap();
    let mut ops = Vec::new();
    for (i, (lang, title, text)) in DOCS.iter().enumerate() {
        let s1 = first_sentence(text);
        let events = match i {
            0 => vec![
                ev(EventType::Agreement, &["TJK", "UZB"], &[Domain::Water], Some("2023-05-04"), s1, 0.9),
                ev(EventType::Meeting, &["TJK", "UZB"], &[Domain::Political], None, (s1.1 + 1, text.len()), 0.4),
            ],
            1 => vec![ev(EventType::Agreement, &["KAZ", "UZB"], &[Domain::Education], Some("2022"), s1, 0.7)],
            _ => vec![ev(EventType::Agreement, &["KGZ", "UZB"], &[Domain::Borders], Some("2024-01"), s1, 0.55)],
        };
        ops.push(WriteOp::Document(Box::new(NewDocument {
            content_hash: format!("{:064x}", i + 1),
            title: Some(title.to_string()),
            published: Some("2024-02-01".parse().unwrap()),
            lang: lang.to_string(),
            script: if *lang == "ru" { "Cyrl".into() } else { "Latn".into() },
            format: "txt".into(),
            text: text.to_string(),
            source: Source { location: format!("/samples/{i}.txt"), external_id: None },
            events,
            lexicon: "test-1".into(),
        })));
    }
    store.apply(&ops).unwrap();
}

pub fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    build_store(&db);
    let state = AppState::open(&db, 2, None).unwrap();
    Fixture { dir, db, state }
}

impl Fixture {
    /// The app as seen from this machine.
    pub fn app(&self) -> Router {
        hamkor_server::app(self.state.clone()).layer(MockConnectInfo(SocketAddr::from(([127, 0, 0, 1], 50000))))
    }
    /// The app as seen from another machine.
    pub fn remote_app(&self) -> Router {
        hamkor_server::app(self.state.clone()).layer(MockConnectInfo(SocketAddr::from(([192, 0, 2, 7], 50000))))
    }
    pub fn token(&self, name: &str) -> String {
        let mut store = hamkor_app::open_store(&self.db).unwrap();
        hamkor_server::auth::create_token(&mut store, name).unwrap().1
    }
    pub fn store(&self) -> SqliteStore {
        hamkor_app::open_store(&self.db).unwrap()
    }
    /// Ids of the stored events, by id.
    pub fn event_ids(&self) -> Vec<i64> {
        let mut ids = Vec::new();
        self.store().for_each_event(&Default::default(), &mut |e| {
            ids.push(e.id);
            Ok(())
        })
        .unwrap();
        ids.sort();
        ids
    }
}

pub struct Resp {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl Resp {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

pub async fn send(app: &Router, req: Request<Body>) -> Resp {
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    Resp { status, headers, body: String::from_utf8_lossy(&bytes).into_owned() }
}

pub async fn get(app: &Router, uri: &str) -> Resp {
    send(app, Request::get(uri).body(Body::empty()).unwrap()).await
}

pub async fn get_with(app: &Router, uri: &str, headers: &[(&str, &str)]) -> Resp {
    let mut b = Request::get(uri);
    for (k, v) in headers {
        b = b.header(*k, *v);
    }
    send(app, b.body(Body::empty()).unwrap()).await
}

pub async fn post_json(app: &Router, uri: &str, token: Option<&str>, body: serde_json::Value) -> Resp {
    let mut b = Request::builder().method(Method::POST).uri(uri).header(header::CONTENT_TYPE, "application/json");
    if let Some(t) = token {
        b = b.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    send(app, b.body(Body::from(body.to_string())).unwrap()).await
}

pub async fn post_form(app: &Router, uri: &str, headers: &[(&str, &str)], form: &[(&str, &str)]) -> Resp {
    let mut b = Request::builder()
        .method(Method::POST)
        .uri(uri)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    for (k, v) in headers {
        b = b.header(*k, *v);
    }
    send(app, b.body(Body::from(serde_urlencoded::to_string(form).unwrap())).unwrap()).await
}

/// The value of a cookie set by a response.
pub fn set_cookie(r: &Resp, name: &str) -> Option<String> {
    r.headers.get_all(header::SET_COOKIE).iter().find_map(|v| {
        let v = v.to_str().ok()?;
        let (k, rest) = v.split_once('=')?;
        (k == name).then(|| rest.split(';').next().unwrap_or("").to_string())
    })
}
