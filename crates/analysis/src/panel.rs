//! Panels: counts of canonical events (or of their reports) by any combination of dyad, actor,
//! domain, period (year or month), type, language of the source and bilateral/multilateral, with
//! the cooperation-intensity index and the CAMEO/Goldstein score beside each count.
//!
//! An event counts once in every cell it belongs to: an event of three actors counts for each of
//! its three dyads, and an event of two domains in each domain. Totals over a multi-valued
//! dimension are therefore larger than the number of events; the report says so under each table.
//!
//! Queries run over an [`EventIndex`], a columnar copy of the events (interned actors, bit masks
//! for domains and languages, years as small integers) built once. A query is a single scan that
//! adds into a dense array keyed by the mixed-radix code of the cell, so that a panel over a
//! million events takes tens of milliseconds (`cargo run --release -p hamkor-analysis --example
//! bench_panels`).

use crate::{CanonicalEvent, Counting, Error, Result};
use hamkor_model::{ActorCode, Domain, EventType};
use serde::Serialize;
use std::collections::HashMap;

/// Weights of the cooperation-intensity index, per event type.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Weights {
    /// In the order of [`EventType::ALL`].
    pub per_type: [f64; 7],
}

impl Default for Weights {
    /// hamkor's default weights (docs/statistics.md, "Intensity index"): talk counts least, a
    /// signed or ratified commitment more, material cooperation and new institutions more still,
    /// and raising the status of a relationship most.
    fn default() -> Self {
        let mut w = Weights { per_type: [0.0; 7] };
        for (t, v) in [
            (EventType::Meeting, 1.0),
            (EventType::Agreement, 3.0),
            (EventType::Ratification, 2.0),
            (EventType::Partnership, 5.0),
            (EventType::Aid, 4.0),
            (EventType::JointActivity, 3.0),
            (EventType::Institution, 4.0),
        ] {
            w.set(t, v);
        }
        w
    }
}

fn type_index(t: EventType) -> usize {
    EventType::ALL.iter().position(|x| *x == t).expect("every type is in ALL")
}

impl Weights {
    pub fn get(&self, t: EventType) -> f64 {
        self.per_type[type_index(t)]
    }
    pub fn set(&mut self, t: EventType, v: f64) {
        self.per_type[type_index(t)] = v;
    }
    /// The defaults with some types changed: `"meeting=0.5,aid=6"`.
    pub fn parse(spec: &str) -> Result<Weights> {
        let mut w = Weights::default();
        for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let bad = || Error::BadWeights(spec.to_string());
            let (t, v) = part.split_once('=').ok_or_else(bad)?;
            let t: EventType = t.trim().parse().map_err(|_| bad())?;
            let v: f64 = v.trim().parse().map_err(|_| bad())?;
            if !v.is_finite() {
                return Err(bad());
            }
            w.set(t, v);
        }
        Ok(w)
    }
}

/// The Goldstein (1992) conflict–cooperation score of the CAMEO code each type crosses to
/// (see [`cameo_code`]): 057 sign formal agreement 8.0, 050 diplomatic cooperation 3.5,
/// 040 consult 1.0, 070 provide aid 7.0, 060 material cooperation 6.0.
pub fn goldstein(t: EventType) -> f64 {
    match t {
        EventType::Agreement | EventType::Ratification => 8.0,
        EventType::Partnership => 3.5,
        EventType::Meeting => 1.0,
        EventType::Aid => 7.0,
        EventType::JointActivity | EventType::Institution => 6.0,
    }
}

/// The PLOVER category and CAMEO code of a type (the spec's crosswalk), and the CAMEO root
/// (cue category, two digits).
pub fn cameo_code(t: EventType) -> (&'static str, &'static str, &'static str) {
    let (plover, cameo) = t.plover_cameo();
    (plover, cameo, &cameo[..2])
}

/// PLOVER quad category: 1 verbal cooperation (AGREE, CONSULT), 2 material cooperation
/// (COOPERATE, AID).
pub fn quad_code(t: EventType) -> u8 {
    match t.plover_cameo().0 {
        "AID" | "COOPERATE" => 2,
        _ => 1,
    }
}

