//! The Spark job (`scripts/spark/hamkor_code.py`) on a local Spark (`local[2]`), with this
//! build's `hamkor` shipped to it:
//!
//! - its events are those `hamkor code` gives for the same lines (keyed by document id: type,
//!   actors, domains, date, evidence span), and so are its diagnostics; input rows hamkor would
//!   refuse are named in the diagnostics instead of failing the job;
//! - a partition whose hamkor fails fails the job, with hamkor's own message;
//! - the Spark panel and before/after comparison (`scripts/spark/panels.py`) equal `hamkor stats
//!   panel` and `hamkor stats compare` on the same events, once imported into a store.
//!
//! Needs `spark-submit` (pip install pyspark), pyarrow and Java 17. Without them the tests say
//! what is missing and pass, unless CI is set: then they fail (`.ci/run` installs all three).

mod ingest_support;

use ingest_support::{output, run, Out};
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn missing() -> Vec<String> {
    let mut out = Vec::new();
    let ok = |cmd: &mut Command| cmd.output().map(|o| o.status.success()).unwrap_or(false);
    if !ok(Command::new("java").arg("-version")) {
        out.push("Java 17 (apt-get install -y openjdk-17-jre-headless)".to_string());
    }
    if !ok(Command::new("python3").args(["-c", "import pyspark, pyarrow"])) {
        out.push("pyspark and pyarrow (pip install pyspark pyarrow)".to_string());
    }
    if !ok(Command::new("spark-submit").arg("--help")) {
        out.push("spark-submit on PATH (pip install pyspark)".to_string());
    }
    out
}

/// True when the test may run; false (after saying why) when it must be skipped outside CI.
fn spark_available() -> bool {
    let missing = missing();
    if missing.is_empty() {
        return true;
    }
    let msg = format!("Spark test skipped: missing {}", missing.join(", "));
    if std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0") {
        panic!("{msg} (CI is set: .ci/run must install them)");
    }
    eprintln!("{msg}");
    false
}

/// `spark-submit --master local[2] SCRIPT ARGS…`, quiet, on loopback, without the web UI.
fn spark_submit(script: &str, args: &[&str]) -> Out {
    let started = std::time::Instant::now();
    let mut cmd = Command::new("spark-submit");
    cmd.args(["--master", "local[2]", "--driver-memory", "1g"])
        .args(["--conf", "spark.ui.enabled=false", "--conf", "spark.sql.shuffle.partitions=2"])
        .args(["--conf", "spark.driver.extraJavaOptions=-Dlog4j2.level=warn"])
        .arg(root().join("scripts/spark").join(script))
        .args(args)
        .env("SPARK_LOCAL_IP", "127.0.0.1")
        .env("PYSPARK_PYTHON", "python3")
        .stdin(std::process::Stdio::null());
    let mut out = output(&mut cmd);
    // spark-submit passes the Python driver's standard error on its standard output.
    out.stderr = format!("{}{}", out.stdout, out.stderr);
    eprintln!("spark-submit {script}: exit {} in {:.1} s", out.code, started.elapsed().as_secs_f64());
    out
}

fn hamkor_bin() -> &'static str {
    env!("CARGO_BIN_EXE_hamkor")
}

