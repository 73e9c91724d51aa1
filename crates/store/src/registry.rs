//! The registry in the store: its records (built-in, the user's own, the user's corrections),
//! the links from coded events to agreements and formats, and canonical events — one happening
//! with all the reports of it. The store keeps the rows; it decides nothing.
//!
//! - **Records.** [`SqliteStore::registry_rows`] hands the rows out (the registry crate reads
//!   them); [`SqliteStore::seed_registry`] and [`SqliteStore::apply_registry_changes`] write
//!   what the registry decided for a new built-in version or a user's import, in one
//!   transaction each.
//! - **Linking.** The store implements [`LinkStore`], the narrow seam over which the linking
//!   stage (`hamkor_registry::stage`) runs: the reports not linked yet, the candidates a report
//!   could join, a canonical event's reports; a link, a summary. The stage is run explicitly
//!   after every write (`hamkor_app::link`), never from a read: reads see what the last write
//!   left, and the server's readers are opened `query_only` so that a read that tried to write
//!   would fail.
//! - **Review.** [`SqliteStore::split_report`], [`SqliteStore::merge_report`],
//!   [`SqliteStore::unmerge_canonical`] and [`SqliteStore::clear_review`] record a reviewer's
//!   decision by the report itself (document, evidence span, type), so that it survives a
//!   re-code, and pin the report where the reviewer put it, with the audit row in the same
//!   transaction. The canonical events they touched are summarised again by the next run of
//!   the stage.

use crate::{date_bounds, Error, EventFilter, Result, SqliteStore};
use hamkor_model::link::{
    AgreementLink, CandidateRow, CodedStep, FormatLink, LinkInput, LinkRules, LinkState, LinkStore, Links, MergeReason,
    RecordRow, RegistryChange, Report, ReviewDecision, StoredLink, Summary,
};
use hamkor_model::{ActorCode, CanonicalEvent, EventType, PartialDate, ReportRef, Span};
use rusqlite::types::{Value as SqlValue, ValueRef};
use rusqlite::{params, Connection, OptionalExtension, Transaction, TransactionBehavior};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// A report's document, evidence span and type, and its canonical event.
type ReportKey = (i64, i64, i64, String, Option<i64>);


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


// ------------------------------------------------------------------ records

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

fn save_override(tx: &Connection, id: &str, patch: Option<&str>, source: Option<&str>) -> Result<()> {
    match patch {
        None => {
            tx.execute("DELETE FROM registry_overrides WHERE id = ?1", [id])?;
        }
        Some(patch) => {
            tx.execute(
                "INSERT INTO registry_overrides (id, data, source) VALUES (?1, ?2, ?3)
                 ON CONFLICT (id) DO UPDATE SET data = excluded.data, source = excluded.source,
                   updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')",
                params![id, patch, source],
            )?;
        }
    }
    Ok(())
}

impl SqliteStore {
    /// The version of the built-in registry this store holds (none before the first seeding).
    pub fn registry_version(&self) -> Result<Option<String>> {
        get_meta(&self.conn, "builtin_version")
    }

