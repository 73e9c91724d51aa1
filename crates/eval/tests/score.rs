//! Scoring small gold and system files written for these tests (tests/data): every figure
//! score.py prints, and the missed and false events with their evidence.
//!
//! tests/data/score-py.txt is what `python3 ../shared/eval/score.py gold.jsonl system.jsonl
//! --corpus corpus.jsonl` printed for these files; the CLI tests compare with score.py itself
//! whenever it is there.

use hamkor_eval::{figures_text, render_text, score, to_json, Corpus, DocSet, Role, Scores, Tally};

const GOLD: &str = include_str!("data/gold.jsonl");
const SYSTEM: &str = include_str!("data/system.jsonl");
const CORPUS: &str = include_str!("data/corpus.jsonl");
const SCORE_PY: &str = include_str!("data/score-py.txt");

fn scored() -> (Scores, Corpus) {
    let gold = DocSet::parse("gold.jsonl", Role::Gold, GOLD).unwrap();
    let system = DocSet::parse("system.jsonl", Role::System, SYSTEM).unwrap();
    let corpus = Corpus::parse("corpus.jsonl", CORPUS).unwrap();
    let s = score(&gold, &system, &|id| corpus.lang(id));
    (s, corpus)
}

fn t(tp: u64, pred: u64, gold: u64) -> Tally {
    Tally { tp, pred, gold }
}

#[test]
fn figures_are_score_py_s_to_the_character() {
    let (s, _) = scored();
    assert_eq!(figures_text(&s), SCORE_PY);
}

#[test]
fn counts_follow_the_matching_rules() {
    let (s, _) = scored();
    // d1: the agreement matches (actors in another order are the same set); the meeting does not
    // (gold 2024-03, system only 2024). d2: aid dated 2023-06-01 matches gold 2023; the
    // institution has an extra actor. d3: a false meeting. d5: no system line at all.
    assert_eq!(s.overall, t(2, 5, 5));
    assert_eq!(s.documents, 5);
    assert_eq!(s.documents_fully_right, 1, "d6: nothing in the gold, nothing predicted");
    assert_eq!(s.by_type["meeting"], t(0, 2, 1));
    assert_eq!(s.by_type["partnership"], t(0, 0, 1));
    assert_eq!(s.by_lang["en"], t(1, 3, 2));
    assert_eq!(s.by_lang["ru"], t(1, 2, 2));
    assert_eq!(s.by_lang["kk"], t(0, 0, 0), "a language with no events still has its row");
    assert_eq!(s.by_lang["?"], t(0, 0, 1), "a document the corpus lacks");
    // Domains over the two matched pairs: {water} vs {economy, water}; {disaster} vs {disaster}.
    assert_eq!(s.domains, t(2, 3, 2));
    // Dates ignored, d1's meeting matches as well.
    assert_eq!(s.actors_type_only, t(3, 5, 5));
    assert_eq!(s.system_ids_not_in_gold, ["d4"]);
    assert_eq!(s.gold_ids_missing_from_system, ["d5"]);
}

#[test]
fn missed_and_false_events_come_with_their_nearest_miss() {
    let (s, _) = scored();
    let missed: Vec<(String, usize, Option<&str>)> =
        s.missed.iter().map(|m| (m.id.clone(), m.index, m.near.as_ref().map(|n| n.differs))).collect();
    assert_eq!(missed, [("d1".into(), 1, Some("date")), ("d2".into(), 1, Some("actors")), ("d5".into(), 0, None)]);
    let false_events: Vec<(String, usize, Option<&str>)> =
        s.false_events.iter().map(|m| (m.id.clone(), m.index, m.near.as_ref().map(|n| n.differs))).collect();
    assert_eq!(
        false_events,
        [("d1".into(), 0, Some("date")), ("d2".into(), 1, Some("actors")), ("d3".into(), 0, None)]
    );
    assert_eq!(s.missed[0].lang, "en");
    assert_eq!(s.missed[0].near.as_ref().unwrap().event.summary(), "meeting KAZ,UZB 2024 political");
}

