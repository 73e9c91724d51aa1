//! Reads for `hamkor import events` without its input: finding the stored documents that events
//! coded elsewhere (on Spark) belong to, by the id their input line gave them.

use crate::{DocId, Result, SqliteStore};
use std::collections::HashMap;

impl SqliteStore {
    /// Every external id the sources record (a JSON line's `id`, a feed item's id), with the
    /// documents that carry it, in one pass over the sources.
    pub fn documents_by_external_id(&self) -> Result<HashMap<String, Vec<DocId>>> {
        let mut st = self.conn.prepare(
            "SELECT external_id, document_id FROM sources WHERE external_id IS NOT NULL ORDER BY document_id",
        )?;
        let mut rows = st.query([])?;
        let mut out: HashMap<String, Vec<DocId>> = HashMap::new();
        while let Some(r) = rows.next()? {
            let ids = out.entry(r.get::<_, String>(0)?).or_default();
            let doc: DocId = r.get(1)?;
            if ids.last() != Some(&doc) {
                ids.push(doc);
            }
        }
        Ok(out)
    }
}
