//! Merge precision and recall, measured on pairs of reports written for the purpose in all seven
//! languages (`tests/data/merge_pairs.toml`): the same happening told twice (a summit in two
//! languages, a visit told by host and guest, aid at dispatch and at delivery, a treaty named in
//! three languages) and different happenings that look alike (bilateral meetings on the sidelines
//! of a summit, one pair in two cities on one day, a guest added to a bilateral meeting).
//!
//! Each report goes through the registry's linker (agreement, format and edition, places, all
//! from its evidence sentence) and then the merge rule: does the second report join a canonical
//! event made of the first? The test prints the confusion counts, precision and recall overall
//! and per case, and fails below precision 0.95 or recall 0.90.

use hamkor_model::{ActorCode, Domain, EventType, PartialDate};
use hamkor_registry::merge::{compatible, Canonical, Report};
use hamkor_registry::{Linker, Registry, ReportInput};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Deserialize)]
struct PairFile {
    pair: Vec<Pair>,
}

#[derive(Deserialize)]
struct Pair {
    case: String,
    same: bool,
    a: Side,
    b: Side,
}

#[derive(Deserialize)]
struct Side {
    lang: String,
    #[serde(rename = "type")]
    event_type: String,
    actors: Vec<String>,
    date: String,
    text: String,
}

fn report(linker: &Linker, id: i64, s: &Side) -> Report {
    let event_type: EventType = s.event_type.parse().unwrap();
    let mut actors: Vec<ActorCode> = s.actors.iter().map(|a| ActorCode::new(a).unwrap()).collect();
    actors.sort();
    let date: PartialDate = s.date.parse().unwrap();
    let links = linker.link(&ReportInput { event_type, actors: &actors, date: Some(date), evidence: &s.text });
    Report {
        event_id: id,
        document_id: id,
        event_type,
        actors,
        domains: vec![Domain::Political],
        date: Some(date),
        agreement: links.agreement.as_ref().map(|a| a.id.clone()),
        format: links.format.as_ref().map(|f| f.id.clone()),
        edition: links.format.as_ref().and_then(|f| f.edition),
        places: links.places.clone(),
    }
}

#[derive(Default)]
struct Counts {
    tp: u32,
    fp: u32,
    fn_: u32,
    tn: u32,
}

impl Counts {
    fn add(&mut self, same: bool, merged: bool) {
        match (same, merged) {
            (true, true) => self.tp += 1,
            (false, true) => self.fp += 1,
            (true, false) => self.fn_ += 1,
            (false, false) => self.tn += 1,
        }
    }
    fn precision(&self) -> f64 {
        self.tp as f64 / (self.tp + self.fp).max(1) as f64
    }
    fn recall(&self) -> f64 {
        self.tp as f64 / (self.tp + self.fn_).max(1) as f64
    }
}

#[test]
fn merge_precision_and_recall_on_pairs_in_seven_languages() {
    let file: PairFile = toml::from_str(include_str!("data/merge_pairs.toml")).unwrap();
    let registry = Registry::builtin();
    let linker = Linker::new(&registry);
    let mut all = Counts::default();
    let mut by_case: BTreeMap<&str, Counts> = BTreeMap::new();
    let mut langs: BTreeMap<bool, BTreeSet<&str>> = BTreeMap::new();
    let mut wrong = Vec::new();
    for (i, p) in file.pair.iter().enumerate() {
        let a = report(&linker, 2 * i as i64 + 1, &p.a);
        let b = report(&linker, 2 * i as i64 + 2, &p.b);
        // Both orders: a canonical event of either report, the other one arriving.
        let ab = compatible(&b, &Canonical { id: 1, reports: vec![a.clone()] });
        let ba = compatible(&a, &Canonical { id: 1, reports: vec![b.clone()] });
        assert_eq!(ab.is_ok(), ba.is_ok(), "pair {} ({}): the rule is not symmetric: {ab:?} / {ba:?}", i + 1, p.case);
        let merged = ab.is_ok();
        all.add(p.same, merged);
        by_case.entry(&p.case).or_default().add(p.same, merged);
        langs.entry(p.same).or_default().extend([p.a.lang.as_str(), p.b.lang.as_str()]);
        if merged != p.same {
            wrong.push(format!(
                "pair {} ({}; {}–{}): expected {}, got {} — {:?}\n  a: {:?}\n  b: {:?}",
                i + 1,
                p.case,
                p.a.lang,
                p.b.lang,
                if p.same { "one event" } else { "two" },
                if merged { "one" } else { "two" },
                ab,
                (&a.format, a.edition, &a.agreement, &a.places),
                (&b.format, b.edition, &b.agreement, &b.places),
            ));
        }
    }
    println!("merge pairs: {} ({} same happening, {} different)", file.pair.len(), all.tp + all.fn_, all.fp + all.tn);
    println!("{:<62} {:>3} {:>3} {:>3} {:>3}", "case", "TP", "FP", "FN", "TN");
    for (case, c) in &by_case {
        println!("{case:<62} {:>3} {:>3} {:>3} {:>3}", c.tp, c.fp, c.fn_, c.tn);
    }
    println!(
        "overall: TP {} FP {} FN {} TN {}; precision {:.3}, recall {:.3}",
        all.tp,
        all.fp,
        all.fn_,
        all.tn,
        all.precision(),
        all.recall()
    );
    for w in &wrong {
        println!("{w}");
    }
    for same in [true, false] {
        let l = &langs[&same];
        assert_eq!(l.len(), 7, "every language among the {} pairs: {l:?}", if same { "same" } else { "different" });
    }
    assert!(all.precision() >= 0.95, "precision {:.3} < 0.95", all.precision());
    assert!(all.recall() >= 0.90, "recall {:.3} < 0.90", all.recall());
}
