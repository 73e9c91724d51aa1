//! `hamkor eval` and `hamkor export --format gold` through the real binary.
//!
//! - On the shared evaluation sets (../shared/eval/dev and dev2, when they are there: the project
//!   does not ship them), `hamkor eval` prints what `python3 score.py` prints, to the character.
//! - On files written for these tests (crates/eval/tests/data), the same, and bad lines are
//!   named by file and line.
//! - End to end: documents of our own are ingested, a reviewer's decisions are made through the
//!   store functions the review pages call, the reviewed events are exported as gold, and
//!   `eval --db` scores the coder on them with the figures the decisions imply. No figure here
//!   depends on what the coder makes of a text: expectations are read from the store.

mod analysis_support;

use analysis_support::{hamkor, missing_tool, run, which};
use hamkor_store::{EventEdit, EventFilter, EventRow, SqliteStore, Store};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../eval/tests/data").join(name)
}

/// ../shared/eval beside the repository (HAMKOR_SHARED_EVAL overrides), if it is there.
fn shared_eval() -> Option<PathBuf> {
    let dir = std::env::var_os("HAMKOR_SHARED_EVAL")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/eval"));
    dir.join("score.py").is_file().then_some(dir)
}

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8(out.stderr.clone()).unwrap()
}

fn json_of(out: &std::process::Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(out)))
}

/// The corpus without `lang`, as the sets' README says to code them (as users will).
fn without_lang(corpus: &Path, to: &Path) {
    let text = std::fs::read_to_string(corpus).unwrap();
    let mut out = String::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let mut v: Value = serde_json::from_str(line).unwrap();
        v.as_object_mut().unwrap().remove("lang");
        out.push_str(&v.to_string());
        out.push('\n');
    }
    std::fs::write(to, out).unwrap();
}

/// The same figures, and the same last line, from score.py and from `hamkor eval`; and the same
/// numbers in their JSON.
fn assert_same_as_score_py(score_py: &Path, gold: &Path, system: &Path, corpus: &Path, tmp: &Path) -> String {
    let py_json = tmp.join("score-py.json");
    let py = run(std::process::Command::new("python3")
        .arg(score_py)
        .arg(gold)
        .arg(system)
        .arg("--corpus")
        .arg(corpus)
        .arg("--json")
        .arg(&py_json));
    let ours = run(hamkor().arg("eval").arg(gold).arg("--system").arg(system).arg("--corpus").arg(corpus));
    let (py_text, our_text) = (stdout(&py), stdout(&ours));
    assert!(
        our_text.starts_with(&py_text),
        "hamkor eval's figures differ from score.py's\n--- score.py\n{py_text}--- hamkor eval\n{}",
        &our_text[..our_text.len().min(py_text.len() + 200)]
    );
    assert_eq!(our_text.lines().last(), py_text.lines().last(), "the last line is score.py's");
    assert_eq!(stderr(&ours), stderr(&py), "the same warnings");
    let theirs: Value = serde_json::from_str(&std::fs::read_to_string(&py_json).unwrap()).unwrap();
    let mine = json_of(&run(hamkor()
        .arg("eval")
        .arg(gold)
        .arg("--system")
        .arg(system)
        .arg("--corpus")
        .arg(corpus)
        .arg("--json")));
    for key in ["overall", "domains", "actors_type_only"] {
        for k in ["P", "R", "F"] {
            assert_eq!(mine[key][k], theirs[key][k], "{key}.{k}");
        }
    }
    for key in ["by_type", "by_lang"] {
        let theirs = theirs[key].as_object().unwrap();
        assert_eq!(mine[key].as_object().unwrap().len(), theirs.len(), "{key}");
        for (name, v) in theirs {
            for k in ["P", "R", "F", "tp", "pred", "gold"] {
                assert_eq!(mine[key][name][k], v[k], "{key}.{name}.{k}");
            }
        }
    }
    py_text.lines().last().unwrap().to_string()
}

