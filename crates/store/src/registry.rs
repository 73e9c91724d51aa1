//! The registry in the store: its records (built-in, the user's own, the user's corrections),
//! the links from coded events to agreements and formats, and canonical events — one happening
//! with all the reports of it.
//!
//! - **Seeding.** [`seed_builtin`] runs at open: when the built-in registry compiled into this
//!   hamkor has another version than the store's, the built-in rows are replaced in one
//!   transaction. The user's rows and corrections (`registry_overrides`) are kept as they are;
//!   the effective record is the built-in one with the user's fields on top.
//! - **Canonical events.** [`SqliteStore::refresh_canonical`] is incremental: every coded event
//!   without a link (new, or re-coded, or edited by a reviewer since it was linked) is linked
//!   (`hamkor_registry::link`) and matched against the canonical events it could belong to
//!   (`hamkor_registry::merge`); it joins one, or starts a new one. A change of the registry
//!   (a new built-in version, an import) links every event again and moves only those whose
//!   links changed. It is a stage of its own, run explicitly after every write (ingest,
//!   re-code, import, review, merge and split) and never from a read: reads see what the last
//!   write left, and the server's readers are opened `query_only` so that a read that tried to
//!   write would fail.
//! - **Review.** [`SqliteStore::split_report`], [`SqliteStore::merge_report`],
//!   [`SqliteStore::unmerge_canonical`] and [`SqliteStore::clear_review`] record a reviewer's
//!   decision by the report itself (document, evidence span, type), so that it survives a
//!   re-code, and pin the report where the reviewer put it.

use crate::{date_bounds, Error, EventFilter, Result, SqliteStore};
use hamkor_model::{ActorCode, CanonicalEvent, Domain, EventType, PartialDate, ReportRef, Span};
use hamkor_registry::lifecycle::{lifecycle, CodedStep, Lifecycle};
use hamkor_registry::merge::{self, Canonical, Decision, MergeReason, Report};
use hamkor_registry::{
    apply_override, diff_override, infer_kind, validate, Agreement, AgreementLink, FormatLink, Linker, Links, Origin,
    Record, RecordKind, Registry, ReportInput,
};
use rusqlite::types::Value as SqlValue;
use rusqlite::{params, Connection, OptionalExtension, Transaction, TransactionBehavior};
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashMap};

/// A report's document, evidence span and type, and its canonical event.
type ReportKey = (i64, i64, i64, String, Option<i64>);

/// Reports processed per transaction when linking: a long first run commits as it goes.
const CHUNK: usize = 2000;

/// A canonical event with everything about its reports: why each is there.
#[derive(Debug, Clone, Serialize)]
pub struct CanonicalDetail {
    #[serde(flatten)]
    pub event: CanonicalEvent,
    pub edition: Option<u32>,
    pub reports: Vec<ReportDetail>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReportDetail {
    #[serde(flatten)]
    pub report: ReportRef,
    #[serde(rename = "type")]
    pub event_type: EventType,
    pub actors: Vec<ActorCode>,
    pub date: Option<PartialDate>,
    pub document_title: Option<String>,
    /// Why the report joined (or started) its canonical event.
    pub merge: MergeReason,
    pub agreement: Option<AgreementLink>,
    pub format: Option<FormatLink>,
    /// A reviewer put it there.
    pub pinned: bool,
}

/// What a refresh did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct RefreshSummary {
    /// Reports linked in this refresh.
    pub linked: u64,
    /// Of which joined an existing canonical event.
    pub joined: u64,
    /// Canonical events created.
    pub created: u64,
    /// Canonical events removed (their last report was deleted or moved).
    pub removed: u64,
    /// Reports linked again because their event changed or the registry did.
    pub relinked: u64,
}

/// What the store's registry holds and how far the reports are linked (`hamkor registry status`).
#[derive(Debug, Clone, Default, Serialize)]
pub struct RegistryStatus {
    pub builtin_version: String,
    pub agreements: BTreeMap<String, u64>,
    pub events: BTreeMap<String, u64>,
    /// Built-in records the user corrected.
    pub corrected: u64,
    /// Coded events (reports).
    pub reports: u64,
    pub canonical_events: u64,
    /// Canonical events with more than one report.
    pub merged: u64,
    pub canonical_with_agreement: u64,
    pub canonical_with_format: u64,
    pub reports_with_agreement: u64,
    pub reports_with_format: u64,
    /// Distinct agreements with at least one linked report.
    pub agreements_reported: u64,
}

/// What an import did, line by line.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ImportSummary {
    pub added: Vec<String>,
    pub replaced: Vec<String>,
    /// Built-in records the user corrected (only the fields that differ are kept).
    pub corrected: Vec<String>,
    /// Lines identical to what the store holds.
    pub unchanged: Vec<String>,
    /// (id, reason) of lines refused.
    pub rejected: Vec<(String, String)>,
}

/// The outcome of a reviewer's merge or split.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum ReviewOutcome {
    Done {
        canonical: i64,
    },
    NoSuchEvent,
    NoSuchCanonical,
    /// Reports of different types are never one event.
    TypeMismatch {
        event: String,
        canonical: String,
    },
}

fn corrupt(what: &str, e: impl std::fmt::Display) -> Error {
    Error::Corrupt(format!("{what}: {e}"))
}

fn json_codes<T: serde::de::DeserializeOwned>(s: &str) -> Result<Vec<T>> {
    serde_json::from_str(s).map_err(|e| corrupt("a JSON list of codes", e))
}

fn parse_json<T: serde::de::DeserializeOwned>(s: Option<String>) -> Option<T> {
    s.and_then(|s| serde_json::from_str(&s).ok())
}

fn parse_date(s: Option<String>) -> Result<Option<PartialDate>> {
    s.map(|s| s.parse().map_err(|e| corrupt("a date", e))).transpose()
}

fn day_string(days: i64) -> String {
    PartialDate::from_days(days).to_string()
}

// ------------------------------------------------------------------ seeding and records

/// Bring the built-in registry rows up to this hamkor's version (called at open).
pub(crate) fn seed_builtin(conn: &mut Connection) -> Result<()> {
    let version = hamkor_registry::builtin_version();
    let current = |c: &Connection| -> Result<Option<String>> {
        Ok(c.query_row("SELECT value FROM registry_meta WHERE key = 'builtin_version'", [], |r| r.get(0)).optional()?)
    };
    if current(conn)?.as_deref() == Some(version.as_str()) {
        return Ok(());
    }
    let records = hamkor_registry::builtin_records().map_err(|e| corrupt("the built-in registry", e))?;
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    // Another process may have seeded while this one waited for the lock.
    if current(&tx)?.as_deref() == Some(version.as_str()) {
        return Ok(());
    }
    tx.execute("DELETE FROM registry_records WHERE origin = 'builtin'", [])?;
    for r in &records {
        // A user's own record with an id the new built-in registry now uses becomes a correction.
        let user: Option<String> = tx
            .query_row("SELECT data FROM registry_records WHERE id = ?1 AND origin = 'user'", [&r.id], |x| x.get(0))
            .optional()?;
        if let Some(u) = user {
            let u: Value = serde_json::from_str(&u).map_err(|e| corrupt("a user record", e))?;
            let patch = diff_override(&r.data, &u);
            save_override(&tx, &r.id, &patch, Some("an earlier user record"))?;
            tx.execute("DELETE FROM registry_records WHERE id = ?1", [&r.id])?;
        }
        tx.execute(
            "INSERT INTO registry_records (id, kind, origin, data, version) VALUES (?1, ?2, 'builtin', ?3, ?4)",
            params![r.id, r.kind.code(), r.data.to_string(), version],
        )?;
    }
    set_meta(&tx, "builtin_version", &version)?;
    set_meta(&tx, "relink", "1")?;
    tx.commit()?;
    Ok(())
}

