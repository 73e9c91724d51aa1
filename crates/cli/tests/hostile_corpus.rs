//! The hostile-input corpus (scripts/hostile_corpus.py: truncated, encrypted, empty, huge,
//! nested, bombs, wrong extensions, legacy encodings, impossible dates, NUL bytes, FIFOs,
//! sockets, unreadable files, links out of the folder…) through the real binary: every kind
//! gets exactly the outcome the script states, good files are stored once, and a second run
//! adds nothing. Time and memory are measured by scripts/check-hostile.sh, not here.
//!
//! As root, the run drops the capabilities that let root read any file (setpriv), so that the
//! unreadable file and folder are unreadable to it too.

mod ingest_support;

use ingest_support::{count, dump, hamkor, output};
use std::path::{Path, PathBuf};
use std::process::Command;

#[derive(serde::Deserialize, Debug)]
struct Kind {
    kind: String,
    path: String,
    expect: String,
    #[serde(default)]
    reason: Option<String>,
    #[serde(default)]
    titles: Vec<String>,
    #[serde(default)]
    warning: Option<String>,
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("Uid:")).map(|l| l.split_whitespace().nth(1) == Some("0")))
        .unwrap_or(false)
}

/// `hamkor ingest` as a user who cannot read what the file modes forbid.
fn ingest(db: &Path, corpus: &Path) -> ingest_support::Out {
    let mut cmd = if is_root() {
        let mut c = Command::new("setpriv");
        c.args([
            "--inh-caps=-dac_override,-dac_read_search",
            "--bounding-set=-dac_override,-dac_read_search",
            env!("CARGO_BIN_EXE_hamkor"),
        ]);
        c.env_remove("HAMKOR_DB").env("NO_COLOR", "1").stdin(std::process::Stdio::null());
        c
    } else {
        hamkor()
    };
    output(cmd.args(["ingest", "--db", db.to_str().unwrap(), corpus.to_str().unwrap()]))
}

/// A path as hamkor prints it: control characters escaped.
fn printed(p: &str) -> String {
    p.chars().map(|c| if c.is_control() { c.escape_debug().to_string() } else { c.to_string() }).collect()
}

fn titles(db: &Path, title: &str) -> i64 {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row("SELECT count(*) FROM documents WHERE title = ?1", [title], |r| r.get(0)).unwrap()
}

fn restore_permissions(corpus: &Path) {
    use std::os::unix::fs::PermissionsExt;
    for p in ["other/unreadable.txt", "other/closed-folder"] {
        let _ = std::fs::set_permissions(corpus.join(p), std::fs::Permissions::from_mode(0o755));
    }
}

#[test]
fn every_hostile_kind_gets_its_outcome_and_a_second_run_adds_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("hostile");
    let generated = Command::new("python3")
        .arg(repo().join("scripts/hostile_corpus.py"))
        .arg(&out)
        .output()
        .expect("python3 runs the corpus generator");
    assert!(generated.status.success(), "{}", String::from_utf8_lossy(&generated.stderr));
    let kinds: Vec<Kind> = serde_json::from_str(&std::fs::read_to_string(out.join("expected.json")).unwrap()).unwrap();
    assert!(kinds.len() >= 60, "at least 60 kinds ({})", kinds.len());
    let corpus = out.join("corpus");
    let db = tmp.path().join("store.db");

    let first = ingest(&db, &corpus);
    assert_eq!(first.code, 1, "some files fail, the run finishes\n{}", first.stderr);
    let lines: Vec<&str> = first.stderr.lines().collect();
    let mut problems = Vec::new();
    for k in &kinds {
        let abs = printed(out.join(&k.path).to_str().unwrap());
        let about: Vec<&str> = lines
            .iter()
            .copied()
            .filter(|l| {
                l.strip_prefix("hamkor: ")
                    .and_then(|l| l.strip_prefix(abs.as_str()))
                    .is_some_and(|rest| rest.starts_with(": ") || rest.starts_with(':') || rest.starts_with(" ("))
            })
            .collect();
        let failures: Vec<&str> = about.iter().copied().filter(|l| !l.contains(": warning: ")).collect();
        let warnings: Vec<&str> = about.iter().copied().filter(|l| l.contains(": warning: ")).collect();
        let reason = k.reason.as_deref().unwrap_or("");
        match k.expect.as_str() {
            "failed" => {
                let whole = failures.iter().any(|l| l.starts_with(&format!("hamkor: {abs}: ")) && l.contains(reason));
                if !whole {
                    problems.push(format!("{}: expected a failure with {reason:?}, got {about:?}", k.kind));
                }
            }
            "line-failed" => {
                if !failures.iter().any(|l| l.contains(reason) && !l.starts_with(&format!("hamkor: {abs}: "))) {
                    problems.push(format!("{}: expected a line or item failure with {reason:?}, got {about:?}", k.kind));
                }
            }
            "stored" => {
                if !failures.is_empty() {
                    problems.push(format!("{}: expected no failure, got {failures:?}", k.kind));
                }
            }
            "ignored" => {
                if !about.is_empty() {
                    problems.push(format!("{}: expected silence, got {about:?}", k.kind));
                }
            }
            other => panic!("unknown expectation {other}"),
        }
        for t in &k.titles {
            let n = titles(&db, t);
            if n != 1 {
                problems.push(format!("{}: title {t:?} stored {n} times, expected once", k.kind));
            }
        }
        if let Some(w) = &k.warning {
            if !warnings.iter().any(|l| l.contains(w.as_str())) {
                problems.push(format!("{}: expected a warning with {w:?}, got {about:?}", k.kind));
            }
        }
    }
    assert!(problems.is_empty(), "{} kinds went wrong:\n{}\n\nstderr:\n{}", problems.len(), problems.join("\n"), first.stderr);
    // Nothing from a hidden file or from behind a link out of the folder.
    let conn = rusqlite::Connection::open(&db).unwrap();
    let leaked: i64 = conn
        .query_row("SELECT count(*) FROM documents WHERE text LIKE '%root:x:0:0%' OR title = 'Hidden'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(leaked, 0, "/etc/passwd or a hidden file was stored");

    let stored = dump(&db);
    let failures_before = count(&db, "failures");
    let second = ingest(&db, &corpus);
    assert_eq!(second.code, 1, "{}", second.stderr);
    assert!(second.stderr.contains("(0 new,"), "the second run stores nothing new:\n{}", second.stderr);
    assert_eq!(dump(&db), stored, "a second run adds nothing");
    assert_eq!(count(&db, "failures"), failures_before, "and records the same failures");
    restore_permissions(&corpus);
}