#[test]
fn eval_prints_what_score_py_prints_on_the_shared_sets() {
    let Some(shared) = shared_eval() else {
        eprintln!("SKIPPED: ../shared/eval is not here (set HAMKOR_SHARED_EVAL to its folder to run this test)");
        return;
    };
    if which("python3").is_none() {
        return missing_tool("python3");
    }
    let tmp = tempfile::tempdir().unwrap();
    let mut ran = 0;
    for set in ["dev", "dev2"] {
        let dir = shared.join(set);
        if !dir.join("gold.jsonl").is_file() {
            continue;
        }
        let corpus = tmp.path().join(format!("{set}-corpus.jsonl"));
        without_lang(&dir.join("corpus.jsonl"), &corpus);
        let coded = run(hamkor().args(["code", "--format", "jsonl"]).arg(&corpus));
        let system = tmp.path().join(format!("{set}-coded.jsonl"));
        std::fs::write(&system, &coded.stdout).unwrap();
        let last = assert_same_as_score_py(
            &shared.join("score.py"),
            &dir.join("gold.jsonl"),
            &system,
            &dir.join("corpus.jsonl"),
            tmp.path(),
        );
        eprintln!("{set}: score.py and hamkor eval: {last}");
        ran += 1;
    }
    assert!(ran > 0, "{} has neither dev/ nor dev2/", shared.display());
}

#[test]
fn eval_prints_what_score_py_prints_on_our_own_files() {
    let Some(shared) = shared_eval() else {
        eprintln!("SKIPPED: ../shared/eval/score.py is not here (crates/eval/tests/score.rs checks its printout)");
        return;
    };
    if which("python3").is_none() {
        return missing_tool("python3");
    }
    let tmp = tempfile::tempdir().unwrap();
    let last = assert_same_as_score_py(
        &shared.join("score.py"),
        &data("gold.jsonl"),
        &data("system.jsonl"),
        &data("corpus.jsonl"),
        tmp.path(),
    );
    assert_eq!(last, "F1 0.400 P 0.400 R 0.400");
}

#[test]
fn eval_lists_missed_and_false_events_as_text_and_json() {
    let args = |json: bool| {
        let mut c = hamkor();
        c.arg("eval")
            .arg(data("gold.jsonl"))
            .arg("--system")
            .arg(data("system.jsonl"))
            .arg("--corpus")
            .arg(data("corpus.jsonl"));
        if json {
            c.arg("--json");
        }
        c
    };
    let text = stdout(&run(&mut args(false)));
    assert!(text.contains("missed (gold events no system event matches): 3\n"), "{text}");
    assert!(text.contains("      “The two presidents also held talks that month.” [80–126]\n"), "{text}");
    assert!(text.ends_with("\nF1 0.400 P 0.400 R 0.400\n"));
    let v = json_of(&run(&mut args(true)));
    assert_eq!(v["overall"]["tp"], 2);
    assert_eq!(v["by_lang"]["ru"]["gold"], 2);
    assert_eq!(v["false"].as_array().unwrap().len(), 3);
    assert_eq!(v["false"][1]["evidence_text"], "Казахстан и Кыргызстан открыли общий центр подготовки учителей.");
    assert_eq!(v["gold_ids_missing_from_system"], serde_json::json!(["d5"]));
}