    /// Every registry record with the user's correction of it, by kind, origin and id.
    pub fn registry_rows(&self) -> Result<Vec<RecordRow>> {
        let mut st = self.conn.prepare(
            "SELECT r.id, r.kind, r.origin, r.data, o.data FROM registry_records r
             LEFT JOIN registry_overrides o ON o.id = r.id ORDER BY r.kind, r.origin, r.id",
        )?;
        let rows = st.query_map([], |r| {
            Ok(RecordRow { id: r.get(0)?, kind: r.get(1)?, origin: r.get(2)?, data: r.get(3)?, correction: r.get(4)? })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Replace the built-in registry rows by `records` (`id`, `kind`, JSON) of `version`, in
    /// one transaction; a user's own record with one of their ids becomes the correction given
    /// in `corrections` (`None`: nothing differs). The user's other rows and corrections stay.
    /// The links are to be made again (the next run of the linking stage). False when the store
    /// already held `version` (another process may have seeded while this one waited).
    pub fn seed_registry(
        &self,
        version: &str,
        records: &[(String, String, String)],
        corrections: &[(String, Option<String>)],
    ) -> Result<bool> {
        let tx = Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)?;
        if get_meta(&tx, "builtin_version")?.as_deref() == Some(version) {
            return Ok(false);
        }
        tx.execute("DELETE FROM registry_records WHERE origin = 'builtin'", [])?;
        for (id, patch) in corrections {
            save_override(&tx, id, patch.as_deref(), Some("an earlier user record"))?;
            tx.execute("DELETE FROM registry_records WHERE id = ?1", [id])?;
        }
        for (id, kind, data) in records {
            tx.execute(
                "INSERT INTO registry_records (id, kind, origin, data, version) VALUES (?1, ?2, 'builtin', ?3, ?4)",
                params![id, kind, data, version],
            )?;
        }
        set_meta(&tx, "builtin_version", version)?;
        set_meta(&tx, "relink", "1")?;
        tx.commit()?;
        Ok(true)
    }

    /// Write what an import decided (`hamkor_registry::plan_import`), in one transaction; the
    /// links are to be made again when anything changed.
    pub fn apply_registry_changes(&self, changes: &[RegistryChange], source: &str) -> Result<()> {
        let tx = Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)?;
        for c in changes {
            match c {
                RegistryChange::Add { id, kind, data } => {
                    tx.execute(
                        "INSERT INTO registry_records (id, kind, origin, data, version) VALUES (?1, ?2, 'user', ?3, 'user')",
                        params![id, kind, data],
                    )?;
                }
                RegistryChange::Replace { id, kind, data } => {
                    tx.execute(
                        "UPDATE registry_records SET kind = ?2, data = ?3, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
                         WHERE id = ?1",
                        params![id, kind, data],
                    )?;
                }
                RegistryChange::Correct { id, patch } => save_override(&tx, id, patch.as_deref(), Some(source))?,
            }
        }
        if !changes.is_empty() {
            set_meta(&tx, "relink", "1")?;
        }
        tx.commit()?;
        Ok(())
    }
}

// ------------------------------------------------------------------ linking: the stage's seam

/// The event's fingerprint when linked: its type, actors and date as stored (an event edited
/// since is linked again), over `events e`.
const FINGERPRINT_SQL: &str = "e.type || '|' || e.actors || '|' || coalesce(e.date, '')";

const EVENT_INFO_SELECT: &str = "SELECT e.id, e.document_id, e.type, e.actors, e.domains, e.date,
        e.evidence_start, e.evidence_end,
        CAST(substr(CAST(d.text AS BLOB), e.evidence_start + 1, e.evidence_end - e.evidence_start) AS TEXT)
     FROM events e JOIN documents d ON d.id = e.document_id";

fn event_info(r: &rusqlite::Row<'_>) -> Result<LinkInput> {
    Ok(LinkInput {
        event_id: r.get(0)?,
        document_id: r.get(1)?,
        event_type: r.get::<_, String>(2)?.parse().map_err(|e| corrupt("an event type", e))?,
        actors: json_codes(&r.get::<_, String>(3)?)?,
        domains: json_codes(&r.get::<_, String>(4)?)?,
        date: parse_date(r.get(5)?)?,
        evidence: Span::new(r.get::<_, i64>(6)? as usize, r.get::<_, i64>(7)? as usize),
        evidence_text: r.get::<_, Option<String>>(8)?.unwrap_or_default(),
    })
}

/// A canonical event whose dates span more than this many days is "wide" (a report dated only
/// by year); the others are found by a short range of their first day.
const WIDE_DAYS: i64 = 34;

fn ids(conn: &Connection, sql: &str) -> Result<Vec<i64>> {
    let mut st = conn.prepare(sql)?;
    let v = st.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    Ok(v)
}

fn write_link_row(
    tx: &Connection,
    event_id: i64,
    canonical: i64,
    agreement: (Option<String>, Option<String>),
    format: (Option<String>, Option<i64>, Option<String>),
    reason: &MergeReason,
    pinned: bool,
    places: &str,
) -> Result<()> {
    tx.prepare_cached(&format!(
        "INSERT INTO event_links (event_id, canonical_id, fingerprint, agreement, agreement_why, format, edition,
                                  format_why, merge_rule, merge_why, pinned, places)
         SELECT ?1, ?2, {FINGERPRINT_SQL}, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11 FROM events e WHERE e.id = ?1
         ON CONFLICT (event_id) DO UPDATE SET canonical_id = excluded.canonical_id, fingerprint = excluded.fingerprint,
           agreement = excluded.agreement, agreement_why = excluded.agreement_why, format = excluded.format,
           edition = excluded.edition, format_why = excluded.format_why, merge_rule = excluded.merge_rule,
           merge_why = excluded.merge_why, pinned = excluded.pinned, places = excluded.places,
           linked_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
    ))?
    .execute(params![
        event_id,
        canonical,
        agreement.0,
        agreement.1,
        format.0,
        format.1,
        format.2,
        reason.rule,
        serde_json::to_string(reason).expect("a reason serialises"),
        pinned as i64,
        places
    ])?;
    Ok(())
}