#[test]
fn the_text_report_quotes_the_evidence_and_ends_with_score_py_s_last_line() {
    let (s, corpus) = scored();
    let text = render_text(&s, &corpus);
    assert!(text.starts_with(SCORE_PY), "the figures come first, as score.py prints them");
    assert!(text.ends_with("\nF1 0.400 P 0.400 R 0.400\n"), "{text}");
    assert!(text.contains("missed (gold events no system event matches): 3\n"), "{text}");
    assert!(text.contains(
        "  d1 [en] #2: meeting KAZ,UZB 2024-03 political\n      “The two presidents also held talks that month.” [80–126]\n      system #1 differs in its date: meeting KAZ,UZB 2024 political\n"
    ), "{text}");
    assert!(text.contains("  d5 [?] #1: partnership KAZ,UZB undated political\n      [no evidence span]\n"), "{text}");
    assert!(text.contains("false (system events that match no gold event): 3\n"), "{text}");
    assert!(text.contains(
        "  d2 [ru] #2: institution KAZ,KGZ,UZB 2022 education\n      “Казахстан и Кыргызстан открыли общий центр подготовки учителей.” [135–253]\n      gold #2 differs in its actors: institution KAZ,KGZ undated education\n"
    ), "{text}");
    // Without texts, the spans are given as offsets.
    let bare = render_text(&s, &());
    assert!(bare.contains("  d3 [en] #1: meeting TKM,UZB undated culture\n      [bytes 0–70]\n"), "{bare}");
}

#[test]
fn json_has_score_py_s_keys_and_the_lists() {
    let (s, corpus) = scored();
    let v = to_json(&s, &corpus);
    for key in ["overall", "by_type", "by_lang", "domains", "actors_type_only"] {
        for k in ["P", "R", "F"] {
            let x = if key == "by_type" {
                &v[key]["aid"][k]
            } else if key == "by_lang" {
                &v[key]["en"][k]
            } else {
                &v[key][k]
            };
            assert!(x.is_f64(), "{key}.{k}: {x}");
        }
    }
    // The arithmetic is score.py's, so the value is Python's 2*0.4*0.4/(0.4+0.4) to the last bit.
    assert_eq!(v["overall"]["F"].as_f64().unwrap(), 0.4000000000000001);
    assert!((v["domains"]["F"].as_f64().unwrap() - 0.8).abs() < 1e-12);
    assert_eq!(v["by_lang"]["en"]["tp"], 1);
    assert_eq!(v["missed"].as_array().unwrap().len(), 3);
    assert_eq!(v["missed"][0]["evidence_text"], "The two presidents also held talks that month.");
    assert_eq!(v["missed"][0]["event"]["date"], "2024-03");
    assert_eq!(v["missed"][0]["near"]["differs"], "date");
    assert_eq!(v["false"][2]["id"], "d3");
    assert_eq!(v["missed"][2]["evidence_text"], serde_json::Value::Null);
    assert_eq!(v["system_ids_not_in_gold"][0], "d4");
}

#[test]
fn a_perfect_system_and_an_empty_one() {
    let gold = DocSet::parse("gold.jsonl", Role::Gold, GOLD).unwrap();
    let corpus = Corpus::parse("corpus.jsonl", CORPUS).unwrap();
    let perfect = score(&gold, &gold, &|id| corpus.lang(id));
    assert_eq!(perfect.overall, t(5, 5, 5));
    assert_eq!(perfect.overall.prf().f, 1.0);
    assert!(perfect.missed.is_empty() && perfect.false_events.is_empty());
    assert_eq!(perfect.documents_fully_right, 5);
    let nothing = score(&gold, &DocSet::default(), &|id| corpus.lang(id));
    assert_eq!(nothing.overall, t(0, 0, 5));
    assert_eq!(nothing.overall.prf().f, 0.0, "no predictions: P, R and F1 are 0, not a division by zero");
    assert_eq!(nothing.missed.len(), 5);
    assert!(figures_text(&nothing).ends_with("F1 0.000 P 0.000 R 0.000\n"));
}
