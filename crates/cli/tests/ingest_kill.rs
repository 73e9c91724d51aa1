//! Crash safety: an ingest of 2,000+ documents is killed with SIGKILL at random moments and
//! resumed each time; after every kill the store is consistent, and at the end it holds exactly
//! what a clean, uninterrupted run stores. Set HAMKOR_KILL_SEED to replay a run.
//!
//! A file being read when the process was killed is recorded as failed by the next run and
//! skipped while unchanged (it may be what killed it); `--retry-failed` reads those files again.

mod ingest_support;

use ingest_support::{assert_consistent, dump, hamkor, output};
use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

const FILES: usize = 1900;
const LINES: usize = 300;
const COPIES: usize = 40;

/// A small deterministic generator (xorshift): no dependency for a few random numbers.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

const STATES: [&str; 5] = ["Kazakhstan", "Kyrgyzstan", "Tajikistan", "Turkmenistan", "Uzbekistan"];
const ACTS: [&str; 4] = [
    "signed an agreement on water resources",
    "held talks on border delimitation",
    "sent humanitarian aid after the earthquake",
    "opened a joint university branch",
];

fn text(i: usize) -> String {
    let (a, b) = (STATES[i % 5], STATES[(i / 5 + 1 + i % 5) % 5]);
    let b = if a == b { STATES[(i + 2) % 5] } else { b };
    format!(
        "Report {i}\n{a} and {b} {} in {} on {} March 2023. Officials described the meeting number {i} as productive.",
        ACTS[i % 4],
        ["Tashkent", "Astana", "Bishkek", "Dushanbe", "Ashgabat"][i % 5],
        1 + i % 28
    )
}

fn make_collection(root: &Path) -> usize {
    for i in 0..FILES {
        let dir = root.join(format!("d{:02}", i % 25));
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join(format!("doc{i:05}.txt")), text(i)).unwrap();
    }
    // Identical copies: each must end up as one more source of an existing document.
    fs::create_dir_all(root.join("copies")).unwrap();
    for i in 0..COPIES {
        fs::write(root.join("copies").join(format!("copy{i:03}.txt")), text(i * 7)).unwrap();
    }
    // A JSON lines file streamed in several chunks.
    let lines: Vec<String> = (0..LINES)
        .map(|j| serde_json::json!({"id": format!("l{j}"), "text": text(FILES + j), "lang": "en"}).to_string())
        .collect();
    fs::write(root.join("lines.jsonl"), lines.join("\n")).unwrap();
    FILES + LINES
}

fn ingest_to_completion(db: &Path, docs: &Path) -> Duration {
    let t = Instant::now();
    let o = output(hamkor().args(["ingest", "--db", db.to_str().unwrap(), docs.to_str().unwrap()]));
    assert_eq!(o.code, 0, "a clean ingest succeeds\n{}", o.stderr);
    t.elapsed()
}

/// Resume after kills: the files that were being read are named as interrupted (at most one
/// per worker per kill), then `--retry-failed` reads them and the run succeeds.
fn resume_after_kills(db: &Path, docs: &Path, kills: usize) {
    let o = output(hamkor().args(["ingest", "--db", db.to_str().unwrap(), docs.to_str().unwrap()]));
    let interrupted = o.stderr.lines().filter(|l| l.contains("an earlier ingest stopped while reading this")).count();
    assert!(o.code == 0 || (o.code == 1 && interrupted > 0), "resumed run\n{}", o.stderr);
    assert!(interrupted <= kills * 2, "at most one file per worker per kill is quarantined ({interrupted})");
    let o = output(hamkor().args(["ingest", "--retry-failed", "--db", db.to_str().unwrap(), docs.to_str().unwrap()]));
    assert_eq!(o.code, 0, "--retry-failed finishes the job\n{}", o.stderr);
}

