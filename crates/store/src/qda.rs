//! Reads and writes for the exchange with qualitative-analysis tools (`hamkor export --format
//! qdpx`, `hamkor import qdpx`): documents with their text, the reviewers' names, codings coming
//! back from a tool, and the machine's coding of the units reviewers coded.

use crate::review::audit_tx;
use crate::{Coding, DocId, NewAudit, Result, SqliteStore};
use rusqlite::{params, OptionalExtension};
use serde_json::{json, Value};

/// A document's text and what a project names it by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentText {
    pub id: DocId,
    pub content_hash: String,
    pub title: Option<String>,
    pub published: Option<String>,
    pub lang: String,
    pub text: String,
}

/// One more event a reviewer coded on a unit, besides the one its [`Coding`] holds (a treaty
/// signed is an agreement and a partnership in one sentence).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CodedEvent {
    #[serde(rename = "type")]
    pub event_type: String,
    pub actors: Vec<String>,
    pub domains: Vec<String>,
    pub date: Option<String>,
}

/// A reviewer's whole coding of one unit: the coding (its first event, which alpha compares)
/// and the further events coded on the same span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitCoding {
    pub coding: Coding,
    pub more: Vec<CodedEvent>,
}

/// A document a reviewer coded, with their codings of it in span order.
#[derive(Debug, Clone)]
pub struct CodedDocument {
    pub id: DocId,
    pub content_hash: String,
    pub lang: String,
    /// The ids its sources gave it, sorted, unique.
    pub external_ids: Vec<String>,
    pub units: Vec<UnitCoding>,
}

/// What [`SqliteStore::import_codings`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct CodingImport {
    /// Units the reviewer had not coded before.
    pub added: u64,
    /// Units whose coding changed.
    pub changed: u64,
    /// Units coded the same as before: not written again.
    pub unchanged: u64,
}

fn list_json(items: &[String]) -> String {
    serde_json::to_string(items).expect("strings serialise")
}

fn more_json(more: &[CodedEvent]) -> Option<String> {
    (!more.is_empty()).then(|| serde_json::to_string(more).expect("events serialise"))
}

fn coding_value(u: &UnitCoding) -> Value {
    let c = &u.coding;
    let none = c.event_type == "none";
    let mut v = json!({
        "unit": [c.evidence_start, c.evidence_end],
        "type": c.event_type,
        "actors": if none { Value::Null } else { json!(c.actors) },
        "domains": if none { Value::Null } else { json!(c.domains) },
        "date": if none { None } else { c.date.clone() },
    });
    if !u.more.is_empty() {
        v["more"] = json!(u.more);
    }
    v
}