/// A dimension of a panel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Dim {
    /// Pairs of actors with at least one Central Asian state.
    Dyad,
    Actor,
    Domain,
    /// Year or month, by [`PanelQuery::period`].
    Period,
    Type,
    /// Language of the reports.
    Lang,
    /// `bilateral` or `multilateral`.
    Kind,
}

impl Dim {
    pub fn name(self, period: Period) -> &'static str {
        match self {
            Dim::Dyad => "dyad",
            Dim::Actor => "actor",
            Dim::Domain => "domain",
            Dim::Period => match period {
                Period::Year => "year",
                Period::Month => "month",
            },
            Dim::Type => "type",
            Dim::Lang => "lang",
            Dim::Kind => "kind",
        }
    }
    pub fn parse(s: &str) -> Result<Dim> {
        Ok(match s {
            "dyad" => Dim::Dyad,
            "actor" => Dim::Actor,
            "domain" => Dim::Domain,
            "period" | "year" | "month" => Dim::Period,
            "type" => Dim::Type,
            "lang" | "language" => Dim::Lang,
            "kind" => Dim::Kind,
            _ => {
                return Err(Error::BadOption(format!(
                    "unknown panel dimension {s:?} (expected dyad, actor, domain, year, month, type, lang, kind)"
                )))
            }
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Period {
    #[default]
    Year,
    Month,
}

/// Which events a panel counts. Empty lists mean "all".
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PanelFilter {
    pub types: Vec<EventType>,
    /// Events with at least one of these domains; a domain dimension then shows only these.
    pub domains: Vec<Domain>,
    /// Events involving every one of these actors.
    pub actors: Vec<ActorCode>,
    pub from_year: Option<i32>,
    pub to_year: Option<i32>,
    /// Only bilateral (`Some(false)`) or only multilateral (`Some(true)`) events.
    pub multilateral: Option<bool>,
}

impl PanelFilter {
    /// The panel's part of the one filter (`hamkor_model::Filter`): type, domain, actors and the
    /// years of its dates.
    pub fn from_filter(f: &hamkor_model::Filter) -> PanelFilter {
        let (from_year, to_year) = f.years();
        PanelFilter {
            types: f.event_type.into_iter().collect(),
            domains: f.domain.into_iter().collect(),
            actors: f.actors.clone(),
            from_year,
            to_year,
            multilateral: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct PanelQuery {
    pub dims: Vec<Dim>,
    pub period: Period,
    pub counting: Counting,
    pub weights: Weights,
    pub filter: PanelFilter,
    /// Keep the ids of the events behind every cell (for a report's event lists).
    pub keep_ids: bool,
}

impl PanelQuery {
    pub fn new(dims: &[Dim]) -> PanelQuery {
        PanelQuery {
            dims: dims.to_vec(),
            period: Period::Year,
            counting: Counting::Events,
            weights: Weights::default(),
            filter: PanelFilter::default(),
            keep_ids: false,
        }
    }
}

/// One cell of a panel.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PanelRow {
    /// One value per dimension, in the query's order.
    pub key: Vec<String>,
    pub count: u64,
    /// Σ weight(type) over the events (or reports) of the cell.
    pub intensity: f64,
    /// Σ Goldstein score over the events (or reports) of the cell.
    pub goldstein: f64,
    /// Ids of the canonical events behind the cell (when asked for), ascending.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub event_ids: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Panel {
    /// Column names of `key`.
    pub columns: Vec<&'static str>,
    pub counting: Counting,
    pub rows: Vec<PanelRow>,
    /// Events left out of a panel by period because they have no date (or, by month, no month).
    pub undated: u64,
}

/// A columnar copy of the events, built once and queried many times.
pub struct EventIndex {
    actors: Vec<ActorCode>,
    langs: Vec<String>,
    ids: Vec<i64>,
    types: Vec<u8>,
    domains: Vec<u16>,
    /// Year, or `i32::MIN` when undated.
    years: Vec<i32>,
    /// 1–12, or 0 when the date has no month.
    months: Vec<u8>,
    actor_start: Vec<u32>,
    actor_list: Vec<u16>,
    /// Per event: (language index, reports in it), flattened.
    lang_start: Vec<u32>,
    lang_list: Vec<(u16, u32)>,
    reports: Vec<u32>,
    multilateral: Vec<bool>,
    central: Vec<bool>,
    /// Per pair of interned actors (`x * actors + y`): not a group and one of its members
    /// (`hamkor_model::groups::is_pair`); the dyad dimension skips the others.
    pairable: Vec<bool>,
    min_year: i32,
    max_year: i32,
}

fn domain_index(d: Domain) -> usize {
    Domain::ALL.iter().position(|x| *x == d).expect("every domain is in ALL")
}

impl EventIndex {
    pub fn build(events: &[CanonicalEvent]) -> EventIndex {
        let mut actors: Vec<ActorCode> = events.iter().flat_map(|e| e.actors.iter().copied()).collect();
        actors.sort_unstable();
        actors.dedup();
        assert!(actors.len() < u16::MAX as usize, "more than 65535 distinct actors");
        let mut langs: Vec<String> = events.iter().flat_map(|e| e.reports.iter().map(|r| r.lang.clone())).collect();
        langs.sort_unstable();
        langs.dedup();
        let actor_ix: HashMap<ActorCode, u16> = actors.iter().enumerate().map(|(i, a)| (*a, i as u16)).collect();
        let lang_ix: HashMap<&str, u16> = langs.iter().enumerate().map(|(i, l)| (l.as_str(), i as u16)).collect();
        let n = events.len();
        let mut ix = EventIndex {
            central: actors.iter().map(|a| a.is_central_asian()).collect(),
            pairable: actors.iter().flat_map(|x| actors.iter().map(move |y| hamkor_model::groups::is_pair(x, y))).collect(),
            actors,
            langs: Vec::new(),
            ids: Vec::with_capacity(n),
            types: Vec::with_capacity(n),
            domains: Vec::with_capacity(n),
            years: Vec::with_capacity(n),
            months: Vec::with_capacity(n),
            actor_start: Vec::with_capacity(n + 1),
            actor_list: Vec::with_capacity(n * 2),
            lang_start: Vec::with_capacity(n + 1),
            lang_list: Vec::with_capacity(n),
            reports: Vec::with_capacity(n),
            multilateral: Vec::with_capacity(n),
            min_year: i32::MAX,
            max_year: i32::MIN,
        };
        ix.actor_start.push(0);
        ix.lang_start.push(0);
        for e in events {
            ix.ids.push(e.id);
            ix.types.push(type_index(e.event_type) as u8);
            ix.domains.push(e.domains.iter().fold(0u16, |m, d| m | 1 << domain_index(*d)));
            let year = e.date.map_or(i32::MIN, |d| d.year);
            if year != i32::MIN {
                ix.min_year = ix.min_year.min(year);
                ix.max_year = ix.max_year.max(year);
            }
            ix.years.push(year);
            ix.months.push(e.date.and_then(|d| d.month).unwrap_or(0));
            ix.actor_list.extend(e.actors.iter().map(|a| actor_ix[a]));
            ix.actor_start.push(ix.actor_list.len() as u32);
            let first = ix.lang_list.len();
            for r in &e.reports {
                let l = lang_ix[r.lang.as_str()];
                match ix.lang_list[first..].iter_mut().find(|(x, _)| *x == l) {
                    Some((_, k)) => *k += 1,
                    None => ix.lang_list.push((l, 1)),
                }
            }
            ix.lang_list[first..].sort_unstable();
            ix.lang_start.push(ix.lang_list.len() as u32);
            ix.reports.push(e.reports.len().max(1) as u32);
            ix.multilateral.push(e.is_multilateral());
        }
        ix.langs = langs;
        ix
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Approximate heap size in bytes.
    pub fn memory_usage(&self) -> usize {
        self.ids.len() * (8 + 1 + 2 + 4 + 1 + 4 + 4 + 4 + 1)
            + self.actor_list.len() * 2
            + self.lang_list.len() * 8
            + self.actors.len() * 8
    }

    /// Run a panel query: one pass over the events.
    pub fn query(&self, q: &PanelQuery) -> Panel {
        let na = self.actors.len().max(1);
        let year_span = if self.min_year <= self.max_year { (self.max_year - self.min_year + 1) as usize } else { 1 };
        let radix: Vec<usize> = q
            .dims
            .iter()
            .map(|d| match d {
                Dim::Dyad => na * na,
                Dim::Actor => na,
                Dim::Domain => Domain::ALL.len(),
                Dim::Period => match q.period {
                    Period::Year => year_span,
                    Period::Month => year_span * 12,
                },
                Dim::Type => EventType::ALL.len(),
                Dim::Lang => self.langs.len().max(1),
                Dim::Kind => 2,
            })
            .collect();
        let cells: usize = radix.iter().try_fold(1usize, |acc, r| acc.checked_mul(*r)).unwrap_or(usize::MAX);
        let mut acc = Accumulator::new(cells, q.keep_ids);

        let f = &q.filter;
        let type_mask: u8 =
            if f.types.is_empty() { 0x7f } else { f.types.iter().fold(0, |m, t| m | 1 << type_index(*t)) };
        let domain_mask: u16 =
            if f.domains.is_empty() { 0x3ff } else { f.domains.iter().fold(0, |m, d| m | 1 << domain_index(*d)) };
        let want_actors: Option<Vec<u16>> = if f.actors.is_empty() {
            None
        } else {
            let v: Vec<Option<u16>> =
                f.actors.iter().map(|a| self.actors.binary_search(a).ok().map(|i| i as u16)).collect();
            if v.iter().any(|x| x.is_none()) {
                // An actor no event has: nothing matches.
                return self.finish(q, &radix, acc, 0);
            }
            Some(v.into_iter().flatten().collect())
        };
        let by_period = q.dims.contains(&Dim::Period);
        let weights: Vec<f64> = EventType::ALL.iter().map(|t| q.weights.get(*t)).collect();
        let gold: Vec<f64> = EventType::ALL.iter().map(|t| goldstein(*t)).collect();

        let mut undated = 0u64;
        // Per-dimension value lists of the current event: (code, unit override).
        let mut values: Vec<Vec<(usize, u64)>> = vec![Vec::new(); q.dims.len()];
        for i in 0..self.ids.len() {
            let t = self.types[i];
            if type_mask & (1 << t) == 0 {
                continue;
            }
            let dm = self.domains[i] & domain_mask;
            if dm == 0 {
                continue;
            }
            let year = self.years[i];
            if f.from_year.is_some_and(|y| year == i32::MIN || year < y) || f.to_year.is_some_and(|y| year > y) {
                continue;
            }
            if f.multilateral.is_some_and(|m| m != self.multilateral[i]) {
                continue;
            }
            let acts = &self.actor_list[self.actor_start[i] as usize..self.actor_start[i + 1] as usize];
            if let Some(want) = &want_actors {
                if !want.iter().all(|a| acts.contains(a)) {
                    continue;
                }
            }
            let unit = match q.counting {
                Counting::Events => 1,
                Counting::Reports => self.reports[i] as u64,
            };
            if by_period && (year == i32::MIN || (q.period == Period::Month && self.months[i] == 0)) {
                undated += unit;
                continue;
            }
            let mut empty = false;
            for (d, vals) in q.dims.iter().zip(values.iter_mut()) {
                vals.clear();
                match d {
                    Dim::Dyad => {
                        for (j, &x) in acts.iter().enumerate() {
                            for &y in &acts[j + 1..] {
                                if (self.central[x as usize] || self.central[y as usize])
                                    && self.pairable[x as usize * na + y as usize]
                                {
                                    vals.push((x as usize * na + y as usize, 0));
                                }
                            }
                        }
                    }
                    Dim::Actor => vals.extend(acts.iter().map(|&a| (a as usize, 0))),
                    Dim::Domain => {
                        for k in 0..Domain::ALL.len() {
                            if dm & (1 << k) != 0 {
                                vals.push((k, 0));
                            }
                        }
                    }
                    Dim::Period => {
                        let y = (year - self.min_year) as usize;
                        vals.push(match q.period {
                            Period::Year => (y, 0),
                            Period::Month => (y * 12 + self.months[i] as usize - 1, 0),
                        });
                    }
                    Dim::Type => vals.push((t as usize, 0)),
                    Dim::Lang => {
                        let ls = &self.lang_list[self.lang_start[i] as usize..self.lang_start[i + 1] as usize];
                        for &(l, k) in ls {
                            vals.push((l as usize, if q.counting == Counting::Reports { k as u64 } else { 0 }));
                        }
                    }
                    Dim::Kind => vals.push((self.multilateral[i] as usize, 0)),
                }
                if vals.is_empty() {
                    empty = true;
                    break;
                }
            }
            if empty {
                continue;
            }
            // Every combination of the dimension values (a mixed-radix odometer).
            let mut pos = vec![0usize; q.dims.len()];
            loop {
                let mut code = 0usize;
                let mut u = unit;
                for (k, vals) in values.iter().enumerate() {
                    let (c, over) = vals[pos[k]];
                    code = code * radix[k] + c;
                    if over > 0 {
                        u = over;
                    }
                }
                let tt = t as usize;
                acc.add(code, u, u as f64 * weights[tt], u as f64 * gold[tt], self.ids[i]);
                let mut k = q.dims.len();
                loop {
                    if k == 0 {
                        break;
                    }
                    k -= 1;
                    pos[k] += 1;
                    if pos[k] < values[k].len() {
                        break;
                    }
                    pos[k] = 0;
                    if k == 0 {
                        k = usize::MAX;
                        break;
                    }
                }
                if k == usize::MAX || q.dims.is_empty() {
                    break;
                }
            }
        }
        self.finish(q, &radix, acc, undated)
    }

    fn finish(&self, q: &PanelQuery, radix: &[usize], acc: Accumulator, undated: u64) -> Panel {
        let na = self.actors.len().max(1);
        let mut rows = Vec::new();
        for (code, cell, ids) in acc.cells() {
            let mut key = vec![String::new(); q.dims.len()];
            let mut rest = code;
            for k in (0..q.dims.len()).rev() {
                let c = rest % radix[k];
                rest /= radix[k];
                key[k] = match q.dims[k] {
                    Dim::Dyad => format!("{}-{}", self.actors[c / na], self.actors[c % na]),
                    Dim::Actor => self.actors[c].to_string(),
                    Dim::Domain => Domain::ALL[c].code().to_string(),
                    Dim::Period => match q.period {
                        Period::Year => (self.min_year + c as i32).to_string(),
                        Period::Month => format!("{:04}-{:02}", self.min_year + (c / 12) as i32, c % 12 + 1),
                    },
                    Dim::Type => EventType::ALL[c].code().to_string(),
                    Dim::Lang => self.langs[c].clone(),
                    Dim::Kind => if c == 1 { "multilateral" } else { "bilateral" }.to_string(),
                };
            }
            let mut ids = ids;
            ids.sort_unstable();
            ids.dedup();
            rows.push(PanelRow { key, count: cell.0, intensity: cell.1, goldstein: cell.2, event_ids: ids });
        }
        Panel { columns: q.dims.iter().map(|d| d.name(q.period)).collect(), counting: q.counting, rows, undated }
    }
}

/// Count, intensity and Goldstein sum of a cell.
type Sums = (u64, f64, f64);

/// Sums per cell: dense when the cube is small enough, hashed otherwise.
enum Accumulator {
    Dense { cells: Vec<Sums>, ids: Option<HashMap<usize, Vec<i64>>> },
    Sparse { cells: HashMap<usize, Sums>, ids: Option<HashMap<usize, Vec<i64>>> },
}

/// Cubes up to this many cells are dense arrays (24 bytes a cell: 96 MB at most).
const DENSE_LIMIT: usize = 4_000_000;

impl Accumulator {
    fn new(cells: usize, keep_ids: bool) -> Accumulator {
        let ids = keep_ids.then(HashMap::new);
        if cells <= DENSE_LIMIT {
            Accumulator::Dense { cells: vec![(0, 0.0, 0.0); cells], ids }
        } else {
            Accumulator::Sparse { cells: HashMap::new(), ids }
        }
    }
    #[inline]
    fn add(&mut self, code: usize, n: u64, w: f64, g: f64, id: i64) {
        let (cell, ids) = match self {
            Accumulator::Dense { cells, ids } => (&mut cells[code], ids),
            Accumulator::Sparse { cells, ids } => (cells.entry(code).or_insert((0, 0.0, 0.0)), ids),
        };
        cell.0 += n;
        cell.1 += w;
        cell.2 += g;
        if let Some(ids) = ids {
            ids.entry(code).or_default().push(id);
        }
    }
    /// Non-empty cells in code order.
    fn cells(self) -> Vec<(usize, Sums, Vec<i64>)> {
        let (mut cells, mut ids): (Vec<(usize, Sums)>, _) = match self {
            Accumulator::Dense { cells, ids } => {
                (cells.into_iter().enumerate().filter(|(_, c)| c.0 > 0).collect(), ids)
            }
            Accumulator::Sparse { cells, ids } => (cells.into_iter().collect(), ids),
        };
        cells.sort_unstable_by_key(|c| c.0);
        cells
            .into_iter()
            .map(|(code, c)| (code, c, ids.as_mut().and_then(|m| m.remove(&code)).unwrap_or_default()))
            .collect()
    }
}

/// A panel straight from events (builds the index; for one-off queries).
pub fn panel(events: &[CanonicalEvent], q: &PanelQuery) -> Panel {
    EventIndex::build(events).query(q)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::ev;

    fn rows(p: &Panel) -> Vec<String> {
        p.rows.iter().map(|r| format!("{} {} {}", r.key.join("/"), r.count, r.intensity)).collect()
    }

    fn sample() -> Vec<CanonicalEvent> {
        let mut e3 = ev(3, "meeting", "KAZ,KGZ,UZB", "political,water", "2018-03-15");
        e3.reports.push(crate::ReportRef { lang: "ru".into(), ..e3.reports[0].clone() });
        e3.reports.push(crate::ReportRef { lang: "ru".into(), ..e3.reports[0].clone() });
        vec![
            ev(1, "agreement", "KAZ,UZB", "water", "2016"),
            ev(2, "aid", "KGZ,UZB", "disaster,health", "2020-05-07"),
            e3,
            ev(4, "meeting", "EU,UN", "political", "2019"),
            ev(5, "meeting", "KAZ,UZB", "political", ""),
        ]
    }

    #[test]
    fn dyad_by_domain_counts_each_pair_and_domain() {
        let p = panel(&sample(), &PanelQuery::new(&[Dim::Dyad, Dim::Domain]));
        assert_eq!(
            rows(&p),
            [
                "KAZ-KGZ/water 1 1",
                "KAZ-KGZ/political 1 1",
                "KAZ-UZB/water 2 4",
                "KAZ-UZB/political 2 2",
                "KGZ-UZB/health 1 4",
                "KGZ-UZB/disaster 1 4",
                "KGZ-UZB/water 1 1",
                "KGZ-UZB/political 1 1",
            ]
        );
        assert_eq!(p.undated, 0);
    }

    #[test]
    fn periods_filters_and_reports() {
        let mut q = PanelQuery::new(&[Dim::Period]);
        q.keep_ids = true;
        let p = panel(&sample(), &q);
        assert_eq!(rows(&p), ["2016 1 3", "2018 1 1", "2019 1 1", "2020 1 4"]);
        assert_eq!(p.undated, 1);
        assert_eq!(p.rows[1].event_ids, [3]);

        q.period = Period::Month;
        assert_eq!(rows(&panel(&sample(), &q)), ["2018-03 1 1", "2020-05 1 4"]);

        let mut q = PanelQuery::new(&[Dim::Lang]);
        q.counting = Counting::Reports;
        assert_eq!(rows(&panel(&sample(), &q)), ["en 5 10", "ru 2 2"]);
        q.counting = Counting::Events;
        assert_eq!(rows(&panel(&sample(), &q)), ["en 5 10", "ru 1 1"]);

        let mut q = PanelQuery::new(&[Dim::Kind, Dim::Type]);
        q.filter.actors = vec![ActorCode::new("UZB").unwrap()];
        q.filter.from_year = Some(2017);
        assert_eq!(rows(&panel(&sample(), &q)), ["bilateral/aid 1 4", "multilateral/meeting 1 1"]);
        q.filter.actors = vec![ActorCode::new("TKM").unwrap()];
        assert!(panel(&sample(), &q).rows.is_empty());
    }

    #[test]
    fn weights_parse_and_reject() {
        let w = Weights::parse("meeting=0.5, aid=6").unwrap();
        assert_eq!(w.get(EventType::Meeting), 0.5);
        assert_eq!(w.get(EventType::Aid), 6.0);
        assert_eq!(w.get(EventType::Agreement), 3.0);
        assert!(Weights::parse("summit=1").is_err());
        assert!(Weights::parse("meeting").is_err());
        assert!(Weights::parse("meeting=inf").is_err());
        assert_eq!(cameo_code(EventType::Agreement), ("AGREE", "057", "05"));
    }
}
