//! Human review of machine-coded events (schema in `migrations/0003_review.sql`).
//!
//! - **Decisions.** A reviewer accepts, edits or rejects a machine report. Accepted and edited
//!   events get `events.reviewed = 1`; a rejected one is deleted, so that no count, list or merge
//!   sees it. Either way `reviewed_reports` remembers the machine's (span, type) of the report,
//!   and [`replace_machine_events`] (the path of `hamkor recode`) neither re-creates it nor
//!   touches a reviewed event: a machine re-code never overwrites a human decision.
//! - **The audit log.** Every change a person makes is one `audit_log` row (who, when, before,
//!   after, why), written in the same transaction as the change. The table refuses updates and
//!   deletes.
//! - **Stale forms.** Every decision may carry the revision the reviewer saw (the id of the
//!   object's latest audit row, 0 for none); if someone changed the object since, the decision
//!   is refused as [`Decision::Stale`] instead of silently overwriting theirs.
//! - **Independent codings** for inter-coder agreement, keyed by document and evidence span.
//! - **API tokens**, stored as their SHA-256 only; hashing is the caller's business.

use crate::{date_bounds, DocId, EventRow, Result, SqliteStore};
use hamkor_model::{ActorCode, Domain, EventType, PartialDate};
use rusqlite::{params, OptionalExtension, Transaction};
use serde::Serialize;
use serde_json::{json, Value};

/// What a reviewer can set on an event. `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct EventEdit {
    pub event_type: Option<EventType>,
    pub actors: Option<Vec<ActorCode>>,
    pub domains: Option<Vec<Domain>>,
    /// `Some(None)` removes the event's own date (it then falls back to its document's).
    pub date: Option<Option<PartialDate>>,
}

impl EventEdit {
    pub fn is_empty(&self) -> bool {
        self.event_type.is_none() && self.actors.is_none() && self.domains.is_none() && self.date.is_none()
    }
}

/// One row of the audit log.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct AuditEntry {
    pub id: i64,
    pub at: String,
    /// Who: the name of the reviewer's token.
    pub actor: String,
    pub action: String,
    /// What: `event:12`, `canonical:3`, `document:7`, `token:2`.
    pub object: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
    pub reason: Option<String>,
}

/// A change to record in the audit log.
#[derive(Debug, Clone)]
pub struct NewAudit<'a> {
    pub actor: &'a str,
    pub action: &'a str,
    pub object: &'a str,
    pub before: Option<Value>,
    pub after: Option<Value>,
    pub reason: Option<&'a str>,
}

/// Filters of [`SqliteStore::audit_log`]; newest entries first.
#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    pub object: Option<String>,
    pub actor: Option<String>,
    pub offset: usize,
    pub limit: usize,
}

/// The outcome of a review decision.
#[derive(Debug, Clone, PartialEq)]
pub enum Decision {
    Done(AuditEntry),
    NoSuchEvent,
    /// The object changed since the reviewer saw it; `revision` is its revision now.
    Stale { revision: i64 },
}

/// An event as the review pages show it.
#[derive(Debug, Clone, Serialize)]
pub struct EventReview {
    pub event: EventRow,
    pub reviewed: bool,
    /// The id of the event's latest audit row, 0 if no one has touched it.
    pub revision: i64,
    /// Its audit rows, oldest first.
    pub history: Vec<AuditEntry>,
}

pub use hamkor_model::Coding;

/// A document as a list shows it (`GET /api/documents`).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DocumentListing {
    pub id: DocId,
    pub title: Option<String>,
    pub published: Option<String>,
    pub lang: String,
    pub format: String,
    pub events: u64,
}

/// A token as listed; the token itself is never stored.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct TokenRow {
    pub id: i64,
    pub name: String,
    pub created_at: String,
    pub revoked_at: Option<String>,
}

fn event_object(id: i64) -> String {
    format!("event:{id}")
}

/// The reviewable fields of an event, as written into the audit log.
fn snapshot(e: &EventRow, reviewed: bool) -> Value {
    json!({
        "type": e.event_type,
        "actors": e.actors,
        "domains": e.domains,
        "date": e.date,
        "reviewed": reviewed,
    })
}

fn json_list<T: AsRef<str>>(items: &[T]) -> String {
    let v: Vec<&str> = items.iter().map(|s| s.as_ref()).collect();
    serde_json::to_string(&v).expect("a list of strings serialises")
}

fn parse_json(s: Option<String>) -> Option<Value> {
    s.and_then(|s| serde_json::from_str(&s).ok())
}

