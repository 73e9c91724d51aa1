//! The storage seam of hamkor: what the rest of the system may ask of a store, and the embedded
//! SQLite implementation behind it.
//!
//! Everything outside this crate talks to the [`Store`] trait, so that a server database can be
//! added later without touching the coder or the ingest pipeline. The trait is deliberately
//! narrow: writes go through [`Store::apply`], a list of [`WriteOp`]s applied in **one
//! transaction** (a document, its sources and its events are stored together or not at all), and
//! reads are the handful of queries the commands need.
//!
//! Invariants the implementation keeps:
//! - a document is identified by the SHA-256 of its extracted text; storing it again only adds a
//!   source;
//! - a document's events are always those of exactly one lexicon version, `coded_with`;
//! - the full-text index is updated in the same transaction as the document.

use hamkor_model::{Event, PartialDate};
pub use hamkor_model::{CanonicalEvent, DocumentRef, ReportRef};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::PathBuf;

mod analysis;
mod event_rows;
mod gold;
mod import;
mod imported;
mod limits;
mod migrations;
mod qda;
mod registry;
mod review;
mod sqlite;
mod version;

pub use gold::ReviewedDocument;
pub use review::{
    AuditEntry, AuditQuery, Coding, Decision, DocumentListing, EventEdit, EventReview, NewAudit, TokenRow,
};
pub use registry::{CanonicalDetail, RegistryStatus, ReportDetail, ReviewOutcome};
pub use limits::Limits;
pub use qda::{CodedDocument, CodedEvent, CodingImport, DocumentText, UnitCoding};
pub use imported::{ImportedCounts, ImportedQuery};
pub use version::VersionWatch;
pub use sqlite::{SqliteStore, MAX_PREFIX_WORDS, MAX_SEARCH_WORDS, MIN_PREFIX_CHARS};

/// Everything that can go wrong in a store.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot open the store at {path}: {source}")]
    Open { path: PathBuf, source: rusqlite::Error },
    #[error(
        "the store at {path} has schema version {found}, newer than this hamkor knows ({known}); \
         use a newer hamkor"
    )]
    SchemaTooNew { path: PathBuf, found: i64, known: i64 },
    #[error("migration {version} ({name}) failed: {source}")]
    Migration { version: i64, name: &'static str, source: rusqlite::Error },
    #[error("store: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("bad search query: {0}")]
    BadQuery(String),
    #[error("unreadable value in the store: {0}")]
    Corrupt(String),
}

impl Error {
    /// A statement ended early by its [`Limits`] (a deadline, a stop flag): not a failure of
    /// the store.
    pub fn is_interrupted(&self) -> bool {
        matches!(self, Error::Sqlite(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::OperationInterrupted))
    }
}

pub type Result<T> = std::result::Result<T, Error>;

/// Row id of a document.
pub type DocId = i64;

/// Where a document came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Source {
    /// An absolute file path, `path:line` for a line of a JSON lines file, or a feed item's link.
    pub location: String,
    /// The id the source gave the document (a JSON line's `id`, a feed item's id).
    pub external_id: Option<String>,
}

/// A document as extracted and coded, ready to store.
#[derive(Debug, Clone)]
pub struct NewDocument {
    /// Hex SHA-256 of `text`.
    pub content_hash: String,
    pub title: Option<String>,
    pub published: Option<PartialDate>,
    pub lang: String,
    pub script: String,
    pub format: String,
    pub text: String,
    pub source: Source,
    /// The coder's events for `text`; stored only if the document is new.
    pub events: Vec<Event>,
    /// The lexicon version that produced `events`.
    pub lexicon: String,
}

