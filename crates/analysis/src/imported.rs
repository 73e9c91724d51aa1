//! Cooperation against conflict: panels of the events imported from GDELT and ACLED, and a
//! pair's coded cooperation beside them, year by year, with the ids behind every count.
//!
//! Imported events are not canonical events: they have no reports and no domains, and their
//! types are the datasets' (mapped to ours where one fits, "other" elsewhere). So they are counted
//! here, apart, by the dimensions they have.

use crate::{Error, Result};
use hamkor_model::{ImportSource, ImportedEvent};
use serde::Serialize;
use std::collections::BTreeMap;

/// A dimension of a panel of imported events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ImportedDim {
    /// Each pair of the event's actors (events with one actor have none).
    Dyad,
    /// Each actor.
    Actor,
    Year,
    Month,
    /// Our type, or `other`.
    Type,
    /// The dataset's own code: the CAMEO event code (GDELT), the event type (ACLED).
    Code,
}

impl ImportedDim {
    pub fn parse(s: &str) -> Result<ImportedDim> {
        Ok(match s.trim() {
            "dyad" => ImportedDim::Dyad,
            "actor" => ImportedDim::Actor,
            "year" => ImportedDim::Year,
            "month" => ImportedDim::Month,
            "type" => ImportedDim::Type,
            "code" => ImportedDim::Code,
            other => {
                return Err(Error::BadOption(format!(
                    "{other:?} is not a dimension of imported events (dyad, actor, year, month, type, code)"
                )))
            }
        })
    }
    pub fn name(self) -> &'static str {
        match self {
            ImportedDim::Dyad => "dyad",
            ImportedDim::Actor => "actor",
            ImportedDim::Year => "year",
            ImportedDim::Month => "month",
            ImportedDim::Type => "type",
            ImportedDim::Code => "code",
        }
    }

    fn values(self, e: &ImportedEvent) -> Vec<String> {
        match self {
            ImportedDim::Dyad => {
                let mut v = Vec::new();
                for (i, a) in e.actors.iter().enumerate() {
                    for b in &e.actors[i + 1..] {
                        v.push(format!("{a}-{b}"));
                    }
                }
                v
            }
            ImportedDim::Actor => e.actors.iter().map(|a| a.to_string()).collect(),
            ImportedDim::Year => vec![format!("{:04}", e.date.year)],
            ImportedDim::Month => vec![format!("{:04}-{:02}", e.date.year, e.date.month.unwrap_or(1))],
            ImportedDim::Type => vec![e.type_code().to_string()],
            ImportedDim::Code => vec![e.code.clone()],
        }
    }
}

/// One cell: its key (one value per dimension), how many events, their fatalities (ACLED) and
/// mean Goldstein score (GDELT), and the ids of the events.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImportedRow {
    pub key: Vec<String>,
    pub count: u64,
    pub fatalities: i64,
    pub goldstein: Option<f64>,
    pub ids: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImportedPanel {
    pub columns: Vec<&'static str>,
    pub rows: Vec<ImportedRow>,
}

/// Counts of imported events by `dims`; an event counts in every cell it belongs to (each pair
/// of its actors). Rows sorted by key.
pub fn panel(events: &[ImportedEvent], dims: &[ImportedDim]) -> ImportedPanel {
    let mut cells: BTreeMap<Vec<String>, (u64, i64, f64, u64, Vec<i64>)> = BTreeMap::new();
    for e in events {
        let mut keys: Vec<Vec<String>> = vec![vec![]];
        for d in dims {
            let vals = d.values(e);
            keys = keys.iter().flat_map(|k| vals.iter().map(move |v| [k.clone(), vec![v.clone()]].concat())).collect();
        }
        for k in keys {
            let c = cells.entry(k).or_default();
            c.0 += 1;
            c.1 += e.fatalities.unwrap_or(0);
            if let Some(g) = e.goldstein {
                c.2 += g;
                c.3 += 1;
            }
            c.4.push(e.id);
        }
    }
    ImportedPanel {
        columns: dims.iter().map(|d| d.name()).collect(),
        rows: cells
            .into_iter()
            .map(|(key, (count, fatalities, gsum, gn, ids))| ImportedRow {
                key,
                count,
                fatalities,
                goldstein: (gn > 0).then(|| gsum / gn as f64),
                ids,
            })
            .collect(),
    }
}

