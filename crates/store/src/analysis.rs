//! Reads for the analysis, the report and the exports: canonical events with their reports,
//! the documents they cite, and the agreements whose follow-through is measured.
//!
//! Canonical events come from the registry ([`SqliteStore::canonical_events`], which merges the
//! reports of one happening); [`SqliteStore::analysis_events_unmerged`] gives every coded event
//! as its own canonical event, for comparing counts before and after merging.

use crate::{EventFilter, EventRow, Result, SqliteStore, Store};
use hamkor_analysis::{AnalysisEvent, DocumentRef, Report};
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
    /// then id, each with its reports and their evidence sentences. An event no report dates
    /// takes the earliest publication date of its reports' documents.
    pub fn analysis_events(&self, filter: &EventFilter) -> Result<Vec<AnalysisEvent>> {
        let canonical = self.canonical_events(filter)?;
        let mut evidence = self.conn.prepare_cached(
            "SELECT CAST(substr(CAST(d.text AS BLOB), e.evidence_start + 1, e.evidence_end - e.evidence_start) AS TEXT),
                    d.published
             FROM events e JOIN documents d ON d.id = e.document_id WHERE e.id = ?1",
        )?;
        let mut out = Vec::with_capacity(canonical.len());
        for c in canonical {
            let mut reports = Vec::with_capacity(c.reports.len());
            let mut doc_date: Option<PartialDate> = None;
            for r in c.reports {
                let (text, published): (Option<String>, Option<String>) =
                    evidence.query_row([r.event_id], |row| Ok((row.get(0)?, row.get(1)?)))?;
                if let Some(p) = published.as_deref().and_then(|p| p.parse::<PartialDate>().ok()) {
                    if doc_date.is_none_or(|d| p.to_days() < d.to_days()) {
                        doc_date = Some(p);
                    }
                }
                reports.push(Report {
                    event_id: r.event_id,
                    document_id: r.document_id,
                    evidence: r.evidence,
                    lang: r.lang,
                    source: r.source.unwrap_or_default(),
                    evidence_text: text.unwrap_or_default(),
                    published: published.as_deref().and_then(|p| p.parse().ok()),
                });
            }
            out.push(AnalysisEvent {
                id: c.id,
                event_type: c.event_type,
                actors: c.actors,
                domains: c.domains,
                date_from_document: c.date.is_none() && doc_date.is_some(),
                date: c.date.or(doc_date),
                agreement: c.agreement,
                format: c.format,
                reports,
            });
        }
        hamkor_analysis::sort_events(&mut out);
        Ok(out)
    }

    /// Every coded event as its own canonical event (no merging), with the same filter.
    pub fn analysis_events_unmerged(&self, filter: &EventFilter) -> Result<Vec<AnalysisEvent>> {
        let first_source = self.first_sources()?;
        let mut out = Vec::new();
        self.for_each_event(filter, &mut |row: EventRow| {
            out.push(event_from_row(row, &first_source)?);
            Ok(())
        })?;
        hamkor_analysis::sort_events(&mut out);
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

    /// The registry's agreements (built-in, the user's own, with the user's corrections), each
    /// with the canonical `agreement` events linked to it.
    pub fn analysis_agreements(&self) -> Result<Vec<hamkor_analysis::Agreement>> {
        let reg = self.registry()?;
        let mut st = self.conn.prepare_cached(
            "SELECT id FROM canonical_events WHERE agreement = ?1 AND type = 'agreement' AND reports > 0 ORDER BY id",
        )?;
        let mut out = Vec::with_capacity(reg.agreements.len());
        for a in &reg.agreements {
            let event_ids = st.query_map([&a.id], |r| r.get(0))?.collect::<rusqlite::Result<Vec<i64>>>()?;
            let mut parties = a.parties.clone();
            parties.sort_unstable();
            parties.dedup();
            let mut domains = a.domains.clone();
            domains.sort_unstable();
            domains.dedup();
            out.push(hamkor_analysis::Agreement {
                id: a.id.clone(),
                name: a.name_en.clone(),
                signed: a.signed,
                parties,
                domains,
                event_ids,
                origin: "registry".into(),
            });
        }
        out.sort_by(|x, y| x.id.cmp(&y.id));
        Ok(out)
    }
}

fn event_from_row(row: EventRow, first_source: &HashMap<i64, String>) -> Result<AnalysisEvent> {
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
    Ok(AnalysisEvent {
        id: row.id,
        event_type: row.event_type.parse::<EventType>().map_err(|e| corrupt("event type", e))?,
        actors,
        domains,
        date_from_document: own.is_none() && date.is_some(),
        date,
        agreement: None,
        format: None,
        reports: vec![Report {
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
