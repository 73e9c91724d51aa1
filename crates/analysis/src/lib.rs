//! The comparisons researchers publish, computed from canonical events: panels and the
//! cooperation-intensity index ([`panel`]), before/after, bilateral/multilateral and trend
//! statistics ([`compare`], built on [`stats`]), cooperation networks and their centralities
//! ([`network`]), the follow-through of agreements ([`follow`]), the reliability of reviewers'
//! codings (Krippendorff's alpha, [`reliability`]), and events imported from GDELT and ACLED
//! beside a pair's cooperation ([`imported`]).
//!
//! Invariant: this crate does no I/O. Its input is a slice of [`CanonicalEvent`]s (built by the
//! store from canonical events, or from coded events when no registry is present) and, for
//! follow-through, a slice of [`Agreement`]s; its output is plain data with the ids of the events
//! behind every number, so that a report can list them. Every result is deterministic: inputs are
//! sorted, maps are ordered, and nothing depends on hashing order.
//!
//! The methods and their references are in `docs/statistics.md`.

use hamkor_model::{ActorCode, Domain, PartialDate};
pub use hamkor_model::{is_state, sort_events, CanonicalEvent, DocumentRef, ReportRef, NON_STATE_CODES};
use serde::{Deserialize, Serialize};

pub mod compare;
pub mod figures;
pub mod follow;
pub mod imported;
pub mod network;
pub mod panel;
pub mod reliability;
pub mod stats;

/// Errors of the analysis: only bad options can fail; data never does.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum Error {
    #[error("bad weights {0:?}: expected TYPE=NUMBER pairs separated by commas, e.g. meeting=1,agreement=3")]
    BadWeights(String),
    #[error("bad option: {0}")]
    BadOption(String),
}

pub type Result<T> = std::result::Result<T, Error>;

/// What a count counts: canonical events (the default, how researchers count), or their reports
/// (articles), on request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Counting {
    #[default]
    Events,
    Reports,
}

impl Counting {
    /// How much one event adds to a count.
    pub fn unit(self, e: &CanonicalEvent) -> u64 {
        match self {
            Counting::Events => 1,
            Counting::Reports => e.reports.len().max(1) as u64,
        }
    }
}

/// An agreement whose follow-through is measured: from the registry when there is one, else
/// a coded `agreement` event standing for the agreement it reports.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Agreement {
    pub id: String,
    pub name: String,
    pub signed: Option<PartialDate>,
    /// Sorted, unique.
    pub parties: Vec<ActorCode>,
    /// Sorted, unique.
    pub domains: Vec<Domain>,
    /// Canonical events that report the signing (for the report's event lists).
    #[serde(default)]
    pub event_ids: Vec<i64>,
    /// Where the agreement comes from: `registry` or `coded`.
    pub origin: String,
}

impl Agreement {
    pub fn is_multilateral(&self) -> bool {
        self.parties.len() > 2 || self.parties.iter().any(|a| !is_state(a))
    }
}

/// The domains of humanitarian cooperation as `../shared/data/README.md` lists them.
pub const HUMANITARIAN: &[Domain] =
    &[Domain::Education, Domain::Health, Domain::Culture, Domain::Disaster, Domain::Water, Domain::Migration];

/// An unordered pair of actors, `a < b`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Dyad {
    pub a: ActorCode,
    pub b: ActorCode,
}

impl Dyad {
    pub fn new(x: ActorCode, y: ActorCode) -> Dyad {
        if x <= y {
            Dyad { a: x, b: y }
        } else {
            Dyad { a: y, b: x }
        }
    }
}

impl std::fmt::Display for Dyad {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}-{}", self.a, self.b)
    }
}

impl std::str::FromStr for Dyad {
    type Err = Error;
    fn from_str(s: &str) -> Result<Dyad> {
        let bad = || Error::BadOption(format!("dyad {s:?}: expected two actor codes like KAZ-UZB"));
        let (x, y) = s.split_once(['-', ',']).ok_or_else(bad)?;
        let x = ActorCode::new(x.trim()).map_err(|_| bad())?;
        let y = ActorCode::new(y.trim()).map_err(|_| bad())?;
        Ok(Dyad::new(x, y))
    }
}

/// The dyads of an event: every pair of its actors in which at least one is Central Asian (a
/// partnership of the EU and the UN reported beside a Central Asian event is not the region's
/// cooperation), and neither is a group the other belongs to (`CAS` and Kazakhstan, the SCO and
/// Tajikistan are a state inside its group, not two partners: [`hamkor_model::groups`]).
pub fn dyads(e: &CanonicalEvent) -> Vec<Dyad> {
    let mut out = Vec::new();
    for (i, x) in e.actors.iter().enumerate() {
        for y in &e.actors[i + 1..] {
            if (x.is_central_asian() || y.is_central_asian()) && hamkor_model::groups::is_pair(x, y) {
                out.push(Dyad::new(*x, *y));
            }
        }
    }
    out
}