#[test]
fn bad_lines_are_named_by_file_and_line() {
    let tmp = tempfile::tempdir().unwrap();
    let gold = tmp.path().join("gold.jsonl");
    let system = tmp.path().join("system.jsonl");
    let fail = |gold_text: &str, system_text: &str| -> String {
        std::fs::write(&gold, gold_text).unwrap();
        std::fs::write(&system, system_text).unwrap();
        let out = hamkor().arg("eval").arg(&gold).arg("--system").arg(&system).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        stderr(&out)
    };
    let ok = "{\"id\": \"x\", \"events\": []}\n";
    let e = fail("{\"id\": \"x\", \"events\": []}\n{\"id\": \"y\", \"events\": [\n", ok);
    assert!(e.contains(&format!("{}:2: bad JSON in gold", gold.display())), "{e}");
    let e = fail(ok, "\n{\"id\": \"x\", \"events\": [{\"type\": \"summit\", \"actors\": [\"KAZ\", \"UZB\"]}]}\n");
    assert!(e.contains(&format!("{}:2: system x, event 0: unknown event type \"summit\"", system.display())), "{e}");
    let e = fail("{\"events\": []}\n", ok);
    assert!(e.contains(&format!("{}:1: gold line without an id", gold.display())), "{e}");
    let e = fail(
        "{\"id\": \"x\", \"events\": [{\"type\": \"aid\", \"actors\": [\"KAZ\", \"UZB\"], \"domains\": [\"sports\"]}]}",
        ok,
    );
    assert!(e.contains("gold.jsonl:1: gold x, event 0: unknown domain \"sports\""), "{e}");
    // Neither --system nor --db.
    let out = hamkor().arg("eval").arg(&gold).output().unwrap();
    assert!(!out.status.success());
}

const MINE: &str = r#"{"id": "a", "lang": "en", "date": "2023-05-13", "text": "On 12 May 2023 the presidents of Uzbekistan and Kazakhstan signed an agreement on the joint use of the Syr Darya in Tashkent. They also held talks on trade and transit."}
{"id": "b", "lang": "en", "date": "2022-04-04", "text": "On 3 April 2022 Kyrgyzstan sent humanitarian aid to Tajikistan after floods in the south."}
{"id": "c", "lang": "ru", "date": "2021-09-15", "text": "14 сентября 2021 года Туркменистан и Узбекистан подписали меморандум о сотрудничестве в области транспорта. В тот же день президенты двух стран провели переговоры в Ашхабаде."}
{"id": "d", "lang": "en", "date": "2024-06-02", "text": "Kazakhstan and Kyrgyzstan opened a joint border crossing point on 1 June 2024."}
{"id": "e", "lang": "en", "date": "2020-10-21", "text": "On 20 October 2020 Tajikistan and Uzbekistan signed a treaty on strategic partnership during a state visit of the Tajik president to Tashkent."}
{"id": "f", "lang": "ru", "date": "2019-03-06", "text": "5 марта 2019 года Казахстан направил в Кыргызстан гуманитарную помощь: муку и медикаменты."}
{"id": "g", "lang": "en", "date": "2024-01-10", "text": "The weather in Almaty stayed warm and dry all week."}
"#;

/// Stored events by document, as the coder made them at ingest.
fn events_by_document(store: &SqliteStore) -> BTreeMap<i64, Vec<EventRow>> {
    let mut by_doc: BTreeMap<i64, Vec<EventRow>> = BTreeMap::new();
    store
        .for_each_event(&EventFilter::default(), &mut |e| {
            by_doc.entry(e.document_id).or_default().push(e);
            Ok(())
        })
        .unwrap();
    for evs in by_doc.values_mut() {
        evs.sort_by_key(|e| e.id);
    }
    by_doc
}

