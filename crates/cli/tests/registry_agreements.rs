//! The built-in registry through the real binary: every new store holds it, `hamkor agreements`
//! lists and filters it with each party's lifecycle, and `hamkor registry import` adds the
//! user's records and corrections.

use std::process::{Command, Stdio};

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(args: &[&str]) -> Out {
    let o = Command::new(env!("CARGO_BIN_EXE_hamkor"))
        .args(args)
        .env_remove("HAMKOR_DB")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .expect("run hamkor");
    Out {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

#[test]
fn a_new_store_lists_the_friendship_treaty_for_tajikistan_with_its_2025_signature_and_no_turkmen_one() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("new.db");
    let db = db.to_str().unwrap();
    let o = run(&["agreements", "--party", "TJK", "--db", db]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let lines: Vec<&str> = o.stdout.lines().collect();
    let at =
        lines.iter().position(|l| l.starts_with("ca-friendship-treaty-2022")).unwrap_or_else(|| panic!("{}", o.stdout));
    let parties = lines[at + 1];
    assert!(parties.contains("TJK signed 2025-08-28"), "{parties}");
    assert!(parties.contains("TKM not signed"), "{parties}");
    assert!(parties.contains("KAZ signed 2022-07-21"), "{parties}");
    // Only agreements Tajikistan is a party to.
    assert!(!o.stdout.contains("kaz-uzb-allied-treaty-2022"));
    assert!(o.stdout.contains("tjk-uzb-allied-treaty-2024"));

    // The same as JSON, and the store really holds the registry.
    let o = run(&["agreements", "--party", "TJK", "--db", db, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    let f = v.as_array().unwrap().iter().find(|a| a["id"] == "ca-friendship-treaty-2022").unwrap();
    let party = |p: &str| f["parties"].as_array().unwrap().iter().find(|x| x["party"] == p).unwrap().clone();
    assert_eq!(party("TJK")["signed"], "2025-08-28");
    assert_eq!(party("TJK")["status"], "signed");
    assert_eq!(party("TKM")["signed"], serde_json::Value::Null);
    assert_eq!(party("TKM")["status"], "deferred");
    let conn = rusqlite::Connection::open(db).unwrap();
    let n: i64 =
        conn.query_row("SELECT count(*) FROM registry_records WHERE origin = 'builtin'", [], |r| r.get(0)).unwrap();
    assert_eq!(n, 80 + 198);
}

#[test]
fn filters_by_status_year_and_domain() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let db = db.to_str().unwrap();
    let ids = |args: &[&str]| -> Vec<String> {
        let mut a = vec!["agreements", "--db", db, "--format", "json"];
        a.extend_from_slice(args);
        let o = run(&a);
        assert_eq!(o.code, 0, "{}", o.stderr);
        let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
        v.as_array().unwrap().iter().map(|a| a["id"].as_str().unwrap().to_string()).collect()
    };
    let not_signed = ids(&["--party", "TKM", "--status", "deferred"]);
    assert_eq!(not_signed, ["ca-friendship-treaty-2022"]);
    let in_force = ids(&["--status", "in_force"]);
    assert!(in_force.contains(&"tjk-uzb-allied-treaty-2024".to_string()), "{in_force:?}");
    assert!(in_force.contains(&"kaz-uzb-allied-treaty-2022".to_string()), "{in_force:?}");
    let y2025 = ids(&["--year", "2025", "--party", "TJK"]);
    assert!(y2025.contains(&"ca-friendship-treaty-2022".to_string()), "Tajikistan signed it in 2025: {y2025:?}");
    let water = ids(&["--domain", "water"]);
    assert!(water.contains(&"kgz-uzb-kempirabad-2022".to_string()));
    assert!(!water.contains(&"kgz-tjk-border-treaty-2025".to_string()));
    let o = run(&["agreements", "--db", db, "--status", "nonsense"]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("expected one of"), "{}", o.stderr);
}

#[test]
fn show_prints_the_lifecycle_step_by_step_with_sources() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let db = db.to_str().unwrap();
    let o = run(&["agreements", "show", "ca-friendship-treaty-2022", "--db", db]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stdout.contains("Lifecycle"));
    assert!(o.stdout.contains("2025-08-28 signed, Dushanbe"), "{}", o.stdout);
    assert!(
        o.stdout.contains("source: https://todayheadline.co/tajikistan-signs-onto-central-asian-friendship-treaty"),
        "{}",
        o.stdout
    );
    assert!(o.stdout.contains("deferred signature"), "{}", o.stdout);
    let o = run(&["agreements", "show", "friendship-treaty", "--db", db]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("did you mean") && o.stderr.contains("ca-friendship-treaty-2022"), "{}", o.stderr);
}

#[test]
fn import_adds_records_and_corrections_that_outlive_a_new_builtin_version() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let db = db.to_str().unwrap();
    let file = dir.path().join("mine.jsonl");
    std::fs::write(
        &file,
        concat!(
            r#"{"id": "kaz-uzb-water-memo-2026", "name_en": "Memorandum on water monitoring (Kazakhstan-Uzbekistan)", "kind": "memorandum", "parties": ["KAZ", "UZB"], "signed": "2026-02-03", "place": "Astana", "domains": ["water"], "notes": "Our own entry.", "sources": ["https://example.org/memo"], "names": {"en": ["memorandum on water monitoring"], "ru": ["меморандум о мониторинге вод"]}}"#,
            "\n",
            r#"{"id": "kgz-tjk-border-treaty-2025", "steps": [{"party": "TJK", "step": "ratified", "date": "2025-04", "basis": "kgz-tjk-border-treaty-2025", "note": "our correction"}]}"#,
            "\n",
            r#"{"id": "broken", "parties": "KAZ"}"#,
            "\n",
            "not json\n",
        ),
    )
    .unwrap();
    let o = run(&["registry", "import", file.to_str().unwrap(), "--db", db]);
    assert_eq!(o.code, 1, "two lines are refused: {}", o.stderr);
    assert!(o.stderr.contains("1 added") && o.stderr.contains("1 built-in records corrected"), "{}", o.stderr);
    assert!(o.stderr.contains("mine.jsonl:4: not JSON"), "{}", o.stderr);

    let status = |p: &str| -> String {
        let o = run(&["agreements", "--db", db, "--party", p, "--format", "json"]);
        o.stdout
    };
    assert!(status("KAZ").contains("kaz-uzb-water-memo-2026"));
    let tjk = |db: &str| -> serde_json::Value {
        let o = run(&["agreements", "--db", db, "--party", "TJK", "--format", "json"]);
        let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
        v.as_array().unwrap().iter().find(|a| a["id"] == "kgz-tjk-border-treaty-2025").unwrap().clone()
    };
    let t = tjk(db);
    assert_eq!(t["corrected"], true);
    assert!(t["parties"].as_array().unwrap().iter().any(|p| p["party"] == "TJK" && p["status"] == "ratified"), "{t}");

    // A newer hamkor's registry replaces the built-in rows; the user's rows and corrections stay.
    {
        let c = rusqlite::Connection::open(db).unwrap();
        c.execute("UPDATE registry_meta SET value = 'an older version' WHERE key = 'builtin_version'", []).unwrap();
    }
    let t = tjk(db);
    assert_eq!(t["corrected"], true);
    assert!(t["parties"].as_array().unwrap().iter().any(|p| p["party"] == "TJK" && p["status"] == "ratified"), "{t}");
    assert!(status("UZB").contains("kaz-uzb-water-memo-2026"));
    let o = run(&["registry", "status", "--db", db, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(v["agreements"]["user"], 1);
    assert_eq!(v["corrected"], 1);
}