impl LinkStore for SqliteStore {
    type Error = Error;

    fn link_state(&self) -> Result<LinkState> {
        let c = &self.conn;
        let count = |sql: &str| -> Result<u64> { Ok(c.query_row(sql, [], |r| r.get::<_, i64>(0))? as u64) };
        Ok(LinkState {
            events: count("SELECT count(*) FROM events")?,
            linked: count("SELECT count(*) FROM event_links")?,
            stale: count(&format!(
                "SELECT count(*) FROM event_links l JOIN events e ON e.id = l.event_id
                 WHERE l.pinned = 0 AND l.fingerprint <> {FINGERPRINT_SQL}"
            ))?,
            uneven: count(
                "SELECT count(*) FROM canonical_events c
                 WHERE c.reports <> (SELECT count(*) FROM event_links l WHERE l.canonical_id = c.id)",
            )?,
            registry_changed: get_meta(c, "relink")?.as_deref() == Some("1"),
            link_version: get_meta(c, "link_version")?,
        })
    }

    fn link_rules(&self) -> Result<LinkRules> {
        let c = &self.conn;
        Ok(LinkRules {
            any_events: c.query_row("SELECT EXISTS (SELECT 1 FROM events)", [], |r| r.get(0))?,
            registry_changed: get_meta(c, "relink")?.as_deref() == Some("1"),
            link_version: get_meta(c, "link_version")?,
        })
    }

    fn begin(&self) -> Result<()> {
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        Ok(())
    }

    fn commit(&self) -> Result<()> {
        self.conn.execute_batch("COMMIT")?;
        Ok(())
    }

    fn rollback(&self) -> Result<()> {
        self.conn.execute_batch("ROLLBACK")?;
        Ok(())
    }

    fn mark_linked(&self, link_version: &str) -> Result<()> {
        set_meta(&self.conn, "relink", "0")?;
        set_meta(&self.conn, "link_version", link_version)
    }

    fn unlink_stale(&self) -> Result<Vec<i64>> {
        let mut st = self.conn.prepare(&format!(
            "SELECT l.event_id, l.canonical_id FROM event_links l JOIN events e ON e.id = l.event_id
             WHERE l.pinned = 0 AND l.fingerprint <> {FINGERPRINT_SQL}"
        ))?;
        let rows: Vec<(i64, i64)> = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
        drop(st);
        let mut out = Vec::with_capacity(rows.len());
        for (ev, c) in rows {
            self.conn.execute("DELETE FROM event_links WHERE event_id = ?1", [ev])?;
            out.push(c);
        }
        Ok(out)
    }

    fn unlink_automatic(&self) -> Result<u64> {
        Ok(self.conn.execute("DELETE FROM event_links WHERE pinned = 0", [])? as u64)
    }

    fn automatic_links(&self) -> Result<Vec<StoredLink>> {
        let mut st = self.conn.prepare(&format!(
            "{EVENT_INFO_SELECT} JOIN event_links l ON l.event_id = e.id WHERE l.pinned = 0 ORDER BY e.id"
        ))?;
        let mut rows = st.query([])?;
        let mut infos = Vec::new();
        while let Some(r) = rows.next()? {
            infos.push(event_info(r)?);
        }
        drop(rows);
        drop(st);
        let mut out = Vec::with_capacity(infos.len());
        for input in infos {
            let (agreement, format, edition, canonical): (Option<String>, Option<String>, Option<i64>, i64) =
                self.conn.query_row(
                    "SELECT agreement, format, edition, canonical_id FROM event_links WHERE event_id = ?1",
                    [input.event_id],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                )?;
            out.push(StoredLink { input, agreement, format, edition: edition.map(|n| n as u32), canonical });
        }
        Ok(out)
    }