/// The observation window of a comparison, in whole calendar years.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Window {
    pub from: i32,
    pub to: i32,
}

impl Window {
    /// The years the dated events cover, or `None` when no event is dated. The window ends no
    /// later than the year of the latest document: an event dated after every report of it was
    /// published is a plan or a misread date ("Central Asia – 2040"), not a happening.
    pub fn of(events: &[CanonicalEvent]) -> Option<Window> {
        let (mut lo, mut hi) = (i32::MAX, i32::MIN);
        for y in events.iter().filter_map(|e| e.year()) {
            lo = lo.min(y);
            hi = hi.max(y);
        }
        let latest = events.iter().flat_map(|e| e.reports.iter().filter_map(|r| r.published.map(|d| d.year))).max();
        if let Some(l) = latest {
            hi = hi.min(l.max(lo));
        }
        (lo <= hi).then_some(Window { from: lo, to: hi })
    }
    pub fn years(&self) -> i32 {
        self.to - self.from + 1
    }
    pub fn contains(&self, year: i32) -> bool {
        (self.from..=self.to).contains(&year)
    }
}

#[cfg(test)]
pub(crate) mod testutil {
    use super::*;
    use hamkor_model::Span;

    /// A compact event for tests: `ev(1, "aid", "KGZ,UZB", "health", "2020-05-07")`.
    pub fn ev(id: i64, t: &str, actors: &str, domains: &str, date: &str) -> CanonicalEvent {
        let mut actors: Vec<ActorCode> = actors.split(',').map(|a| ActorCode::new(a).unwrap()).collect();
        actors.sort();
        let mut domains: Vec<Domain> = domains.split(',').map(|d| d.parse().unwrap()).collect();
        domains.sort();
        CanonicalEvent {
            id,
            event_type: t.parse().unwrap(),
            actors,
            domains,
            date: if date.is_empty() { None } else { Some(date.parse().unwrap()) },
            date_from_document: false,
            agreement: None,
            format: None,
            reports: vec![ReportRef {
                event_id: id,
                document_id: id,
                evidence: Span::new(0, 1),
                lang: "en".into(),
                source: format!("doc{id}.txt"),
                evidence_text: "x".into(),
                published: None,
            }],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::testutil::ev;
    use super::*;

    #[test]
    fn non_state_codes_are_sorted_for_binary_search() {
        let mut v = NON_STATE_CODES.to_vec();
        v.sort_unstable();
        assert_eq!(v, NON_STATE_CODES);
    }

    #[test]
    fn bilateral_and_multilateral() {
        assert!(!ev(1, "meeting", "KAZ,UZB", "political", "2020").is_multilateral());
        assert!(ev(2, "meeting", "KAZ,KGZ,UZB", "political", "2020").is_multilateral());
        assert!(ev(3, "aid", "UNDP,UZB", "health", "2020").is_multilateral());
        let mut e = ev(4, "meeting", "KAZ,UZB", "political", "2020");
        e.format = Some("consultative-meeting".into());
        assert!(e.is_multilateral());
    }

    #[test]
    fn the_window_ends_with_the_latest_document() {
        let mut a = ev(1, "meeting", "KAZ,UZB", "political", "2018");
        a.reports[0].published = Some("2024-05-01".parse().unwrap());
        let b = ev(2, "agreement", "KAZ,UZB", "political", "2040");
        assert_eq!(Window::of(&[a.clone(), b.clone()]), Some(Window { from: 2018, to: 2024 }));
        let mut b2 = b.clone();
        b2.reports[0].published = None;
        a.reports[0].published = None;
        assert_eq!(Window::of(&[a, b2]), Some(Window { from: 2018, to: 2040 }));
    }

    #[test]
    fn dyads_need_a_central_asian_state() {
        let e = ev(1, "meeting", "EU,KAZ,UN", "political", "2020");
        let d: Vec<String> = dyads(&e).iter().map(|d| d.to_string()).collect();
        assert_eq!(d, ["EU-KAZ", "KAZ-UN"]);
    }

    #[test]
    fn a_group_is_no_dyad_with_its_own_members() {
        let e = ev(1, "meeting", "CAS,KAZ,SCO,TKM,UN", "political", "2020");
        let d: Vec<String> = dyads(&e).iter().map(|d| d.to_string()).collect();
        // CAS has both states; the SCO has Kazakhstan but not Turkmenistan; the UN is paired.
        assert_eq!(d, ["KAZ-TKM", "KAZ-UN", "SCO-TKM", "TKM-UN"]);
        assert_eq!("UZB-KAZ".parse::<Dyad>().unwrap().to_string(), "KAZ-UZB");
    }
}
