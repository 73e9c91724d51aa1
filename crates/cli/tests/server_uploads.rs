//! Ingest through the API with the real pipeline (issue 14): the upload is deleted once it is
//! ingested, a retried upload adds no source to the documents it stored, a body that is not
//! JSON lines is refused by its content type, and a foreign Host is refused by the real binary.

mod server_support;

use server_support::*;

fn sources(db: &std::path::Path) -> i64 {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row("SELECT count(*) FROM sources", [], |r| r.get(0)).unwrap()
}

#[test]
fn uploads_are_deleted_once_ingested_and_retries_add_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_store(dir.path());
    let t = token(&db, "Pipeline");
    let server = Server::start(&db);
    let auth = format!("Bearer {t}");
    let body = concat!(
        r#"{"id":"api-1","text":"Uzbekistan and Kyrgyzstan signed an agreement on water management in Bishkek on 12 March 2024.","lang":"en"}"#,
        "\n",
        r#"{"id":"api-2","text":"Kazakhstan sent humanitarian aid to Tajikistan after the floods in May 2024.","lang":"en"}"#,
        "\n"
    );
    let headers = [("Content-Type", "application/x-ndjson"), ("Authorization", auth.as_str())];
    let before = sources(&db);
    let (status, out) = http(&server.url, "POST", "/api/documents", &headers, body);
    assert_eq!(status, 200, "{out}");
    let r: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(r["documents_new"], 2, "{r}");
    let after_first = sources(&db);
    assert_eq!(after_first, before + 2);
    let mut uploads = db.clone().into_os_string();
    uploads.push(".uploads");
    let left: Vec<_> = std::fs::read_dir(&uploads).map(|d| d.flatten().map(|e| e.path()).collect()).unwrap_or_default();
    assert!(left.is_empty(), "uploads kept after ingest: {left:?}");
    // The same upload again (a client's retry): known documents, no new source.
    for _ in 0..3 {
        let (status, out) = http(&server.url, "POST", "/api/documents", &headers, body);
        assert_eq!(status, 200, "{out}");
        let r: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!((r["documents_new"].as_u64(), r["documents_known"].as_u64()), (Some(0), Some(2)), "{r}");
    }
    assert_eq!(sources(&db), after_first, "retries added sources");
    // Not JSON lines: refused before anything is written.
    for ct in ["text/plain", "application/x-www-form-urlencoded"] {
        let (status, _) = http(&server.url, "POST", "/api/documents", &[("Content-Type", ct), ("Authorization", &auth)], body);
        assert_eq!(status, 415, "{ct}");
    }
    // DNS rebinding through the real socket: the Host names another site.
    let hostport = server.url.trim_start_matches("http://").trim_end_matches('/').to_string();
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(&hostport).unwrap();
    write!(s, "GET /api/review/audit HTTP/1.1\r\nHost: rebind.evil.example:{}\r\nConnection: close\r\n\r\n", hostport.rsplit(':').next().unwrap()).unwrap();
    let mut raw = String::new();
    s.read_to_string(&mut raw).unwrap();
    assert!(raw.starts_with("HTTP/1.1 421"), "{raw}");
    assert!(!raw.contains("Pipeline"), "{raw}");
}
