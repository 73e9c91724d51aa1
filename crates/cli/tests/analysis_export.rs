//! Exports of the demo store: a Parquet file reads back in Python (pyarrow) with the schema
//! docs/exports.md documents; the other formats parse and agree on the number of events; and the
//! `stats` subcommands answer in every format while `hamkor stats --json` keeps its shape.

mod analysis_support;

use analysis_support::{demo_store, hamkor, missing_tool, run, which};

/// The Parquet schema as docs/exports.md documents it: (column, Arrow type as pyarrow prints it).
const SCHEMA: &[(&str, &str)] = &[
    ("event_id", "int64"),
    ("date", "string"),
    ("date_start", "date32[day]"),
    ("date_end", "date32[day]"),
    ("year", "int32"),
    ("date_from_document", "bool"),
    ("type", "string"),
    ("actors", "list<item: string>"),
    ("n_actors", "int32"),
    ("multilateral", "bool"),
    ("domains", "list<item: string>"),
    ("agreement", "string"),
    ("format", "string"),
    ("plover", "string"),
    ("cameo", "string"),
    ("cameo_root", "string"),
    ("goldstein", "double"),
    ("quad", "int32"),
    ("reports", "int32"),
    ("document_ids", "list<item: int64>"),
    ("languages", "list<item: string>"),
    ("sources", "list<item: string>"),
    ("evidence", "list<item: string>"),
];

fn docs() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/exports.md")).expect("docs/exports.md")
}

#[test]
fn parquet_reads_back_in_pyarrow_with_the_documented_schema() {
    let doc = docs();
    for (col, ty) in SCHEMA {
        assert!(doc.contains(&format!("| `{col}` | `{ty}` |")), "docs/exports.md does not document {col} as {ty}");
    }
    let dir = tempfile::tempdir().unwrap();
    let db = demo_store(dir.path());
    let pq = dir.path().join("events.parquet");
    run(hamkor().args(["export", "--format", "parquet", "--db"]).arg(&db).arg("-o").arg(&pq));
    let jsonl = run(hamkor().args(["export", "--format", "jsonl", "--db"]).arg(&db));
    let n = String::from_utf8(jsonl.stdout).unwrap().lines().count();
    assert!(n > 50, "the demo has canonical events");

    let Some(python) = which("python3") else { return missing_tool("python3") };
    let has_pyarrow =
        std::process::Command::new(&python).args(["-c", "import pyarrow"]).output().is_ok_and(|o| o.status.success());
    if !has_pyarrow {
        return missing_tool("pyarrow (pip install pyarrow)");
    }
    let expected: Vec<String> = SCHEMA.iter().map(|(c, t)| format!("{c}\t{t}")).collect();
    let script = r#"
import sys, pyarrow.parquet as pq
t = pq.read_table(sys.argv[1])
for f in t.schema:
    print(f"{f.name}\t{f.type}")
print(f"rows\t{t.num_rows}")
ids = t.column("event_id").to_pylist()
assert ids == sorted(set(ids)) or len(set(ids)) == len(ids), "event ids are unique"
assert all(len(a) >= 2 for a in t.column("actors").to_pylist()), "every event has two actors"
assert set(t.column("cameo_root").to_pylist()) <= {"04", "05", "06", "07"}
df = t.to_pandas() if "pandas" in sys.modules or __import__("importlib").util.find_spec("pandas") else None
print("pandas\t" + ("ok" if df is None or len(df) == t.num_rows else "bad"))
"#;
    let out = run(std::process::Command::new(python).args(["-c", script]).arg(&pq));
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        &lines[..SCHEMA.len()],
        expected.iter().map(String::as_str).collect::<Vec<_>>().as_slice(),
        "schema read back by pyarrow"
    );
    assert_eq!(lines[SCHEMA.len()], format!("rows\t{n}"));
    assert_eq!(lines[SCHEMA.len() + 1], "pandas\tok");
}