/// One change to the store. [`Store::apply`] applies a slice of them in one transaction.
#[derive(Debug, Clone)]
pub enum WriteOp {
    /// Store a document with its source and events; if its hash is known, only add the source.
    Document(Box<NewDocument>),
    /// Add a source to a document already stored (found by hash before coding, to save the work).
    Source { content_hash: String, source: Source },
    /// Forget the failures recorded for `path` by earlier runs: it is being read again.
    FileStart { path: String },
    /// Every document of the file is stored: later runs may skip it while mtime and size match.
    FileDone { path: String, mtime_ns: i64, size: u64, documents: u64 },
    /// A file (item `""`) or an item inside it (a line, a feed entry) could not be ingested.
    Failure { path: String, item: String, reason: String },
    /// A failure that later runs should not retry while the file is unchanged (a run stopped
    /// inside it, or it ran out of a time or memory budget): recorded as a failure, and
    /// returned by [`Store::quarantined`] until the file is read again ([`WriteOp::FileStart`]).
    Quarantine { path: String, item: String, mtime_ns: i64, size: u64, reason: String },
    /// Replace a document's events with a new lexicon's.
    Recoded { document_id: DocId, events: Vec<Event>, lexicon: String },
}

/// What one [`Store::apply`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Applied {
    pub documents_added: u64,
    /// Documents whose hash was already stored (only a source was added, if new).
    pub documents_known: u64,
    pub sources_added: u64,
    pub events_added: u64,
    pub failures: u64,
    pub recoded: u64,
}

impl Applied {
    pub fn add(&mut self, o: Applied) {
        self.documents_added += o.documents_added;
        self.documents_known += o.documents_known;
        self.sources_added += o.sources_added;
        self.events_added += o.events_added;
        self.failures += o.failures;
        self.recoded += o.recoded;
    }
}

/// A document whose events are not from the current lexicon.
#[derive(Debug, Clone)]
pub struct RecodeItem {
    pub id: DocId,
    pub text: String,
    pub lang: String,
    pub published: Option<PartialDate>,
}

/// A full-text query. Words are ANDed; a word ending in `*` matches as a prefix.
#[derive(Debug, Clone)]
pub struct SearchQuery {
    pub text: String,
    pub limit: usize,
    pub lang: Option<String>,
}

/// Marks the start and end of a matched word in [`SearchHit::snippet`].
pub const MATCH_START: char = '\u{2}';
pub const MATCH_END: char = '\u{3}';

#[derive(Debug, Clone, Serialize)]
pub struct SearchHit {
    pub id: DocId,
    pub title: Option<String>,
    pub lang: String,
    pub format: String,
    pub published: Option<String>,
    /// A few words around the match, matched words between [`MATCH_START`] and [`MATCH_END`].
    pub snippet: String,
    /// BM25 rank, smaller is better.
    pub rank: f64,
}

/// The one filter of events (`hamkor_model::Filter`, parsed by `hamkor_model::FilterInput`):
/// the store turns it into its queries.
pub type EventFilter = hamkor_model::Filter;

