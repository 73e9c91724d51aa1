//! Data-driven tests over `tests/documents/*.json`: small documents we wrote in all seven
//! languages, each with the events a careful human coder extracts from it.
//!
//! Matching follows `../shared/eval/score.py`: a predicted event matches an expected one when the
//! types and actor sets are equal and the dates agree at the expected precision. The test fails
//! when recall or precision in any language falls below the floor recorded here, and it prints
//! every miss, so that a lexicon change that breaks Kyrgyz is seen at once. It also checks that
//! every evidence span of every event is a valid byte range of the original text and that a
//! matched event's evidence contains the sentence the expected event names.

use hamkor_coder::Coder;
use hamkor_model::{InputDocument, PartialDate};
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Deserialize)]
struct Doc {
    lang: String,
    date: Option<String>,
    text: String,
    events: Vec<Expected>,
}

#[derive(Deserialize, Clone)]
struct Expected {
    #[serde(rename = "type")]
    event_type: String,
    actors: Vec<String>,
    date: Option<String>,
    evidence: String,
}

fn date_ok(gold: Option<&str>, pred: Option<PartialDate>) -> bool {
    match gold {
        None => true,
        Some(g) => pred.map(|p| p.to_string()).is_some_and(|p| p.len() >= g.len() && p.starts_with(g)),
    }
}

/// Floors per language: (precision, recall). Raise them when the coder improves.
const FLOORS: &[(&str, f64, f64)] = &[
    ("en", 0.70, 0.70),
    ("ru", 0.70, 0.70),
    ("uz", 0.70, 0.70),
    ("kk", 0.70, 0.70),
    ("ky", 0.70, 0.70),
    ("tg", 0.70, 0.70),
    ("tk", 0.70, 0.70),
];

#[test]
fn coder_finds_the_expected_events_in_every_language() {
    let coder = Coder::embedded();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/documents");
    let mut paths: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|x| x == "json")).collect();
    paths.sort();
    assert!(paths.len() >= 60, "expected the full set of test documents in {}", dir.display());

    let mut tally: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new();
    let mut report = Vec::new();
    let mut evidence_ok = 0usize;
    for path in &paths {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let doc: Doc = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap_or_else(|e| panic!("{name}: {e}"));
        let input = InputDocument {
            id: name.clone(),
            text: doc.text.clone(),
            lang: Some(doc.lang.clone()),
            date: doc.date.as_deref().map(|d| d.parse().unwrap()),
            source: None,
        };
        let coded = coder.code(&input);
        for e in &coded.events {
            let slice = e.evidence.slice(&doc.text);
            assert!(slice.is_some(), "{name}: evidence {:?} is not a valid range of the text", e.evidence);
            assert!(e.actors.len() >= 2 && !e.domains.is_empty(), "{name}: malformed event {e:?}");
        }
        let mut used = vec![false; coded.events.len()];
        let mut tp = 0;
        for g in &doc.events {
            let mut actors = g.actors.clone();
            actors.sort();
            let found = coded.events.iter().enumerate().position(|(i, p)| {
                !used[i]
                    && p.event_type.code() == g.event_type
                    && p.actors.iter().map(|a| a.as_str()).collect::<Vec<_>>() == actors
                    && date_ok(g.date.as_deref(), p.date)
            });
            match found {
                Some(i) => {
                    used[i] = true;
                    tp += 1;
                    // The evidence must overlap the sentence(s) the expected event names.
                    let ev = coded.events[i].evidence;
                    let at = doc.text.find(&g.evidence).unwrap_or_else(|| panic!("{name}: expected evidence is not in the text"));
                    let overlap = ev.start < at + g.evidence.len() && at < ev.end;
                    if overlap {
                        evidence_ok += 1;
                    } else {
                        report.push(format!("{name}: evidence {:?} is not the expected sentence {:?}", ev.slice(&doc.text), g.evidence));
                    }
                }
                None => report.push(format!("{name}: missed {} {:?} {:?}", g.event_type, actors, g.date)),
            }
        }
        for (i, p) in coded.events.iter().enumerate() {
            if !used[i] {
                report.push(format!(
                    "{name}: extra {} {:?} {:?}",
                    p.event_type,
                    p.actors.iter().map(|a| a.as_str()).collect::<Vec<_>>(),
                    p.date.map(|d| d.to_string())
                ));
            }
        }
        let t = tally.entry(doc.lang.clone()).or_default();
        t.0 += tp;
        t.1 += coded.events.len();
        t.2 += doc.events.len();
    }
    let mut failures = Vec::new();
    println!("lang  gold  pred   tp      P      R");
    for (lang, (tp, pred, gold)) in &tally {
        let p = if *pred == 0 { 1.0 } else { *tp as f64 / *pred as f64 };
        let r = if *gold == 0 { 1.0 } else { *tp as f64 / *gold as f64 };
        println!("{lang:<4} {gold:>5} {pred:>5} {tp:>4}  {p:.3}  {r:.3}");
        let (_, pf, rf) = FLOORS.iter().find(|(l, _, _)| l == lang).copied().unwrap_or(("", 0.70, 0.70));
        if p < pf || r < rf {
            failures.push(format!("{lang}: P {p:.3} (floor {pf}) R {r:.3} (floor {rf})"));
        }
    }
    for line in &report {
        println!("{line}");
    }
    let matched: usize = tally.values().map(|t| t.0).sum();
    let evidence_rate = evidence_ok as f64 / matched.max(1) as f64;
    println!("evidence on the expected sentence for {evidence_ok} of {matched} matched events ({evidence_rate:.3})");
    if evidence_rate < 0.9 {
        failures.push(format!("evidence agrees for only {evidence_rate:.3} of matched events (floor 0.9)"));
    }
    assert!(failures.is_empty(), "below the floor: {failures:?}");
}
