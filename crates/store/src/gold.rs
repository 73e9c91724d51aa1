//! What `hamkor export --format gold` needs of a store: the documents reviewers have decided on,
//! with the events they accepted or edited.

use crate::{DocId, EventFilter, EventRow, Result, SqliteStore, Store};
use std::collections::HashSet;

/// A document a reviewer has decided on: at least one of its machine reports was accepted,
/// edited or rejected.
#[derive(Debug, Clone)]
pub struct ReviewedDocument {
    pub id: DocId,
    pub content_hash: String,
    pub lang: String,
    /// The ids its sources gave it (a JSON line's `id`, a feed item's id), sorted, unique.
    pub external_ids: Vec<String>,
    /// Its events no one has reviewed yet.
    pub pending: u64,
    /// Its events a reviewer accepted or edited (`events.reviewed = 1`), by date then id.
    pub reviewed: Vec<EventRow>,
}

impl SqliteStore {
    /// Every document with a review decision (a row of `reviewed_reports`, or a reviewed event),
    /// by id.
    pub fn reviewed_documents(&self) -> Result<Vec<ReviewedDocument>> {
        let mut st = self.conn.prepare_cached(
            "SELECT d.id, d.content_hash, d.lang,
                    (SELECT count(*) FROM events e WHERE e.document_id = d.id AND e.reviewed = 0)
             FROM documents d
             WHERE EXISTS (SELECT 1 FROM reviewed_reports r WHERE r.document_id = d.id)
                OR EXISTS (SELECT 1 FROM events e WHERE e.document_id = d.id AND e.reviewed = 1)
             ORDER BY d.id",
        )?;
        let heads: Vec<(DocId, String, String, i64)> =
            st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?.collect::<rusqlite::Result<_>>()?;
        let mut out = Vec::with_capacity(heads.len());
        for (id, content_hash, lang, pending) in heads {
            let mut ext = self.conn.prepare_cached(
                "SELECT DISTINCT external_id FROM sources WHERE document_id = ?1 AND external_id IS NOT NULL
                 ORDER BY external_id",
            )?;
            let external_ids: Vec<String> = ext.query_map([id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
            let mut rev = self.conn.prepare_cached("SELECT id FROM events WHERE document_id = ?1 AND reviewed = 1")?;
            let ids: HashSet<i64> = rev.query_map([id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
            let mut reviewed = Vec::with_capacity(ids.len());
            self.for_each_event(&EventFilter { document: Some(id), ..Default::default() }, &mut |e| {
                if ids.contains(&e.id) {
                    reviewed.push(e);
                }
                Ok(())
            })?;
            out.push(ReviewedDocument { id, content_hash, lang, external_ids, pending: pending as u64, reviewed });
        }
        Ok(out)
    }
}
