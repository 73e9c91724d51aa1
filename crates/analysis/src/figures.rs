//! The chart inputs of the report and of the dashboard, built once: the dyad × domain heatmap,
//! the timeline per domain, the pairs of the map, a pair's counts, the network, the
//! follow-through and a pair's cooperation beside imported events. `hamkor report`
//! (`crates/report`) and `hamkor serve` (`crates/server/src/pages`) both draw from these
//! structures, so the two show the same numbers; each only adds its labels and its links.
//!
//! Every number is a [`Count`] that carries the ids of the canonical events it counts, ascending:
//! a figure's number and the list it links to are the same query by construction, and
//! [`Figures::cell`] answers the list a dashboard link asks for. Counts are of canonical events
//! (the default) or of their reports, on request ([`Spec::counting`]); the ids are always the
//! canonical events'.
//!
//! Pure: the input is the events and their [`EventIndex`], built once by the caller (the
//! dashboard keeps one per snapshot of the store).

use crate::follow::{FollowOptions, FollowThrough};
use crate::imported::{against, YearCounts};
use crate::network::{self, Network, NetworkOptions};
use crate::panel::{Dim, EventIndex, Panel, PanelFilter, PanelQuery, PanelRow, Weights};
use crate::{CanonicalEvent, Counting, Window};
use hamkor_model::{ActorCode, Domain, EventType, ImportedEvent};
use serde::Serialize;
use std::collections::BTreeSet;

/// The year the timeline marks unless told otherwise (the report's default breakpoint: the
/// change of leadership in Uzbekistan at the end of 2016).
pub const BREAKPOINT: i32 = 2017;

/// One number of a figure or table and the canonical events behind it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Count {
    /// Canonical events, or their reports under [`Counting::Reports`].
    pub count: u64,
    /// Σ weight(type) over the same events (the cooperation-intensity index).
    pub intensity: f64,
    /// Ids of the canonical events counted, ascending.
    pub event_ids: Vec<i64>,
}

impl Count {
    fn of(r: &PanelRow) -> Count {
        Count { count: r.count, intensity: r.intensity, event_ids: r.event_ids.clone() }
    }
}

/// What the figures count: which events, counted how, weighted how.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Spec {
    pub filter: PanelFilter,
    pub counting: Counting,
    pub weights: Weights,
}

impl Spec {
    pub fn new(filter: PanelFilter) -> Spec {
        Spec { filter, ..Default::default() }
    }
}

/// Dyad × domain: rows are dyads (`A-B`, `A < B`), columns the domains that occur.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Heatmap {
    pub rows: Vec<String>,
    pub cols: Vec<Domain>,
    /// `cells[row][col]`, `None` where no event is.
    pub cells: Vec<Vec<Option<Count>>>,
}

/// Events per year, one series per domain.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Timeline {
    /// Every year from the first to the last (or the window's), gaps included.
    pub years: Vec<i32>,
    pub series: Vec<TimelineSeries>,
    /// Events (or reports) left out for having no date.
    pub undated: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimelineSeries {
    pub domain: Domain,
    /// One per year of [`Timeline::years`].
    pub values: Vec<Option<Count>>,
}

/// A pair of actors and what it counts (the map's lines, the overview's pair table).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PairCount {
    pub a: String,
    pub b: String,
    pub count: Count,
}

impl PairCount {
    /// `A-B`, the dyad's key in panels and links.
    pub fn key(&self) -> String {
        format!("{}-{}", self.a, self.b)
    }
}

/// A pair's page: its events by domain and by type.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pair {
    pub a: String,
    pub b: String,
    pub by_domain: Vec<(Domain, Count)>,
    pub by_type: Vec<(EventType, Count)>,
}

/// One row of the follow-through figure: a group of agreements, the share followed by an
/// implementation with its interval, and the events behind it (the agreements' signings and
/// their implementations).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FollowRow {
    /// `all`, a domain code, `bilateral` or `multilateral`.
    pub group: String,
    pub agreements: u64,
    pub implemented: u64,
    pub share: Option<f64>,
    pub share_ci: Option<(f64, f64)>,
    pub median_days_to_first: Option<f64>,
    pub event_ids: Vec<i64>,
}