impl SqliteStore {
    /// Documents by id (every document when `ids` is `None`), in id order.
    pub fn document_texts(&self, ids: Option<&[DocId]>, each: &mut dyn FnMut(DocumentText) -> Result<()>) -> Result<()> {
        let row = |r: &rusqlite::Row<'_>| -> rusqlite::Result<DocumentText> {
            Ok(DocumentText {
                id: r.get(0)?,
                content_hash: r.get(1)?,
                title: r.get(2)?,
                published: r.get(3)?,
                lang: r.get(4)?,
                text: r.get(5)?,
            })
        };
        const SELECT: &str = "SELECT id, content_hash, title, published, lang, text FROM documents";
        match ids {
            None => {
                let mut st = self.conn.prepare(&format!("{SELECT} ORDER BY id"))?;
                let mut rows = st.query([])?;
                while let Some(r) = rows.next()? {
                    each(row(r)?)?;
                }
            }
            Some(ids) => {
                let mut ids = ids.to_vec();
                ids.sort_unstable();
                ids.dedup();
                let mut st = self.conn.prepare_cached(&format!("{SELECT} WHERE id = ?1"))?;
                for id in ids {
                    if let Some(d) = st.query_row([id], row).optional()? {
                        each(d)?;
                    }
                }
            }
        }
        Ok(())
    }

    /// Everyone who has reviewed or may review: token holders, coders, deciders. Sorted.
    pub fn reviewer_names(&self) -> Result<Vec<String>> {
        let mut st = self.conn.prepare(
            "SELECT name FROM api_tokens WHERE revoked_at IS NULL
             UNION SELECT reviewer FROM codings UNION SELECT reviewer FROM reviewed_reports ORDER BY 1",
        )?;
        let rows = st.query_map([], |r| r.get::<_, String>(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Store codings that come from a tool, in one transaction: a reviewer has one coding per
    /// unit, so each unit's coding (with its further events) replaces the one stored before,
    /// with an audit row (who, before, after, `reason`) for every change; a coding equal to the
    /// stored one is not written again. Each unit must appear once in `codings`.
    pub fn import_codings(&mut self, codings: &[UnitCoding], reason: &str) -> Result<CodingImport> {
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let mut out = CodingImport::default();
        for u in codings {
            let c = &u.coding;
            let none = c.event_type == "none";
            let (actors, domains) = if none { (None, None) } else { (Some(list_json(&c.actors)), Some(list_json(&c.domains))) };
            let date = if none { None } else { c.date.clone() };
            let more = if none { None } else { more_json(&u.more) };
            type Row = (String, Option<String>, Option<String>, Option<String>, Option<String>);
            let before: Option<Row> = tx
                .prepare_cached(
                    "SELECT type, actors, domains, date, more FROM codings
                     WHERE document_id = ?1 AND evidence_start = ?2 AND evidence_end = ?3 AND reviewer = ?4",
                )?
                .query_row(params![c.document_id, c.evidence_start as i64, c.evidence_end as i64, c.reviewer], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
                })
                .optional()?;
            let now = (c.event_type.clone(), actors.clone(), domains.clone(), date.clone(), more.clone());
            if before.as_ref() == Some(&now) {
                out.unchanged += 1;
                continue;
            }
            tx.prepare_cached(
                "INSERT INTO codings (document_id, evidence_start, evidence_end, reviewer, type, actors, domains, date, more)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
                 ON CONFLICT (document_id, evidence_start, evidence_end, reviewer) DO UPDATE SET
                   type = excluded.type, actors = excluded.actors, domains = excluded.domains, date = excluded.date,
                   more = excluded.more, at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')",
            )?
            .execute(params![
                c.document_id,
                c.evidence_start as i64,
                c.evidence_end as i64,
                c.reviewer,
                c.event_type,
                actors,
                domains,
                date,
                more
            ])?;
            let before_value = before.map(|(t, a, d, dt, m)| {
                let parse = |s: Option<String>| s.and_then(|s| serde_json::from_str::<Value>(&s).ok()).unwrap_or(Value::Null);
                let mut v = json!({"unit": [c.evidence_start, c.evidence_end], "type": t, "actors": parse(a), "domains": parse(d), "date": dt});
                if m.is_some() {
                    v["more"] = parse(m);
                }
                v
            });
            if before_value.is_some() {
                out.changed += 1;
            } else {
                out.added += 1;
            }
            audit_tx(
                &tx,
                &NewAudit {
                    actor: &c.reviewer,
                    action: "code",
                    object: &format!("document:{}", c.document_id),
                    before: before_value,
                    after: Some(coding_value(u)),
                    reason: Some(reason),
                },
            )?;
        }
        tx.commit()?;
        Ok(out)
    }

    /// Every document `reviewer` coded, by id, with each unit's coding and further events.
    pub fn coded_documents(&self, reviewer: &str) -> Result<Vec<CodedDocument>> {
        let mut st = self.conn.prepare_cached(
            "SELECT c.document_id, d.content_hash, d.lang, c.evidence_start, c.evidence_end, c.type, c.actors,
                    c.domains, c.date, c.more, c.at
             FROM codings c JOIN documents d ON d.id = c.document_id
             WHERE c.reviewer = ?1 ORDER BY c.document_id, c.evidence_start, c.evidence_end",
        )?;
        let list = |s: Option<String>| -> Vec<String> { s.and_then(|s| serde_json::from_str(&s).ok()).unwrap_or_default() };
        let mut out: Vec<CodedDocument> = Vec::new();
        let mut rows = st.query([reviewer])?;
        while let Some(r) = rows.next()? {
            let id: DocId = r.get(0)?;
            let more: Option<String> = r.get(9)?;
            let unit = UnitCoding {
                coding: Coding {
                    document_id: id,
                    evidence_start: r.get::<_, i64>(3)? as usize,
                    evidence_end: r.get::<_, i64>(4)? as usize,
                    reviewer: reviewer.to_string(),
                    event_type: r.get(5)?,
                    actors: list(r.get(6)?),
                    domains: list(r.get(7)?),
                    date: r.get(8)?,
                    at: r.get(10)?,
                },
                more: more.and_then(|m| serde_json::from_str(&m).ok()).unwrap_or_default(),
            };
            match out.last_mut() {
                Some(d) if d.id == id => d.units.push(unit),
                _ => out.push(CodedDocument {
                    id,
                    content_hash: r.get(1)?,
                    lang: r.get(2)?,
                    external_ids: Vec::new(),
                    units: vec![unit],
                }),
            }
        }
        drop(rows);
        let mut ext = self.conn.prepare_cached(
            "SELECT DISTINCT external_id FROM sources WHERE document_id = ?1 AND external_id IS NOT NULL ORDER BY external_id",
        )?;
        for d in &mut out {
            d.external_ids = ext.query_map([d.id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        }
        Ok(out)
    }

    /// The evidence spans of a document's coded events, in span order, unique.
    pub fn evidence_spans(&self, document: DocId) -> Result<Vec<(usize, usize)>> {
        let mut st = self.conn.prepare_cached(
            "SELECT DISTINCT evidence_start, evidence_end FROM events WHERE document_id = ?1 ORDER BY 1, 2",
        )?;
        let rows = st.query_map([document], |r| Ok((r.get::<_, i64>(0)? as usize, r.get::<_, i64>(1)? as usize)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The machine's coding of every unit a reviewer coded, as a coding by `name`: the first
    /// coded event (in the coder's order) with exactly that evidence span, or `none` when the
    /// machine has no event there.
    pub fn machine_codings(&self, name: &str) -> Result<Vec<Coding>> {
        let mut units = self.conn.prepare(
            "SELECT DISTINCT document_id, evidence_start, evidence_end FROM codings
             ORDER BY document_id, evidence_start, evidence_end",
        )?;
        let units: Vec<(DocId, i64, i64)> =
            units.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<rusqlite::Result<_>>()?;
        let mut ev = self.conn.prepare_cached(
            "SELECT type, actors, domains, date FROM events
             WHERE document_id = ?1 AND evidence_start = ?2 AND evidence_end = ?3 ORDER BY ordinal LIMIT 1",
        )?;
        let mut out = Vec::with_capacity(units.len());
        for (doc, s, e) in units {
            let row: Option<(String, String, String, Option<String>)> =
                ev.query_row(params![doc, s, e], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))).optional()?;
            let list = |s: &str| -> Vec<String> { serde_json::from_str(s).unwrap_or_default() };
            let (event_type, actors, domains, date) = match row {
                Some((t, a, d, dt)) => (t, list(&a), list(&d), dt),
                None => ("none".to_string(), vec![], vec![], None),
            };
            out.push(Coding {
                document_id: doc,
                evidence_start: s as usize,
                evidence_end: e as usize,
                reviewer: name.to_string(),
                event_type,
                actors,
                domains,
                date,
                at: String::new(),
            });
        }
        Ok(out)
    }
}
