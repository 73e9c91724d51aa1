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