/// The figures over one set of canonical events.
pub struct Figures<'a> {
    events: &'a [CanonicalEvent],
    index: &'a EventIndex,
}

fn split(dyad: &str) -> (String, String) {
    let (a, b) = dyad.split_once('-').unwrap_or((dyad, ""));
    (a.to_string(), b.to_string())
}

impl<'a> Figures<'a> {
    /// `index` must be `EventIndex::build(events)`.
    pub fn new(events: &'a [CanonicalEvent], index: &'a EventIndex) -> Figures<'a> {
        Figures { events, index }
    }

    pub fn events(&self) -> &'a [CanonicalEvent] {
        self.events
    }

    /// The one query behind every figure: a panel over `dims`, keeping the events' ids.
    pub fn panel(&self, spec: &Spec, dims: &[Dim]) -> Panel {
        let mut q = PanelQuery::new(dims);
        q.filter = spec.filter.clone();
        q.counting = spec.counting;
        q.weights = spec.weights.clone();
        q.keep_ids = true;
        self.index.query(&q)
    }

    /// The number of one cell and its events: what a figure's link leads to. A cell no event
    /// is in counts zero.
    pub fn cell(&self, spec: &Spec, dims: &[Dim], key: &[String]) -> Count {
        self.panel(spec, dims)
            .rows
            .iter()
            .find(|r| r.key == key)
            .map_or(Count { count: 0, intensity: 0.0, event_ids: vec![] }, Count::of)
    }

    pub fn heatmap(&self, spec: &Spec) -> Heatmap {
        let p = self.panel(spec, &[Dim::Dyad, Dim::Domain]);
        let mut rows: Vec<String> = p.rows.iter().map(|r| r.key[0].clone()).collect();
        rows.sort();
        rows.dedup();
        let cols: Vec<Domain> =
            Domain::ALL.iter().copied().filter(|d| p.rows.iter().any(|r| r.key[1] == d.code())).collect();
        let mut cells = vec![vec![None; cols.len()]; rows.len()];
        for r in &p.rows {
            let i = rows.binary_search(&r.key[0]).expect("a row of the panel");
            let j = cols.iter().position(|d| d.code() == r.key[1]).expect("a column of the panel");
            cells[i][j] = Some(Count::of(r));
        }
        Heatmap { rows, cols, cells }
    }

    /// Per year and domain; within `window` when one is given (its years, gaps included), else
    /// from the first dated event to the last.
    pub fn timeline(&self, spec: &Spec, window: Option<Window>) -> Timeline {
        let mut spec = spec.clone();
        if let Some(w) = window {
            let f = &mut spec.filter;
            f.from_year = Some(f.from_year.map_or(w.from, |y| y.max(w.from)));
            f.to_year = Some(f.to_year.map_or(w.to, |y| y.min(w.to)));
        }
        let p = self.panel(&spec, &[Dim::Period, Dim::Domain]);
        let year = |r: &PanelRow| r.key[0].parse::<i32>().ok();
        let years: Vec<i32> = match window {
            Some(w) => (w.from..=w.to).collect(),
            None => match (p.rows.iter().filter_map(year).min(), p.rows.iter().filter_map(year).max()) {
                (Some(a), Some(b)) => (a..=b).collect(),
                _ => vec![],
            },
        };
        let series = Domain::ALL
            .iter()
            .copied()
            .filter(|d| p.rows.iter().any(|r| r.key[1] == d.code()))
            .map(|domain| {
                let mut values = vec![None; years.len()];
                for r in p.rows.iter().filter(|r| r.key[1] == domain.code()) {
                    if let Some(k) = year(r).and_then(|y| years.iter().position(|x| *x == y)) {
                        values[k] = Some(Count::of(r));
                    }
                }
                TimelineSeries { domain, values }
            })
            .collect();
        Timeline { years, series, undated: p.undated }
    }

    /// Every dyad and its count (the map's lines, the overview's table), by dyad.
    pub fn pairs(&self, spec: &Spec) -> Vec<PairCount> {
        self.panel(spec, &[Dim::Dyad])
            .rows
            .iter()
            .map(|r| {
                let (a, b) = split(&r.key[0]);
                PairCount { a, b, count: Count::of(r) }
            })
            .collect()
    }

    /// The events of both `a` and `b`: the spec's filter with the pair added.
    pub fn pair_spec(spec: &Spec, a: ActorCode, b: ActorCode) -> Spec {
        let mut s = spec.clone();
        for x in [a, b] {
            if !s.filter.actors.contains(&x) {
                s.filter.actors.push(x);
            }
        }
        s
    }

    /// A pair's page: its events by domain and by type.
    pub fn pair(&self, spec: &Spec, a: ActorCode, b: ActorCode) -> Pair {
        let s = Self::pair_spec(spec, a, b);
        let by_domain = self
            .panel(&s, &[Dim::Domain])
            .rows
            .iter()
            .filter_map(|r| Some((r.key[0].parse::<Domain>().ok()?, Count::of(r))))
            .collect();
        let by_type = self
            .panel(&s, &[Dim::Type])
            .rows
            .iter()
            .filter_map(|r| Some((r.key[0].parse::<EventType>().ok()?, Count::of(r))))
            .collect();
        Pair { a: a.to_string(), b: b.to_string(), by_domain, by_type }
    }

    /// A pair's canonical events per year beside the events imported for it (`imported`: those
    /// that name both), every year from the first to the last of either. The coded counts are the
    /// pair's panel by year, so each links to the same cell as a pair's timeline.
    pub fn pair_years(&self, a: ActorCode, b: ActorCode, imported: &[ImportedEvent]) -> Vec<YearCounts> {
        let s = Self::pair_spec(&Spec::default(), a, b);
        let mut coded = Vec::new();
        for r in &self.panel(&s, &[Dim::Period]).rows {
            if let Ok(y) = r.key[0].parse::<i32>() {
                coded.extend(r.event_ids.iter().map(|id| (y, *id)));
            }
        }
        against(&coded, imported)
    }

    /// The cooperation network of the events that pass `opts` (edges carry their events' ids).
    pub fn network(&self, opts: &NetworkOptions) -> Network {
        network::network(self.events, opts)
    }
}

