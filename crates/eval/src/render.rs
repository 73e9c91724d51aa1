//! The scores as text (score.py's lines, then the lists) and as JSON.

use crate::{Corpus, GoldEvent, Miss, Near, Scores, Tally};
use hamkor_model::Span;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::fmt::Write;

/// Where the lists find a document's text, to quote the evidence of an event.
pub trait Texts {
    fn text(&self, id: &str) -> Option<&str>;
}

/// No texts: the lists give byte offsets only.
impl Texts for () {
    fn text(&self, _: &str) -> Option<&str> {
        None
    }
}

impl Texts for Corpus {
    fn text(&self, id: &str) -> Option<&str> {
        self.get(id).and_then(|e| e.text.as_deref())
    }
}

impl Texts for HashMap<String, String> {
    fn text(&self, id: &str) -> Option<&str> {
        self.get(id).map(String::as_str)
    }
}

/// The text under an event's evidence span, if the text is known and the span fits it.
pub fn evidence_text<'a>(texts: &'a dyn Texts, id: &str, evidence: Option<Span>) -> Option<&'a str> {
    evidence.and_then(|span| span.slice(texts.text(id)?))
}

fn row(out: &mut String, name: &str, t: &Tally) {
    let prf = t.prf();
    let _ = writeln!(
        out,
        "  {name:<16} {:>5} {:>5} {:>5}   {:.3}  {:.3}  {:.3}",
        t.gold, t.pred, t.tp, prf.p, prf.r, prf.f
    );
}

/// The last line of score.py: `F1 0.xxx P 0.xxx R 0.xxx`.
pub fn summary_line(s: &Scores) -> String {
    let o = s.overall.prf();
    format!("F1 {:.3} P {:.3} R {:.3}", o.f, o.p, o.r)
}

/// Exactly what score.py prints on standard output for the same input.
pub fn figures_text(s: &Scores) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "documents {}  gold events {}  predicted {}  matched {}  documents fully right {}",
        s.documents, s.overall.gold, s.overall.pred, s.overall.tp, s.documents_fully_right
    );
    let _ = writeln!(out, "  {:<16} {:>5} {:>5} {:>5}   {:>5}  {:>5}  {:>5}", "", "gold", "pred", "tp", "P", "R", "F1");
    row(&mut out, "overall", &s.overall);
    out.push_str("by type\n");
    for (t, tally) in &s.by_type {
        row(&mut out, t, tally);
    }
    out.push_str("by language\n");
    for (l, tally) in &s.by_lang {
        row(&mut out, l, tally);
    }
    let d = s.domains.prf();
    let _ =
        writeln!(out, "domains over {} matched pairs (micro): P {:.3} R {:.3} F1 {:.3}", s.overall.tp, d.p, d.r, d.f);
    let n = s.actors_type_only.prf();
    let _ = writeln!(out, "actors+type only (dates ignored): P {:.3} R {:.3} F1 {:.3}", n.p, n.r, n.f);
    let _ = writeln!(out, "{}", summary_line(s));
    out
}

/// Longest evidence quoted in the text lists, in characters.
const QUOTE_CHARS: usize = 400;

fn quote(text: &str) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match flat.char_indices().nth(QUOTE_CHARS) {
        Some((i, _)) => format!("{}…", &flat[..i]),
        None => flat,
    }
}

fn evidence_line(out: &mut String, texts: &dyn Texts, id: &str, e: &GoldEvent) {
    match (e.evidence, evidence_text(texts, id, e.evidence)) {
        (Some(span), Some(t)) => {
            let _ = writeln!(out, "      “{}” [{}–{}]", quote(t), span.start, span.end);
        }
        (Some(span), None) if texts.text(id).is_some() => {
            let _ = writeln!(out, "      [bytes {}–{}: not within the text]", span.start, span.end);
        }
        (Some(span), None) => {
            let _ = writeln!(out, "      [bytes {}–{}]", span.start, span.end);
        }
        (None, _) => out.push_str("      [no evidence span]\n"),
    }
}

fn list(out: &mut String, title: &str, items: &[Miss], other: &str, texts: &dyn Texts) {
    let _ = writeln!(out, "{title}: {}", items.len());
    for m in items {
        let _ = writeln!(out, "  {} [{}] #{}: {}", m.id, m.lang, m.index + 1, m.event.summary());
        evidence_line(out, texts, &m.id, &m.event);
        if let Some(Near { differs, index, event }) = &m.near {
            let _ = writeln!(out, "      {other} #{} differs in its {differs}: {}", index + 1, event.summary());
        }
    }
}

/// score.py's figures, then the missed and the false events with their evidence (quoted from
/// `texts` when it has the document, else as byte offsets), then score.py's last line again so
/// that it stays the last line.
pub fn render_text(s: &Scores, texts: &dyn Texts) -> String {
    let mut out = figures_text(s);
    out.push('\n');
    list(&mut out, "missed (gold events no system event matches)", &s.missed, "system", texts);
    out.push('\n');
    list(&mut out, "false (system events that match no gold event)", &s.false_events, "gold", texts);
    out.push('\n');
    if !s.not_scored.is_empty() {
        let _ = writeln!(out, "not scored (gold documents not found): {}", s.not_scored.len());
        for n in &s.not_scored {
            let _ = writeln!(out, "  {}: {}", n.id, n.reason);
        }
        out.push('\n');
    }
    out.push_str(&summary_line(s));
    out.push('\n');
    out
}

fn tally_json(t: &Tally) -> Value {
    let p = t.prf();
    json!({"P": p.p, "R": p.r, "F": p.f, "tp": t.tp, "pred": t.pred, "gold": t.gold})
}

fn miss_json(m: &Miss, texts: &dyn Texts) -> Value {
    json!({
        "id": m.id,
        "lang": m.lang,
        "index": m.index,
        "event": m.event,
        "evidence_text": evidence_text(texts, &m.id, m.event.evidence),
        "near": m.near,
    })
}

/// The same as JSON: score.py's keys (`overall`, `by_type`, `by_lang`, `domains`,
/// `actors_type_only`, each with `P`, `R`, `F`) with their counts, and the lists.
pub fn to_json(s: &Scores, texts: &dyn Texts) -> Value {
    let map = |m: &std::collections::BTreeMap<String, Tally>| -> Value {
        Value::Object(m.iter().map(|(k, t)| (k.clone(), tally_json(t))).collect())
    };
    json!({
        "documents": s.documents,
        "documents_fully_right": s.documents_fully_right,
        "overall": tally_json(&s.overall),
        "by_type": map(&s.by_type),
        "by_lang": map(&s.by_lang),
        "domains": tally_json(&s.domains),
        "actors_type_only": tally_json(&s.actors_type_only),
        "missed": s.missed.iter().map(|m| miss_json(m, texts)).collect::<Vec<_>>(),
        "false": s.false_events.iter().map(|m| miss_json(m, texts)).collect::<Vec<_>>(),
        "system_ids_not_in_gold": s.system_ids_not_in_gold,
        "gold_ids_missing_from_system": s.gold_ids_missing_from_system,
        "not_scored": s.not_scored,
    })
}
