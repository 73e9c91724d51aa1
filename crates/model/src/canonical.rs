//! Canonical events: one happening with every report of it. Counts in hamkor are of these.
//!
//! The store keeps them (`crates/store`), the registry's stage builds them from coded events
//! (`crates/registry`), the analysis counts them (`crates/analysis`), the exports, the report and
//! the dashboard show them. This is the one definition all of them use.

use crate::{ActorCode, Domain, EventType, PartialDate, Span};
use serde::{Deserialize, Serialize};

/// One report of a canonical event: a coded event in one document, with its evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportRef {
    /// The coded event's row id.
    pub event_id: i64,
    pub document_id: i64,
    /// Byte offsets of the evidence in the document's original text.
    pub evidence: Span,
    /// Language of the document.
    pub lang: String,
    /// Where the document came from (the first source: a path, `path:line` or a URL).
    pub source: String,
    /// The evidence sentence(s), cut from the document text by `evidence`.
    #[serde(default)]
    pub evidence_text: String,
    /// The document's publication date, when known.
    #[serde(default)]
    pub published: Option<PartialDate>,
}

/// A canonical event: one happening, with every report of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CanonicalEvent {
    pub id: i64,
    #[serde(rename = "type")]
    pub event_type: EventType,
    /// The union of its reports' actors; sorted, unique.
    pub actors: Vec<ActorCode>,
    /// The union of its reports' domains; sorted, unique.
    pub domains: Vec<Domain>,
    /// The most precise date its reports give; for an event no report dates, the earliest
    /// publication date of its reports' documents (then `date_from_document` is true); `None`
    /// when neither is known.
    pub date: Option<PartialDate>,
    #[serde(default)]
    pub date_from_document: bool,
    /// The registry agreement the event reports, when linked.
    #[serde(default)]
    pub agreement: Option<String>,
    /// The multilateral format the event belongs to (a Consultative Meeting), when linked.
    #[serde(default)]
    pub format: Option<String>,
    /// Sorted by document id, then evidence start.
    pub reports: Vec<ReportRef>,
}

impl CanonicalEvent {
    /// The calendar year of the event's date.
    pub fn year(&self) -> Option<i32> {
        self.date.map(|d| d.year)
    }

    /// Bilateral: exactly two actors, both states, and no multilateral format. Everything else
    /// (three or more actors, an organisation or group as a party, a format) is multilateral.
    pub fn is_multilateral(&self) -> bool {
        self.format.is_some() || self.actors.len() > 2 || self.actors.iter().any(|a| !is_state(a))
    }

    /// The distinct languages of the event's reports, sorted.
    pub fn languages(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self.reports.iter().map(|r| r.lang.as_str()).collect();
        v.sort_unstable();
        v.dedup();
        v
    }
}

/// Events sorted the way every output lists them: by date (undated last), then id.
pub fn sort_events(events: &mut [CanonicalEvent]) {
    events.sort_by(|x, y| {
        let kx = (x.date.is_none(), x.date.map(|d| d.to_days()), x.id);
        let ky = (y.date.is_none(), y.date.map(|d| d.to_days()), y.id);
        kx.cmp(&ky)
    });
}

/// A document as a report's references list cites it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentRef {
    pub id: i64,
    pub title: Option<String>,
    pub published: Option<String>,
    pub lang: String,
    pub format: String,
    pub content_hash: String,
    /// Every place the document was found, in the order they were recorded.
    pub sources: Vec<String>,
}

/// Organisations and groups of `../shared/spec/events.md` and `lexicon/actors.toml` (kinds
/// `organisation` and `group`). Every other code is taken to be a state (ISO 3166-1 alpha-3).
pub const NON_STATE_CODES: &[&str] = &[
    "ADB", "AIIB", "CAREC", "CAS", "CICA", "CIS", "CSTO", "EAEU", "EBRD", "ECO", "EDB", "EU", "GAVI", "GCC", "ICRC",
    "IFAS", "IOM", "ISDB", "OECD", "OSCE", "OTS", "SCO", "UN", "UNDP", "UNESCO", "UNHCR", "UNICEF", "UNRCCA", "WB",
    "WHO",
];

/// A state (not an organisation or a group).
pub fn is_state(a: &ActorCode) -> bool {
    NON_STATE_CODES.binary_search(&a.as_str()).is_err()
}