#[derive(Debug, Clone, Serialize)]
pub struct EventRow {
    pub id: i64,
    pub document_id: DocId,
    pub document_title: Option<String>,
    pub lang: String,
    #[serde(rename = "type")]
    pub event_type: String,
    pub actors: Vec<String>,
    pub domains: Vec<String>,
    pub date: Option<String>,
    /// The document's publication date, for events the text does not date.
    pub document_date: Option<String>,
    pub evidence_start: usize,
    pub evidence_end: usize,
    /// The text of the evidence span.
    pub evidence: String,
    pub confidence: f64,
    pub lexicon: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SourceRow {
    pub location: String,
    pub external_id: Option<String>,
    pub first_seen: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct DocumentRecord {
    pub id: DocId,
    pub content_hash: String,
    pub title: Option<String>,
    pub published: Option<String>,
    pub lang: String,
    pub script: String,
    pub format: String,
    pub ingested_at: String,
    pub coded_with: Option<String>,
    pub coded_at: Option<String>,
    pub text: String,
    pub sources: Vec<SourceRow>,
    pub events: Vec<EventRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FailureRow {
    pub path: String,
    pub item: String,
    pub reason: String,
    pub at: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Dyad {
    pub a: String,
    pub b: String,
    pub events: u64,
}

/// Counts of what the store holds (`hamkor stats`).
#[derive(Debug, Clone, Serialize)]
pub struct Stats {
    pub documents: u64,
    pub events: u64,
    /// Files (or streams) with at least one failure at their latest ingest.
    pub failed_files: u64,
    pub sources: u64,
    pub events_by_type: BTreeMap<String, u64>,
    pub documents_by_language: BTreeMap<String, u64>,
    pub documents_by_format: BTreeMap<String, u64>,
    /// Documents per lexicon version that coded them (`"none"` for never coded).
    pub documents_by_lexicon: BTreeMap<String, u64>,
    /// The most frequent pairs of actors in events, most frequent first.
    pub top_dyads: Vec<Dyad>,
    /// Events imported from other datasets (`hamkor import gdelt|acled`), per source.
    pub imported: BTreeMap<String, u64>,
}

/// The storage seam. Implementations must make [`Store::apply`] atomic.
pub trait Store: Send {
    /// Another handle on the same store, for use on another thread (e.g. a reader beside the
    /// writer).
    fn another(&self) -> Result<Box<dyn Store>>;

    /// Apply the operations in order, in one transaction: all of them or none.
    fn apply(&mut self, ops: &[WriteOp]) -> Result<Applied>;

    /// True when `path` was fully ingested with this mtime and size.
    fn file_unchanged(&self, path: &str, mtime_ns: i64, size: u64) -> Result<bool>;

    /// Items (`""` for the whole file, or a range of lines) quarantined for `path` with this
    /// mtime and size, with their reasons.
    fn quarantined(&self, path: &str, mtime_ns: i64, size: u64) -> Result<Vec<(String, String)>>;

    fn document_id_by_hash(&self, content_hash: &str) -> Result<Option<DocId>>;

    /// Up to `limit` documents with id > `after` whose events are not from `lexicon`, by id.
    fn documents_to_recode(&self, lexicon: &str, after: DocId, limit: usize) -> Result<Vec<RecodeItem>>;

    fn count_to_recode(&self, lexicon: &str) -> Result<u64>;

    fn search(&self, query: &SearchQuery) -> Result<Vec<SearchHit>>;

    /// Calls `each` for every matching event, ordered by date then id; stops at its first error.
    fn for_each_event(&self, filter: &EventFilter, each: &mut dyn FnMut(EventRow) -> Result<()>) -> Result<()>;

    /// A document by id, by content-hash prefix (at least 6 hex digits) or by source location.
    fn find_document(&self, reference: &str) -> Result<Option<DocumentRecord>>;

    fn stats(&self) -> Result<Stats>;

    /// The most recent failures, newest first.
    fn failures(&self, limit: usize) -> Result<Vec<FailureRow>>;
}

/// The first and last day a partial date covers, as `YYYY-MM-DD`.
pub fn date_bounds(d: &PartialDate) -> (String, String) {
    let lo = format!("{:04}-{:02}-{:02}", d.year, d.month.unwrap_or(1), d.day.unwrap_or(1));
    let hi_month = d.month.unwrap_or(12);
    let hi_day = d.day.unwrap_or_else(|| hamkor_model::days_in_month(d.year, hi_month));
    let hi = format!("{:04}-{:02}-{:02}", d.year, hi_month, hi_day);
    (lo, hi)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_bounds_cover_the_period() {
        let b = |s: &str| date_bounds(&s.parse().unwrap());
        assert_eq!(b("2022"), ("2022-01-01".into(), "2022-12-31".into()));
        assert_eq!(b("2024-02"), ("2024-02-01".into(), "2024-02-29".into()));
        assert_eq!(b("2023-02"), ("2023-02-01".into(), "2023-02-28".into()));
        assert_eq!(b("2022-06-15"), ("2022-06-15".into(), "2022-06-15".into()));
    }
}