/// Input lines we wrote: the sample collection's plain-text documents and JSON lines, the
/// distinct-events corpus of these tests, and rows hamkor would refuse. Returns (all lines,
/// the good ones).
fn corpus(dir: &Path) -> (PathBuf, PathBuf) {
    let samples = root().join("samples/demo");
    let mut good: Vec<String> = Vec::new();
    let mut names: Vec<PathBuf> = std::fs::read_dir(&samples).unwrap().map(|e| e.unwrap().path()).collect();
    names.sort();
    for p in &names {
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        if name.ends_with(".txt") || (name.ends_with(".md") && name != "README.md") {
            let text = std::fs::read_to_string(p).unwrap();
            // 2024-04-22-kk-korshiler-komek.txt: the date and language are in the name.
            let mut line = serde_json::json!({"id": name, "text": text, "source": format!("samples/demo/{name}")});
            if name.as_bytes()[..10].iter().all(|b| b.is_ascii_digit() || *b == b'-') {
                line["date"] = name[..10].into();
                line["lang"] = name[11..13].into();
            }
            good.push(line.to_string());
        }
    }
    for l in std::fs::read_to_string(samples.join("demo-input.jsonl")).unwrap().lines() {
        if !l.trim().is_empty() {
            good.push(l.to_string());
        }
    }
    for l in std::fs::read_to_string(root().join("crates/cli/tests/spark/distinct.jsonl")).unwrap().lines() {
        good.push(l.to_string());
    }
    good.push(r#"{"id": "empty-text", "text": ""}"#.to_string());
    let mut all = good.clone();
    // Refused by hamkor code; the job names each in its diagnostics and codes the rest.
    all.insert(3, r#"{"id": "bad-date", "text": "Uzbekistan and Kazakhstan met.", "date": "soon"}"#.to_string());
    all.insert(7, r#"{"text": "A line without an id."}"#.to_string());
    all.insert(9, r#"{"id": "broken", "text": "#.to_string());
    let write = |name: &str, lines: &[String]| {
        let p = dir.join(name);
        std::fs::write(&p, lines.join("\n") + "\n").unwrap();
        p
    };
    (write("all.jsonl", &all), write("good.jsonl", &good))
}

fn python(args: &[&str]) -> Out {
    output(Command::new("python3").args(args))
}

#[test]
fn spark_job_codes_what_hamkor_code_codes() {
    if !spark_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (all, good) = corpus(dir.path());
    let events = dir.path().join("events");
    let out = spark_submit(
        "hamkor_code.py",
        &["--binary", hamkor_bin(), "--partitions", "3", all.to_str().unwrap(), events.to_str().unwrap()],
    );
    assert_eq!(out.code, 0, "the Spark job failed:\n{}", out.stderr);
    assert!(out.stderr.contains("3 input rows not coded"), "{}", out.stderr);

    // The reference: hamkor code on the good lines.
    let reference = dir.path().join("reference.jsonl");
    let code = run(&["code", good.to_str().unwrap()]);
    assert_eq!(code.code, 0, "{}", code.stderr);
    std::fs::write(&reference, &code.stdout).unwrap();
    let compare = root().join("scripts/spark/compare_events.py");
    let cmp = python(&[compare.to_str().unwrap(), events.to_str().unwrap(), reference.to_str().unwrap()]);
    assert_eq!(cmp.code, 0, "Spark and hamkor code differ:\n{}{}", cmp.stdout, cmp.stderr);
    eprint!("{}", cmp.stdout);

    // The columns and types of `hamkor export --format parquet`, then document_id and the rest,
    // and the refused rows named in the diagnostics.
    let check = format!(
        r#"
import pyarrow.dataset as ds, sys
t = ds.dataset({events:?}, format="parquet").to_table()
names = t.schema.names
want = {export_columns:?}
assert names[:len(want)] == want and names[len(want)] == "document_id", names
assert t.num_rows > 40, t.num_rows
d = ds.dataset({events:?} + "/_diagnostics", format="parquet").to_table().to_pylist()
inputs = sorted(r["code"] for r in d if r["origin"] == "input")
assert inputs == ["bad-date", "bad-json", "no-id"], inputs
assert any("bad-date" in r["document_id"] for r in d if r["document_id"]), d
assert any(r["code"] == "empty-text" and r["document_id"] == "empty-text" for r in d), d
print("schema", t.schema.to_string(show_schema_metadata=False))
"#,
        events = events.to_str().unwrap(),
        export_columns = export_columns(),
    );
    let out = python(&["-c", &check]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
}

/// The export's columns, from `hamkor export --format csv` on an empty store's header.
fn export_columns() -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("empty.db");
    let db = db.to_str().unwrap();
    let ok = run(&["ingest", "--db", db, root().join("crates/cli/tests/spark/distinct.jsonl").to_str().unwrap()]);
    assert_eq!(ok.code, 0, "{}", ok.stderr);
    let csv = run(&["export", "--db", db, "--format", "csv", "--limit", "1"]);
    assert_eq!(csv.code, 0, "{}", csv.stderr);
    csv.stdout.lines().next().unwrap().split(',').map(String::from).collect()
}

#[test]
fn a_failing_hamkor_fails_the_job_with_its_message() {
    if !spark_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    // A stand-in binary: the real hamkor, except that a partition holding the word POISON runs it
    // with a lexicon that does not exist, so that hamkor itself fails there with its own message.
    let wrapper = dir.path().join("hamkor");
    std::fs::write(
        &wrapper,
        format!(
            "#!/bin/sh\n[ \"$1\" = --version ] && exec {bin} --version\ninput=$(mktemp)\ncat > \"$input\"\n\
             if grep -q POISON \"$input\"; then exec {bin} \"$@\" --lexicon /no/such/lexicon < \"$input\"; fi\n\
             exec {bin} \"$@\" < \"$input\"\n",
            bin = hamkor_bin()
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&wrapper, std::fs::Permissions::from_mode(0o755)).unwrap();
    let input = dir.path().join("in.jsonl");
    let mut lines: Vec<String> = (0..20)
        .map(|i| serde_json::json!({"id": format!("doc-{i}"), "text": format!("Uzbekistan and Kazakhstan signed agreement number {i} in Tashkent on 3 May 2021.")}).to_string())
        .collect();
    lines.push(r#"{"id": "poisoned", "text": "POISON"}"#.to_string());
    std::fs::write(&input, lines.join("\n") + "\n").unwrap();
    let events = dir.path().join("events");
    let out = spark_submit(
        "hamkor_code.py",
        &["--binary", wrapper.to_str().unwrap(), "--partitions", "2", input.to_str().unwrap(), events.to_str().unwrap()],
    );
    assert_ne!(out.code, 0, "the job succeeded although one partition's hamkor failed:\n{}", out.stderr);
    assert!(out.stderr.contains("hamkor exited with status 2 on partition"), "{}", out.stderr);
    assert!(out.stderr.contains("/no/such/lexicon"), "hamkor's own message is not in the job's error:\n{}", out.stderr);
    assert!(!events.join("_SUCCESS").exists(), "a failed job left a complete-looking output");
}