fn set_meta(tx: &Connection, key: &str, value: &str) -> Result<()> {
    tx.execute(
        "INSERT INTO registry_meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    Ok(())
}

fn get_meta(c: &Connection, key: &str) -> Result<Option<String>> {
    Ok(c.query_row("SELECT value FROM registry_meta WHERE key = ?1", [key], |r| r.get(0)).optional()?)
}

fn save_override(tx: &Connection, id: &str, patch: &Map<String, Value>, source: Option<&str>) -> Result<()> {
    if patch.is_empty() {
        tx.execute("DELETE FROM registry_overrides WHERE id = ?1", [id])?;
    } else {
        tx.execute(
            "INSERT INTO registry_overrides (id, data, source) VALUES (?1, ?2, ?3)
             ON CONFLICT (id) DO UPDATE SET data = excluded.data, source = excluded.source,
               updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')",
            params![id, Value::Object(patch.clone()).to_string(), source],
        )?;
    }
    Ok(())
}

/// Every record with the user's corrections applied.
fn load_records(c: &Connection) -> Result<Vec<Record>> {
    let mut st = c.prepare(
        "SELECT r.id, r.kind, r.origin, r.data, o.data FROM registry_records r
         LEFT JOIN registry_overrides o ON o.id = r.id ORDER BY r.kind, r.origin, r.id",
    )?;
    let mut rows = st.query([])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let id: String = r.get(0)?;
        let kind = RecordKind::parse(&r.get::<_, String>(1)?).ok_or_else(|| corrupt("a record kind", &id))?;
        let origin = if r.get::<_, String>(2)? == "user" { Origin::User } else { Origin::Builtin };
        let base: Value = serde_json::from_str(&r.get::<_, String>(3)?).map_err(|e| corrupt("a registry record", e))?;
        let patch: Option<String> = r.get(4)?;
        let (data, overridden) = match patch {
            Some(p) => {
                let p: Value = serde_json::from_str(&p).map_err(|e| corrupt("a registry correction", e))?;
                (apply_override(&base, p.as_object().unwrap_or(&Map::new())), true)
            }
            None => (base, false),
        };
        out.push(Record { id, kind, origin, overridden, data });
    }
    Ok(out)
}

fn load_registry(c: &Connection) -> Result<Registry> {
    Registry::from_records(&load_records(c)?).map_err(|e| corrupt("the registry", e))
}

// ------------------------------------------------------------------ linking and merging

/// What an event is, as the linker and the merger need it.
struct EventInfo {
    id: i64,
    document_id: i64,
    event_type: EventType,
    actors_json: String,
    actors: Vec<ActorCode>,
    domains: Vec<Domain>,
    date: Option<PartialDate>,
    evidence: Span,
    evidence_text: String,
}

impl EventInfo {
    fn fingerprint(&self) -> String {
        format!("{}|{}|{}", self.event_type, self.actors_json, self.date.map(|d| d.to_string()).unwrap_or_default())
    }
}

/// The same fingerprint in SQL, over `events e`.
const FINGERPRINT_SQL: &str = "e.type || '|' || e.actors || '|' || coalesce(e.date, '')";

const EVENT_INFO_SELECT: &str = "SELECT e.id, e.document_id, e.type, e.actors, e.domains, e.date,
        e.evidence_start, e.evidence_end,
        CAST(substr(CAST(d.text AS BLOB), e.evidence_start + 1, e.evidence_end - e.evidence_start) AS TEXT)
     FROM events e JOIN documents d ON d.id = e.document_id";

fn event_info(r: &rusqlite::Row<'_>) -> Result<EventInfo> {
    let actors_json: String = r.get(3)?;
    Ok(EventInfo {
        id: r.get(0)?,
        document_id: r.get(1)?,
        event_type: r.get::<_, String>(2)?.parse().map_err(|e| corrupt("an event type", e))?,
        actors: json_codes(&actors_json)?,
        actors_json,
        domains: json_codes(&r.get::<_, String>(4)?)?,
        date: parse_date(r.get(5)?)?,
        evidence: Span::new(r.get::<_, i64>(6)? as usize, r.get::<_, i64>(7)? as usize),
        evidence_text: r.get::<_, Option<String>>(8)?.unwrap_or_default(),
    })
}

fn links_of(linker: &Linker, e: &EventInfo) -> Links {
    linker.link(&ReportInput { event_type: e.event_type, actors: &e.actors, date: e.date, evidence: &e.evidence_text })
}

/// The reports of a canonical event as the merger sees them, grouped: identical reports (type,
/// actors, domains, date, links) once, with how many there are. A canonical event with a thousand
/// reports of one summit is a handful of groups.
fn canonical_groups(tx: &Connection, canonical: i64) -> Result<Vec<(Report, usize)>> {
    let mut st = tx.prepare_cached(
        "SELECT e.type, e.actors, e.domains, e.date, l.agreement, l.format, l.edition, count(*), min(e.id), l.places
         FROM event_links l JOIN events e ON e.id = l.event_id WHERE l.canonical_id = ?1
         GROUP BY e.type, e.actors, e.domains, e.date, l.agreement, l.format, l.edition, l.places ORDER BY min(e.id)",
    )?;
    let mut rows = st.query([canonical])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push((
            Report {
                event_id: r.get(8)?,
                document_id: 0,
                event_type: r.get::<_, String>(0)?.parse().map_err(|e| corrupt("an event type", e))?,
                actors: json_codes(&r.get::<_, String>(1)?)?,
                domains: json_codes(&r.get::<_, String>(2)?)?,
                date: parse_date(r.get(3)?)?,
                agreement: r.get(4)?,
                format: r.get(5)?,
                edition: r.get::<_, Option<i64>>(6)?.map(|n| n as u32),
                places: r.get::<_, String>(9)?.split_whitespace().map(str::to_string).collect(),
            },
            r.get::<_, i64>(7)? as usize,
        ));
    }
    Ok(out)
}

/// Write a canonical event's summary from its reports; delete it when it has none. True when
/// it was deleted.
fn resummarize(tx: &Connection, canonical: i64) -> Result<bool> {
    let groups = canonical_groups(tx, canonical)?;
    if groups.is_empty() {
        tx.execute("DELETE FROM canonical_events WHERE id = ?1", [canonical])?;
        return Ok(true);
    }
    let weighted: Vec<(&Report, usize)> = groups.iter().map(|(r, n)| (r, *n)).collect();
    let s = merge::summarize_weighted(&weighted);
    let count: usize = groups.iter().map(|(_, n)| n).sum();
    let (lo, hi, wide) = match s.range {
        Some((lo, hi)) => (Some(day_string(lo)), Some(day_string(hi)), hi - lo > WIDE_DAYS),
        None => (None, None, false),
    };
    tx.prepare_cached(
        "UPDATE canonical_events SET type = ?2, actors = ?3, domains = ?4, date = ?5, date_lo = ?6, date_hi = ?7,
           agreement = ?8, format = ?9, edition = ?10, reports = ?11, wide = ?12,
           updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
         WHERE id = ?1",
    )?
    .execute(params![
        canonical,
        s.event_type.code(),
        serde_json::to_string(&s.actors).expect("codes serialise"),
        serde_json::to_string(&s.domains).expect("codes serialise"),
        s.date.map(|d| d.to_string()),
        lo,
        hi,
        s.agreement,
        s.format,
        s.edition.map(|n| n as i64),
        count as i64,
        wide as i64
    ])?;
    Ok(false)
}

/// A canonical event whose dates span more than this many days is "wide" (a report dated only
/// by year); the others are found by a short range of their first day.
const WIDE_DAYS: i64 = 34;

fn new_canonical(tx: &Connection, e: &EventInfo) -> Result<i64> {
    tx.prepare_cached("INSERT INTO canonical_events (type, actors, domains) VALUES (?1, '[]', '[]')")?
        .execute([e.event_type.code()])?;
    Ok(tx.last_insert_rowid())
}

fn insert_link(
    tx: &Connection,
    e: &EventInfo,
    canonical: i64,
    links: &Links,
    reason: &MergeReason,
    pinned: bool,
) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO event_links (event_id, canonical_id, fingerprint, agreement, agreement_why, format, edition,
                                  format_why, merge_rule, merge_why, pinned, places)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
         ON CONFLICT (event_id) DO UPDATE SET canonical_id = excluded.canonical_id, fingerprint = excluded.fingerprint,
           agreement = excluded.agreement, agreement_why = excluded.agreement_why, format = excluded.format,
           edition = excluded.edition, format_why = excluded.format_why, merge_rule = excluded.merge_rule,
           merge_why = excluded.merge_why, pinned = excluded.pinned, places = excluded.places,
           linked_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')",
    )?
    .execute(params![
        e.id,
        canonical,
        e.fingerprint(),
        links.agreement.as_ref().map(|a| a.id.clone()),
        links.agreement.as_ref().map(|a| serde_json::to_string(a).expect("a link serialises")),
        links.format.as_ref().map(|f| f.id.clone()),
        links.format.as_ref().and_then(|f| f.edition).map(|n| n as i64),
        links.format.as_ref().map(|f| serde_json::to_string(f).expect("a link serialises")),
        reason.rule,
        serde_json::to_string(reason).expect("a reason serialises"),
        pinned as i64,
        links.places.join(" ")
    ])?;
    Ok(())
}