#[test]
fn every_export_format_parses_and_counts_the_same_events() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_store(dir.path());
    let export = |fmt: &str, extra: &[&str]| -> String {
        String::from_utf8(run(hamkor().args(["export", "--format", fmt, "--db"]).arg(&db).args(extra)).stdout).unwrap()
    };
    let n = export("jsonl", &[]).lines().count();
    for line in export("jsonl", &[]).lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        assert!(v["reports_detail"].as_array().is_some_and(|r| !r.is_empty()));
    }
    let csv = export("csv", &["--hxl"]);
    assert_eq!(csv.lines().next().unwrap().split(',').count(), 23);
    assert!(csv.lines().nth(1).unwrap().starts_with("#event+id,"));
    let plover = export("plover", &[]);
    assert_eq!(plover.lines().count(), n);
    for line in plover.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        assert!(["AGREE", "CONSULT", "AID", "COOPERATE"].contains(&v["event"][0].as_str().unwrap()));
    }
    let geo: serde_json::Value = serde_json::from_str(&export("geojson", &[])).unwrap();
    assert!(geo["features"].as_array().unwrap().iter().any(|f| f["geometry"]["type"] == "LineString"));
    let graphml = export("graphml", &[]);
    assert!(graphml.contains("<graph id=\"cooperation\" edgedefault=\"undirected\">") && graphml.contains("<edge "));
    // The filters of `hamkor events` apply.
    let kaz_uzb = export("jsonl", &["--pair", "KAZ,UZB", "--type", "agreement"]);
    assert!(kaz_uzb.lines().count() < n && kaz_uzb.lines().count() > 0);
    for line in kaz_uzb.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let actors: Vec<&str> = v["actors"].as_array().unwrap().iter().map(|a| a.as_str().unwrap()).collect();
        assert!(actors.contains(&"KAZ") && actors.contains(&"UZB") && v["type"] == "agreement");
    }
}

#[test]
fn stats_subcommands_answer_and_stats_json_keeps_its_shape() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_store(dir.path());
    let stats = |args: &[&str]| -> String {
        String::from_utf8(run(hamkor().arg("stats").args(args).arg("--db").arg(&db)).stdout).unwrap()
    };
    let plain: serde_json::Value = serde_json::from_str(&stats(&["--json"])).unwrap();
    for key in ["documents", "events", "failed_files", "events_by_type", "top_dyads"] {
        assert!(plain.get(key).is_some(), "hamkor stats --json lost {key}");
    }
    let panel: serde_json::Value =
        serde_json::from_str(&stats(&["panel", "--by", "dyad,domain", "--format", "json"])).unwrap();
    assert!(!panel["rows"].as_array().unwrap().is_empty());
    assert!(stats(&["panel", "--by", "year", "--format", "csv"]).starts_with("year,count,intensity,goldstein\n"));
    let cmp: serde_json::Value =
        serde_json::from_str(&stats(&["compare", "--breakpoint", "2020", "--format", "json"])).unwrap();
    assert!(cmp["before_after"].as_array().unwrap().iter().any(|r| r["scope"]["kind"] == "all"));
    assert!(stats(&["compare", "--breakpoint", "2020", "--test", "trend", "--format", "csv"])
        .starts_with("group,events,slope"));
    let net: serde_json::Value = serde_json::from_str(&stats(&["network", "--format", "json"])).unwrap();
    assert_eq!(net["nodes"].as_array().unwrap().len(), 5, "the five states");
    assert!(stats(&["network", "--hubs"]).contains("hub_strength"));
    let fol: serde_json::Value = serde_json::from_str(&stats(&["followthrough", "--format", "json"])).unwrap();
    assert!(fol["groups"].as_array().unwrap().iter().any(|g| g["group"] == "all"));
    // The default breakpoint leaves the demo (which starts in 2017) no "before": said, not failed.
    let out = hamkor().args(["stats", "compare", "--test", "before-after", "--db"]).arg(&db).output().unwrap();
    assert!(!out.status.success() && String::from_utf8_lossy(&out.stderr).contains("leaves no year"));
}