#[test]
fn reviewed_events_export_as_gold_and_eval_db_scores_the_coder_on_them() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("mine.jsonl");
    std::fs::write(&corpus, MINE).unwrap();
    let db = tmp.path().join("store.db");
    run(hamkor().arg("ingest").arg(&corpus).arg("--db").arg(&db));

    let mut store = hamkor_app::open_store(&db).unwrap();
    let coded = events_by_document(&store);
    let with_events: Vec<(i64, Vec<EventRow>)> = coded.clone().into_iter().collect();
    assert!(
        with_events.len() >= 4,
        "the coder found events in {} of our plain documents; this test needs four",
        with_events.len()
    );
    // The reviewer's decisions, through the functions the review pages call:
    // A: every event accepted. B: the first event's date corrected to 1999, the rest accepted.
    // C: the first event rejected, the rest accepted. D: every event rejected (the document
    // reports no cooperation). E (a document with two events or more, if one is left): only the
    // first accepted, so it is unfinished. The documents without events are not reviewed at all.
    let (a, b, c, d) = (&with_events[0].1, &with_events[1].1, &with_events[2].1, &with_events[3].1);
    for e in a {
        store.accept_event(e.id, "tester", None, None).unwrap();
    }
    let edit = EventEdit { date: Some(Some("1999".parse().unwrap())), ..Default::default() };
    store.edit_event(b[0].id, &edit, "tester", Some("the text dates it otherwise"), None).unwrap();
    for e in &b[1..] {
        store.accept_event(e.id, "tester", None, None).unwrap();
    }
    store.reject_event(c[0].id, "tester", "not cooperation", None).unwrap();
    for e in &c[1..] {
        store.accept_event(e.id, "tester", None, None).unwrap();
    }
    for e in d {
        store.reject_event(e.id, "tester", "a plan, not an event", None).unwrap();
    }
    let unfinished = with_events[4..].iter().find(|(_, evs)| evs.len() >= 2);
    if let Some((_, evs)) = unfinished {
        store.accept_event(evs[0].id, "tester", None, None).unwrap();
    }
    let doc_langs: Vec<String> =
        with_events[..4].iter().map(|(id, _)| store.find_document(&id.to_string()).unwrap().unwrap().lang).collect();
    let langs: std::collections::BTreeSet<String> = doc_langs.iter().cloned().collect();
    drop(store);

    let gold = tmp.path().join("gold.jsonl");
    let out = run(hamkor().args(["export", "--format", "gold", "--db"]).arg(&db).arg("-o").arg(&gold));
    let note = stderr(&out);
    assert!(note.contains("4 reviewed documents"), "{note}");
    if unfinished.is_some() {
        assert!(note.contains("1 documents with events still awaiting review are left out"), "{note}");
    }
    let lines: Vec<Value> =
        std::fs::read_to_string(&gold).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 4, "A, B, C and D");
    assert_eq!(lines.iter().filter(|l| l["events"] == serde_json::json!([])).count(), 1, "D, with no event");
    let gold_events: usize = lines.iter().map(|l| l["events"].as_array().unwrap().len()).sum();
    assert_eq!(gold_events, a.len() + b.len() + c.len() - 1, "C's rejected event is not gold");
    let b_line = lines.iter().find(|l| l["events"].as_array().unwrap().iter().any(|e| e["date"] == "1999")).unwrap();
    assert_eq!(b_line["sha256"].as_str().unwrap().len(), 64);
    // The ids are those the JSON lines gave the documents.
    for l in &lines {
        assert!(["a", "b", "c", "d", "e", "f", "g"].contains(&l["id"].as_str().unwrap()), "{l}");
    }

    // Only --lang applies: the Russian documents among A to D.
    let ru = run(hamkor().args(["export", "--format", "gold", "--lang", "ru", "--db"]).arg(&db));
    assert_eq!(stdout(&ru).lines().count(), doc_langs.iter().filter(|l| *l == "ru").count());
    let refused = hamkor().args(["export", "--format", "gold", "--type", "aid", "--db"]).arg(&db).output().unwrap();
    assert!(!refused.status.success() && stderr(&refused).contains("only --lang applies"));

    // The coder again, on the stored texts: A all right; B's corrected event missed and the
    // coder's version of it false; C's rejected event false; all of D's events false.
    let v = json_of(&run(hamkor().arg("eval").arg(&gold).arg("--db").arg(&db).arg("--json")));
    let pred = a.len() + b.len() + c.len() + d.len();
    assert_eq!(v["documents"], 4);
    assert_eq!(v["overall"]["gold"], gold_events);
    assert_eq!(v["overall"]["pred"], pred);
    assert_eq!(v["overall"]["tp"], pred - 2 - d.len());
    assert_eq!(v["missed"].as_array().unwrap().len(), 1);
    assert_eq!(v["missed"][0]["event"]["date"], "1999");
    assert_eq!(v["missed"][0]["near"]["differs"], "date");
    assert_eq!(v["false"].as_array().unwrap().len(), 2 + d.len());
    let by_lang: std::collections::BTreeSet<String> = v["by_lang"].as_object().unwrap().keys().cloned().collect();
    assert_eq!(by_lang, langs, "languages as the store has them");
    assert!(v["missed"][0]["evidence_text"].as_str().is_some_and(|t| !t.is_empty()), "evidence from the store's text");

    // The same figures from the coder's output and the corpus, as a researcher without the store
    // would get them: the gold ids are the corpus ids.
    let coded_out = run(hamkor().args(["code", "--format", "jsonl"]).arg(&corpus));
    let system = tmp.path().join("coded.jsonl");
    std::fs::write(&system, &coded_out.stdout).unwrap();
    let w = json_of(&run(hamkor()
        .arg("eval")
        .arg(&gold)
        .arg("--system")
        .arg(&system)
        .arg("--corpus")
        .arg(&corpus)
        .arg("--json")));
    for k in ["tp", "pred", "gold", "F"] {
        assert_eq!(w["overall"][k], v["overall"][k], "{k}");
    }
    assert_eq!(w["by_lang"], v["by_lang"]);

    // A gold document the store does not have is named, and left out of the score.
    let mut text = std::fs::read_to_string(&gold).unwrap();
    text.push_str(
        "{\"id\": \"nowhere\", \"events\": [{\"type\": \"aid\", \"actors\": [\"KAZ\", \"KGZ\"], \"date\": null}]}\n",
    );
    std::fs::write(&gold, text).unwrap();
    let out = run(hamkor().arg("eval").arg(&gold).arg("--db").arg(&db));
    assert!(
        stderr(&out).contains("1 of 5 gold documents are not in the store and are not scored:\n  nowhere: "),
        "{}",
        stderr(&out)
    );
    let printed = stdout(&out);
    assert!(printed.starts_with("documents 4 "), "{printed}");
    assert!(printed.contains("not scored (gold documents not found): 1\n  nowhere: "), "{printed}");
}

