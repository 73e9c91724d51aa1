//! The shapes of the JSON API. They are this crate's own (not the store's rows), so that the API
//! is a contract the store can change behind; each has its OpenAPI schema.

use hamkor_store::{AuditEntry, DocumentRecord, EventRow, SearchHit, MATCH_END, MATCH_START};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

/// Range checks of numeric query parameters, for `#[serde(default, deserialize_with = …)]`: a
/// value outside its range is refused with 400, never clamped or passed on.
pub mod range {
    use serde::de::Error;
    use serde::{Deserialize, Deserializer};
    use std::fmt::Display;

    fn within<'de, D, T>(d: D, lo: T, hi: T, what: &str) -> Result<Option<T>, D::Error>
    where
        D: Deserializer<'de>,
        T: Deserialize<'de> + PartialOrd + Display + Copy,
    {
        match Option::<T>::deserialize(d)? {
            Some(v) if v < lo || v > hi => Err(D::Error::custom(format!("{what} {v} is out of range: {lo} to {hi}"))),
            v => Ok(v),
        }
    }

    /// A page number: 1 to 100,000.
    pub fn page<'de, D: Deserializer<'de>>(d: D) -> Result<Option<usize>, D::Error> {
        within(d, 1, super::MAX_PAGE, "page")
    }

    /// Items per page: 1 to 500.
    pub fn per_page<'de, D: Deserializer<'de>>(d: D) -> Result<Option<usize>, D::Error> {
        within(d, 1, super::MAX_PER_PAGE, "per_page")
    }

    /// A year of the study: 1900 to 2100.
    pub fn year<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i32>, D::Error> {
        within(d, 1900, 2100, "year")
    }
}

/// Paging of every list: `page` from 1, `per_page` up to 500 (default 50).
#[derive(Debug, Clone, Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
pub struct Paging {
    /// Page number, 1 to 100,000.
    #[serde(default, deserialize_with = "range::page")]
    pub page: Option<usize>,
    /// Items per page, 1 to 500 (default 50).
    #[serde(default, deserialize_with = "range::per_page")]
    pub per_page: Option<usize>,
}

pub const MAX_PAGE: usize = 100_000;

pub const MAX_PER_PAGE: usize = 500;

impl Paging {
    pub fn page(&self) -> usize {
        self.page.unwrap_or(1).max(1)
    }
    pub fn per_page(&self) -> usize {
        self.per_page.unwrap_or(50).clamp(1, MAX_PER_PAGE)
    }
    pub fn offset(&self) -> usize {
        (self.page() - 1).saturating_mul(self.per_page())
    }
}

/// Where a list is: items of this page, and whether there is a next one.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PageInfo {
    pub page: usize,
    pub per_page: usize,
    pub has_more: bool,
}

/// The filters of `hamkor events`, as query parameters.
#[derive(Debug, Clone, Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
pub struct EventQuery {
    /// Events involving all of these actors (comma-separated codes: UZB,KAZ).
    pub actor: Option<String>,
    /// Events involving both actors of a pair: KAZ,UZB (also KAZ-UZB).
    pub pair: Option<String>,
    /// agreement, ratification, partnership, meeting, aid, joint_activity, institution.
    #[serde(rename = "type")]
    #[param(rename = "type")]
    pub event_type: Option<String>,
    /// education, health, culture, disaster, migration, water, borders, transport, economy, political.
    pub domain: Option<String>,
    /// From this date on: YYYY, YYYY-MM or YYYY-MM-DD.
    pub from: Option<String>,
    /// Up to the end of this date: YYYY, YYYY-MM or YYYY-MM-DD.
    pub to: Option<String>,
    /// Only events from documents in this language (en ru uz kk ky tg tk).
    pub lang: Option<String>,
    /// Only events of this document.
    pub document: Option<i64>,
    /// Only events from documents one of whose sources (path or URL) contains this text.
    pub source: Option<String>,
    /// reviewed or unreviewed.
    pub review: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Evidence {
    /// Byte offsets into the document's original UTF-8 text.
    pub start: usize,
    pub end: usize,
    /// The text of the span.
    pub text: String,
}

/// A coded event: one report of a happening in one document.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EventOut {
    pub id: i64,
    pub document_id: i64,
    pub document_title: Option<String>,
    pub lang: String,
    #[serde(rename = "type")]
    #[schema(rename = "type")]
    pub event_type: String,
    pub actors: Vec<String>,
    pub domains: Vec<String>,
    /// The date the text gives, at its precision.
    pub date: Option<String>,
    /// The document's publication date, for events the text does not date.
    pub document_date: Option<String>,
    pub evidence: Evidence,
    pub confidence: f64,
    pub lexicon: String,
}

