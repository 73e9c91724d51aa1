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

    import_back(dir.path(), &events, &all, &good);
    panels_equal_the_store(dir.path(), &events);
}

fn db_arg(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Events of a store as (evidence, type, actors, domains, date, span, lexicon), sorted.
fn stored_events(db: &Path) -> Vec<String> {
    let out = run(&["events", "--db", db_arg(db), "--format", "jsonl"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let mut v: Vec<String> = out
        .stdout
        .lines()
        .map(|l| {
            let e: serde_json::Value = serde_json::from_str(l).unwrap();
            let keep = ["evidence", "type", "actors", "domains", "date", "evidence_start", "evidence_end", "lang", "lexicon"];
            serde_json::Value::Array(keep.iter().map(|k| e[*k].clone()).collect()).to_string()
        })
        .collect();
    v.sort();
    v
}

/// `hamkor import events`: the Spark job's events in a store are those `hamkor ingest` stores for
/// the same lines; a second import adds nothing; bad rows and changed texts are named and skipped;
/// without the input, the events replace those of documents already stored.
fn import_back(dir: &Path, events: &Path, all: &Path, good: &Path) {
    let imported = dir.join("imported.db");
    let out = run(&["import", "events", events.to_str().unwrap(), "--input", all.to_str().unwrap(), "--db", db_arg(&imported)]);
    // The three lines the job refused are named again, with where they are.
    assert_eq!(out.code, 1, "{}", out.stderr);
    for what in ["bad JSON line", "a document without an id", "bad date \"soon\""] {
        assert!(out.stderr.contains(what), "{what} not named:\n{}", out.stderr);
    }
    assert!(out.stderr.contains("registry:"), "the import did not link: {}", out.stderr);
    let ingested = dir.join("ingested.db");
    let ing = run(&["ingest", good.to_str().unwrap(), "--db", db_arg(&ingested)]);
    // Both refuse the document with no text.
    assert!(ing.code == 1 && ing.stderr.contains("text\" is empty"), "{}", ing.stderr);
    assert!(out.stderr.contains("document empty-text: the document has no text"), "{}", out.stderr);
    let (a, b) = (stored_events(&imported), stored_events(&ingested));
    assert!(a.len() > 40);
    assert_eq!(a, b, "imported events differ from ingested ones");
    // What the store holds (the failures' times aside: a second run records them again).
    let stats = |db: &Path| {
        let mut v: serde_json::Value = serde_json::from_str(&run(&["stats", "--db", db_arg(db), "--json"]).stdout).unwrap();
        v.as_object_mut().unwrap().remove("recent_failures");
        v
    };
    let before = stats(&imported);
    let again = run(&["import", "events", events.to_str().unwrap(), "--input", all.to_str().unwrap(), "--db", db_arg(&imported)]);
    assert!(again.stderr.contains("0 new") && again.stderr.contains("0 events added"), "{}", again.stderr);
    assert_eq!(stats(&imported), before, "a second import changed the store");

    // A document whose events do not fit its text is named and skipped whole; the rest is stored.
    let broken = dir.join("broken.parquet");
    let script = format!(
        r#"
import pyarrow as pa, pyarrow.compute as pc, pyarrow.dataset as ds, pyarrow.parquet as pq
t = ds.dataset({events:?}, format="parquet").to_table()
t = t.filter(pc.is_in(t["document_id"], pa.array(["d01", "d03", "d05"])))
ends = [e + 1000 if d == "d03" else e for d, e in zip(t["document_id"].to_pylist(), t["evidence_end"].to_pylist())]
t = t.set_column(t.schema.get_field_index("evidence_end"), "evidence_end", pa.array(ends, pa.int64()))
pq.write_table(t, {broken:?})
"#,
        events = events.to_str().unwrap(),
        broken = broken.to_str().unwrap()
    );
    let w = python(&["-c", &script]);
    assert_eq!(w.code, 0, "{}", w.stderr);
    let distinct = root().join("crates/cli/tests/spark/distinct.jsonl");
    let part = dir.join("part.db");
    let out = run(&["import", "events", broken.to_str().unwrap(), "--input", distinct.to_str().unwrap(), "--db", db_arg(&part)]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stderr.contains("document d03: evidence") && out.stderr.contains("not the text that was coded"), "{}", out.stderr);
    assert!(out.stderr.contains("9 documents (9 new"), "{}", out.stderr);
    let failures = run(&["stats", "--db", db_arg(&part), "--json"]).stdout;
    assert!(failures.contains("\"failed_files\": 1"), "{failures}");

    // Without --input: events replace those of stored documents found by their line's id, only
    // where another lexicon coded them; a stored text that is not the coded one is refused.
    let conn = rusqlite::Connection::open(&ingested).unwrap();
    conn.execute("UPDATE documents SET coded_with = 'older'", []).unwrap();
    conn.execute(
        "UPDATE documents SET text = 'Another text altogether, not the one coded on Spark.' \
         WHERE id = (SELECT document_id FROM sources WHERE external_id = 'd03')",
        [],
    )
    .unwrap();
    drop(conn);
    let out = run(&["import", "events", events.to_str().unwrap(), "--db", db_arg(&ingested)]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stderr.contains("document d03:") && out.stderr.contains("not the text that was coded"), "{}", out.stderr);
    assert!(!out.stderr.contains(" 0 re-coded"), "{}", out.stderr);
    let again = run(&["import", "events", events.to_str().unwrap(), "--db", db_arg(&ingested)]);
    assert!(again.stderr.contains(" 0 re-coded"), "a second import re-coded again: {}", again.stderr);
}

/// The Spark panel and before/after comparison equal `hamkor stats panel` and `hamkor stats
/// compare` on the same events: (a) over an export of a store (canonical events, reports merged
/// by the registry), (b) over the Spark job's own output, for documents that report distinct
/// happenings (nothing to merge).
fn panels_equal_the_store(dir: &Path, events: &Path) {
    // (a) The store of the whole corpus, exported.
    let imported = dir.join("imported.db");
    let export = dir.join("export.parquet");
    let out = run(&["export", "--db", db_arg(&imported), "--format", "parquet", "-o", export.to_str().unwrap()]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let panels = dir.join("panels-export");
    let out = spark_submit("panels.py", &["--by", "dyad,domain,year", export.to_str().unwrap(), panels.to_str().unwrap()]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let want = run(&["stats", "panel", "--db", db_arg(&imported), "--format", "csv"]);
    assert_eq!(want.code, 0, "{}", want.stderr);
    let got = std::fs::read_to_string(panels.join("panel.csv")).unwrap();
    assert!(got.lines().count() > 20, "{got}");
    assert_eq!(got, want.stdout, "the Spark panel of the export differs from hamkor stats panel");

    // (b) The distinct-events documents, straight from the Spark job.
    let distinct_events = dir.join("distinct-events");
    let script = format!(
        r#"
import pyarrow as pa, pyarrow.compute as pc, pyarrow.dataset as ds, pyarrow.parquet as pq, os
t = ds.dataset({events:?}, format="parquet").to_table()
t = t.filter(pc.match_substring_regex(t["document_id"], "^d[0-9]+$"))
os.makedirs({out:?}); pq.write_table(t, {out:?} + "/part-0.parquet")
"#,
        events = events.to_str().unwrap(),
        out = distinct_events.to_str().unwrap()
    );
    let w = python(&["-c", &script]);
    assert_eq!(w.code, 0, "{}", w.stderr);
    let db = dir.join("distinct.db");
    let distinct = root().join("crates/cli/tests/spark/distinct.jsonl");
    let out = run(&["import", "events", distinct_events.to_str().unwrap(), "--input", distinct.to_str().unwrap(), "--db", db_arg(&db)]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let status = run(&["registry", "status", "--db", db_arg(&db)]).stdout;
    assert!(status.contains("(0 merge two reports or more)"), "the registry merged reports: choose other texts\n{status}");
    let panels = dir.join("panels-spark");
    let out = spark_submit(
        "panels.py",
        &["--by", "dyad,domain,year", "--breakpoint", "2017", distinct_events.to_str().unwrap(), panels.to_str().unwrap()],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let want = run(&["stats", "panel", "--db", db_arg(&db), "--format", "csv"]);
    let got = std::fs::read_to_string(panels.join("panel.csv")).unwrap();
    assert!(got.contains("KAZ-UZB,health,2015,"), "{got}");
    assert_eq!(got, want.stdout, "the Spark panel differs from hamkor stats panel");
    let want = run(&["stats", "compare", "--db", db_arg(&db), "--test", "before-after", "--format", "csv"]);
    assert_eq!(want.code, 0, "{}", want.stderr);
    let got = std::fs::read_to_string(panels.join("before_after.csv")).unwrap();
    assert!(got.contains("dyad,KAZ-KGZ,"), "{got}");
    assert_eq!(got, want.stdout, "the Spark before/after comparison differs from hamkor stats compare");
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

/// The scripts state hamkor's definitions again (Python cannot call the Rust): the type and
/// domain orders, the organisations that are not states, the humanitarian domains, the weights
/// and the crosswalk must stay those of crates/model and crates/analysis. Needs only python3.
#[test]
fn the_scripts_define_what_hamkor_defines() {
    let code = r#"
import json, sys
sys.path.insert(0, sys.argv[1])
import hamkor_code, panels
print(json.dumps({
    "non_state": sorted(hamkor_code.NON_STATE_CODES),
    "types": panels.TYPES, "domains": panels.DOMAINS, "humanitarian": panels.HUMANITARIAN,
    "central_asia": panels.CENTRAL_ASIA, "weights": panels.DEFAULT_WEIGHTS, "goldstein": panels.GOLDSTEIN,
    "crosswalk": {t: list(v) for t, v in hamkor_code.CROSSWALK.items()},
    "groups": panels.GROUP_MEMBERS,
}))
"#;
    let out = python(&["-c", code, root().join("scripts/spark").to_str().unwrap()]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    use hamkor_analysis::panel::{cameo_code, goldstein, quad_code, Weights};
    use hamkor_model::{Domain, EventType};
    let strs = |k: &str| -> Vec<String> { v[k].as_array().unwrap().iter().map(|s| s.as_str().unwrap().to_string()).collect() };
    assert_eq!(strs("non_state"), hamkor_analysis::NON_STATE_CODES);
    assert_eq!(strs("types"), EventType::ALL_CODES);
    assert_eq!(strs("domains"), Domain::ALL_CODES);
    assert_eq!(strs("humanitarian"), hamkor_analysis::HUMANITARIAN.iter().map(|d| d.code()).collect::<Vec<_>>());
    assert_eq!(strs("central_asia"), hamkor_model::CENTRAL_ASIA);
    // Groups and their members (no group is a pair with its own member).
    for code in hamkor_analysis::NON_STATE_CODES {
        let rust = hamkor_model::groups::members(&hamkor_model::ActorCode::new(code).unwrap()).map(|m| m.to_vec());
        let py = v["groups"][*code].as_array().map(|m| m.iter().map(|s| s.as_str().unwrap()).collect::<Vec<_>>());
        assert_eq!(py, rust, "the members of {code}");
    }
    assert!(v["groups"].as_object().unwrap().keys().all(|g| hamkor_analysis::NON_STATE_CODES.contains(&g.as_str())));
    let w = Weights::default();
    for t in EventType::ALL {
        assert_eq!(v["weights"][t.code()].as_f64(), Some(w.get(*t)), "weight of {t}");
        assert_eq!(v["goldstein"][t.code()].as_f64(), Some(goldstein(*t)), "Goldstein of {t}");
        let (plover, cameo, root) = cameo_code(*t);
        let x = &v["crosswalk"][t.code()];
        assert_eq!((x[0].as_str(), x[1].as_str(), x[2].as_str()), (Some(plover), Some(cameo), Some(root)), "{t}");
        assert_eq!((x[3].as_f64(), x[4].as_u64()), (Some(goldstein(*t)), Some(quad_code(*t) as u64)), "{t}");
    }
}
