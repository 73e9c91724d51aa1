//! The linking stage's vocabulary and its seam.
//!
//! Reports (coded events) are linked to agreements and formats and merged into canonical
//! events by `hamkor-registry` (`hamkor_registry::stage`). The registry decides; a store keeps
//! the rows. [`LinkStore`] is the narrow seam between them: what the stage reads (the reports
//! not linked yet, the candidates a report could join, a canonical event's reports) and what it
//! writes (a link, a canonical event's summary). `hamkor-store` implements it over SQLite; the
//! registry knows no SQL and the store knows no linking rule.
//!
//! The data types here are the ones both sides name: a [`Report`] as the merger sees it, a
//! [`Canonical`] candidate, the [`Summary`] of a canonical event, the [`MergeReason`] kept with
//! every link, and the explanations of an agreement and a format link.

use crate::{ActorCode, Domain, EventType, PartialDate, Span};
use serde::{Deserialize, Serialize};

/// A coded event as the merger sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub event_id: i64,
    pub document_id: i64,
    pub event_type: EventType,
    pub actors: Vec<ActorCode>,
    pub domains: Vec<Domain>,
    pub date: Option<PartialDate>,
    pub agreement: Option<String>,
    pub format: Option<String>,
    pub edition: Option<u32>,
    /// The places its evidence names (`CODE:key`, sorted).
    pub places: Vec<String>,
}

/// A canonical event with its reports, as a candidate for a new report.
#[derive(Debug, Clone, PartialEq)]
pub struct Canonical {
    pub id: i64,
    pub reports: Vec<Report>,
}

/// Why a report is where it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MergeReason {
    /// `same-day`, `within-precision`, `multi-day-meeting`, `aid-in-transit`; `new` (no candidate fitted),
    /// `undated`, `ambiguous`; `review-split`, `review-merge` (a reviewer's decision).
    pub rule: String,
    /// The fields that agreed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub agreed: Vec<String>,
    /// Candidates that were refused, and why (for a new canonical event).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refused: Vec<(i64, String)>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl MergeReason {
    pub fn rule(rule: &str) -> MergeReason {
        MergeReason { rule: rule.into(), agreed: vec![], refused: vec![], note: None }
    }
}

/// What a canonical event says, from its reports.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub event_type: EventType,
    pub actors: Vec<ActorCode>,
    pub domains: Vec<Domain>,
    /// The most precise date of its reports (the most frequent among equals, then the earliest).
    pub date: Option<PartialDate>,
    /// First and last day any report's date covers (days since 1970).
    pub range: Option<(i64, i64)>,
    pub agreement: Option<String>,
    pub format: Option<String>,
    pub edition: Option<u32>,
}

/// Why an event was linked to an agreement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgreementLink {
    pub id: String,
    /// The name that matched, as the registry writes it, and its language.
    pub phrase: String,
    pub lang: String,
    /// The words of the evidence it matched.
    pub matched: String,
    /// How the event's date relates to the agreement's dated steps.
    pub dates: String,
    /// Which of the event's actors are parties.
    pub parties: String,
}

/// Why an event was linked to a format.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormatLink {
    pub id: String,
    pub name: String,
    pub edition: Option<u32>,
    pub edition_date: Option<PartialDate>,
    pub edition_place: Option<String>,
    /// `ordinal "fourth"`, `date`, `participants and date`.
    pub by: String,
    /// The format's name as found in the evidence, when it was.
    pub term: Option<String>,
}

/// What a report is linked to, and the places its evidence names.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Links {
    pub agreement: Option<AgreementLink>,
    pub format: Option<FormatLink>,
    /// Agreements that tied for the link (none was chosen), for the explanation.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ambiguous: Vec<String>,
    /// The places the evidence names: reports that name different places are different
    /// happenings.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub places: Vec<String>,
}

/// A coded `ratification` report linked to an agreement (a step of its lifecycle).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CodedStep {
    pub event_id: i64,
    pub document_id: i64,
    pub date: Option<PartialDate>,
    /// The actor the evidence names first: taken as the ratifying party.
    pub first_actor: Option<ActorCode>,
    pub lang: String,
    pub evidence: String,
}

/// A coded event as the linker needs it: what it says and the words of its evidence.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkInput {
    pub event_id: i64,
    pub document_id: i64,
    pub event_type: EventType,
    pub actors: Vec<ActorCode>,
    pub domains: Vec<Domain>,
    pub date: Option<PartialDate>,
    pub evidence: Span,
    pub evidence_text: String,
}

/// How far the reports are linked, and with which rules (cheap to read: the stage does nothing
/// when nothing is pending).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LinkState {
    /// Coded events.
    pub events: u64,
    /// Coded events with a link.
    pub linked: u64,
    /// Links whose event was edited since (type, actors or date), not pinned by a reviewer.
    pub stale: u64,
    /// Canonical events whose report count is not the number of their links.
    pub uneven: u64,
    /// The registry's data changed since the links were made (a new built-in version, an import).
    pub registry_changed: bool,
    /// The version of the linking rules the links were made with.
    pub link_version: Option<String>,
}

/// What the links were made with, read without counting anything: every command that opens a
/// store asks whether it must be linked again ([`LinkStore::link_rules`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LinkRules {
    /// The store holds at least one coded event.
    pub any_events: bool,
    /// The registry's data changed since the links were made (a new built-in version, an import).
    pub registry_changed: bool,
    /// The version of the linking rules the links were made with.
    pub link_version: Option<String>,
}