/// One year of a pair: the coded cooperation events and the imported events of each source, by id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct YearCounts {
    pub year: i32,
    pub coded: Vec<i64>,
    pub gdelt: Vec<i64>,
    pub acled: Vec<i64>,
}

impl YearCounts {
    pub fn imported(&self, s: ImportSource) -> &[i64] {
        match s {
            ImportSource::Gdelt => &self.gdelt,
            ImportSource::Acled => &self.acled,
        }
    }
}

/// Year by year, coded events (given as `(year, id)`) beside imported ones, every year from the
/// first to the last with any event (years without events are zeros, not gaps).
pub fn against(coded: &[(i32, i64)], imported: &[ImportedEvent]) -> Vec<YearCounts> {
    let years = coded.iter().map(|(y, _)| *y).chain(imported.iter().map(|e| e.date.year));
    let (Some(lo), Some(hi)) = (years.clone().min(), years.max()) else { return vec![] };
    let mut out: Vec<YearCounts> =
        (lo..=hi).map(|year| YearCounts { year, coded: vec![], gdelt: vec![], acled: vec![] }).collect();
    for (y, id) in coded {
        out[(y - lo) as usize].coded.push(*id);
    }
    for e in imported {
        let row = &mut out[(e.date.year - lo) as usize];
        match e.source {
            ImportSource::Gdelt => row.gdelt.push(e.id),
            ImportSource::Acled => row.acled.push(e.id),
        }
    }
    for r in &mut out {
        r.coded.sort_unstable();
        r.gdelt.sort_unstable();
        r.acled.sort_unstable();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use hamkor_model::{ActorCode, PartialDate};

    fn ev(id: i64, source: ImportSource, date: &str, actors: &[&str], code: &str, goldstein: Option<f64>, fatalities: Option<i64>) -> ImportedEvent {
        ImportedEvent {
            id,
            source,
            external_id: id.to_string(),
            date: date.parse::<PartialDate>().unwrap(),
            event_type: None,
            code: code.into(),
            subcode: String::new(),
            actors: actors.iter().map(|a| ActorCode::new(a).unwrap()).collect(),
            actor1: String::new(),
            actor2: String::new(),
            location: String::new(),
            goldstein,
            fatalities,
            source_url: String::new(),
            notes: String::new(),
        }
    }

    #[test]
    fn panels_count_every_pair_and_keep_the_ids() {
        let events = [
            ev(1, ImportSource::Acled, "2021-04-29", &["KGZ", "TJK"], "Battles", None, Some(5)),
            ev(2, ImportSource::Acled, "2021-05-01", &["KGZ", "TJK", "UZB"], "Battles", None, Some(1)),
            ev(3, ImportSource::Gdelt, "2022-01-10", &["UZB"], "040", Some(1.0), None),
            ev(4, ImportSource::Gdelt, "2022-02-10", &["KGZ", "TJK"], "190", Some(-10.0), None),
        ];
        let p = panel(&events, &[ImportedDim::Dyad, ImportedDim::Year]);
        let kt21 = p.rows.iter().find(|r| r.key == ["KGZ-TJK", "2021"]).unwrap();
        assert_eq!((kt21.count, kt21.fatalities, kt21.ids.clone()), (2, 6, vec![1, 2]));
        assert_eq!(p.rows.iter().map(|r| r.count).sum::<u64>(), 2 + 1 + 1 + 1, "event 3 has no pair; event 2 has three");
        let by_type = panel(&events[2..], &[ImportedDim::Type]);
        assert_eq!(by_type.rows[0].goldstein, Some(-4.5));
    }

    #[test]
    fn a_pair_year_by_year_without_gaps() {
        let imported = [
            ev(1, ImportSource::Acled, "2021-04-29", &["KGZ", "TJK"], "Battles", None, Some(5)),
            ev(4, ImportSource::Gdelt, "2024-02-10", &["KGZ", "TJK"], "190", Some(-10.0), None),
        ];
        let s = against(&[(2022, 10), (2022, 11), (2023, 12)], &imported);
        assert_eq!(s.iter().map(|r| r.year).collect::<Vec<_>>(), [2021, 2022, 2023, 2024]);
        assert_eq!(s[1].coded, [10, 11]);
        assert_eq!((s[0].acled.clone(), s[3].gdelt.clone(), s[2].gdelt.len()), (vec![1], vec![4], 0));
    }
}
