//! The dashboard in a real browser: `tests/browser/dashboard.mjs` (playwright-core driving
//! Debian's headless Chromium) clicks through overview → dyad → event → evidence and through a
//! review (accept, edit, reject) against `hamkor serve` on the demo store, checks what each page
//! shows, and saves screenshots under target/tmp/browser-screenshots/.
//!
//! Needs /usr/bin/chromium (apt-get install chromium chromium-driver), node, and
//! `npm ci` in tests/browser. Without them the test says what is missing and passes, unless CI
//! is set: then it fails (`.ci/run` installs all three).

mod server_support;

use server_support::*;
use std::path::{Path, PathBuf};
use std::process::Command;

fn missing() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let mut out = Vec::new();
    if !Path::new(&chromium).exists() {
        out.push(format!("{chromium} (apt-get install -y chromium chromium-driver)"));
    }
    if Command::new("node").arg("--version").output().map(|o| !o.status.success()).unwrap_or(true) {
        out.push("node".into());
    }
    if !root.join("tests/browser/node_modules/playwright-core/package.json").exists() {
        out.push("playwright-core (cd tests/browser && npm ci)".into());
    }
    out
}

#[test]
fn dashboard_walks_in_headless_chromium() {
    let missing = missing();
    if !missing.is_empty() {
        let msg = format!("browser test skipped: missing {}", missing.join(", "));
        if std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0") {
            panic!("{msg} (CI is set: .ci/run must install them)");
        }
        eprintln!("{msg}");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = demo_store(dir.path());
    let tok = token(&db, "Browser Reviewer");
    let server = Server::start(&db);
    eprintln!("hamkor serve started in {:.0} ms", server.started_in.as_secs_f64() * 1000.0);
    let shots = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("browser-screenshots");
    let _ = std::fs::remove_dir_all(&shots);
    let browser_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/browser");
    let out = Command::new("node")
        .arg("dashboard.mjs")
        .current_dir(&browser_dir)
        .env("HAMKOR_URL", &server.url)
        .env("HAMKOR_TOKEN", &tok)
        .env("SCREENSHOTS", &shots)
        .output()
        .expect("run node");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    eprintln!("{stdout}{stderr}");
    assert!(out.status.success(), "the browser walks failed:\n{stdout}\n{stderr}");
    assert!(stdout.contains("2 passed, 0 failed"), "{stdout}");
    let n = std::fs::read_dir(&shots).unwrap().count();
    assert!(n >= 10, "screenshots saved in {}: {n}", shots.display());
    eprintln!("screenshots: {}", shots.display());
}