/// An automatic (not pinned) link as stored, for comparing with what the linker says now.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredLink {
    pub input: LinkInput,
    pub agreement: Option<String>,
    pub format: Option<String>,
    pub edition: Option<u32>,
    pub canonical: i64,
}

/// A canonical event found by type and dates, before the merger looks at its reports.
#[derive(Debug, Clone, PartialEq)]
pub struct CandidateRow {
    pub id: i64,
    pub actors: Vec<ActorCode>,
    pub agreement: Option<String>,
}

/// A reviewer's decision about a report, kept by the report itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReviewDecision {
    /// The report stands alone.
    Split,
    /// The report joins the canonical event its target report is in now (`None`: the target
    /// report is not linked, or no longer exists).
    Merge(Option<i64>),
}

/// The seam between the linking stage (`hamkor_registry::stage`) and a store. Every method
/// is one small read or write; [`LinkStore::begin`] and [`LinkStore::commit`] bracket the
/// writes the stage wants to happen together.
pub trait LinkStore {
    type Error;

    fn link_state(&self) -> Result<LinkState, Self::Error>;
    /// The part of [`LinkStore::link_state`] that needs no count (cheap at any size).
    fn link_rules(&self) -> Result<LinkRules, Self::Error>;
    /// Start a write transaction (it waits for other writers).
    fn begin(&self) -> Result<(), Self::Error>;
    fn commit(&self) -> Result<(), Self::Error>;
    fn rollback(&self) -> Result<(), Self::Error>;
    /// Note that the links are now those of the registry as it is and of `link_version`.
    fn mark_linked(&self, link_version: &str) -> Result<(), Self::Error>;

    /// Remove the links of events edited since they were linked (not pinned); the canonical
    /// events they were in.
    fn unlink_stale(&self) -> Result<Vec<i64>, Self::Error>;
    /// Remove every link a reviewer did not make; how many.
    fn unlink_automatic(&self) -> Result<u64, Self::Error>;
    /// Every link a reviewer did not make, with its event.
    fn automatic_links(&self) -> Result<Vec<StoredLink>, Self::Error>;
    fn unlink(&self, event_id: i64) -> Result<(), Self::Error>;
    /// Keep the explanation of an unchanged agreement link up to date.
    fn set_agreement_why(&self, event_id: i64, why: &AgreementLink) -> Result<(), Self::Error>;
    /// Canonical events whose report count is not the number of their links.
    fn uneven_canonicals(&self) -> Result<Vec<i64>, Self::Error>;

    /// The coded events without a link, the most precisely dated first, those a reviewer
    /// decided about last.
    fn unlinked(&self) -> Result<Vec<i64>, Self::Error>;
    /// One coded event, when it still has no link.
    fn unlinked_input(&self, event_id: i64) -> Result<Option<LinkInput>, Self::Error>;
    fn review_decision(&self, report: &LinkInput) -> Result<Option<ReviewDecision>, Self::Error>;
    /// Canonical events of `event_type` whose dates may meet the days `lo..=hi` (widened by
    /// `slack` days), by id; only those with exactly these actors when `actors` is given.
    fn candidates(
        &self,
        event_type: EventType,
        lo: i64,
        hi: i64,
        slack: i64,
        actors: Option<&[ActorCode]>,
    ) -> Result<Vec<CandidateRow>, Self::Error>;
    /// A canonical event's reports grouped: identical reports (type, actors, domains, date,
    /// links) once, with how many there are; the group's `event_id` is its first report's.
    fn canonical_reports(&self, canonical: i64) -> Result<Vec<(Report, usize)>, Self::Error>;
    fn has_report_from(&self, canonical: i64, document_id: i64) -> Result<bool, Self::Error>;

    /// A new, empty canonical event of this type.
    fn new_canonical(&self, event_type: EventType) -> Result<i64, Self::Error>;
    /// Put a report in a canonical event (replacing its link, if it had one).
    fn write_link(
        &self,
        report: &LinkInput,
        canonical: i64,
        links: &Links,
        reason: &MergeReason,
        pinned: bool,
    ) -> Result<(), Self::Error>;
    /// Write a canonical event's summary and its number of reports.
    fn write_summary(&self, canonical: i64, summary: &Summary, reports: usize) -> Result<(), Self::Error>;
    fn delete_canonical(&self, canonical: i64) -> Result<(), Self::Error>;
}

/// A registry record as a store keeps it: the record (JSON) and the user's correction of it
/// (JSON, only the fields that differ), if any. `kind` is `agreement` or `event`, `origin`
/// `builtin` or `user`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordRow {
    pub id: String,
    pub kind: String,
    pub origin: String,
    pub data: String,
    pub correction: Option<String>,
}

/// A change to the registry's rows, decided by the registry (`hamkor_registry::plan_import`)
/// and written by a store in one transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegistryChange {
    /// A new user record.
    Add { id: String, kind: String, data: String },
    /// A user record replaced.
    Replace { id: String, kind: String, data: String },
    /// The user's correction of a built-in record (JSON of the fields that differ; `None`: none).
    Correct { id: String, patch: Option<String> },
}