fn audit_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<AuditEntry> {
    Ok(AuditEntry {
        id: r.get(0)?,
        at: r.get(1)?,
        actor: r.get(2)?,
        action: r.get(3)?,
        object: r.get(4)?,
        before: parse_json(r.get(5)?),
        after: parse_json(r.get(6)?),
        reason: r.get(7)?,
    })
}

const AUDIT_SELECT: &str = "SELECT id, at, actor, action, object, before, after, reason FROM audit_log";

/// Append one audit row inside `tx` and return it.
pub(crate) fn audit_tx(tx: &Transaction<'_>, a: &NewAudit<'_>) -> Result<AuditEntry> {
    let text = |v: &Option<Value>| v.as_ref().map(|v| v.to_string());
    tx.prepare_cached(
        "INSERT INTO audit_log (actor, action, object, before, after, reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![a.actor, a.action, a.object, text(&a.before), text(&a.after), a.reason])?;
    let id = tx.last_insert_rowid();
    Ok(tx.query_row(&format!("{AUDIT_SELECT} WHERE id = ?1"), [id], audit_row)?)
}

fn revision_of(conn: &rusqlite::Connection, object: &str) -> Result<i64> {
    Ok(conn.query_row("SELECT coalesce(max(id), 0) FROM audit_log WHERE object = ?1", [object], |r| r.get(0))?)
}

impl SqliteStore {
    /// Documents by id (of one language, if given), with their event counts: the server's
    /// document list, which the `Store` trait does not offer.
    pub fn documents_page(&self, lang: Option<&str>, offset: usize, limit: usize) -> Result<Vec<DocumentListing>> {
        let mut st = self.conn.prepare_cached(
            "SELECT d.id, d.title, d.published, d.lang, d.format,
                    (SELECT count(*) FROM events e WHERE e.document_id = d.id)
             FROM documents d WHERE (?1 IS NULL OR d.lang = ?1) ORDER BY d.id LIMIT ?2 OFFSET ?3",
        )?;
        let rows = st.query_map(params![lang, limit as i64, offset as i64], |r| {
            Ok(DocumentListing {
                id: r.get(0)?,
                title: r.get(1)?,
                published: r.get(2)?,
                lang: r.get(3)?,
                format: r.get(4)?,
                events: r.get::<_, i64>(5)? as u64,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// How many documents the store holds.
    pub fn document_count(&self) -> Result<u64> {
        Ok(self.conn.query_row("SELECT count(*) FROM documents", [], |r| r.get::<_, i64>(0))? as u64)
    }

    /// One event by id, as `hamkor events` lists it.
    pub fn event_by_id(&self, id: i64) -> Result<Option<EventRow>> {
        Ok(self.events_by_ids(&[id])?.pop())
    }

    /// Machine events no one has reviewed yet, lowest confidence first.
    pub fn review_queue(&self, offset: usize, limit: usize) -> Result<Vec<EventRow>> {
        let mut st = self
            .conn
            .prepare_cached("SELECT id FROM events WHERE reviewed = 0 ORDER BY confidence, id LIMIT ?1 OFFSET ?2")?;
        let ids: Vec<i64> =
            st.query_map(params![limit as i64, offset as i64], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        self.events_by_ids(&ids)
    }

    /// How many events wait for review, and how many were reviewed.
    pub fn review_counts(&self) -> Result<(u64, u64)> {
        let (todo, done): (i64, i64) = self.conn.query_row(
            "SELECT count(*) FILTER (WHERE reviewed = 0), count(*) FILTER (WHERE reviewed = 1) FROM events",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok((todo as u64, done as u64))
    }

    /// Whether a reviewer has accepted or edited the event (`None`: no such event).
    pub fn is_reviewed(&self, id: i64) -> Result<Option<bool>> {
        Ok(self.conn.query_row("SELECT reviewed FROM events WHERE id = ?1", [id], |r| r.get(0)).optional()?)
    }

    /// An event with its review state and history.
    pub fn event_review(&self, id: i64) -> Result<Option<EventReview>> {
        let Some(event) = self.event_by_id(id)? else { return Ok(None) };
        let reviewed = self.is_reviewed(id)?.unwrap_or(false);
        let history = self.object_history(&event_object(id))?;
        let revision = history.last().map_or(0, |a| a.id);
        Ok(Some(EventReview { event, reviewed, revision, history }))
    }

    /// The audit rows of one object, oldest first.
    pub fn object_history(&self, object: &str) -> Result<Vec<AuditEntry>> {
        let mut st = self.conn.prepare_cached(&format!("{AUDIT_SELECT} WHERE object = ?1 ORDER BY id"))?;
        let rows = st.query_map([object], audit_row)?.collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// The revision of an object: the id of its latest audit row, 0 for none.
    pub fn revision(&self, object: &str) -> Result<i64> {
        revision_of(&self.conn, object)
    }

    /// The audit log, newest first.
    pub fn audit_log(&self, q: &AuditQuery) -> Result<Vec<AuditEntry>> {
        let mut st = self.conn.prepare_cached(&format!(
            "{AUDIT_SELECT} WHERE (?1 IS NULL OR object = ?1) AND (?2 IS NULL OR actor = ?2)
             ORDER BY id DESC LIMIT ?3 OFFSET ?4"
        ))?;
        let rows = st.query_map(params![q.object, q.actor, q.limit as i64, q.offset as i64], audit_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Record a change made elsewhere (a merge or split through the registry's functions) in
    /// the audit log, in its own transaction.
    pub fn record_audit(&mut self, a: &NewAudit<'_>) -> Result<AuditEntry> {
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let entry = audit_tx(&tx, a)?;
        tx.commit()?;
        Ok(entry)
    }

    /// Start a decision on event `id`: the transaction, the event as it is, and whether it was
    /// reviewed; or the reason not to go on.
    fn begin_decision(
        &mut self,
        id: i64,
        expected_revision: Option<i64>,
    ) -> Result<std::result::Result<(Transaction<'_>, EventRow, bool), Decision>> {
        let Some(before) = self.event_by_id(id)? else { return Ok(Err(Decision::NoSuchEvent)) };
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        // Checked again inside the write lock: nothing can change between this check and the commit.
        let reviewed: Option<bool> =
            tx.query_row("SELECT reviewed FROM events WHERE id = ?1", [id], |r| r.get(0)).optional()?;
        let Some(reviewed) = reviewed else { return Ok(Err(Decision::NoSuchEvent)) };
        let revision = revision_of(&tx, &event_object(id))?;
        if let Some(expected) = expected_revision {
            if expected != revision {
                return Ok(Err(Decision::Stale { revision }));
            }
        }
        Ok(Ok((tx, before, reviewed)))
    }

    /// A reviewer confirms the machine's coding as it is.
    pub fn accept_event(
        &mut self,
        id: i64,
        reviewer: &str,
        reason: Option<&str>,
        expected_revision: Option<i64>,
    ) -> Result<Decision> {
        let (tx, before, reviewed) = match self.begin_decision(id, expected_revision)? {
            Ok(t) => t,
            Err(d) => return Ok(d),
        };
        tx.execute("UPDATE events SET reviewed = 1 WHERE id = ?1", [id])?;
        remember_decision(&tx, &before, reviewed, "accepted", reviewer, reason)?;
        let entry = audit_tx(
            &tx,
            &NewAudit {
                actor: reviewer,
                action: "accept",
                object: &event_object(id),
                before: Some(snapshot(&before, reviewed)),
                after: Some(snapshot(&before, true)),
                reason,
            },
        )?;
        tx.commit()?;
        Ok(Decision::Done(entry))
    }

    /// A reviewer corrects the event's type, actors, domains or date.
    pub fn edit_event(
        &mut self,
        id: i64,
        edit: &EventEdit,
        reviewer: &str,
        reason: Option<&str>,
        expected_revision: Option<i64>,
    ) -> Result<Decision> {
        let (tx, before, reviewed) = match self.begin_decision(id, expected_revision)? {
            Ok(t) => t,
            Err(d) => return Ok(d),
        };
        let mut after = before.clone();
        if let Some(t) = edit.event_type {
            after.event_type = t.code().to_string();
        }
        if let Some(actors) = &edit.actors {
            let mut v: Vec<String> = actors.iter().map(|a| a.as_str().to_string()).collect();
            v.sort();
            v.dedup();
            after.actors = v;
        }
        if let Some(domains) = &edit.domains {
            let mut v: Vec<String> = domains.iter().map(|d| d.code().to_string()).collect();
            v.sort();
            v.dedup();
            after.domains = v;
        }
        if let Some(date) = &edit.date {
            after.date = date.map(|d| d.to_string());
        }
        let date: Option<PartialDate> = match edit.date {
            Some(d) => d,
            None => before.date.as_deref().and_then(|d| d.parse().ok()),
        };
        let (lo, hi) = date.as_ref().map(date_bounds).unzip();
        tx.execute(
            "UPDATE events SET type = ?2, actors = ?3, domains = ?4, date = ?5, date_lo = ?6, date_hi = ?7,
                    reviewed = 1 WHERE id = ?1",
            params![id, after.event_type, json_list(&after.actors), json_list(&after.domains), after.date, lo, hi],
        )?;
        tx.execute("DELETE FROM event_actors WHERE event_id = ?1", [id])?;
        tx.execute("DELETE FROM event_domains WHERE event_id = ?1", [id])?;
        for a in &after.actors {
            tx.execute("INSERT OR IGNORE INTO event_actors (event_id, actor) VALUES (?1, ?2)", params![id, a])?;
        }
        for d in &after.domains {
            tx.execute("INSERT OR IGNORE INTO event_domains (event_id, domain) VALUES (?1, ?2)", params![id, d])?;
        }
        remember_decision(&tx, &before, reviewed, "edited", reviewer, reason)?;
        let entry = audit_tx(
            &tx,
            &NewAudit {
                actor: reviewer,
                action: "edit",
                object: &event_object(id),
                before: Some(snapshot(&before, reviewed)),
                after: Some(snapshot(&after, true)),
                reason,
            },
        )?;
        tx.commit()?;
        Ok(Decision::Done(entry))
    }

    /// A reviewer says the report is wrong: the event goes, and a re-code will not bring it
    /// back. The reason is required.
    pub fn reject_event(
        &mut self,
        id: i64,
        reviewer: &str,
        reason: &str,
        expected_revision: Option<i64>,
    ) -> Result<Decision> {
        let (tx, before, reviewed) = match self.begin_decision(id, expected_revision)? {
            Ok(t) => t,
            Err(d) => return Ok(d),
        };
        remember_decision(&tx, &before, reviewed, "rejected", reviewer, Some(reason))?;
        let mut gone = snapshot(&before, reviewed);
        gone["rejected"] = json!(true);
        let mut was = snapshot(&before, reviewed);
        was["document_id"] = json!(before.document_id);
        was["evidence"] = json!([before.evidence_start, before.evidence_end]);
        let entry = audit_tx(
            &tx,
            &NewAudit {
                actor: reviewer,
                action: "reject",
                object: &event_object(id),
                before: Some(was),
                after: Some(gone),
                reason: Some(reason),
            },
        )?;
        tx.execute("DELETE FROM events WHERE id = ?1", [id])?;
        tx.commit()?;
        Ok(Decision::Done(entry))
    }

    /// Store (or replace) one reviewer's coding of one unit, with an audit row. The form codes one
    /// event per unit, so further events an imported coding had there (`more`) are dropped.
    pub fn save_coding(&mut self, c: &Coding) -> Result<AuditEntry> {
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let none = c.event_type == "none";
        let (actors, domains) =
            if none { (None, None) } else { (Some(json_list(&c.actors)), Some(json_list(&c.domains))) };
        let date = if none { None } else { c.date.clone() };
        tx.execute(
            "INSERT INTO codings (document_id, evidence_start, evidence_end, reviewer, type, actors, domains, date)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT (document_id, evidence_start, evidence_end, reviewer) DO UPDATE SET
               type = excluded.type, actors = excluded.actors, domains = excluded.domains, date = excluded.date,
               more = NULL, at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')",
            params![
                c.document_id,
                c.evidence_start as i64,
                c.evidence_end as i64,
                c.reviewer,
                c.event_type,
                actors,
                domains,
                date
            ],
        )?;
        let object = format!("document:{}", c.document_id);
        let after = json!({
            "unit": [c.evidence_start, c.evidence_end],
            "type": c.event_type,
            "actors": if none { Value::Null } else { json!(c.actors) },
            "domains": if none { Value::Null } else { json!(c.domains) },
            "date": date,
        });
        let entry = audit_tx(
            &tx,
            &NewAudit { actor: &c.reviewer, action: "code", object: &object, before: None, after: Some(after), reason: None },
        )?;
        tx.commit()?;
        Ok(entry)
    }

    /// Every independent coding (of one document, if given), by unit then reviewer.
    pub fn codings(&self, document: Option<DocId>) -> Result<Vec<Coding>> {
        let mut st = self.conn.prepare_cached(
            "SELECT document_id, evidence_start, evidence_end, reviewer, type, actors, domains, date, at
             FROM codings WHERE (?1 IS NULL OR document_id = ?1)
             ORDER BY document_id, evidence_start, evidence_end, reviewer",
        )?;
        let rows = st.query_map([document], |r| {
            let list = |s: Option<String>| -> Vec<String> {
                s.and_then(|s| serde_json::from_str(&s).ok()).unwrap_or_default()
            };
            Ok(Coding {
                document_id: r.get(0)?,
                evidence_start: r.get::<_, i64>(1)? as usize,
                evidence_end: r.get::<_, i64>(2)? as usize,
                reviewer: r.get(3)?,
                event_type: r.get(4)?,
                actors: list(r.get(5)?),
                domains: list(r.get(6)?),
                date: r.get(7)?,
                at: r.get(8)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Remember a new token by the hex SHA-256 of its text; returns its id.
    pub fn create_token(&mut self, name: &str, hash: &str) -> Result<i64> {
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        tx.execute("INSERT INTO api_tokens (name, hash) VALUES (?1, ?2)", params![name, hash])?;
        let id = tx.last_insert_rowid();
        audit_tx(
            &tx,
            &NewAudit {
                actor: name,
                action: "token_create",
                object: &format!("token:{id}"),
                before: None,
                after: Some(json!({ "name": name })),
                reason: None,
            },
        )?;
        tx.commit()?;
        Ok(id)
    }

    /// The live token with this hash, if any.
    pub fn token_by_hash(&self, hash: &str) -> Result<Option<TokenRow>> {
        let mut st = self.conn.prepare_cached(
            "SELECT id, name, created_at, revoked_at FROM api_tokens WHERE hash = ?1 AND revoked_at IS NULL",
        )?;
        Ok(st
            .query_row([hash], |r| {
                Ok(TokenRow { id: r.get(0)?, name: r.get(1)?, created_at: r.get(2)?, revoked_at: r.get(3)? })
            })
            .optional()?)
    }

    pub fn tokens(&self) -> Result<Vec<TokenRow>> {
        let mut st = self.conn.prepare_cached("SELECT id, name, created_at, revoked_at FROM api_tokens ORDER BY id")?;
        let rows = st.query_map([], |r| {
            Ok(TokenRow { id: r.get(0)?, name: r.get(1)?, created_at: r.get(2)?, revoked_at: r.get(3)? })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Revoke a token; false if there is no live token with this id.
    pub fn revoke_token(&mut self, id: i64) -> Result<bool> {
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let name: Option<String> = tx
            .query_row("SELECT name FROM api_tokens WHERE id = ?1 AND revoked_at IS NULL", [id], |r| r.get(0))
            .optional()?;
        let Some(name) = name else { return Ok(false) };
        tx.execute("UPDATE api_tokens SET revoked_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?1", [id])?;
        audit_tx(
            &tx,
            &NewAudit {
                actor: &name,
                action: "token_revoke",
                object: &format!("token:{id}"),
                before: None,
                after: None,
                reason: None,
            },
        )?;
        tx.commit()?;
        Ok(true)
    }

    pub fn active_token_count(&self) -> Result<u64> {
        let n: i64 = self.conn.query_row("SELECT count(*) FROM api_tokens WHERE revoked_at IS NULL", [], |r| r.get(0))?;
        Ok(n as u64)
    }
}

/// Note the machine report's key, so that a re-code leaves it to the reviewer. A reviewed event
/// keeps the key of its first decision (its machine type); only a rejection changes the decision.
fn remember_decision(
    tx: &Transaction<'_>,
    e: &EventRow,
    reviewed: bool,
    decision: &str,
    reviewer: &str,
    reason: Option<&str>,
) -> Result<()> {
    if reviewed {
        // The row, if any, is keyed by the machine type, which a reviewer may have edited since.
        if decision == "rejected" {
            tx.execute(
                "UPDATE reviewed_reports SET decision = 'rejected', reviewer = ?2, reason = ?3,
                        at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
                 WHERE event_id = ?1",
                params![e.id, reviewer, reason],
            )?;
        }
        return Ok(());
    }
    tx.execute(
        "INSERT INTO reviewed_reports
             (document_id, evidence_start, evidence_end, machine_type, decision, event_id, reviewer, reason)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT (document_id, evidence_start, evidence_end, machine_type) DO UPDATE SET
           decision = excluded.decision, event_id = excluded.event_id, reviewer = excluded.reviewer,
           reason = excluded.reason, at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')",
        params![
            e.document_id,
            e.evidence_start as i64,
            e.evidence_end as i64,
            e.event_type,
            decision,
            e.id,
            reviewer,
            reason
        ],
    )?;
    Ok(())
}