/// The canonical events a report could join: same type; dates that overlap (meetings: within
/// three days); actors and agreement that can agree (checked here on the summary, which is
/// cheap, before the merger looks at every group of reports).
fn candidates(tx: &Connection, e: &EventInfo, agreement: Option<&str>, format: Option<&str>) -> Result<Vec<Canonical>> {
    let Some(d) = e.date else { return Ok(vec![]) };
    let (lo, hi) = hamkor_registry::day_range(&d);
    let slack = if matches!(e.event_type, EventType::Meeting | EventType::Aid) { 3 } else { 0 };
    let mut found: Vec<(i64, String, Option<String>)> = Vec::new();
    // Narrow events start at most WIDE_DAYS before the window; wide ones within a year of it.
    for (wide, reach) in [(0, WIDE_DAYS + slack), (1, 370)] {
        let mut st = tx.prepare_cached(
            "SELECT id, actors, agreement FROM canonical_events
             WHERE type = ?1 AND wide = ?2 AND date_lo >= ?3 AND date_lo <= ?5 AND date_hi >= ?4 ORDER BY id",
        )?;
        let rows = st.query_map(
            params![e.event_type.code(), wide, day_string(lo - reach), day_string(lo - slack), day_string(hi + slack)],
            |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, Option<String>>(2)?)),
        )?;
        for row in rows {
            found.push(row?);
        }
    }
    found.sort_by_key(|f| f.0);
    found.dedup_by_key(|f| f.0);
    let within = |a: &[ActorCode], b: &[ActorCode]| a.iter().all(|x| b.contains(x)) || b.iter().all(|x| a.contains(x));
    let mut same_doc = tx.prepare_cached(
        "SELECT 1 FROM event_links l JOIN events e ON e.id = l.event_id WHERE l.canonical_id = ?1 AND e.document_id = ?2",
    )?;
    let mut out = Vec::new();
    for (id, actors_json, c_agreement) in found {
        // Different actors may agree only within the same agreement or format (merge::compatible).
        let possible = actors_json == e.actors_json
            || ((agreement.is_some() && c_agreement.as_deref() == agreement) || format.is_some())
                && within(&e.actors, &json_codes::<ActorCode>(&actors_json)?);
        if !possible {
            continue;
        }
        let mut reports: Vec<Report> = canonical_groups(tx, id)?.into_iter().map(|(r, _)| r).collect();
        if reports.is_empty() {
            continue;
        }
        if same_doc.exists(params![id, e.document_id])? {
            // The merger refuses it, and says why.
            reports[0].document_id = e.document_id;
        }
        out.push(Canonical { id, reports });
    }
    Ok(out)
}

