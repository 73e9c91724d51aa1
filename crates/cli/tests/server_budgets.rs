//! Hostile clients against `hamkor serve` (issue 14), through the real binary and a real socket:
//! a flood of expensive searches leaves other readers fast, a search whose client went away
//! stops, a search past its deadline is stopped, and SIGTERM ends the server within 5 s
//! whatever runs (searches queued and running, an ingest coding megabytes).
//!
//! The store is made big enough for one search to cost seconds: 200,000 documents written
//! straight into the store's tables (the coder would take minutes), each holding the same
//! twelve words, so that a search for those words ranks every document.

mod server_support;

use server_support::*;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const DOCUMENTS: usize = 200_000;
const COMMON: &str = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda common";

/// Twelve words in every document: FTS5 intersects twelve full lists and ranks every row.
fn heavy_query() -> String {
    format!("/api/search?q={}&per_page=50", COMMON.replace(' ', "+"))
}

fn big_store(dir: &Path) -> PathBuf {
    let db = dir.join("big.db");
    let seed = dir.join("seed.jsonl");
    std::fs::write(&seed, "{\"id\":\"s\",\"text\":\"Uzbekistan and Kazakhstan signed an agreement on water in Tashkent.\"}\n").unwrap();
    let (code, _, err) = run(&["ingest", "--db", db.to_str().unwrap(), seed.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let t0 = Instant::now();
    let mut conn = rusqlite::Connection::open(&db).unwrap();
    let tx = conn.transaction().unwrap();
    {
        let mut ins = tx
            .prepare(
                "INSERT INTO documents (content_hash, title, lang, script, format, text, search_key)
                 VALUES (?1, ?2, 'en', 'Latn', 'txt', ?3, ?3)",
            )
            .unwrap();
        let mut x: u64 = 0x9e3779b97f4a7c15;
        for i in 0..DOCUMENTS {
            let mut text = String::from(COMMON);
            for _ in 0..8 {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                text.push_str(&format!(" w{:04}", x % 5000));
            }
            ins.execute(rusqlite::params![format!("{i:064x}"), format!("Document {i}"), text]).unwrap();
        }
    }
    tx.commit().unwrap();
    eprintln!("{DOCUMENTS} documents written in {:.1} s", t0.elapsed().as_secs_f64());
    db
}

/// Send a GET and return at once, without reading the answer.
fn send(base: &str, path: &str) -> TcpStream {
    let hostport = base.trim_start_matches("http://").trim_end_matches('/');
    let mut s = TcpStream::connect(hostport).unwrap();
    write!(s, "GET {path} HTTP/1.1\r\nHost: {hostport}\r\nConnection: close\r\n\r\n").unwrap();
    s
}

fn status_of(mut s: TcpStream) -> u16 {
    s.set_read_timeout(Some(Duration::from_secs(120))).unwrap();
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    String::from_utf8_lossy(&raw).split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or(0)
}

fn timed_get(base: &str, path: &str) -> (u16, Duration) {
    let t0 = Instant::now();
    let (status, _) = http(base, "GET", path, &[], "");
    (status, t0.elapsed())
}

fn p99(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[((v.len() as f64 * 0.99).ceil() as usize).clamp(1, v.len()) - 1]
}

#[test]
fn searches_have_budgets_and_sigterm_ends_the_server_whatever_runs() {
    let dir = tempfile::tempdir().unwrap();
    let db = big_store(dir.path());

    // One heavy search alone, to know what it costs here.
    let server = Server::start_with(&db, &["--search-timeout", "120", "--searches", "1"]);
    let (status, full) = timed_get(&server.url, &heavy_query());
    assert_eq!(status, 200);
    eprintln!("one heavy search: {:.2} s", full.as_secs_f64());
    assert!(full > Duration::from_millis(600), "the store is too small to test budgets: a heavy search took {full:?}");

    // A client that goes away: its search stops, and the next search (one at a time here)
    // starts long before the first would have ended.
    let gone = send(&server.url, &heavy_query());
    std::thread::sleep(Duration::from_millis(150));
    drop(gone);
    std::thread::sleep(Duration::from_millis(50));
    let (status, next) = timed_get(&server.url, "/api/search?q=w0001");
    assert_eq!(status, 200);
    eprintln!("a search after a client left mid-search: {:.2} s (the heavy search alone: {:.2} s)", next.as_secs_f64(), full.as_secs_f64());
    assert!(next < full / 2, "the abandoned search went on: the next one waited {next:?} (a full one takes {full:?})");
    drop(server);

    // A deadline: the same search with a budget far below its cost is stopped with 503.
    let server = Server::start_with(&db, &["--search-timeout", "0.2"]);
    let (status, took) = timed_get(&server.url, &heavy_query());
    assert_eq!(status, 503);
    assert!(took < full, "stopped after {took:?}");
    // Sixty one-letter prefixes are refused before they reach the index.
    let (status, _) = timed_get(&server.url, &format!("/api/search?q={}", vec!["a*"; 60].join("+")));
    assert_eq!(status, 400);
    drop(server);

    // A flood: eight clients searching without pause for six seconds, while one reader reads.
    let server = Server::start_with(&db, &["--search-timeout", "120"]);
    let url = server.url.clone();
    let stop_at = Instant::now() + Duration::from_secs(6);
    let flood: Vec<_> = (0..8)
        .map(|_| {
            let url = url.clone();
            std::thread::spawn(move || {
                let mut answered = (0, 0);
                while Instant::now() < stop_at {
                    match timed_get(&url, &heavy_query()).0 {
                        200 => answered.0 += 1,
                        _ => answered.1 += 1,
                    }
                }
                answered
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    let mut latencies = Vec::new();
    let reads = ["/api/documents/1", "/api/events?per_page=5", "/api/documents?per_page=5"];
    while Instant::now() < stop_at {
        let (status, took) = timed_get(&url, reads[latencies.len() % reads.len()]);
        assert_eq!(status, 200);
        latencies.push(took);
        std::thread::sleep(Duration::from_millis(20));
    }
    let (mut ok, mut refused) = (0, 0);
    for t in flood {
        let (a, b) = t.join().unwrap();
        ok += a;
        refused += b;
    }
    let worst = p99(latencies.clone());
    eprintln!(
        "search flood: {ok} searches answered, {refused} refused (busy); other readers: {} reads, p99 {:.0} ms",
        latencies.len(),
        worst.as_secs_f64() * 1000.0
    );
    assert!(ok >= 2, "the flood searched");
    assert!(worst < Duration::from_secs(1), "p99 of other readers during a search flood: {worst:?}");
    drop(server);

    // SIGTERM while searches run and wait, and an ingest codes 12 MB.
    let token = token(&db, "Loader");
    let mut server = Server::start_with(&db, &["--search-timeout", "120"]);
    let hostport = server.url.trim_start_matches("http://").trim_end_matches('/').to_string();
    let mut body = String::new();
    let mut n = 0;
    while body.len() < 12_000_000 {
        n += 1;
        body.push_str(&format!(
            "{{\"id\":\"bulk-{n}\",\"text\":\"Report {n}. Uzbekistan and Tajikistan signed an agreement on water in Dushanbe on {} May 2024, and the ministers of Kazakhstan and Kyrgyzstan met in Bishkek to discuss the border, transport and trade.\"}}\n",
            1 + n % 28
        ));
    }
    let mut ingest = TcpStream::connect(&hostport).unwrap();
    write!(
        ingest,
        "POST /api/documents HTTP/1.1\r\nHost: {hostport}\r\nAuthorization: Bearer {token}\r\nContent-Type: application/x-ndjson\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .unwrap();
    ingest.write_all(body.as_bytes()).unwrap();
    let searches: Vec<TcpStream> = (0..6).map(|_| send(&server.url, &heavy_query())).collect();
    std::thread::sleep(Duration::from_millis(500));
    let t0 = Instant::now();
    let pid = server.child.id() as i32;
    assert_eq!(unsafe { libc_kill(pid, 15) }, 0);
    let status = loop {
        if let Some(s) = server.child.try_wait().unwrap() {
            break s;
        }
        assert!(t0.elapsed() < Duration::from_secs(30), "hamkor serve still runs 30 s after SIGTERM");
        std::thread::sleep(Duration::from_millis(20));
    };
    let stopped_in = t0.elapsed();
    eprintln!("SIGTERM with 6 heavy searches and a 12 MB ingest in flight: stopped in {:.2} s ({status})", stopped_in.as_secs_f64());
    assert!(stopped_in < Duration::from_secs(5), "stopped in {stopped_in:?}");
    assert!(status.success(), "{status}");
    let answered: Vec<u16> = searches.into_iter().map(status_of).collect();
    eprintln!("the searches in flight were answered {answered:?} (0: connection closed)");
}

extern "C" {
    #[link_name = "kill"]
    fn libc_kill(pid: i32, sig: i32) -> i32;
}