/// The follow-through of `agreements` (the registry's), or, when there are none, of the coded
/// `agreement` events standing in for them: the report and the dashboard measure the same.
pub fn follow_through(events: &[CanonicalEvent], agreements: &[crate::Agreement], opts: &FollowOptions) -> FollowThrough {
    if agreements.is_empty() {
        crate::follow::follow_through(events, &crate::follow::agreements_from_events(events), opts)
    } else {
        crate::follow::follow_through(events, agreements, opts)
    }
}

/// The follow-through figure's rows: the groups with at least one agreement.
pub fn follow(ft: &FollowThrough) -> Vec<FollowRow> {
    ft.groups
        .iter()
        .filter(|g| g.agreements > 0)
        .map(|g| {
            let mut ids: BTreeSet<i64> = BTreeSet::new();
            for a in ft.agreements.iter().filter(|a| g.agreement_ids.contains(&a.agreement.id)) {
                ids.extend(a.agreement.event_ids.iter().copied());
                ids.extend(a.implementations.iter().map(|i| i.event_id));
            }
            FollowRow {
                group: g.group.clone(),
                agreements: g.agreements,
                implemented: g.implemented,
                share: g.share,
                share_ci: g.share_ci,
                median_days_to_first: g.median_days_to_first,
                event_ids: ids.into_iter().collect(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::ev;

    fn sample() -> Vec<CanonicalEvent> {
        let mut e3 = ev(3, "meeting", "KAZ,KGZ,UZB", "political,water", "2018-03-15");
        e3.reports.push(e3.reports[0].clone());
        vec![
            ev(1, "agreement", "KAZ,UZB", "water", "2016-04-02"),
            ev(2, "aid", "KGZ,UZB", "disaster,health", "2020-05-07"),
            e3,
            ev(4, "meeting", "EU,UN", "political", "2019"),
            ev(5, "meeting", "KAZ,UZB", "political", ""),
            ev(6, "meeting", "CAS,KAZ,UZB", "political", "2020"),
            ev(7, "joint_activity", "KAZ,UZB", "water", "2017-09-01"),
            ev(8, "meeting", "SCO,TJK,UZB", "political", "2019"),
        ]
    }

    fn count(c: &Option<Count>) -> u64 {
        c.as_ref().map_or(0, |c| c.count)
    }

    /// The events of `ids`, straight from the list: an independent count.
    fn brute(events: &[CanonicalEvent], keep: impl Fn(&CanonicalEvent) -> bool) -> Vec<i64> {
        events.iter().filter(|e| keep(e)).map(|e| e.id).collect()
    }

    #[test]
    fn every_number_counts_exactly_its_events() {
        let events = sample();
        let index = EventIndex::build(&events);
        let f = Figures::new(&events, &index);
        let spec = Spec::default();
        let h = f.heatmap(&spec);
        assert_eq!(h.rows, ["KAZ-KGZ", "KAZ-UZB", "KGZ-UZB", "TJK-UZB"]);
        for (i, row) in h.rows.iter().enumerate() {
            let (a, b) = row.split_once('-').unwrap();
            for (j, d) in h.cols.iter().enumerate() {
                let want = brute(&events, |e| {
                    e.actors.iter().any(|x| x.as_str() == a) && e.actors.iter().any(|x| x.as_str() == b) && e.domains.contains(d)
                });
                let got = h.cells[i][j].as_ref().map_or(vec![], |c| c.event_ids.clone());
                assert_eq!(got, want, "{row} · {d:?}");
                assert_eq!(count(&h.cells[i][j]), want.len() as u64);
                // The link's answer is the same cell.
                let key = vec![row.clone(), d.code().to_string()];
                assert_eq!(f.cell(&spec, &[Dim::Dyad, Dim::Domain], &key).event_ids, want);
            }
        }
        let kaz_uzb = h.rows.iter().position(|r| r == "KAZ-UZB").unwrap();
        let water = h.cols.iter().position(|d| *d == Domain::Water).unwrap();
        assert_eq!(h.cells[kaz_uzb][water].as_ref().unwrap().event_ids, [1, 3, 7]);

        let t = f.timeline(&spec, None);
        assert_eq!(t.years, (2016..=2020).collect::<Vec<_>>());
        assert_eq!(t.undated, 1);
        for s in &t.series {
            for (k, y) in t.years.iter().enumerate() {
                let want = brute(&events, |e| e.year() == Some(*y) && e.domains.contains(&s.domain));
                assert_eq!(s.values[k].as_ref().map_or(vec![], |c| c.event_ids.clone()), want, "{y} {:?}", s.domain);
            }
        }
        // A window keeps its years, gaps included, and nothing outside it.
        let t = f.timeline(&spec, Some(Window { from: 2017, to: 2019 }));
        assert_eq!(t.years, [2017, 2018, 2019]);
        let total: u64 = t.series.iter().flat_map(|s| s.values.iter().map(count)).sum();
        assert_eq!(total, 1 + 2 + 2, "2017 water; 2018 political and water; 2019 political (the EU–UN one and the SCO one)");

        let pairs = f.pairs(&spec);
        let kz = pairs.iter().find(|p| p.key() == "KAZ-UZB").unwrap();
        assert_eq!(kz.count.event_ids, [1, 3, 5, 6, 7]);
        // The pair's page counts the same events by domain as the heatmap's row.
        let p = f.pair(&spec, ActorCode::new("KAZ").unwrap(), ActorCode::new("UZB").unwrap());
        for (d, c) in &p.by_domain {
            let j = h.cols.iter().position(|x| x == d).unwrap();
            assert_eq!(Some(c), h.cells[kaz_uzb][j].as_ref(), "{d:?}");
        }
        let by_type: u64 = p.by_type.iter().map(|(_, c)| c.count).sum();
        assert_eq!(by_type, 5);
        // Reports, when asked: event 3 has two.
        let reports = Spec { counting: Counting::Reports, ..Spec::default() };
        let h2 = f.heatmap(&reports);
        assert_eq!(count(&h2.cells[kaz_uzb][water]), 4);
        assert_eq!(h2.cells[kaz_uzb][water].as_ref().unwrap().event_ids, [1, 3, 7]);
    }

    #[test]
    fn a_group_is_never_a_pair_with_its_own_member() {
        let events = sample();
        let index = EventIndex::build(&events);
        let f = Figures::new(&events, &index);
        let spec = Spec::default();
        let keys: Vec<String> = f.pairs(&spec).iter().map(|p| p.key()).collect();
        assert!(!keys.iter().any(|k| k.contains("CAS")), "CAS with its own members: {keys:?}");
        assert!(!keys.contains(&"SCO-TJK".to_string()) && !keys.contains(&"SCO-UZB".to_string()), "{keys:?}");
        assert!(f.heatmap(&spec).rows.iter().all(|r| !r.contains("CAS") && !r.contains("SCO")));
        let net = f.network(&NetworkOptions { scope: network::Scope::All, ..Default::default() });
        let edges: Vec<String> = net.edges.iter().map(|e| format!("{}-{}", e.a, e.b)).collect();
        assert!(edges.contains(&"EU-UN".to_string()), "{edges:?}");
        assert!(!edges.iter().any(|e| e.contains("CAS") || e.contains("SCO")), "{edges:?}");
    }

    #[test]
    fn network_edges_count_the_events_of_their_dyad_cell() {
        let events = sample();
        let index = EventIndex::build(&events);
        let f = Figures::new(&events, &index);
        let spec = Spec::default();
        let net = f.network(&NetworkOptions::default());
        assert!(!net.edges.is_empty());
        for e in &net.edges {
            let cell = f.cell(&spec, &[Dim::Dyad], &[format!("{}-{}", e.a, e.b)]);
            assert_eq!(cell.event_ids, e.event_ids, "{}-{}", e.a, e.b);
            assert_eq!(cell.count as f64, e.weight);
        }
    }

    #[test]
    fn a_pairs_years_are_its_timeline() {
        let events = sample();
        let index = EventIndex::build(&events);
        let f = Figures::new(&events, &index);
        let (kaz, uzb) = (ActorCode::new("KAZ").unwrap(), ActorCode::new("UZB").unwrap());
        let rows = f.pair_years(kaz, uzb, &[]);
        let years: Vec<(i32, Vec<i64>)> = rows.iter().map(|r| (r.year, r.coded.clone())).collect();
        assert_eq!(years, [(2016, vec![1]), (2017, vec![7]), (2018, vec![3]), (2019, vec![]), (2020, vec![6])]);
        let s = Figures::pair_spec(&Spec::default(), kaz, uzb);
        for r in &rows {
            assert_eq!(f.cell(&s, &[Dim::Period], &[r.year.to_string()]).event_ids, r.coded);
        }
    }

    #[test]
    fn follow_rows_list_signings_and_implementations() {
        let events = sample();
        let ft = follow_through(&events, &[], &FollowOptions::default());
        assert_eq!(ft, crate::follow::follow_through(&events, &crate::follow::agreements_from_events(&events), &FollowOptions::default()));
        let rows = follow(&ft);
        let all = rows.iter().find(|r| r.group == "all").unwrap();
        assert_eq!(all.agreements, 1);
        assert_eq!(all.implemented, 1);
        assert_eq!(all.event_ids, [1, 7]);
    }
}
