//! Reads for the analysis, the report and the exports: canonical events with their reports,
//! the documents they cite, and the agreements whose follow-through is measured.
//!
//! Canonical events come from the registry ([`SqliteStore::canonical_events`], which merges the
//! reports of one happening); [`SqliteStore::analysis_events_unmerged`] gives every coded event
//! as its own canonical event, for comparing counts before and after merging.

use crate::{EventFilter, EventRow, Result, SqliteStore, Store};
use hamkor_model::{CanonicalEvent, DocumentRef, ReportRef};
use hamkor_model::{ActorCode, Domain, EventType, PartialDate, Span};
use std::collections::HashMap;

fn corrupt(what: &str, e: impl std::fmt::Display) -> crate::Error {
    crate::Error::Corrupt(format!("{what}: {e}"))
}

impl SqliteStore {
    /// Where [`SqliteStore::analysis_events`] takes its canonical events from: `registry`
    /// (reports of one happening merged) or `coded_events` (each coded event on its own).
    pub fn analysis_origin(&self) -> &'static str {
        "registry"
    }

    /// The canonical events that pass `filter` (the filters of `hamkor events`), sorted by date
    /// then id, each with its reports and their evidence sentences (two queries in all). An
    /// event no report dates takes the earliest publication date of its reports' documents.
    pub fn analysis_events(&self, filter: &EventFilter) -> Result<Vec<CanonicalEvent>> {
        self.canonical_events(filter)
    }

    /// [`SqliteStore::analysis_events`] for counting (panels, comparisons, networks): the same
    /// events, reports and order; each report with its event id, document, language and
    /// publication date, its evidence an empty span at the evidence's start, its evidence
    /// sentence and source left empty (counting reads none of them). Read by scanning indexes,
    /// not by a look-up per report.
    pub fn analysis_events_for_counts(&self, filter: &EventFilter) -> Result<Vec<CanonicalEvent>> {
        self.canonical_events_for_counts(filter)
    }

    /// Every coded event as its own canonical event (no merging), with the same filter.
    pub fn analysis_events_unmerged(&self, filter: &EventFilter) -> Result<Vec<CanonicalEvent>> {
        let first_source = self.first_sources()?;
        let mut out = Vec::new();
        self.for_each_event(filter, &mut |row: EventRow| {
            out.push(event_from_row(row, &first_source)?);
            Ok(())
        })?;
        hamkor_model::sort_events(&mut out);
        Ok(out)
    }

    /// The first recorded source of every document.
    fn first_sources(&self) -> Result<HashMap<i64, String>> {
        let mut st = self.conn.prepare("SELECT document_id, location FROM sources ORDER BY document_id, id")?;
        let mut rows = st.query([])?;
        let mut map = HashMap::new();
        while let Some(r) = rows.next()? {
            map.entry(r.get::<_, i64>(0)?).or_insert(r.get::<_, String>(1)?);
        }
        Ok(map)
    }

    /// The documents with these ids, sorted by id, with all their sources.
    pub fn analysis_documents(&self, ids: &[i64]) -> Result<Vec<DocumentRef>> {
        let mut ids = ids.to_vec();
        ids.sort_unstable();
        ids.dedup();
        let mut doc = self
            .conn
            .prepare_cached("SELECT id, title, published, lang, format, content_hash FROM documents WHERE id = ?1")?;
        let mut src = self.conn.prepare_cached("SELECT location FROM sources WHERE document_id = ?1 ORDER BY id")?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            let found = doc.query_row([id], |r| {
                Ok(DocumentRef {
                    id: r.get(0)?,
                    title: r.get(1)?,
                    published: r.get(2)?,
                    lang: r.get(3)?,
                    format: r.get(4)?,
                    content_hash: r.get(5)?,
                    sources: vec![],
                })
            });
            let mut d = match found {
                Ok(d) => d,
                Err(rusqlite::Error::QueryReturnedNoRows) => continue,
                Err(e) => return Err(e.into()),
            };
            d.sources = src.query_map([id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
            out.push(d);
        }
        Ok(out)
    }

    /// The canonical `agreement` events linked to each agreement, by agreement id.
    pub fn agreement_signings(&self) -> Result<std::collections::BTreeMap<String, Vec<i64>>> {
        let mut st = self.conn.prepare_cached(
            "SELECT agreement, id FROM canonical_events
             WHERE agreement IS NOT NULL AND type = 'agreement' AND reports > 0 ORDER BY agreement, id",
        )?;
        let mut out: std::collections::BTreeMap<String, Vec<i64>> = Default::default();
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            out.entry(r.get(0)?).or_default().push(r.get(1)?);
        }
        Ok(out)
    }
}

fn event_from_row(row: EventRow, first_source: &HashMap<i64, String>) -> Result<CanonicalEvent> {
    let mut actors = row
        .actors
        .iter()
        .map(|a| ActorCode::new(a).map_err(|e| corrupt("event actor", e)))
        .collect::<Result<Vec<_>>>()?;
    actors.sort_unstable();
    actors.dedup();
    let mut domains = row
        .domains
        .iter()
        .map(|d| d.parse::<Domain>().map_err(|e| corrupt("event domain", e)))
        .collect::<Result<Vec<_>>>()?;
    domains.sort_unstable();
    domains.dedup();
    let parse_date = |s: &Option<String>| -> Result<Option<PartialDate>> {
        s.as_deref().map(|d| d.parse::<PartialDate>().map_err(|e| corrupt("date", e))).transpose()
    };
    let own = parse_date(&row.date)?;
    let date = match own {
        Some(d) => Some(d),
        None => parse_date(&row.document_date)?,
    };
    Ok(CanonicalEvent {
        id: row.id,
        event_type: row.event_type.parse::<EventType>().map_err(|e| corrupt("event type", e))?,
        actors,
        domains,
        date_from_document: own.is_none() && date.is_some(),
        date,
        agreement: None,
        format: None,
        reports: vec![ReportRef {
            event_id: row.id,
            document_id: row.document_id,
            evidence: Span::new(row.evidence_start, row.evidence_end.max(row.evidence_start)),
            lang: row.lang,
            source: first_source.get(&row.document_id).cloned().unwrap_or_default(),
            evidence_text: row.evidence,
            published: parse_date(&row.document_date)?,
        }],
    })
}
