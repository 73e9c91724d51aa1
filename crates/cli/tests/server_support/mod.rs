//! Helpers for the tests that drive `hamkor serve`: a demo store, tokens, a running server.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub fn hamkor() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_hamkor"));
    c.env_remove("HAMKOR_DB").env("NO_COLOR", "1").stdin(Stdio::null());
    c
}

pub fn run(args: &[&str]) -> (i32, String, String) {
    let o = hamkor().args(args).output().expect("run hamkor");
    (o.status.code().unwrap_or(-1), String::from_utf8_lossy(&o.stdout).into_owned(), String::from_utf8_lossy(&o.stderr).into_owned())
}

/// The bundled demo collection in a fresh store.
pub fn demo_store(dir: &Path) -> PathBuf {
    let db = dir.join("demo.db");
    let (code, _, err) = run(&["demo", "--no-serve", "--db", db.to_str().unwrap()]);
    assert!(code == 0 || code == 1, "demo failed: {err}");
    db
}

pub fn token(db: &Path, name: &str) -> String {
    let (code, out, err) = run(&["token", "create", name, "--db", db.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    out.trim().to_string()
}

/// A running `hamkor serve`, stopped when dropped.
pub struct Server {
    pub child: Child,
    pub url: String,
    /// From spawning the process to the address being printed (the socket listens then).
    pub started_in: Duration,
}

impl Server {
    pub fn start(db: &Path) -> Server {
        Server::start_with(db, &[])
    }

    /// `hamkor serve` with more options.
    pub fn start_with(db: &Path, args: &[&str]) -> Server {
        let t0 = Instant::now();
        let mut child = hamkor()
            .args(["serve", "--db", db.to_str().unwrap(), "--addr", "127.0.0.1:0"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawn hamkor serve");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).expect("read the address");
        let started_in = t0.elapsed();
        let url = line.trim().to_string();
        assert!(url.starts_with("http://127.0.0.1:"), "hamkor serve printed {url:?}");
        Server { child, url, started_in }
    }

    /// GET a path; (status, body). A tiny HTTP/1.1 client: the tests need nothing more.
    pub fn get(&self, path: &str) -> (u16, String) {
        http(&self.url, "GET", path, &[], "")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn http(base: &str, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> (u16, String) {
    use std::io::{Read, Write};
    let hostport = base.trim_start_matches("http://").trim_end_matches('/');
    let mut s = std::net::TcpStream::connect(hostport).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: {hostport}\r\nConnection: close\r\nContent-Length: {}\r\n", body.len());
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    req.push_str(body);
    s.write_all(req.as_bytes()).unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let status = text.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    let body = text.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
    (status, body)
}
