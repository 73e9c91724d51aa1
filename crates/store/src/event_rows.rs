//! Writing a document's coded events: the rows of `events`, `event_actors` and `event_domains`.
//! Used by storing a document (`sqlite.rs`) and by re-coding one (keeping what reviewers
//! decided); a leaf below both.

use crate::{date_bounds, DocId, Result};
use hamkor_model::Event;
use rusqlite::{params, Transaction};
use std::collections::HashSet;

/// Insert `events` for document `id`, numbering them from `first_ordinal`.
pub(crate) fn insert_events(
    tx: &Transaction<'_>,
    id: DocId,
    events: &[Event],
    lexicon: &str,
    first_ordinal: i64,
) -> Result<u64> {
    let mut ins = tx.prepare_cached(
        "INSERT INTO events (document_id, ordinal, type, actors, domains, date, date_lo, date_hi,
                             evidence_start, evidence_end, confidence, cues, lexicon)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?;
    let mut ins_actor = tx.prepare_cached("INSERT OR IGNORE INTO event_actors (event_id, actor) VALUES (?1, ?2)")?;
    let mut ins_domain = tx.prepare_cached("INSERT OR IGNORE INTO event_domains (event_id, domain) VALUES (?1, ?2)")?;
    for (ordinal, e) in events.iter().enumerate() {
        let actors: Vec<&str> = e.actors.iter().map(|a| a.as_str()).collect();
        let domains: Vec<&str> = e.domains.iter().map(|d| d.code()).collect();
        let (lo, hi) = e.date.as_ref().map(date_bounds).unzip();
        let json = |v: &Vec<&str>| serde_json::to_string(v).expect("a list of strings serialises");
        let cues = serde_json::to_string(&e.cues).expect("cues serialise");
        // The event's own lexicon field wins when the coder fills it; else the document's.
        let lex = if e.lexicon.is_empty() { lexicon } else { e.lexicon.as_str() };
        ins.execute(params![
            id,
            first_ordinal + ordinal as i64,
            e.event_type.code(),
            json(&actors),
            json(&domains),
            e.date.map(|d| d.to_string()),
            lo,
            hi,
            e.evidence.start as i64,
            e.evidence.end as i64,
            e.confidence as f64,
            cues,
            lex
        ])?;
        let event_id = tx.last_insert_rowid();
        for a in &actors {
            ins_actor.execute(params![event_id, a])?;
        }
        for d in &domains {
            ins_domain.execute(params![event_id, d])?;
        }
    }
    Ok(events.len() as u64)
}

/// The `hamkor recode` path: replace a document's machine events with `events`, keeping every
/// event a reviewer accepted or edited, and leaving out every new machine report a reviewer has
/// already decided on (same evidence span and machine type). Returns the number of events stored.
pub(crate) fn replace_machine_events(tx: &Transaction<'_>, doc: DocId, events: &[Event], lexicon: &str) -> Result<u64> {
    // The cascade removes event_actors and event_domains too.
    tx.prepare_cached("DELETE FROM events WHERE document_id = ?1 AND reviewed = 0")?.execute([doc])?;
    let mut st = tx.prepare_cached(
        "SELECT evidence_start, evidence_end, machine_type FROM reviewed_reports WHERE document_id = ?1",
    )?;
    let decided: HashSet<(usize, usize, String)> = st
        .query_map([doc], |r| Ok((r.get::<_, i64>(0)? as usize, r.get::<_, i64>(1)? as usize, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let keep: Vec<Event> = events
        .iter()
        .filter(|e| !decided.contains(&(e.evidence.start, e.evidence.end, e.event_type.code().to_string())))
        .cloned()
        .collect();
    // Reviewed events keep their ordinals; the new ones come after them.
    let first: i64 = tx.query_row(
        "SELECT coalesce(max(ordinal) + 1, 0) FROM events WHERE document_id = ?1",
        [doc],
        |r| r.get(0),
    )?;
    insert_events(tx, doc, &keep, lexicon, first)
}