    fn unlink(&self, event_id: i64) -> Result<()> {
        self.conn.execute("DELETE FROM event_links WHERE event_id = ?1", [event_id])?;
        Ok(())
    }

    fn set_agreement_why(&self, event_id: i64, why: &AgreementLink) -> Result<()> {
        self.conn.execute(
            "UPDATE event_links SET agreement_why = ?2 WHERE event_id = ?1",
            params![event_id, serde_json::to_string(why).expect("a link serialises")],
        )?;
        Ok(())
    }

    fn uneven_canonicals(&self) -> Result<Vec<i64>> {
        ids(
            &self.conn,
            "SELECT c.id FROM canonical_events c
             WHERE c.reports <> (SELECT count(*) FROM event_links l WHERE l.canonical_id = c.id)",
        )
    }

    fn unlinked(&self) -> Result<Vec<i64>> {
        let all = ids(
            &self.conn,
            "SELECT e.id FROM events e LEFT JOIN event_links l ON l.event_id = e.id
             WHERE l.event_id IS NULL
             ORDER BY e.date IS NULL, length(e.date) DESC, e.date_lo, e.id",
        )?;
        let with_decision = ids(
            &self.conn,
            "SELECT e.id FROM events e JOIN canonical_decisions k ON k.document_id = e.document_id
               AND k.evidence_start = e.evidence_start AND k.evidence_end = e.evidence_end AND k.type = e.type",
        )?;
        let (mut ordered, decided): (Vec<i64>, Vec<i64>) = all.into_iter().partition(|id| !with_decision.contains(id));
        ordered.extend(decided);
        Ok(ordered)
    }

    fn unlinked_input(&self, event_id: i64) -> Result<Option<LinkInput>> {
        let mut st = self.conn.prepare_cached(&format!(
            "{EVENT_INFO_SELECT} LEFT JOIN event_links l ON l.event_id = e.id WHERE e.id = ?1 AND l.event_id IS NULL"
        ))?;
        st.query_row([event_id], |r| Ok(event_info(r))).optional()?.transpose()
    }

