//! Reads for the exchange with qualitative-analysis tools (`hamkor export --format qdpx`):
//! documents with their text, and the reviewers' names.

use crate::{DocId, Result, SqliteStore};
use rusqlite::OptionalExtension;

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
}