#[test]
fn killed_runs_resume_to_exactly_the_clean_result() {
    let tmp = tempfile::tempdir().unwrap();
    let docs = tmp.path().join("docs");
    let n = make_collection(&docs);
    assert!(n >= 2000);

    let clean_db = tmp.path().join("clean.db");
    let clean_time = ingest_to_completion(&clean_db, &docs);
    let clean = dump(&clean_db);
    assert!(clean.contains(&format!("== documents ({n})")), "the clean run stores every document");
    let events = ingest_support::count(&clean_db, "events");
    assert!(events > 0, "the collection is coded into events, so that events are compared too");

    let seed = std::env::var("HAMKOR_KILL_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64 | 1
    });
    eprintln!("kill test: seed {seed} (HAMKOR_KILL_SEED={seed} replays it), clean run {clean_time:?}, {events} events");
    let mut rng = Rng(seed);

    let db = tmp.path().join("killed.db");
    let mut killed_mid_run = 0;
    let mut stored_before_kill = Vec::new();
    for round in 0..5 {
        // Anywhere in what is left of the work: a resumed run only has the rest to do.
        let stored = if db.exists() { ingest_support::count(&db, "documents") as f64 } else { 0.0 };
        let left = (1.0 - stored / n as f64).max(0.05);
        let delay = clean_time.mul_f64((0.05 + 0.9 * rng.unit()) * left);
        let mut child = hamkor()
            .args(["ingest", "--db", db.to_str().unwrap(), docs.to_str().unwrap()])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let still_running = child.try_wait().unwrap().is_none();
        child.kill().unwrap(); // SIGKILL on Unix
        child.wait().unwrap();
        if still_running {
            killed_mid_run += 1;
        }
        if db.exists() {
            assert_consistent(&db);
            stored_before_kill.push(ingest_support::count(&db, "documents"));
        }
        eprintln!(
            "round {round}: killed after {delay:?} (running: {still_running}), documents so far {stored_before_kill:?}"
        );
    }
    assert!(killed_mid_run >= 3, "at least three kills must interrupt a running ingest (got {killed_mid_run})");

    resume_after_kills(&db, &docs, 5);
    assert_consistent(&db);
    let resumed = dump(&db);
    if resumed != clean {
        let first_diff = clean.lines().zip(resumed.lines()).find(|(a, b)| a != b);
        panic!("resumed store differs from the clean one (seed {seed}); first difference: {first_diff:?}");
    }
    // And a further run stores nothing.
    ingest_to_completion(&db, &docs);
    assert_eq!(dump(&db), clean);
}

/// A page Readability needs about a second for: chains of 400 nested elements, many times.
fn slow_page() -> String {
    let chain = format!("{}<p>Talks in Tashkent on water.</p>{}", "<div>".repeat(400), "</div>".repeat(400));
    format!("<html><head><title>Slow page</title></head><body>{}</body></html>", chain.repeat(24))
}

#[test]
fn a_file_being_read_when_the_run_is_killed_is_failed_on_resume_not_read_again() {
    let tmp = tempfile::tempdir().unwrap();
    let docs = tmp.path().join("docs");
    fs::create_dir_all(&docs).unwrap();
    fs::write(docs.join("a.txt"), text(1)).unwrap();
    fs::write(docs.join("m-slow.html"), slow_page()).unwrap();
    fs::write(docs.join("z.txt"), text(2)).unwrap();
    let db = tmp.path().join("store.db");
    let journal = tmp.path().join("store.db-inflight");
    let args = ["ingest", "--jobs", "1", "--db", db.to_str().unwrap(), docs.to_str().unwrap()];

    // Kill the run while its journal says it is reading the slow page.
    let mut child = hamkor()
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let reading_it = || {
        fs::read_dir(&journal).into_iter().flatten().flatten().any(|e| {
            fs::read_to_string(e.path()).is_ok_and(|s| s.contains("m-slow.html"))
        })
    };
    while !reading_it() {
        assert!(child.try_wait().unwrap().is_none(), "the run ended before it read the slow page");
        assert!(started.elapsed() < Duration::from_secs(60), "the slow page was never read");
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert_consistent(&db);

    // The next run names it as failed and does not read it; the other files are stored.
    let o = output(hamkor().args(args));
    assert_eq!(o.code, 1, "{}", o.stderr);
    let line = o.stderr.lines().find(|l| l.contains("m-slow.html")).expect("the page is named");
    assert!(line.contains("an earlier ingest stopped while reading this"), "{line}");
    let conn = rusqlite::Connection::open(&db).unwrap();
    let titles: Vec<String> =
        conn.prepare("SELECT title FROM documents ORDER BY title").unwrap().query_map([], |r| r.get(0)).unwrap()
            .map(Result::unwrap)
            .collect();
    assert_eq!(titles, ["Report 1", "Report 2"], "the other files are stored, the page is not");
    assert_eq!(ingest_support::count(&db, "failures"), 1);

    // Again: still skipped, and said so.
    let o = output(hamkor().args(args));
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(o.stderr.contains("m-slow.html: skipped: an earlier ingest stopped"), "{}", o.stderr);

    // Asked to, it reads it.
    let mut retry = args.to_vec();
    retry.insert(1, "--retry-failed");
    let o = output(hamkor().args(&retry));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(ingest_support::count(&db, "documents"), 3);
    assert_eq!(ingest_support::count(&db, "failures"), 0);
    assert!(!journal.exists(), "a finished run leaves no journal behind");
}
