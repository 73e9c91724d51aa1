//! `hamkor search` across scripts and languages, and the other read commands (`events`,
//! `show`, `stats`) over a small store built through the real binary.

mod ingest_support;

use ingest_support::{hamkor, output, run};
use std::fs;
use std::io::Write;
use std::process::Stdio;

fn store_with(docs: &[(&str, &str)]) -> (tempfile::TempDir, String) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("docs");
    fs::create_dir_all(&dir).unwrap();
    for (name, text) in docs {
        fs::write(dir.join(name), text).unwrap();
    }
    let db = tmp.path().join("s.db").to_str().unwrap().to_string();
    let o = run(&["ingest", "--db", &db, dir.to_str().unwrap()]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    (tmp, db)
}

fn titles(db: &str, query: &str) -> Vec<String> {
    let o = run(&["search", "--db", db, "--format", "jsonl", query]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    o.stdout
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["title"].as_str().unwrap_or("").to_string())
        .collect()
}

#[test]
fn uzbek_cyrillic_and_latin_find_each_other() {
    let (_tmp, db) = store_with(&[
        (
            "cyr.txt",
            "Cyrillic document\nЎзбекистон ва Қозоғистон сув ресурслари бўйича ҳамкорлик тўғрисидаги битимни имзолади.",
        ),
        ("lat.txt", "Latin document\nToshkentda rektorlar forumi boʻlib oʻtdi, oliy taʼlim sohasidagi aloqalar muhokama qilindi."),
        ("ru.txt", "Russian document\nКазахстан и Кыргызстан обсудили пограничные вопросы."),
    ]);
    // Latin query, Cyrillic document.
    assert_eq!(titles(&db, "hamkorlik"), ["Cyrillic document"]);
    assert_eq!(titles(&db, "Qozogʻiston"), ["Cyrillic document"]);
    // Cyrillic query, Latin document.
    assert_eq!(titles(&db, "ректорлар"), ["Latin document"]);
    assert_eq!(titles(&db, "таълим"), ["Latin document"]);
    // Each script still finds its own, and other languages are searchable as written.
    assert_eq!(titles(&db, "ҳамкорлик"), ["Cyrillic document"]);
    assert_eq!(titles(&db, "пограничные"), ["Russian document"]);
    assert!(titles(&db, "nonexistentword").is_empty());
}

#[test]
fn events_show_and_stats_agree_with_each_other() {
    let (_tmp, db) = store_with(&[
        ("a.txt", "Title: Water\nDate: 2022-11-03\n\nUzbekistan and Tajikistan signed an agreement on water resources in Dushanbe on 3 November 2022."),
        ("b.txt", "Title: Aid\nDate: 2024-04-06\n\nKazakhstan sent humanitarian aid to Kyrgyzstan after the floods on 5 April 2024."),
    ]);
    let stats: serde_json::Value = serde_json::from_str(&run(&["stats", "--db", &db, "--json"]).stdout).unwrap();
    let total = stats["events"].as_i64().unwrap();
    assert!(total >= 2, "the coder finds the two events: {stats}");
    assert_eq!(stats["documents"], 2);
    assert_eq!(stats["failed_files"], 0);

    // jsonl and csv list the same events; csv has a header line.
    let jsonl = run(&["events", "--db", &db, "--format", "jsonl"]);
    assert_eq!(jsonl.stdout.lines().count() as i64, total);
    let csv = run(&["events", "--db", &db, "--format", "csv"]);
    assert_eq!(csv.stdout.lines().count() as i64, total + 1);
    assert!(csv.stdout.starts_with("event_id,document_id,date,"));

    // Filters narrow the list; every listed event satisfies them.
    let pair =
        run(&["events", "--db", &db, "--format", "jsonl", "--pair", "tjk,UZB", "--from", "2022", "--to", "2022-11"]);
    assert_eq!(pair.code, 0, "{}", pair.stderr);
    let rows: Vec<serde_json::Value> = pair.stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert!(!rows.is_empty());
    for r in &rows {
        let actors = r["actors"].as_array().unwrap();
        assert!(actors.contains(&"TJK".into()) && actors.contains(&"UZB".into()), "{r}");
        assert!(!r["evidence"].as_str().unwrap().is_empty());
    }
    let none = run(&["events", "--db", &db, "--format", "jsonl", "--pair", "TJK,UZB", "--from", "2023"]);
    assert_eq!(none.stdout, "");
    let bad = run(&["events", "--db", &db, "--type", "summit"]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("unknown event type"), "{}", bad.stderr);
    let bad = run(&["events", "--db", &db, "--from", "June"]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("--from"), "{}", bad.stderr);

    // show: evidence in plain [[markers]] when not on a terminal, events listed, sources named.
    let id = rows[0]["document_id"].to_string();
    let show = run(&["show", "--db", &db, &id]);
    assert_eq!(show.code, 0, "{}", show.stderr);
    let evidence = rows[0]["evidence"].as_str().unwrap();
    assert!(show.stdout.contains(&format!("[[{evidence}]]")), "{}", show.stdout);
    assert!(show.stdout.contains("a.txt"), "{}", show.stdout);
    assert!(!show.stdout.contains('\x1b'), "no ANSI codes when piped");
    let missing = run(&["show", "--db", &db, "999999"]);
    assert_eq!(missing.code, 2);
}

#[test]
fn json_lines_from_stdin_and_the_env_store() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("env.db");
    let mut child = hamkor()
        .args(["ingest", "-"])
        .env("HAMKOR_DB", &db)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"{\"id\": \"s1\", \"text\": \"Turkmenistan and Uzbekistan held talks in Ashgabat.\"}\n{\"broken\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("<stdin>:2: bad JSON line"), "{stderr}");
    let stats = output(hamkor().args(["stats", "--json"]).env("HAMKOR_DB", &db));
    let v: serde_json::Value = serde_json::from_str(&stats.stdout).unwrap();
    assert_eq!(v["documents"], 1);
    // A query on a store that does not exist says so instead of creating an empty one.
    let o = run(&["stats", "--db", tmp.path().join("none.db").to_str().unwrap()]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("no store at"), "{}", o.stderr);
    assert!(!tmp.path().join("none.db").exists());
}
