//! The figures of score.py, and the events behind the errors.

use crate::matching::{date_ok, greedy, overlap};
use crate::{DocSet, GoldEvent};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Counts behind a precision, recall and F1: matched, predicted, gold.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub tp: u64,
    pub pred: u64,
    pub gold: u64,
}

/// Precision, recall and F1, computed exactly as score.py computes them (so that the printed
/// figures agree to the last digit).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Prf {
    #[serde(rename = "P")]
    pub p: f64,
    #[serde(rename = "R")]
    pub r: f64,
    #[serde(rename = "F")]
    pub f: f64,
}

impl Prf {
    pub fn of(tp: u64, pred: u64, gold: u64) -> Prf {
        let p = if pred > 0 { tp as f64 / pred as f64 } else { 0.0 };
        let r = if gold > 0 { tp as f64 / gold as f64 } else { 0.0 };
        let f = if p + r != 0.0 { 2.0 * p * r / (p + r) } else { 0.0 };
        Prf { p, r, f }
    }
}

impl Tally {
    pub fn add(&mut self, tp: usize, pred: usize, gold: usize) {
        self.tp += tp as u64;
        self.pred += pred as u64;
        self.gold += gold as u64;
    }
    pub fn prf(&self) -> Prf {
        Prf::of(self.tp, self.pred, self.gold)
    }
}

/// An event on one side with no partner on the other: a gold event the system missed, or a
/// system event no gold event matches.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Miss {
    /// The document's id.
    pub id: String,
    pub lang: String,
    /// The event's position in its document's list (0-based).
    pub index: usize,
    pub event: GoldEvent,
    /// The closest unmatched event on the other side, if one is close.
    pub near: Option<Near>,
}

/// An unmatched event on the other side that differs from a [`Miss`] in one respect only.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Near {
    /// `date` (same type and actors, the date does not fit), `actors` (same type, a fitting date,
    /// some actors in common) or `type` (same actors, a fitting date, another type).
    pub differs: &'static str,
    pub index: usize,
    pub event: GoldEvent,
}

/// Everything score.py reports, and the missed and false events.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Scores {
    pub documents: usize,
    /// Documents where every gold and every predicted event is matched.
    pub documents_fully_right: usize,
    pub overall: Tally,
    /// By event type (of the gold event for matches and misses, of the prediction for false ones).
    pub by_type: BTreeMap<String, Tally>,
    pub by_lang: BTreeMap<String, Tally>,
    /// Domain labels over the matched pairs: shared, predicted, gold.
    pub domains: Tally,
    /// The event figures with dates ignored.
    pub actors_type_only: Tally,
    pub missed: Vec<Miss>,
    #[serde(rename = "false")]
    pub false_events: Vec<Miss>,
    /// System ids that are not in the gold (ignored), in system order.
    pub system_ids_not_in_gold: Vec<String>,
    /// Gold ids the system output lacks (scored as predicting nothing), in gold order.
    pub gold_ids_missing_from_system: Vec<String>,
    /// Gold documents left out of the score by the caller (not in the store it coded from),
    /// with the reason. [`score`] leaves it empty.
    pub not_scored: Vec<NotScored>,
}

/// A gold document that could not be scored, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NotScored {
    pub id: String,
    pub reason: String,
}

/// Score `system` against `gold`. `lang_of` gives a document's language for the by-language
/// table (score.py: the corpus's `lang`, else `?`).
pub fn score(gold: &DocSet, system: &DocSet, lang_of: &dyn Fn(&str) -> String) -> Scores {
    let mut s = Scores { documents: gold.len(), ..Default::default() };
    s.system_ids_not_in_gold =
        system.documents().iter().filter(|d| !gold.contains(&d.id)).map(|d| d.id.clone()).collect();
    let empty: Vec<GoldEvent> = Vec::new();
    for g in gold.documents() {
        let pred = match system.get(&g.id) {
            Some(d) => &d.events,
            None => {
                s.gold_ids_missing_from_system.push(g.id.clone());
                &empty
            }
        };
        let gev = &g.events;
        let pairs = greedy(gev, pred, true);
        let lang = lang_of(&g.id);
        s.overall.add(pairs.len(), pred.len(), gev.len());
        s.by_lang.entry(lang.clone()).or_default().add(pairs.len(), pred.len(), gev.len());
        let types: BTreeSet<_> = gev.iter().chain(pred.iter()).map(|e| e.event_type).collect();
        for t in types {
            let tp = pairs.iter().filter(|(gi, _)| gev[*gi].event_type == t).count();
            let np = pred.iter().filter(|e| e.event_type == t).count();
            let ng = gev.iter().filter(|e| e.event_type == t).count();
            s.by_type.entry(t.code().to_string()).or_default().add(tp, np, ng);
        }
        for &(gi, pi) in &pairs {
            s.domains.add(overlap(&gev[gi].domains, &pred[pi].domains), pred[pi].domains.len(), gev[gi].domains.len());
        }
        if pairs.len() == gev.len() && gev.len() == pred.len() {
            s.documents_fully_right += 1;
        }
        s.actors_type_only.add(greedy(gev, pred, false).len(), pred.len(), gev.len());

        let matched_g: BTreeSet<usize> = pairs.iter().map(|p| p.0).collect();
        let matched_p: BTreeSet<usize> = pairs.iter().map(|p| p.1).collect();
        let free_g: Vec<usize> = (0..gev.len()).filter(|i| !matched_g.contains(i)).collect();
        let free_p: Vec<usize> = (0..pred.len()).filter(|i| !matched_p.contains(i)).collect();
        for &gi in &free_g {
            let near = nearest(&gev[gi], &free_p, pred, true);
            s.missed.push(Miss { id: g.id.clone(), lang: lang.clone(), index: gi, event: gev[gi].clone(), near });
        }
        for &pi in &free_p {
            let near = nearest(&pred[pi], &free_g, gev, false);
            s.false_events.push(Miss {
                id: g.id.clone(),
                lang: lang.clone(),
                index: pi,
                event: pred[pi].clone(),
                near,
            });
        }
    }
    s
}

/// The first unmatched event of `others` that differs from `e` in one respect only (see
/// [`Near::differs`]), trying date, then actors, then type. `e_is_gold` says which side `e` is
/// on, for the direction of the date rule.
fn nearest(e: &GoldEvent, free: &[usize], others: &[GoldEvent], e_is_gold: bool) -> Option<Near> {
    // No unmatched pair fits in every respect (greedy matching would have paired it), so each
    // rank finds events that differ in its respect only.
    let rank = |o: &GoldEvent| -> Option<(u8, &'static str)> {
        let (g, p) = if e_is_gold { (e, o) } else { (o, e) };
        let fits = date_ok(g.date.as_ref(), p.date.as_ref());
        let same_type = o.event_type == e.event_type;
        if same_type && o.actors == e.actors {
            Some((0, "date"))
        } else if same_type && fits && overlap(&o.actors, &e.actors) > 0 {
            Some((1, "actors"))
        } else if o.actors == e.actors && fits {
            Some((2, "type"))
        } else {
            None
        }
    };
    free.iter()
        .filter_map(|&i| rank(&others[i]).map(|(r, differs)| (r, i, differs)))
        .min_by_key(|&(r, i, _)| (r, i))
        .map(|(_, index, differs)| Near { differs, index, event: others[index].clone() })
}