/// A reviewer's decision about this report, if any: ('split' | 'merge', target event's canonical).
fn decision_for(tx: &Connection, e: &EventInfo) -> Result<Option<(String, Option<i64>)>> {
    type Row = (String, Option<i64>, Option<i64>, Option<i64>, Option<String>);
    let row: Option<Row> = tx
        .query_row(
            "SELECT action, target_document, target_start, target_end, target_type FROM canonical_decisions
             WHERE document_id = ?1 AND evidence_start = ?2 AND evidence_end = ?3 AND type = ?4",
            params![e.document_id, e.evidence.start as i64, e.evidence.end as i64, e.event_type.code()],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .optional()?;
    let Some((action, td, ts, te, tt)) = row else { return Ok(None) };
    let target = match (td, ts, te, tt) {
        (Some(td), Some(ts), Some(te), Some(tt)) => tx
            .query_row(
                "SELECT l.canonical_id FROM events e JOIN event_links l ON l.event_id = e.id
                 WHERE e.document_id = ?1 AND e.evidence_start = ?2 AND e.evidence_end = ?3 AND e.type = ?4",
                params![td, ts, te, tt],
                |r| r.get(0),
            )
            .optional()?,
        _ => None,
    };
    Ok(Some((action, target)))
}

/// Link one event and put it in its canonical event. Returns (joined, created).
fn place(tx: &Connection, linker: &Linker, e: &EventInfo) -> Result<(bool, bool)> {
    let links = links_of(linker, e);
    let report = Report {
        event_id: e.id,
        document_id: e.document_id,
        event_type: e.event_type,
        actors: e.actors.clone(),
        domains: e.domains.clone(),
        date: e.date,
        agreement: links.agreement.as_ref().map(|a| a.id.clone()),
        format: links.format.as_ref().map(|f| f.id.clone()),
        edition: links.format.as_ref().and_then(|f| f.edition),
        places: links.places.clone(),
    };
    let (decision, pinned) = match decision_for(tx, e)? {
        Some((action, _)) if action == "split" => {
            let mut reason = MergeReason::rule("review-split");
            reason.note = Some("a reviewer decided this report stands alone".into());
            (Decision::New { reason }, true)
        }
        Some((_, Some(target))) => {
            let mut reason = MergeReason::rule("review-merge");
            reason.note = Some("a reviewer merged this report".into());
            (Decision::Join { canonical: target, reason }, true)
        }
        _ => (merge::decide(&report, &candidates(tx, e, report.agreement.as_deref(), report.format.as_deref())?), false),
    };
    match decision {
        Decision::Join { canonical, reason } => {
            insert_link(tx, e, canonical, &links, &reason, pinned)?;
            resummarize(tx, canonical)?;
            Ok((true, false))
        }
        Decision::New { reason } => {
            let id = new_canonical(tx, e)?;
            insert_link(tx, e, id, &links, &reason, pinned)?;
            resummarize(tx, id)?;
            Ok((false, true))
        }
    }
}

impl SqliteStore {
    /// True when the registry or the linking rules changed since the reports were linked.
    pub(crate) fn links_outdated(&self) -> Result<bool> {
        let conn = &self.conn;
        let any: bool = conn.query_row("SELECT EXISTS (SELECT 1 FROM events)", [], |r| r.get(0))?;
        Ok(any
            && (get_meta(conn, "relink")?.as_deref() == Some("1")
                || get_meta(conn, "link_version")?.as_deref() != Some(hamkor_registry::link::link_version().as_str())))
    }

    /// Link every coded event that has no link yet (or whose event or registry changed since),
    /// and merge it into its canonical event. Incremental: events already linked stay where they
    /// are. Run after every write (`hamkor ingest`, `recode`, `import events`, the server's
    /// writes); never by a read. Cheap when nothing is pending.
    pub fn refresh_canonical(&self) -> Result<RefreshSummary> {
        let mut out = RefreshSummary::default();
        let conn = &self.conn;
        let events: i64 = conn.query_row("SELECT count(*) FROM events", [], |r| r.get(0))?;
        let linked: i64 = conn.query_row("SELECT count(*) FROM event_links", [], |r| r.get(0))?;
        // Links depend on the registry's data (a new version or an import sets 'relink') and on
        // the linking rules and the lexicon's formats (their version is kept as 'link_version').
        let link_version = hamkor_registry::link::link_version();
        let relink = get_meta(conn, "relink")?.as_deref() == Some("1")
            || get_meta(conn, "link_version")?.as_deref() != Some(link_version.as_str());
        let stale: i64 = conn.query_row(
            &format!(
                "SELECT count(*) FROM event_links l JOIN events e ON e.id = l.event_id
                 WHERE l.pinned = 0 AND l.fingerprint <> {FINGERPRINT_SQL}"
            ),
            [],
            |r| r.get(0),
        )?;
        let uneven: i64 = conn.query_row(
            "SELECT count(*) FROM canonical_events c
             WHERE c.reports <> (SELECT count(*) FROM event_links l WHERE l.canonical_id = c.id)",
            [],
            |r| r.get(0),
        )?;
        if events == linked && !relink && stale == 0 && uneven == 0 {
            return Ok(out);
        }
        let registry = load_registry(conn)?;
        let linker = Linker::new(&registry);

        // 1. Unlink what changed: edited events, and (after a registry change) events whose links
        //    are no longer the same.
        {
            let tx = Transaction::new_unchecked(conn, TransactionBehavior::Immediate)?;
            let mut touched: Vec<i64> = Vec::new();
            let mut st = tx.prepare(&format!(
                "SELECT l.event_id, l.canonical_id FROM event_links l JOIN events e ON e.id = l.event_id
                 WHERE l.pinned = 0 AND l.fingerprint <> {FINGERPRINT_SQL}"
            ))?;
            let stale_rows: Vec<(i64, i64)> =
                st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
            drop(st);
            for (ev, c) in stale_rows {
                tx.execute("DELETE FROM event_links WHERE event_id = ?1", [ev])?;
                touched.push(c);
                out.relinked += 1;
            }
            let rules_changed = get_meta(&tx, "link_version")?.as_deref() != Some(link_version.as_str());
            if relink && rules_changed {
                // New rules for linking or merging (or a new lexicon): every automatic decision
                // is taken again; a reviewer's stay. Emptied canonical events go below.
                out.relinked += tx.execute("DELETE FROM event_links WHERE pinned = 0", [])? as u64;
                set_meta(&tx, "relink", "0")?;
                set_meta(&tx, "link_version", &link_version)?;
            } else if relink {
                let mut st = tx.prepare(&format!(
                    "{EVENT_INFO_SELECT} JOIN event_links l ON l.event_id = e.id WHERE l.pinned = 0 ORDER BY e.id"
                ))?;
                let mut rows = st.query([])?;
                let mut infos = Vec::new();
                while let Some(r) = rows.next()? {
                    infos.push(event_info(r)?);
                }
                drop(rows);
                drop(st);
                for e in infos {
                    let now = links_of(&linker, &e);
                    let stored: (Option<String>, Option<String>, Option<i64>, i64) = tx.query_row(
                        "SELECT agreement, format, edition, canonical_id FROM event_links WHERE event_id = ?1",
                        [e.id],
                        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                    )?;
                    let same = stored.0 == now.agreement.as_ref().map(|a| a.id.clone())
                        && stored.1 == now.format.as_ref().map(|f| f.id.clone())
                        && stored.2 == now.format.as_ref().and_then(|f| f.edition).map(|n| n as i64);
                    if !same {
                        tx.execute("DELETE FROM event_links WHERE event_id = ?1", [e.id])?;
                        touched.push(stored.3);
                        out.relinked += 1;
                    } else if let Some(why) = &now.agreement {
                        // Same target; the explanation may have changed with the data.
                        tx.execute(
                            "UPDATE event_links SET agreement_why = ?2 WHERE event_id = ?1",
                            params![e.id, serde_json::to_string(why).expect("a link serialises")],
                        )?;
                    }
                }
                set_meta(&tx, "relink", "0")?;
                set_meta(&tx, "link_version", &link_version)?;
            }
            // Canonical events that lost reports (to the cascade of a re-code, or above).
            let mut st = tx.prepare(
                "SELECT c.id FROM canonical_events c
                 WHERE c.reports <> (SELECT count(*) FROM event_links l WHERE l.canonical_id = c.id)",
            )?;
            let uneven: Vec<i64> = st.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
            drop(st);
            touched.extend(uneven);
            touched.sort_unstable();
            touched.dedup();
            for c in touched {
                if resummarize(&tx, c)? {
                    out.removed += 1;
                }
            }
            tx.commit()?;
        }

        // 2. Place every unlinked event: the most precisely dated first, so that a report dated
        //    by month or year meets the canonical events it could belong to.
        let mut st = conn.prepare(
            "SELECT e.id FROM events e LEFT JOIN event_links l ON l.event_id = e.id
             WHERE l.event_id IS NULL
             ORDER BY e.date IS NULL, length(e.date) DESC, e.date_lo, e.id",
        )?;
        let ids: Vec<i64> = st.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        drop(st);
        let with_decision: Vec<i64> = {
            let mut st = conn.prepare(
                "SELECT e.id FROM events e JOIN canonical_decisions k ON k.document_id = e.document_id
                   AND k.evidence_start = e.evidence_start AND k.evidence_end = e.evidence_end AND k.type = e.type",
            )?;
            let v: Vec<i64> = st.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
            v
        };
        // Reports a reviewer decided about go last, so that the reports they join are placed.
        let (mut ordered, decided): (Vec<i64>, Vec<i64>) = ids.into_iter().partition(|id| !with_decision.contains(id));
        ordered.extend(decided);
        for chunk in ordered.chunks(CHUNK) {
            let tx = Transaction::new_unchecked(conn, TransactionBehavior::Immediate)?;
            {
                let mut st = tx.prepare_cached(&format!(
                    "{EVENT_INFO_SELECT} LEFT JOIN event_links l ON l.event_id = e.id WHERE e.id = ?1 AND l.event_id IS NULL"
                ))?;
                for &id in chunk {
                    let info = st.query_row([id], |r| Ok(event_info(r))).optional()?.transpose()?;
                    let Some(e) = info else { continue };
                    let (joined, created) = place(&tx, &linker, &e)?;
                    out.linked += 1;
                    out.joined += joined as u64;
                    out.created += created as u64;
                }
            }
            tx.commit()?;
        }
        Ok(out)
    }

    /// Canonical events that pass `filter`, sorted by date then id, each with its reports.
    ///
    /// The filter is `hamkor events`'s: actors (all must take part), type, domain, dates (an
    /// undated canonical event uses its reports' documents' dates), language and document (some
    /// report must be in that language / document), limit. Reads only: reports written since
    /// the last [`SqliteStore::refresh_canonical`] are not in any canonical event yet.
    pub fn canonical_events(&self, filter: &EventFilter) -> Result<Vec<CanonicalEvent>> {
        let mut sql = String::from("SELECT c.id FROM canonical_events c WHERE c.reports > 0");
        let mut args: Vec<SqlValue> = Vec::new();
        let mut arg = |v: SqlValue, sql: &mut String| {
            args.push(v);
            sql.push_str(&format!("?{}", args.len()));
        };
        for a in &filter.actors {
            sql.push_str(" AND EXISTS (SELECT 1 FROM json_each(c.actors) WHERE value = ");
            arg(SqlValue::Text(a.clone()), &mut sql);
            sql.push(')');
        }
        if let Some(t) = &filter.event_type {
            sql.push_str(" AND c.type = ");
            arg(SqlValue::Text(t.clone()), &mut sql);
        }
        if let Some(d) = &filter.domain {
            sql.push_str(" AND EXISTS (SELECT 1 FROM json_each(c.domains) WHERE value = ");
            arg(SqlValue::Text(d.clone()), &mut sql);
            sql.push(')');
        }
        const DOC_HI: &str = "(SELECT max(d.published_hi) FROM event_links l JOIN events e ON e.id = l.event_id
                               JOIN documents d ON d.id = e.document_id WHERE l.canonical_id = c.id)";
        const DOC_LO: &str = "(SELECT min(d.published_lo) FROM event_links l JOIN events e ON e.id = l.event_id
                               JOIN documents d ON d.id = e.document_id WHERE l.canonical_id = c.id)";
        if let Some(from) = &filter.from {
            sql.push_str(&format!(" AND coalesce(c.date_hi, {DOC_HI}) >= "));
            arg(SqlValue::Text(date_bounds(from).0), &mut sql);
        }
        if let Some(to) = &filter.to {
            sql.push_str(&format!(" AND coalesce(c.date_lo, {DOC_LO}) <= "));
            arg(SqlValue::Text(date_bounds(to).1), &mut sql);
        }
        if let Some(lang) = &filter.lang {
            sql.push_str(
                " AND EXISTS (SELECT 1 FROM event_links l JOIN events e ON e.id = l.event_id
                   JOIN documents d ON d.id = e.document_id WHERE l.canonical_id = c.id AND d.lang = ",
            );
            arg(SqlValue::Text(lang.clone()), &mut sql);
            sql.push(')');
        }
        if let Some(doc) = filter.document {
            sql.push_str(
                " AND EXISTS (SELECT 1 FROM event_links l JOIN events e ON e.id = l.event_id
                   WHERE l.canonical_id = c.id AND e.document_id = ",
            );
            arg(SqlValue::Integer(doc), &mut sql);
            sql.push(')');
        }
        sql.push_str(" ORDER BY c.date_lo IS NULL, c.date_lo, c.id");
        if let Some(limit) = filter.limit {
            sql.push_str(&format!(" LIMIT {limit}"));
        }
        self.select_canonical(&sql, args)
    }

    /// The canonical events that report an agreement, by date.
    pub fn agreement_events(&self, agreement: &str) -> Result<Vec<CanonicalEvent>> {
        self.select_canonical(
            "SELECT c.id FROM canonical_events c WHERE c.reports > 0 AND c.agreement = ?1
             ORDER BY c.date_lo IS NULL, c.date_lo, c.id",
            vec![SqlValue::Text(agreement.to_string())],
        )
    }

    /// Canonical events whose ids `sel_sql` selects (one column), with their reports, their
    /// evidence and their documents' dates, in two queries whatever their number. An event no
    /// report dates takes the earliest publication date of its reports' documents. Sorted by
    /// date, then id.
    fn select_canonical(&self, sel_sql: &str, args: Vec<SqlValue>) -> Result<Vec<CanonicalEvent>> {
        let mut st = self.conn.prepare(&format!(
            "WITH sel AS ({sel_sql}) SELECT c.id, c.type, c.actors, c.domains, c.date, c.agreement, c.format
             FROM sel JOIN canonical_events c ON c.id = sel.id"
        ))?;
        let mut rows = st.query(rusqlite::params_from_iter(args.iter()))?;
        let mut out: Vec<CanonicalEvent> = Vec::new();
        let mut index: HashMap<i64, usize> = HashMap::new();
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            index.insert(id, out.len());
            out.push(CanonicalEvent {
                id,
                event_type: r.get::<_, String>(1)?.parse().map_err(|e| corrupt("an event type", e))?,
                actors: json_codes(&r.get::<_, String>(2)?)?,
                domains: json_codes(&r.get::<_, String>(3)?)?,
                date: parse_date(r.get(4)?)?,
                date_from_document: false,
                agreement: r.get(5)?,
                format: r.get(6)?,
                reports: vec![],
            });
        }
        drop(rows);
        drop(st);
        let mut st = self.conn.prepare(&format!(
            "WITH sel AS ({sel_sql})
             SELECT l.canonical_id, e.id, e.document_id, e.evidence_start, e.evidence_end, d.lang,
                    (SELECT location FROM sources s WHERE s.document_id = d.id ORDER BY s.id LIMIT 1),
                    CAST(substr(CAST(d.text AS BLOB), e.evidence_start + 1, e.evidence_end - e.evidence_start) AS TEXT),
                    d.published
             FROM sel JOIN event_links l ON l.canonical_id = sel.id JOIN events e ON e.id = l.event_id
             JOIN documents d ON d.id = e.document_id
             ORDER BY l.canonical_id, e.document_id, e.evidence_start, e.id"
        ))?;
        let mut rows = st.query(rusqlite::params_from_iter(args.iter()))?;
        while let Some(r) = rows.next()? {
            let c: i64 = r.get(0)?;
            if let Some(&i) = index.get(&c) {
                let published: Option<PartialDate> = r.get::<_, Option<String>>(8)?.and_then(|p| p.parse().ok());
                out[i].reports.push(ReportRef {
                    event_id: r.get(1)?,
                    document_id: r.get(2)?,
                    evidence: Span::new(r.get::<_, i64>(3)? as usize, r.get::<_, i64>(4)? as usize),
                    lang: r.get(5)?,
                    source: r.get::<_, Option<String>>(6)?.unwrap_or_default(),
                    evidence_text: r.get::<_, Option<String>>(7)?.unwrap_or_default(),
                    published,
                });
            }
        }
        for e in &mut out {
            if e.date.is_none() {
                e.date = e.reports.iter().filter_map(|r| r.published).min_by_key(|d| d.to_days());
                e.date_from_document = e.date.is_some();
            }
        }
        hamkor_model::sort_events(&mut out);
        Ok(out)
    }

    /// One canonical event with every report, its evidence and why it is there.
    pub fn canonical_event(&self, id: i64) -> Result<Option<CanonicalDetail>> {
        let found = self.select_canonical("SELECT ?1 AS id", vec![SqlValue::Integer(id)])?;
        let Some(event) = found.into_iter().next() else { return Ok(None) };
        let edition: Option<i64> =
            self.conn.query_row("SELECT edition FROM canonical_events WHERE id = ?1", [id], |r| r.get(0))?;
        let mut st = self.conn.prepare(
            "SELECT e.id, e.type, e.actors, e.date, d.title,
                    CAST(substr(CAST(d.text AS BLOB), e.evidence_start + 1, e.evidence_end - e.evidence_start) AS TEXT),
                    l.merge_why, l.agreement_why, l.format_why, l.pinned
             FROM event_links l JOIN events e ON e.id = l.event_id JOIN documents d ON d.id = e.document_id
             WHERE l.canonical_id = ?1",
        )?;
        let mut rows = st.query([id])?;
        let mut by_event: HashMap<i64, ReportDetail> = HashMap::new();
        while let Some(r) = rows.next()? {
            let eid: i64 = r.get(0)?;
            let Some(rep) = event.reports.iter().find(|x| x.event_id == eid) else { continue };
            // The evidence on one line, for reading.
            let mut report = rep.clone();
            report.evidence_text = report.evidence_text.split_whitespace().collect::<Vec<_>>().join(" ");
            by_event.insert(
                eid,
                ReportDetail {
                    report,
                    event_type: r.get::<_, String>(1)?.parse().map_err(|e| corrupt("an event type", e))?,
                    actors: json_codes(&r.get::<_, String>(2)?)?,
                    date: parse_date(r.get(3)?)?,
                    document_title: r.get(4)?,
                    merge: serde_json::from_str(&r.get::<_, String>(6)?).map_err(|e| corrupt("a merge reason", e))?,
                    agreement: parse_json(r.get(7)?),
                    format: parse_json(r.get(8)?),
                    pinned: r.get::<_, i64>(9)? != 0,
                },
            );
        }
        let reports = event.reports.iter().filter_map(|r| by_event.remove(&r.event_id)).collect();
        Ok(Some(CanonicalDetail { event, edition: edition.map(|n| n as u32), reports }))
    }

    /// The canonical event a coded event belongs to.
    pub fn canonical_of(&self, event_id: i64) -> Result<Option<i64>> {
        Ok(self
            .conn
            .query_row("SELECT canonical_id FROM event_links WHERE event_id = ?1", [event_id], |r| r.get(0))
            .optional()?)
    }

    // -------------------------------------------------------------- the registry itself

    /// The registry as this store holds it: built-in records, the user's, and corrections.
    pub fn registry(&self) -> Result<Registry> {
        load_registry(&self.conn)
    }

    /// Every record, each with the user's corrections applied.
    pub fn registry_records(&self) -> Result<Vec<Record>> {
        load_records(&self.conn)
    }

    /// The coded `ratification` reports linked to each agreement (for lifecycles).
    pub fn coded_steps(&self) -> Result<BTreeMap<String, Vec<CodedStep>>> {
        let mut st = self.conn.prepare(
            "SELECT l.agreement, e.id, e.document_id, e.date, e.cues, d.lang,
                    CAST(substr(CAST(d.text AS BLOB), e.evidence_start + 1, e.evidence_end - e.evidence_start) AS TEXT)
             FROM event_links l JOIN events e ON e.id = l.event_id JOIN documents d ON d.id = e.document_id
             WHERE l.agreement IS NOT NULL AND e.type = 'ratification' ORDER BY e.date_lo, e.id",
        )?;
        let mut rows = st.query([])?;
        let mut out: BTreeMap<String, Vec<CodedStep>> = BTreeMap::new();
        while let Some(r) = rows.next()? {
            let cues: Vec<hamkor_model::Cue> =
                serde_json::from_str(&r.get::<_, String>(4)?).map_err(|e| corrupt("an event's cues", e))?;
            let first_actor = cues
                .iter()
                .filter_map(|c| Some((c.span.start, ActorCode::new(c.role.strip_prefix("actor:")?).ok()?)))
                .min_by_key(|(s, _)| *s)
                .map(|(_, a)| a);
            out.entry(r.get(0)?).or_default().push(CodedStep {
                event_id: r.get(1)?,
                document_id: r.get(2)?,
                date: parse_date(r.get(3)?)?,
                first_actor,
                lang: r.get(5)?,
                evidence: r
                    .get::<_, Option<String>>(6)?
                    .unwrap_or_default()
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" "),
            });
        }
        Ok(out)
    }

    /// An agreement with its lifecycle (registry steps and coded ratification reports).
    pub fn agreement_lifecycle(&self, id: &str) -> Result<Option<(Agreement, Lifecycle)>> {
        let reg = self.registry()?;
        let Some(a) = reg.agreement(id) else { return Ok(None) };
        let coded = self.coded_steps()?;
        let life = lifecycle(a, &reg, coded.get(id).map_or(&[][..], |v| v.as_slice()));
        Ok(Some((a.clone(), life)))
    }

    /// How many canonical events and reports each agreement has.
    pub fn agreement_counts(&self) -> Result<BTreeMap<String, (u64, u64)>> {
        let mut st = self.conn.prepare(
            "SELECT agreement, count(*), sum(reports) FROM canonical_events WHERE agreement IS NOT NULL GROUP BY agreement",
        )?;
        let rows = st.query_map([], |r| {
            Ok((r.get::<_, String>(0)?, (r.get::<_, i64>(1)? as u64, r.get::<_, i64>(2)? as u64)))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn registry_status(&self) -> Result<RegistryStatus> {
        let c = &self.conn;
        let count = |sql: &str| -> Result<u64> { Ok(c.query_row(sql, [], |r| r.get::<_, i64>(0))? as u64) };
        let grouped = |kind: &str| -> Result<BTreeMap<String, u64>> {
            let mut st = c.prepare("SELECT origin, count(*) FROM registry_records WHERE kind = ?1 GROUP BY origin")?;
            let rows = st.query_map([kind], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as u64)))?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        };
        Ok(RegistryStatus {
            builtin_version: get_meta(c, "builtin_version")?.unwrap_or_default(),
            agreements: grouped("agreement")?,
            events: grouped("event")?,
            corrected: count("SELECT count(*) FROM registry_overrides")?,
            reports: count("SELECT count(*) FROM events")?,
            canonical_events: count("SELECT count(*) FROM canonical_events WHERE reports > 0")?,
            merged: count("SELECT count(*) FROM canonical_events WHERE reports > 1")?,
            canonical_with_agreement: count("SELECT count(*) FROM canonical_events WHERE agreement IS NOT NULL")?,
            canonical_with_format: count("SELECT count(*) FROM canonical_events WHERE format IS NOT NULL")?,
            reports_with_agreement: count("SELECT count(*) FROM event_links WHERE agreement IS NOT NULL")?,
            reports_with_format: count("SELECT count(*) FROM event_links WHERE format IS NOT NULL")?,
            agreements_reported: count(
                "SELECT count(DISTINCT agreement) FROM event_links WHERE agreement IS NOT NULL",
            )?,
        })
    }

    /// Import records (`hamkor registry import`): each line's `(id, object)`. A new id becomes
    /// the user's record; the id of a user's record replaces it; the id of a built-in record
    /// keeps, as the user's correction, the fields that differ from the built-in one (a field
    /// given equal to the built-in value drops an earlier correction of it). Every record is
    /// validated as it will be read. One transaction; the links are redone at the next refresh.
    pub fn import_registry(&self, lines: &[(String, Value)], source: &str) -> Result<ImportSummary> {
        let tx = Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)?;
        let mut out = ImportSummary::default();
        for (id, data) in lines {
            let existing: Option<(String, String, String)> = tx
                .query_row("SELECT kind, origin, data FROM registry_records WHERE id = ?1", [id], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                })
                .optional()?;
            match existing {
                Some((kind, origin, base)) if origin == "builtin" => {
                    let kind = RecordKind::parse(&kind).ok_or_else(|| corrupt("a record kind", id))?;
                    if infer_kind(data).is_some_and(|k| k != kind) {
                        out.rejected.push((id.clone(), format!("{id} is a built-in {} record", kind.code())));
                        continue;
                    }
                    let base: Value = serde_json::from_str(&base).map_err(|e| corrupt("a registry record", e))?;
                    let old: Option<String> = tx
                        .query_row("SELECT data FROM registry_overrides WHERE id = ?1", [id], |r| r.get(0))
                        .optional()?;
                    let mut patch: Map<String, Value> = match &old {
                        Some(s) => serde_json::from_str(s).map_err(|e| corrupt("a registry correction", e))?,
                        None => Map::new(),
                    };
                    let before = patch.clone();
                    let changed = diff_override(&base, data);
                    for k in data.as_object().map(|o| o.keys().cloned().collect::<Vec<_>>()).unwrap_or_default() {
                        if k != "id" && k != "names" && !changed.contains_key(&k) {
                            patch.remove(&k);
                        }
                    }
                    for (k, v) in changed {
                        if k == "names" {
                            let mut names = patch.get("names").and_then(Value::as_object).cloned().unwrap_or_default();
                            for (lang, list) in v.as_object().cloned().unwrap_or_default() {
                                names.insert(lang, list);
                            }
                            patch.insert(k, Value::Object(names));
                        } else {
                            patch.insert(k, v);
                        }
                    }
                    if let Err(e) = validate(kind, &apply_override(&base, &patch)) {
                        out.rejected.push((id.clone(), e.to_string()));
                        continue;
                    }
                    if patch == before {
                        out.unchanged.push(id.clone());
                        continue;
                    }
                    save_override(&tx, id, &patch, Some(source))?;
                    out.corrected.push(id.clone());
                }
                Some((kind, _, old)) => {
                    let kind = RecordKind::parse(&kind).ok_or_else(|| corrupt("a record kind", id))?;
                    let kind = infer_kind(data).unwrap_or(kind);
                    if let Err(e) = validate(kind, data) {
                        out.rejected.push((id.clone(), e.to_string()));
                        continue;
                    }
                    if serde_json::from_str::<Value>(&old).ok().as_ref() == Some(data) {
                        out.unchanged.push(id.clone());
                        continue;
                    }
                    tx.execute(
                        "UPDATE registry_records SET kind = ?2, data = ?3, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
                         WHERE id = ?1",
                        params![id, kind.code(), data.to_string()],
                    )?;
                    out.replaced.push(id.clone());
                }
                None => {
                    let Some(kind) = infer_kind(data) else {
                        out.rejected.push((
                            id.clone(),
                            "a new record needs \"parties\" (an agreement) or \"actors\" and \"type\" (an event)"
                                .into(),
                        ));
                        continue;
                    };
                    if let Err(e) = validate(kind, data) {
                        out.rejected.push((id.clone(), e.to_string()));
                        continue;
                    }
                    tx.execute(
                        "INSERT INTO registry_records (id, kind, origin, data, version) VALUES (?1, ?2, 'user', ?3, 'user')",
                        params![id, kind.code(), data.to_string()],
                    )?;
                    out.added.push(id.clone());
                }
            }
        }
        if !(out.added.is_empty() && out.replaced.is_empty() && out.corrected.is_empty()) {
            set_meta(&tx, "relink", "1")?;
        }
        tx.commit()?;
        Ok(out)
    }

    // -------------------------------------------------------------- review: merge and split

    /// The report's key and canonical event: (document, start, end, type, canonical).
    fn report_key(tx: &Connection, event_id: i64) -> Result<Option<ReportKey>> {
        Ok(tx
            .query_row(
                "SELECT e.document_id, e.evidence_start, e.evidence_end, e.type, l.canonical_id
                 FROM events e LEFT JOIN event_links l ON l.event_id = e.id WHERE e.id = ?1",
                [event_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .optional()?)
    }

    fn event_info_tx(tx: &Connection, event_id: i64) -> Result<Option<EventInfo>> {
        let mut st = tx.prepare_cached(&format!("{EVENT_INFO_SELECT} WHERE e.id = ?1"))?;
        st.query_row([event_id], |r| Ok(event_info(r))).optional()?.transpose()
    }

    /// A reviewer (`who`) takes a report out of its canonical event: it becomes an event of its
    /// own, and stays one (the decision is kept by the report's document, evidence span and
    /// type). The audit row is written in the same transaction.
    pub fn split_report(&self, event_id: i64, reason: &str, who: &str) -> Result<ReviewOutcome> {
        self.refresh_canonical()?;
        let tx = Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)?;
        let Some((doc, start, end, ty, old)) = Self::report_key(&tx, event_id)? else {
            return Ok(ReviewOutcome::NoSuchEvent);
        };
        tx.execute(
            "INSERT INTO canonical_decisions (document_id, evidence_start, evidence_end, type, action, reason)
             VALUES (?1, ?2, ?3, ?4, 'split', ?5)
             ON CONFLICT (document_id, evidence_start, evidence_end, type) DO UPDATE SET action = 'split',
               target_document = NULL, target_start = NULL, target_end = NULL, target_type = NULL,
               reason = excluded.reason, at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')",
            params![doc, start, end, ty, reason],
        )?;
        let e = Self::event_info_tx(&tx, event_id)?.ok_or_else(|| corrupt("an event", event_id))?;
        let links_row: Option<(Option<String>, Option<String>, String)> = tx
            .query_row("SELECT agreement_why, format_why, places FROM event_links WHERE event_id = ?1", [event_id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .optional()?;
        let links = links_from_row(links_row);
        let id = new_canonical(&tx, &e)?;
        let mut why = MergeReason::rule("review-split");
        why.note = Some(reason.to_string());
        insert_link(&tx, &e, id, &links, &why, true)?;
        resummarize(&tx, id)?;
        crate::review::audit_tx(
            &tx,
            &crate::NewAudit {
                actor: who,
                action: "split",
                object: &format!("event:{event_id}"),
                before: Some(serde_json::json!({ "canonical": old })),
                after: Some(serde_json::json!({ "canonical": id })),
                reason: Some(reason),
            },
        )?;
        if let Some(old) = old {
            resummarize(&tx, old)?;
        }
        tx.commit()?;
        Ok(ReviewOutcome::Done { canonical: id })
    }

    /// A reviewer (`who`) puts a report into another canonical event (of the same type), and it
    /// stays there. The audit row is written in the same transaction.
    pub fn merge_report(&self, event_id: i64, canonical: i64, reason: &str, who: &str) -> Result<ReviewOutcome> {
        self.refresh_canonical()?;
        let tx = Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)?;
        let Some((doc, start, end, ty, old)) = Self::report_key(&tx, event_id)? else {
            return Ok(ReviewOutcome::NoSuchEvent);
        };
        let target_type: Option<String> = tx
            .query_row("SELECT type FROM canonical_events WHERE id = ?1 AND reports > 0", [canonical], |r| r.get(0))
            .optional()?;
        let Some(target_type) = target_type else { return Ok(ReviewOutcome::NoSuchCanonical) };
        if target_type != ty {
            return Ok(ReviewOutcome::TypeMismatch { event: ty, canonical: target_type });
        }
        // The decision names another report of the target, which a re-code keeps findable.
        let anchor: Option<(i64, i64, i64, String)> = tx
            .query_row(
                "SELECT e.document_id, e.evidence_start, e.evidence_end, e.type FROM event_links l
                 JOIN events e ON e.id = l.event_id WHERE l.canonical_id = ?1 AND l.event_id <> ?2 ORDER BY e.id LIMIT 1",
                params![canonical, event_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?;
        if let Some((td, ts, te, tt)) = anchor {
            tx.execute(
                "INSERT INTO canonical_decisions (document_id, evidence_start, evidence_end, type, action,
                     target_document, target_start, target_end, target_type, reason)
                 VALUES (?1, ?2, ?3, ?4, 'merge', ?5, ?6, ?7, ?8, ?9)
                 ON CONFLICT (document_id, evidence_start, evidence_end, type) DO UPDATE SET action = 'merge',
                   target_document = excluded.target_document, target_start = excluded.target_start,
                   target_end = excluded.target_end, target_type = excluded.target_type, reason = excluded.reason,
                   at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')",
                params![doc, start, end, ty, td, ts, te, tt, reason],
            )?;
        }
        let e = Self::event_info_tx(&tx, event_id)?.ok_or_else(|| corrupt("an event", event_id))?;
        let links_row: Option<(Option<String>, Option<String>, String)> = tx
            .query_row("SELECT agreement_why, format_why, places FROM event_links WHERE event_id = ?1", [event_id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .optional()?;
        let links = links_from_row(links_row);
        let mut why = MergeReason::rule("review-merge");
        why.note = Some(reason.to_string());
        insert_link(&tx, &e, canonical, &links, &why, true)?;
        resummarize(&tx, canonical)?;
        crate::review::audit_tx(
            &tx,
            &crate::NewAudit {
                actor: who,
                action: "merge",
                object: &format!("event:{event_id}"),
                before: Some(serde_json::json!({ "canonical": old })),
                after: Some(serde_json::json!({ "canonical": canonical })),
                reason: Some(reason),
            },
        )?;
        if let Some(old) = old.filter(|o| *o != canonical) {
            resummarize(&tx, old)?;
        }
        tx.commit()?;
        Ok(ReviewOutcome::Done { canonical })
    }

    /// A reviewer undoes a canonical event: every report but the first becomes an event of its
    /// own. Returns the canonical events the reports are in afterwards.
    pub fn unmerge_canonical(&self, canonical: i64, reason: &str, who: &str) -> Result<Vec<i64>> {
        self.refresh_canonical()?;
        let mut st = self.conn.prepare("SELECT event_id FROM event_links WHERE canonical_id = ?1 ORDER BY event_id")?;
        let events: Vec<i64> = st.query_map([canonical], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        drop(st);
        let mut out = Vec::new();
        for (i, ev) in events.iter().enumerate() {
            if i == 0 {
                out.push(canonical);
                continue;
            }
            if let ReviewOutcome::Done { canonical } = self.split_report(*ev, reason, who)? {
                out.push(canonical);
            }
        }
        Ok(out)
    }

    /// Forget a reviewer's decision about a report: it is linked and merged automatically again.
    pub fn clear_review(&self, event_id: i64) -> Result<ReviewOutcome> {
        let tx = Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)?;
        let Some((doc, start, end, ty, old)) = Self::report_key(&tx, event_id)? else {
            return Ok(ReviewOutcome::NoSuchEvent);
        };
        tx.execute(
            "DELETE FROM canonical_decisions WHERE document_id = ?1 AND evidence_start = ?2 AND evidence_end = ?3 AND type = ?4",
            params![doc, start, end, ty],
        )?;
        tx.execute("DELETE FROM event_links WHERE event_id = ?1", [event_id])?;
        if let Some(old) = old {
            resummarize(&tx, old)?;
        }
        tx.commit()?;
        self.refresh_canonical()?;
        let now = self.canonical_of(event_id)?;
        Ok(now.map_or(ReviewOutcome::NoSuchEvent, |c| ReviewOutcome::Done { canonical: c }))
    }
}

fn links_from_row(row: Option<(Option<String>, Option<String>, String)>) -> Links {
    let (a, f, p) = row.unwrap_or((None, None, String::new()));
    Links {
        agreement: a.and_then(|s| serde_json::from_str(&s).ok()),
        format: f.and_then(|s| serde_json::from_str(&s).ok()),
        ambiguous: vec![],
        places: p.split_whitespace().map(str::to_string).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{NewDocument, Source, Store, WriteOp};
    use hamkor_model::Event;

    fn ev(t: EventType, actors: &[&str], date: &str, text: &str, needle: &str) -> Event {
        let start = text.find(needle).expect("the needle is in the text");
        Event {
            event_type: t,
            actors: actors.iter().map(|a| ActorCode::new(a).unwrap()).collect(),
            domains: vec![Domain::Political],
            date: date.parse().ok(),
            evidence: Span::new(start, start + needle.len()),
            confidence: 0.7,
            cues: vec![],
            lexicon: "test".into(),
        }
    }

    fn doc(hash: &str, lang: &str, text: &str, events: Vec<Event>) -> WriteOp {
        WriteOp::Document(Box::new(NewDocument {
            content_hash: hash.into(),
            title: None,
            published: None,
            lang: lang.into(),
            script: "Latn".into(),
            format: "txt".into(),
            text: text.into(),
            source: Source { location: format!("/docs/{hash}.txt"), external_id: None },
            events,
            lexicon: "test".into(),
        }))
    }

    const EN: &str = "On 22 December 2022 the presidents signed the Treaty on Allied Relations in Tashkent.";
    const RU: &str = "22 декабря 2022 года президенты подписали Договор о союзнических отношениях.";
    const UZ: &str = "Prezidentlar Ittifoqchilik munosabatlari toʻgʻrisidagi shartnomani imzoladi.";

    fn three_reports(store: &mut SqliteStore) {
        let p = EventType::Partnership;
        store
            .apply(&[
                doc("a", "en", EN, vec![ev(p, &["KAZ", "UZB"], "2022-12-22", EN, EN)]),
                doc("b", "ru", RU, vec![ev(p, &["KAZ", "UZB"], "2022-12-22", RU, RU)]),
                doc("c", "uz", UZ, vec![ev(p, &["KAZ", "UZB"], "2022-12-22", UZ, UZ)]),
            ])
            .unwrap();
        // A read never links: the stage runs when asked to, after the write.
        assert!(canon(store).is_empty());
        assert_eq!(store.refresh_canonical().unwrap().linked, 3);
    }

    fn canon(store: &SqliteStore) -> Vec<CanonicalEvent> {
        store.canonical_events(&EventFilter::default()).unwrap()
    }

    #[test]
    fn a_new_store_holds_the_builtin_registry() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(&dir.path().join("s.db")).unwrap();
        let s = store.registry_status().unwrap();
        assert_eq!(s.agreements.get("builtin"), Some(&80));
        assert_eq!(s.events.get("builtin"), Some(&198));
        assert_eq!(s.builtin_version, hamkor_registry::builtin_version());
        assert!(store.registry().unwrap().agreement("ca-friendship-treaty-2022").is_some());
    }

    #[test]
    fn three_reports_in_three_languages_are_one_event_and_stay_one_after_a_recode() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = SqliteStore::open(&dir.path().join("s.db")).unwrap();
        three_reports(&mut store);
        let c = canon(&store);
        assert_eq!(c.len(), 1, "{c:#?}");
        assert_eq!(c[0].agreement.as_deref(), Some("kaz-uzb-allied-treaty-2022"));
        assert_eq!(c[0].reports.len(), 3);
        let id = c[0].id;
        // A re-code replaces a document's events (new ids): the new report finds its event again.
        let b = store.document_id_by_hash("b").unwrap().unwrap();
        let p = EventType::Partnership;
        store
            .apply(&[WriteOp::Recoded {
                document_id: b,
                events: vec![ev(p, &["KAZ", "UZB"], "2022-12-22", RU, RU)],
                lexicon: "test2".into(),
            }])
            .unwrap();
        store.refresh_canonical().unwrap();
        let c = canon(&store);
        assert_eq!(c.len(), 1, "{c:#?}");
        assert_eq!(c[0].id, id, "the canonical event keeps its id");
        assert_eq!(c[0].reports.len(), 3);
        // The merge is explained.
        let d = store.canonical_event(id).unwrap().unwrap();
        assert!(d.reports.iter().filter(|r| r.merge.rule == "same-day").count() >= 2, "{d:#?}");
        assert!(d.reports.iter().all(|r| r.agreement.as_ref().is_some_and(|a| a.id == "kaz-uzb-allied-treaty-2022")));
    }

    #[test]
    fn a_reviewer_splits_and_the_split_survives_a_recode_until_cleared() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = SqliteStore::open(&dir.path().join("s.db")).unwrap();
        three_reports(&mut store);
        let c = canon(&store);
        let ru_event = c[0].reports.iter().find(|r| r.lang == "ru").unwrap().event_id;
        let out = store.split_report(ru_event, "the Russian text is about another signing", "Reviewer").unwrap();
        assert!(matches!(out, ReviewOutcome::Done { .. }));
        assert_eq!(canon(&store).len(), 2);
        let b = store.document_id_by_hash("b").unwrap().unwrap();
        store
            .apply(&[WriteOp::Recoded {
                document_id: b,
                events: vec![ev(EventType::Partnership, &["KAZ", "UZB"], "2022-12-22", RU, RU)],
                lexicon: "test2".into(),
            }])
            .unwrap();
        store.refresh_canonical().unwrap();
        let c = canon(&store);
        assert_eq!(c.len(), 2, "the reviewer's split is kept by the report, not the event id");
        let new_ru = c.iter().flat_map(|e| e.reports.iter()).find(|r| r.lang == "ru").unwrap().event_id;
        let d = store.canonical_event(store.canonical_of(new_ru).unwrap().unwrap()).unwrap().unwrap();
        assert!(d.reports[0].pinned && d.reports[0].merge.rule == "review-split");
        // Undo: the report is merged automatically again.
        store.clear_review(new_ru).unwrap();
        assert_eq!(canon(&store).len(), 1);
        // A manual merge of a report into another event of the same type, and its refusal for another type.
        let (a_id, other) = {
            let c = canon(&store);
            (c[0].reports[0].event_id, c[0].id)
        };
        assert_eq!(store.merge_report(a_id, other, "same", "Reviewer").unwrap(), ReviewOutcome::Done { canonical: other });
        assert_eq!(store.unmerge_canonical(other, "undo", "Reviewer").unwrap().len(), 3);
        assert_eq!(canon(&store).len(), 3);
    }

    #[test]
    fn an_edited_event_is_linked_again() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = SqliteStore::open(&dir.path().join("s.db")).unwrap();
        three_reports(&mut store);
        assert_eq!(canon(&store).len(), 1);
        let ev_id = canon(&store)[0].reports[0].event_id;
        store
            .conn
            .execute(
                "UPDATE events SET date = '2023-12-22', date_lo = '2023-12-22', date_hi = '2023-12-22' WHERE id = ?1",
                [ev_id],
            )
            .unwrap();
        store.refresh_canonical().unwrap();
        let c = canon(&store);
        assert_eq!(c.len(), 2, "{c:#?}");
        assert_eq!(
            store
                .canonical_event(store.canonical_of(ev_id).unwrap().unwrap())
                .unwrap()
                .unwrap()
                .event
                .date
                .unwrap()
                .year,
            2023
        );
    }

    #[test]
    fn a_users_corrections_and_records_survive_a_new_builtin_version() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        let store = SqliteStore::open(&path).unwrap();
        let lines = vec![
            (
                "ca-friendship-treaty-2022".to_string(),
                serde_json::json!({"id": "ca-friendship-treaty-2022", "place": "Cholpon-Ata (Issyk-Kul)"}),
            ),
            (
                "my-agreement-2024".to_string(),
                serde_json::json!({"id": "my-agreement-2024", "name_en": "Our own agreement", "kind": "agreement",
                    "parties": ["KAZ", "UZB"], "signed": "2024-01-02", "domains": ["water"], "sources": ["https://example.org/a"],
                    "names": {"en": ["our own agreement"]}}),
            ),
            ("bad".to_string(), serde_json::json!({"id": "bad", "parties": []})),
        ];
        let s = store.import_registry(&lines, "test.jsonl").unwrap();
        assert_eq!(s.corrected, ["ca-friendship-treaty-2022"]);
        assert_eq!(s.added, ["my-agreement-2024"]);
        assert_eq!(s.rejected.len(), 1);
        drop(store);
        // A "newer" built-in registry: another version, and a changed built-in row.
        {
            let c = rusqlite::Connection::open(&path).unwrap();
            c.execute("UPDATE registry_meta SET value = 'old' WHERE key = 'builtin_version'", []).unwrap();
            c.execute("UPDATE registry_records SET data = json_set(data, '$.notes', 'stale') WHERE id = 'ca-friendship-treaty-2022'", [])
                .unwrap();
        }
        let store = SqliteStore::open(&path).unwrap();
        let reg = store.registry().unwrap();
        let f = reg.agreement("ca-friendship-treaty-2022").unwrap();
        assert_eq!(f.place.as_deref(), Some("Cholpon-Ata (Issyk-Kul)"), "the user's correction wins");
        assert_ne!(f.notes, "stale", "the built-in row was replaced");
        assert!(f.overridden);
        let mine = reg.agreement("my-agreement-2024").unwrap();
        assert_eq!(mine.origin, Origin::User);
        // Importing the built-in value again drops the correction.
        let s = store
            .import_registry(
                &[(
                    "ca-friendship-treaty-2022".into(),
                    serde_json::json!({"id": "ca-friendship-treaty-2022", "place": "Cholpon-Ata"}),
                )],
                "t",
            )
            .unwrap();
        assert_eq!(s.corrected, ["ca-friendship-treaty-2022"]);
        assert!(!store.registry().unwrap().agreement("ca-friendship-treaty-2022").unwrap().overridden);
    }
}