    fn review_decision(&self, e: &LinkInput) -> Result<Option<ReviewDecision>> {
        type Row = (String, Option<i64>, Option<i64>, Option<i64>, Option<String>);
        // Asked for every report linked: a cached statement.
        let row: Option<Row> = self
            .conn
            .prepare_cached(
                "SELECT action, target_document, target_start, target_end, target_type FROM canonical_decisions
                 WHERE document_id = ?1 AND evidence_start = ?2 AND evidence_end = ?3 AND type = ?4",
            )?
            .query_row(params![e.document_id, e.evidence.start as i64, e.evidence.end as i64, e.event_type.code()], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })
            .optional()?;
        let Some((action, td, ts, te, tt)) = row else { return Ok(None) };
        if action == "split" {
            return Ok(Some(ReviewDecision::Split));
        }
        let target = match (td, ts, te, tt) {
            (Some(td), Some(ts), Some(te), Some(tt)) => self
                .conn
                .query_row(
                    "SELECT l.canonical_id FROM events e JOIN event_links l ON l.event_id = e.id
                     WHERE e.document_id = ?1 AND e.evidence_start = ?2 AND e.evidence_end = ?3 AND e.type = ?4",
                    params![td, ts, te, tt],
                    |r| r.get(0),
                )
                .optional()?,
            _ => None,
        };
        Ok(Some(ReviewDecision::Merge(target)))
    }

    fn candidates(
        &self,
        event_type: EventType,
        lo: i64,
        hi: i64,
        slack: i64,
        actors: Option<&[ActorCode]>,
    ) -> Result<Vec<CandidateRow>> {
        let mut found: Vec<(i64, String, Option<String>)> = Vec::new();
        // The summaries' actors are written as this JSON (write_summary): equal lists, equal text.
        let actors = actors.map(|a| serde_json::to_string(a).expect("codes serialise"));
        // Narrow events start at most WIDE_DAYS before the window; wide ones within a year of it.
        // The index on (type, wide, date_lo, date_hi, actors, agreement) answers it alone.
        for (wide, reach) in [(0, WIDE_DAYS + slack), (1, 370)] {
            let mut st = self.conn.prepare_cached(
                "SELECT id, actors, agreement FROM canonical_events
                 WHERE type = ?1 AND wide = ?2 AND date_lo >= ?3 AND date_lo <= ?5 AND date_hi >= ?4
                   AND (?6 IS NULL OR actors = ?6)",
            )?;
            let rows = st.query_map(
                params![
                    event_type.code(),
                    wide,
                    day_string(lo - reach),
                    day_string(lo - slack),
                    day_string(hi + slack),
                    actors
                ],
                |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, Option<String>>(2)?)),
            )?;
            for row in rows {
                found.push(row?);
            }
        }
        found.sort_by_key(|f| f.0);
        found.dedup_by_key(|f| f.0);
        found
            .into_iter()
            .map(|(id, actors, agreement)| Ok(CandidateRow { id, actors: json_codes(&actors)?, agreement }))
            .collect()
    }

    fn canonical_reports(&self, canonical: i64) -> Result<Vec<(Report, usize)>> {
        let mut st = self.conn.prepare_cached(
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

    fn has_report_from(&self, canonical: i64, document_id: i64) -> Result<bool> {
        let mut st = self.conn.prepare_cached(
            "SELECT 1 FROM event_links l JOIN events e ON e.id = l.event_id WHERE l.canonical_id = ?1 AND e.document_id = ?2",
        )?;
        Ok(st.exists(params![canonical, document_id])?)
    }

    fn new_canonical(&self, event_type: EventType) -> Result<i64> {
        self.conn
            .prepare_cached("INSERT INTO canonical_events (type, actors, domains) VALUES (?1, '[]', '[]')")?
            .execute([event_type.code()])?;
        Ok(self.conn.last_insert_rowid())
    }

    fn write_link(&self, e: &LinkInput, canonical: i64, links: &Links, reason: &MergeReason, pinned: bool) -> Result<()> {
        write_link_row(
            &self.conn,
            e.event_id,
            canonical,
            (
                links.agreement.as_ref().map(|a| a.id.clone()),
                links.agreement.as_ref().map(|a| serde_json::to_string(a).expect("a link serialises")),
            ),
            (
                links.format.as_ref().map(|f| f.id.clone()),
                links.format.as_ref().and_then(|f| f.edition).map(|n| n as i64),
                links.format.as_ref().map(|f| serde_json::to_string(f).expect("a link serialises")),
            ),
            reason,
            pinned,
            &links.places.join(" "),
        )
    }

    fn write_summary(&self, canonical: i64, s: &Summary, count: usize) -> Result<()> {
        let (lo, hi, wide) = match s.range {
            Some((lo, hi)) => (Some(day_string(lo)), Some(day_string(hi)), hi - lo > WIDE_DAYS),
            None => (None, None, false),
        };
        self.conn
            .prepare_cached(
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
        Ok(())
    }

    fn delete_canonical(&self, canonical: i64) -> Result<()> {
        self.conn.execute("DELETE FROM canonical_events WHERE id = ?1", [canonical])?;
        Ok(())
    }
}

impl SqliteStore {
    /// Canonical events that pass `filter`, sorted by date then id, each with its reports.
    ///
    /// The filter (`hamkor_model::Filter`): actors (all must take part), type, domain, dates (an
    /// undated canonical event uses its reports' documents' dates), language, document, source
    /// and review state (some report must match), limit. Reads only: reports written since
    /// the last run of the linking stage are not in any canonical event yet.
    pub fn canonical_events(&self, filter: &EventFilter) -> Result<Vec<CanonicalEvent>> {
        self.canonical_events_with(filter, true)
    }

    /// [`SqliteStore::canonical_events`], the reports without their evidence sentences and
    /// sources (left empty) when `texts` is false.
    pub(crate) fn canonical_events_with(&self, filter: &EventFilter, texts: bool) -> Result<Vec<CanonicalEvent>> {
        let (sql, args) = canonical_selection(filter);
        self.select_canonical_with(&sql, args, texts)
    }
}

/// The query that selects the ids of the canonical events passing `filter`, in their order, and
/// its arguments.
fn canonical_selection(filter: &EventFilter) -> (String, Vec<SqlValue>) {
    let mut sql = String::from("SELECT c.id FROM canonical_events c WHERE c.reports > 0");
    let mut args: Vec<SqlValue> = Vec::new();
    let mut arg = |v: SqlValue, sql: &mut String| {
        args.push(v);
        sql.push_str(&format!("?{}", args.len()));
    };
    for a in &filter.actors {
        sql.push_str(" AND EXISTS (SELECT 1 FROM json_each(c.actors) WHERE value = ");
        arg(SqlValue::Text(a.as_str().to_string()), &mut sql);
        sql.push(')');
    }
    if let Some(t) = &filter.event_type {
        sql.push_str(" AND c.type = ");
        arg(SqlValue::Text(t.code().to_string()), &mut sql);
    }
    if let Some(d) = &filter.domain {
        sql.push_str(" AND EXISTS (SELECT 1 FROM json_each(c.domains) WHERE value = ");
        arg(SqlValue::Text(d.code().to_string()), &mut sql);
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
    if let Some(src) = &filter.source {
        sql.push_str(
            " AND EXISTS (SELECT 1 FROM event_links l JOIN events e ON e.id = l.event_id
               JOIN sources s ON s.document_id = e.document_id WHERE l.canonical_id = c.id AND instr(s.location, ",
        );
        arg(SqlValue::Text(src.clone()), &mut sql);
        sql.push_str(") > 0)");
    }
    if let Some(r) = filter.review {
        sql.push_str(
            " AND EXISTS (SELECT 1 FROM event_links l JOIN events e ON e.id = l.event_id
               WHERE l.canonical_id = c.id AND ",
        );
        sql.push_str(if r == hamkor_model::ReviewState::Reviewed { "e.reviewed <> 0)" } else { "e.reviewed = 0)" });
    }
    sql.push_str(" ORDER BY c.date_lo IS NULL, c.date_lo, c.id");
    if let Some(limit) = filter.limit {
        sql.push_str(&format!(" LIMIT {limit}"));
    }
    (sql, args)
}

/// Values by row id, for joining in memory: a vector indexed by the id when the ids are dense
/// (SQLite numbers rows from 1), else a hash map.
enum ById<T> {
    Dense(Vec<Option<T>>),
    Sparse(HashMap<i64, T>),
}

impl<T> ById<T> {
    fn new(rows: Vec<(i64, T)>) -> ById<T> {
        let max = rows.iter().map(|(id, _)| *id).max().unwrap_or(0);
        let min = rows.iter().map(|(id, _)| *id).min().unwrap_or(0);
        if min >= 0 && max <= 4 * rows.len() as i64 + 1024 {
            let mut v: Vec<Option<T>> = std::iter::repeat_with(|| None).take(max as usize + 1).collect();
            for (id, x) in rows {
                v[id as usize] = Some(x);
            }
            ById::Dense(v)
        } else {
            ById::Sparse(rows.into_iter().collect())
        }
    }

    fn get(&self, id: i64) -> Option<&T> {
        match self {
            ById::Dense(v) => usize::try_from(id).ok().and_then(|i| v.get(i)).and_then(Option::as_ref),
            ById::Sparse(m) => m.get(&id),
        }
    }
}

/// An event no report dates takes the earliest publication date of its reports' documents;
/// sorted by date, then id.
fn finish_canonical(mut out: Vec<CanonicalEvent>) -> Vec<CanonicalEvent> {
    for e in &mut out {
        if e.date.is_none() {
            e.date = e.reports.iter().filter_map(|r| r.published).min_by_key(|d| d.to_days());
            e.date_from_document = e.date.is_some();
        }
    }
    hamkor_model::sort_events(&mut out);
    out
}

impl SqliteStore {
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
        self.select_canonical_with(sel_sql, args, true)
    }

    /// [`SqliteStore::select_canonical`]; without evidence sentences and sources when `texts`
    /// is false.
    fn select_canonical_with(&self, sel_sql: &str, args: Vec<SqlValue>, texts: bool) -> Result<Vec<CanonicalEvent>> {
        let (mut out, index) = self.canonical_rows(sel_sql, &args)?;
        self.joined_reports(sel_sql, &args, texts, &mut out, &index)?;
        Ok(finish_canonical(out))
    }

    /// The canonical events `sel_sql` selects, without their reports, and the position of each
    /// id among them.
    fn canonical_rows(&self, sel_sql: &str, args: &[SqlValue]) -> Result<(Vec<CanonicalEvent>, HashMap<i64, usize>)> {
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
        Ok((out, index))
    }

    /// The reports of the selected canonical events (`index`: their positions in `out`), in one
    /// query that looks each report's event and document up: the way for a few events.
    fn joined_reports(
        &self,
        sel_sql: &str,
        args: &[SqlValue],
        texts: bool,
        out: &mut [CanonicalEvent],
        index: &HashMap<i64, usize>,
    ) -> Result<()> {
        let (source, evidence) = if texts {
            (
                "(SELECT location FROM sources s WHERE s.document_id = d.id ORDER BY s.id LIMIT 1)",
                "CAST(substr(CAST(d.text AS BLOB), e.evidence_start + 1, e.evidence_end - e.evidence_start) AS TEXT)",
            )
        } else {
            ("NULL", "NULL")
        };
        let mut st = self.conn.prepare(&format!(
            "WITH sel AS ({sel_sql})
             SELECT l.canonical_id, e.id, e.document_id, e.evidence_start, e.evidence_end, d.lang,
                    {source}, {evidence}, d.published
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
        Ok(())
    }

    /// The canonical events that pass `filter`, for counting: see
    /// [`SqliteStore::analysis_events_for_counts`].
    ///
    /// When a good part of the canonical events is selected, their reports are read by scanning
    /// three narrow indexes (links by canonical event, events by document, documents by
    /// language) and joined here, instead of a look-up of each report's event and document,
    /// which at archive size costs most of the time.
    pub(crate) fn canonical_events_for_counts(&self, filter: &EventFilter) -> Result<Vec<CanonicalEvent>> {
        let (sel_sql, args) = canonical_selection(filter);
        let (mut out, index) = self.canonical_rows(&sel_sql, &args)?;
        let all: i64 =
            self.conn.query_row("SELECT count(*) FROM canonical_events WHERE reports > 0", [], |r| r.get(0))?;
        if (out.len() as i64) * 4 < all {
            self.joined_reports(&sel_sql, &args, false, &mut out, &index)?;
            for r in out.iter_mut().flat_map(|e| e.reports.iter_mut()) {
                r.evidence = Span::new(r.evidence.start, r.evidence.start);
            }
        } else {
            self.scanned_reports(&mut out, &index)?;
        }
        Ok(finish_canonical(out))
    }

    /// The reports of the canonical events in `index` (their positions in `out`), by three
    /// scans joined in memory; in the order [`SqliteStore::joined_reports`] gives them.
    fn scanned_reports(&self, out: &mut [CanonicalEvent], index: &HashMap<i64, usize>) -> Result<()> {
        let index = ById::new(index.iter().map(|(&id, &i)| (id, i)).collect());
        // Documents: their language (interned) and publication date.
        let mut langs: Vec<String> = Vec::new();
        let mut docs: Vec<(i64, (usize, Option<PartialDate>))> = Vec::new();
        let mut st = self.conn.prepare("SELECT id, lang, published FROM documents")?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            let lang = r.get_ref(1)?.as_str().map_err(|e| corrupt("a language", e))?;
            let l = match langs.iter().position(|x| x == lang) {
                Some(l) => l,
                None => {
                    langs.push(lang.to_string());
                    langs.len() - 1
                }
            };
            let published = match r.get_ref(2)? {
                ValueRef::Text(t) => std::str::from_utf8(t).ok().and_then(|p| p.parse().ok()),
                _ => None,
            };
            docs.push((r.get(0)?, (l, published)));
        }
        drop(rows);
        drop(st);
        let docs = ById::new(docs);
        // Events: their document and evidence start.
        let mut events: Vec<(i64, (i64, i64))> = Vec::new();
        let mut st = self.conn.prepare("SELECT id, document_id, evidence_start FROM events")?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            events.push((r.get(0)?, (r.get(1)?, r.get(2)?)));
        }
        drop(rows);
        drop(st);
        let events = ById::new(events);
        // Links: every report of a selected canonical event. Foreign keys keep a link's event
        // and document; a missing one would be dropped, as the join drops it.
        let mut st = self.conn.prepare("SELECT canonical_id, event_id FROM event_links")?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            let Some(&i) = index.get(r.get(0)?) else { continue };
            let event_id: i64 = r.get(1)?;
            let Some(&(document_id, start)) = events.get(event_id) else { continue };
            let Some(&(l, published)) = docs.get(document_id) else { continue };
            out[i].reports.push(ReportRef {
                event_id,
                document_id,
                evidence: Span::new(start as usize, start as usize),
                lang: langs[l].clone(),
                source: String::new(),
                evidence_text: String::new(),
                published,
            });
        }
        for e in out.iter_mut() {
            e.reports.sort_unstable_by_key(|r| (r.document_id, r.evidence.start, r.event_id));
        }
        Ok(())
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

    /// Put a report into `canonical` as a reviewer's decision, keeping what it is linked to.
    fn pin_link(tx: &Connection, event_id: i64, canonical: i64, why: &MergeReason) -> Result<()> {
        type Row = (Option<String>, Option<String>, Option<String>, Option<i64>, Option<String>, String);
        let row: Option<Row> = tx
            .query_row(
                "SELECT agreement, agreement_why, format, edition, format_why, places FROM event_links WHERE event_id = ?1",
                [event_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
            )
            .optional()?;
        let (a, aw, f, ed, fw, places) = row.unwrap_or((None, None, None, None, None, String::new()));
        write_link_row(tx, event_id, canonical, (a, aw), (f, ed, fw), why, true, &places)
    }

    /// A reviewer (`who`) takes a report out of its canonical event: it becomes an event of its
    /// own, and stays one (the decision is kept by the report's document, evidence span and
    /// type). The audit row is written in the same transaction. Run the linking stage before
    /// (so that the report is linked) and after (to summarise the events it touched).
    pub fn split_report(&self, event_id: i64, reason: &str, who: &str) -> Result<ReviewOutcome> {
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
        tx.prepare_cached("INSERT INTO canonical_events (type, actors, domains) VALUES (?1, '[]', '[]')")?.execute([&ty])?;
        let id = tx.last_insert_rowid();
        let mut why = MergeReason::rule("review-split");
        why.note = Some(reason.to_string());
        Self::pin_link(&tx, event_id, id, &why)?;
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
        tx.commit()?;
        Ok(ReviewOutcome::Done { canonical: id })
    }

    /// A reviewer (`who`) puts a report into another canonical event (of the same type), and it
    /// stays there. The audit row is written in the same transaction. Run the linking stage
    /// before and after, as for [`SqliteStore::split_report`].
    pub fn merge_report(&self, event_id: i64, canonical: i64, reason: &str, who: &str) -> Result<ReviewOutcome> {
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
        let mut why = MergeReason::rule("review-merge");
        why.note = Some(reason.to_string());
        Self::pin_link(&tx, event_id, canonical, &why)?;
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
        tx.commit()?;
        Ok(ReviewOutcome::Done { canonical })
    }

    /// The reports of a canonical event, by event id.
    pub fn canonical_reports_of(&self, canonical: i64) -> Result<Vec<i64>> {
        let mut st = self.conn.prepare("SELECT event_id FROM event_links WHERE canonical_id = ?1 ORDER BY event_id")?;
        let v = st.query_map([canonical], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        Ok(v)
    }

    /// Forget a reviewer's decision about a report and its link: the linking stage places it
    /// automatically again. False when there is no such event.
    pub fn clear_review(&self, event_id: i64) -> Result<bool> {
        let tx = Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)?;
        let Some((doc, start, end, ty, _)) = Self::report_key(&tx, event_id)? else {
            return Ok(false);
        };
        tx.execute(
            "DELETE FROM canonical_decisions WHERE document_id = ?1 AND evidence_start = ?2 AND evidence_end = ?3 AND type = ?4",
            params![doc, start, end, ty],
        )?;
        tx.execute("DELETE FROM event_links WHERE event_id = ?1", [event_id])?;
        tx.commit()?;
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::ById;

    #[test]
    fn by_id_answers_the_same_dense_or_sparse() {
        let dense = ById::new(vec![(3, 'c'), (1, 'a'), (7, 'g')]);
        let sparse = ById::new(vec![(3, 'c'), (1 << 40, 'a'), (7, 'g')]);
        assert!(matches!(dense, ById::Dense(_)) && matches!(sparse, ById::Sparse(_)));
        for (id, want) in [(3, Some(&'c')), (7, Some(&'g')), (2, None), (-1, None), (1 << 41, None)] {
            assert_eq!(dense.get(id), want, "{id}");
            assert_eq!(sparse.get(id), want, "{id}");
        }
        assert_eq!(dense.get(1), Some(&'a'));
        assert_eq!(sparse.get(1 << 40), Some(&'a'));
    }
}