impl From<EventRow> for EventOut {
    fn from(e: EventRow) -> EventOut {
        EventOut {
            id: e.id,
            document_id: e.document_id,
            document_title: e.document_title,
            lang: e.lang,
            event_type: e.event_type,
            actors: e.actors,
            domains: e.domains,
            date: e.date,
            document_date: e.document_date,
            evidence: Evidence { start: e.evidence_start, end: e.evidence_end, text: e.evidence },
            confidence: e.confidence,
            lexicon: e.lexicon,
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EventList {
    pub items: Vec<EventOut>,
    #[serde(flatten)]
    pub paging: PageInfo,
}

/// One row of the audit log: who changed what, when, from what to what, and why.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AuditOut {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub object: String,
    #[schema(value_type = Option<Object>)]
    pub before: Option<Value>,
    #[schema(value_type = Option<Object>)]
    pub after: Option<Value>,
    pub reason: Option<String>,
}

impl From<AuditEntry> for AuditOut {
    fn from(a: AuditEntry) -> AuditOut {
        AuditOut {
            id: a.id,
            at: a.at,
            actor: a.actor,
            action: a.action,
            object: a.object,
            before: a.before,
            after: a.after,
            reason: a.reason,
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AuditList {
    pub items: Vec<AuditOut>,
    #[serde(flatten)]
    pub paging: PageInfo,
}

/// An event with its review state.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EventDetail {
    pub event: EventOut,
    /// A reviewer accepted or edited it.
    pub reviewed: bool,
    /// The id of its latest audit row (0: untouched); send it back as `revision` to refuse
    /// overwriting a change you have not seen.
    pub revision: i64,
    pub history: Vec<AuditOut>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SourceOut {
    pub location: String,
    pub external_id: Option<String>,
    pub first_seen: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DocumentOut {
    pub id: i64,
    pub content_hash: String,
    pub title: Option<String>,
    pub published: Option<String>,
    pub lang: String,
    pub script: String,
    pub format: String,
    pub ingested_at: String,
    pub coded_with: Option<String>,
    pub text: String,
    pub sources: Vec<SourceOut>,
    pub events: Vec<EventOut>,
}

impl From<DocumentRecord> for DocumentOut {
    fn from(d: DocumentRecord) -> DocumentOut {
        DocumentOut {
            id: d.id,
            content_hash: d.content_hash,
            title: d.title,
            published: d.published,
            lang: d.lang,
            script: d.script,
            format: d.format,
            ingested_at: d.ingested_at,
            coded_with: d.coded_with,
            text: d.text,
            sources: d
                .sources
                .into_iter()
                .map(|s| SourceOut { location: s.location, external_id: s.external_id, first_seen: s.first_seen })
                .collect(),
            events: d.events.into_iter().map(EventOut::from).collect(),
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DocumentSummaryOut {
    pub id: i64,
    pub title: Option<String>,
    pub published: Option<String>,
    pub lang: String,
    pub format: String,
    pub events: u64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DocumentList {
    pub items: Vec<DocumentSummaryOut>,
    #[serde(flatten)]
    pub paging: PageInfo,
}

#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DocumentQuery {
    /// Only documents in this language.
    pub lang: Option<String>,
}

#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQueryIn {
    /// Words to find (all must match; end a word with * for a prefix). Uzbek in either script
    /// finds both.
    pub q: String,
    /// Only documents in this language.
    pub lang: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SearchHitOut {
    pub id: i64,
    pub title: Option<String>,
    pub lang: String,
    pub format: String,
    pub published: Option<String>,
    /// Words around the match; matched words are marked [[like this]].
    pub snippet: String,
    /// BM25 rank, smaller is better.
    pub rank: f64,
}

impl From<SearchHit> for SearchHitOut {
    fn from(h: SearchHit) -> SearchHitOut {
        SearchHitOut {
            id: h.id,
            title: h.title,
            lang: h.lang,
            format: h.format,
            published: h.published,
            snippet: h.snippet.replace(MATCH_START, "[[").replace(MATCH_END, "]]"),
            rank: h.rank,
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SearchList {
    pub items: Vec<SearchHitOut>,
    #[serde(flatten)]
    pub paging: PageInfo,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DyadOut {
    pub a: String,
    pub b: String,
    pub events: u64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReviewCounts {
    pub to_review: u64,
    pub reviewed: u64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StatsOut {
    pub documents: u64,
    pub events: u64,
    pub sources: u64,
    pub failed_files: u64,
    pub events_by_type: std::collections::BTreeMap<String, u64>,
    pub documents_by_language: std::collections::BTreeMap<String, u64>,
    pub documents_by_format: std::collections::BTreeMap<String, u64>,
    pub documents_by_lexicon: std::collections::BTreeMap<String, u64>,
    pub top_dyads: Vec<DyadOut>,
    pub review: ReviewCounts,
}

/// Accept an event as coded.
#[derive(Debug, Clone, Deserialize, ToSchema, Default)]
pub struct AcceptIn {
    pub reason: Option<String>,
    /// The revision you saw (from GET /api/events/{id}); refused with 409 if it changed since.
    pub revision: Option<i64>,
}

/// Correct an event. Absent fields stay as they are.
#[derive(Debug, Clone, Deserialize, ToSchema, Default)]
pub struct EditIn {
    #[serde(rename = "type")]
    #[schema(rename = "type")]
    pub event_type: Option<String>,
    pub actors: Option<Vec<String>>,
    pub domains: Option<Vec<String>>,
    /// YYYY, YYYY-MM or YYYY-MM-DD; "" removes the event's own date.
    pub date: Option<String>,
    pub reason: Option<String>,
    pub revision: Option<i64>,
}

/// Reject an event: it is not in the text. The reason is required.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct RejectIn {
    pub reason: String,
    pub revision: Option<i64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DecisionOut {
    pub audit: AuditOut,
}

/// One reviewer's independent coding of one unit (a report's evidence span).
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct CodingIn {
    pub document_id: i64,
    pub evidence_start: usize,
    pub evidence_end: usize,
    /// An event type, or "none" when the sentence reports no event.
    #[serde(rename = "type")]
    #[schema(rename = "type")]
    pub event_type: String,
    #[serde(default)]
    pub actors: Vec<String>,
    #[serde(default)]
    pub domains: Vec<String>,
    pub date: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CodingOut {
    pub document_id: i64,
    pub evidence_start: usize,
    pub evidence_end: usize,
    pub reviewer: String,
    #[serde(rename = "type")]
    #[schema(rename = "type")]
    pub event_type: String,
    pub actors: Vec<String>,
    pub domains: Vec<String>,
    pub date: Option<String>,
    pub at: String,
}

impl From<hamkor_store::Coding> for CodingOut {
    fn from(c: hamkor_store::Coding) -> CodingOut {
        CodingOut {
            document_id: c.document_id,
            evidence_start: c.evidence_start,
            evidence_end: c.evidence_end,
            reviewer: c.reviewer,
            event_type: c.event_type,
            actors: c.actors,
            domains: c.domains,
            date: c.date,
            at: c.at,
        }
    }
}

#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CodingQuery {
    /// Only codings of this document.
    pub document: Option<i64>,
}

#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQueryIn {
    /// Only rows about this object: event:12, document:7, canonical:3.
    pub object: Option<String>,
    /// Only rows by this reviewer.
    pub actor: Option<String>,
}
