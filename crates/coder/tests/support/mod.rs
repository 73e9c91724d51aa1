//! What the mechanism tests share: a text coded as `hamkor code` most often runs it, without a
//! language given, published on 2025-05-14, and its events as (type, actors, date).

use hamkor_coder::Coder;
use hamkor_model::{EventType, InputDocument, PartialDate};

pub fn events(coder: &Coder, text: &str) -> Vec<(EventType, Vec<String>, Option<String>)> {
    let doc = InputDocument {
        id: "t".into(),
        text: text.into(),
        lang: None,
        date: Some(PartialDate { year: 2025, month: Some(5), day: Some(14) }),
        ..Default::default()
    };
    coder
        .code(&doc)
        .events
        .iter()
        .map(|e| (e.event_type, e.actors.iter().map(|a| a.as_str().to_string()).collect(), e.date.map(|d| d.to_string())))
        .collect()
}

/// Code each case and assert `ok` of its events, listing every case that fails with what it gave.
/// (Not every test file uses it; each compiles this module on its own.)
#[allow(dead_code)]
pub fn check(coder: &Coder, cases: &[&str], ok: impl Fn(&[(EventType, Vec<String>, Option<String>)]) -> bool, want: &str) {
    let wrong: Vec<String> = cases
        .iter()
        .filter_map(|t| {
            let got = events(coder, t);
            (!ok(&got)).then(|| format!("{t}\n    expected {want}, got {got:?}"))
        })
        .collect();
    assert!(wrong.is_empty(), "{} of {} wrong:\n{}", wrong.len(), cases.len(), wrong.join("\n"));
}