#[test]
fn eval_db_finds_documents_by_their_text_or_their_id() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("store.db");
    run(hamkor().arg("ingest").arg(data("corpus.jsonl")).arg("--db").arg(&db));
    // Another file reuses the id d1 for another text.
    let other = tmp.path().join("other.jsonl");
    std::fs::write(&other, "{\"id\": \"d1\", \"text\": \"Turkmenistan and Uzbekistan held talks in Ashgabat.\"}\n")
        .unwrap();
    run(hamkor().arg("ingest").arg(&other).arg("--db").arg(&db));

    // By id only: d1 is ambiguous, d5 is not in the store.
    let out = run(hamkor().arg("eval").arg(data("gold.jsonl")).arg("--db").arg(&db).arg("--json"));
    let v = json_of(&out);
    let not: Vec<&str> = v["not_scored"].as_array().unwrap().iter().map(|n| n["id"].as_str().unwrap()).collect();
    assert_eq!(not, ["d1", "d5"], "{}", stderr(&out));
    assert!(v["not_scored"][0]["reason"].as_str().unwrap().contains("2 stored documents have this id"));
    assert_eq!(v["documents"], 3);
    assert_eq!(v["overall"]["gold"], 2, "d2's two events; d3 and d6 have none");
    // With the corpus, d1 is found by its text.
    let v = json_of(&run(hamkor()
        .arg("eval")
        .arg(data("gold.jsonl"))
        .arg("--db")
        .arg(&db)
        .arg("--corpus")
        .arg(data("corpus.jsonl"))
        .arg("--json")));
    assert_eq!(v["documents"], 4);
    assert_eq!(v["overall"]["gold"], 4);
    let langs: Vec<&String> = v["by_lang"].as_object().unwrap().keys().collect();
    assert_eq!(langs, ["en", "kk", "ru"], "the corpus's languages");
}
