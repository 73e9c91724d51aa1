//! The embedded store: one SQLite file in WAL mode, so that readers (search, a second process,
//! the ingest workers' hash look-ups) never block the single writer and a killed writer leaves
//! the last committed transaction intact.

use crate::{
    date_bounds, migrations, Applied, DocId, DocumentRecord, Dyad, Error, EventFilter, EventRow, FailureRow,
    NewDocument, RecodeItem, Result, SearchHit, SearchQuery, SourceRow, Stats, Store, WriteOp, MATCH_END, MATCH_START,
};
use hamkor_model::PartialDate;
use rusqlite::types::Value;
use rusqlite::{params, Connection, OpenFlags, OptionalExtension, Transaction};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long a connection waits for another one's write lock before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

pub struct SqliteStore {
    pub(crate) conn: Connection,
    path: PathBuf,
}

impl SqliteStore {
    /// Open (creating if needed) the store at `path` and bring its schema up to date.
    pub fn open(path: &Path) -> Result<SqliteStore> {
        let mut conn = connect(path)?;
        // WAL is a property of the file; setting it here is enough for every later connection.
        let mode: String = conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
            .map_err(|source| Error::Open { path: path.to_path_buf(), source })?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(Error::Corrupt(format!("could not switch {} to WAL mode (got {mode})", path.display())));
        }
        migrations::run(&mut conn, path)?;
        // The registry's rows are seeded and the reports linked by the application layer
        // (`hamkor_app::open_store`): the store decides nothing about them.
        Ok(SqliteStore { conn, path: path.to_path_buf() })
    }

    /// Open an existing store for reading only: no migration, no seeding, and the connection is
    /// `query_only`, so that any attempt to write through it fails with an error instead of
    /// changing the store. The server's readers are opened this way.
    pub fn open_reader(path: &Path) -> Result<SqliteStore> {
        let conn = connect(path)?;
        conn.execute_batch("PRAGMA query_only = ON;").map_err(|source| Error::Open { path: path.to_path_buf(), source })?;
        Ok(SqliteStore { conn, path: path.to_path_buf() })
    }

    /// Every row of every table, in a fixed order, as text: two dumps are equal exactly when
    /// the store's contents are (tests use it to show that reads change nothing).
    pub fn dump(&self) -> Result<String> {
        let mut st = self.conn.prepare(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
        )?;
        let tables: Vec<String> = st.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        drop(st);
        let mut out = String::new();
        for t in tables {
            let mut st = self.conn.prepare(&format!("SELECT * FROM \"{t}\""))?;
            let n = st.column_count();
            let mut rows: Vec<String> = Vec::new();
            let mut q = st.query([])?;
            while let Some(r) = q.next()? {
                let mut line = String::new();
                for i in 0..n {
                    let v: Value = r.get(i)?;
                    line.push_str(&format!("{v:?}\t"));
                }
                rows.push(line);
            }
            rows.sort();
            out.push_str(&format!("## {t} ({} rows)\n", rows.len()));
            for r in rows {
                out.push_str(&r);
                out.push('\n');
            }
        }
        Ok(out)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The schema version this build writes.
    pub fn schema_version() -> i64 {
        migrations::latest()
    }

    /// The ids of the events `filter` selects, in the order of [`Store::for_each_event`] (by date,
    /// then id), without reading their texts: what a list pages through.
    pub fn event_ids(&self, filter: &EventFilter) -> Result<Vec<i64>> {
        let (sql, args) = event_query(EVENT_ID_SELECT, filter);
        let mut st = self.conn.prepare(&sql)?;
        let ids = st.query_map(rusqlite::params_from_iter(args), |r| r.get(0))?;
        Ok(ids.collect::<rusqlite::Result<_>>()?)
    }

    /// The events with these ids, as [`Store::for_each_event`] gives them, in the order of `ids`;
    /// an id no event has is left out. One query per 500 ids.
    pub fn events_by_ids(&self, ids: &[i64]) -> Result<Vec<EventRow>> {
        let mut found = std::collections::HashMap::with_capacity(ids.len());
        for chunk in ids.chunks(500) {
            let marks = vec!["?"; chunk.len()].join(", ");
            let mut st = self.conn.prepare_cached(&format!("{EVENT_SELECT} WHERE e.id IN ({marks})"))?;
            let mut rows = st.query(rusqlite::params_from_iter(chunk))?;
            while let Some(r) = rows.next()? {
                let e = event_row(r)?;
                found.insert(e.id, e);
            }
        }
        Ok(ids.iter().filter_map(|id| found.remove(id)).collect())
    }

    /// SQLite's count of the commits other connections made to the store since this one was
    /// opened (`PRAGMA data_version`): it reads no table. See [`crate::VersionWatch`].
    pub fn data_version(&self) -> Result<i64> {
        Ok(self.conn.query_row("PRAGMA data_version", [], |r| r.get(0))?)
    }
}

fn connect(path: &Path) -> Result<Connection> {
    let open_err = |source| Error::Open { path: path.to_path_buf(), source };
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).map_err(open_err)?;
    conn.busy_timeout(BUSY_TIMEOUT).map_err(open_err)?;
    // synchronous=NORMAL in WAL mode: a committed transaction survives a killed process (the
    // WAL is written before commit returns); only a power cut may lose the last few commits,
    // never consistency. foreign_keys makes the cascades in the schema real.
    conn.execute_batch("PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -32000;")
        .map_err(open_err)?;
    // The first real read tells a non-database file apart from a store.
    conn.query_row("SELECT count(*) FROM sqlite_schema", [], |_| Ok(())).map_err(open_err)?;
    Ok(conn)
}

impl Store for SqliteStore {
    fn another(&self) -> Result<Box<dyn Store>> {
        Ok(Box::new(SqliteStore { conn: connect(&self.path)?, path: self.path.clone() }))
    }

    fn apply(&mut self, ops: &[WriteOp]) -> Result<Applied> {
        // IMMEDIATE takes the write lock up front, so a busy store waits here (busy_timeout)
        // instead of failing half-way through with SQLITE_BUSY on the first write.
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let mut out = Applied::default();
        for op in ops {
            apply_one(&tx, op, &mut out)?;
        }
        tx.commit()?;
        Ok(out)
    }

    fn file_unchanged(&self, path: &str, mtime_ns: i64, size: u64) -> Result<bool> {
        let mut st = self.conn.prepare_cached("SELECT mtime_ns, size FROM ingested_files WHERE path = ?1")?;
        let row: Option<(i64, i64)> = st.query_row([path], |r| Ok((r.get(0)?, r.get(1)?))).optional()?;
        Ok(row == Some((mtime_ns, size as i64)))
    }

    fn quarantined(&self, path: &str, mtime_ns: i64, size: u64) -> Result<Vec<(String, String)>> {
        let mut st = self
            .conn
            .prepare_cached("SELECT item, reason FROM quarantine WHERE path = ?1 AND mtime_ns = ?2 AND size = ?3 ORDER BY item")?;
        let rows = st.query_map(params![path, mtime_ns, size as i64], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn document_id_by_hash(&self, content_hash: &str) -> Result<Option<DocId>> {
        let mut st = self.conn.prepare_cached("SELECT id FROM documents WHERE content_hash = ?1")?;
        Ok(st.query_row([content_hash], |r| r.get(0)).optional()?)
    }

    fn documents_to_recode(&self, lexicon: &str, after: DocId, limit: usize) -> Result<Vec<RecodeItem>> {
        let mut st = self.conn.prepare_cached(
            "SELECT id, text, lang, published FROM documents
             WHERE id > ?1 AND (coded_with IS NULL OR coded_with <> ?2) ORDER BY id LIMIT ?3",
        )?;
        let rows = st.query_map(params![after, lexicon, limit as i64], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, Option<String>>(3)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, text, lang, published) = row?;
            out.push(RecodeItem { id, text, lang, published: parse_date(published.as_deref())? });
        }
        Ok(out)
    }

    fn count_to_recode(&self, lexicon: &str) -> Result<u64> {
        let n: i64 = self.conn.query_row(
            "SELECT count(*) FROM documents WHERE coded_with IS NULL OR coded_with <> ?1",
            [lexicon],
            |r| r.get(0),
        )?;
        Ok(n as u64)
    }

    fn search(&self, query: &SearchQuery) -> Result<Vec<SearchHit>> {
        let fts = fts_query(&query.text)?;
        // Snippets are cut here, not by FTS5's snippet(): that one scores every match against
        // every other one, and on a text of one word repeated (16 MB of it) ran for minutes
        // inside a single call, which no deadline can interrupt. Cutting here is one pass.
        let mut st = self.conn.prepare_cached(
            "SELECT d.id, d.title, d.lang, d.format, d.published, d.text, d.search_key,
                    bm25(documents_fts, 5.0, 1.0, 1.0)
             FROM documents_fts JOIN documents d ON d.id = documents_fts.rowid
             WHERE documents_fts MATCH ?1 AND (?2 IS NULL OR d.lang = ?2)
             ORDER BY bm25(documents_fts, 5.0, 1.0, 1.0), d.id LIMIT ?3",
        )?;
        let folded_query = hamkor_text::search_key(&query.text);
        let rows = st.query_map(params![fts, query.lang, query.limit as i64], |r| {
            let title: Option<String> = r.get(1)?;
            let text: String = r.get(5)?;
            let key: String = r.get(6)?;
            // The original text around the match; when only the title or the folded key
            // matched (a Latin query finding a Cyrillic text), what matched instead.
            let snippet = plain_snippet(&text, &query.text)
                .or_else(|| title.as_deref().and_then(|t| plain_snippet(t, &query.text)))
                .or_else(|| plain_snippet(&key, &folded_query))
                .unwrap_or_else(|| opening(&text));
            Ok(SearchHit {
                id: r.get(0)?,
                title,
                lang: r.get(2)?,
                format: r.get(3)?,
                published: r.get(4)?,
                snippet,
                rank: r.get(7)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    fn for_each_event(&self, filter: &EventFilter, each: &mut dyn FnMut(EventRow) -> Result<()>) -> Result<()> {
        let (sql, args) = event_query(EVENT_SELECT, filter);
        let mut st = self.conn.prepare(&sql)?;
        let mut rows = st.query(rusqlite::params_from_iter(args))?;
        while let Some(r) = rows.next()? {
            each(event_row(r)?)?;
        }
        Ok(())
    }

    fn find_document(&self, reference: &str) -> Result<Option<DocumentRecord>> {
        let reference = reference.trim();
        let mut id: Option<DocId> = None;
        if let Ok(n) = reference.parse::<i64>() {
            id = self.conn.query_row("SELECT id FROM documents WHERE id = ?1", [n], |r| r.get(0)).optional()?;
        }
        if id.is_none() && reference.len() >= 6 && reference.bytes().all(|b| b.is_ascii_hexdigit()) {
            let lower = reference.to_ascii_lowercase();
            let mut st = self
                .conn
                .prepare("SELECT id FROM documents WHERE content_hash >= ?1 AND content_hash < ?1 || 'g' LIMIT 2")?;
            let ids: Vec<i64> = st.query_map([&lower], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
            if ids.len() == 1 {
                id = Some(ids[0]);
            }
        }
        if id.is_none() {
            id = self
                .conn
                .query_row("SELECT document_id FROM sources WHERE location = ?1 LIMIT 1", [reference], |r| r.get(0))
                .optional()?;
        }
        let Some(id) = id else { return Ok(None) };
        let mut doc = self.conn.query_row(
            "SELECT id, content_hash, title, published, lang, script, format, ingested_at, coded_with, coded_at, text
             FROM documents WHERE id = ?1",
            [id],
            |r| {
                Ok(DocumentRecord {
                    id: r.get(0)?,
                    content_hash: r.get(1)?,
                    title: r.get(2)?,
                    published: r.get(3)?,
                    lang: r.get(4)?,
                    script: r.get(5)?,
                    format: r.get(6)?,
                    ingested_at: r.get(7)?,
                    coded_with: r.get(8)?,
                    coded_at: r.get(9)?,
                    text: r.get(10)?,
                    sources: vec![],
                    events: vec![],
                })
            },
        )?;
        let mut st = self
            .conn
            .prepare("SELECT location, external_id, first_seen FROM sources WHERE document_id = ?1 ORDER BY id")?;
        doc.sources = st
            .query_map([id], |r| Ok(SourceRow { location: r.get(0)?, external_id: r.get(1)?, first_seen: r.get(2)? }))?
            .collect::<rusqlite::Result<_>>()?;
        let mut sql = String::from(EVENT_SELECT);
        sql.push_str(" WHERE e.document_id = ?1 ORDER BY e.ordinal");
        let mut st = self.conn.prepare(&sql)?;
        let mut rows = st.query([id])?;
        while let Some(r) = rows.next()? {
            doc.events.push(event_row(r)?);
        }
        Ok(Some(doc))
    }

    fn stats(&self) -> Result<Stats> {
        let count = |sql: &str| -> Result<u64> { Ok(self.conn.query_row(sql, [], |r| r.get::<_, i64>(0))? as u64) };
        let grouped = |sql: &str| -> Result<BTreeMap<String, u64>> {
            let mut st = self.conn.prepare(sql)?;
            let rows = st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as u64)))?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        };
        let mut st = self.conn.prepare(
            "SELECT a.actor, b.actor, count(*) AS n FROM event_actors a
             JOIN event_actors b ON a.event_id = b.event_id AND a.actor < b.actor
             GROUP BY a.actor, b.actor ORDER BY n DESC, a.actor, b.actor LIMIT 10",
        )?;
        let top_dyads = st
            .query_map([], |r| Ok(Dyad { a: r.get(0)?, b: r.get(1)?, events: r.get::<_, i64>(2)? as u64 }))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(Stats {
            documents: count("SELECT count(*) FROM documents")?,
            events: count("SELECT count(*) FROM events")?,
            failed_files: count("SELECT count(DISTINCT path) FROM failures")?,
            sources: count("SELECT count(*) FROM sources")?,
            events_by_type: grouped("SELECT type, count(*) FROM events GROUP BY type")?,
            documents_by_language: grouped("SELECT lang, count(*) FROM documents GROUP BY lang")?,
            documents_by_format: grouped("SELECT format, count(*) FROM documents GROUP BY format")?,
            documents_by_lexicon: grouped(
                "SELECT coalesce(coded_with, 'none'), count(*) FROM documents GROUP BY coalesce(coded_with, 'none')",
            )?,
            top_dyads,
            imported: self.imported_counts()?,
        })
    }

    fn failures(&self, limit: usize) -> Result<Vec<FailureRow>> {
        let mut st =
            self.conn.prepare("SELECT path, item, reason, at FROM failures ORDER BY at DESC, path, item LIMIT ?1")?;
        let rows = st.query_map([limit as i64], |r| {
            Ok(FailureRow { path: r.get(0)?, item: r.get(1)?, reason: r.get(2)?, at: r.get(3)? })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

/// The SQL of [`Store::for_each_event`] with `select` (ending in the events `e` joined with their
/// documents `d`) before its conditions, and its arguments: the one place the order of the event
/// lists is written.
fn event_query(select: &str, filter: &EventFilter) -> (String, Vec<Value>) {
    let mut sql = String::from(select);
    let mut args: Vec<Value> = Vec::new();
    let mut arg = |v: Value, args_sql: &mut String| {
        args.push(v);
        args_sql.push_str(&format!("?{}", args.len()));
    };
    sql.push_str(" WHERE 1 = 1");
    for actor in &filter.actors {
        sql.push_str(" AND EXISTS (SELECT 1 FROM event_actors a WHERE a.event_id = e.id AND a.actor = ");
        arg(Value::Text(actor.as_str().to_string()), &mut sql);
        sql.push(')');
    }
    if let Some(t) = &filter.event_type {
        sql.push_str(" AND e.type = ");
        arg(Value::Text(t.code().to_string()), &mut sql);
    }
    if let Some(dm) = &filter.domain {
        sql.push_str(" AND EXISTS (SELECT 1 FROM event_domains x WHERE x.event_id = e.id AND x.domain = ");
        arg(Value::Text(dm.code().to_string()), &mut sql);
        sql.push(')');
    }
    if let Some(from) = &filter.from {
        sql.push_str(" AND coalesce(e.date_hi, d.published_hi) >= ");
        arg(Value::Text(date_bounds(from).0), &mut sql);
    }
    if let Some(to) = &filter.to {
        sql.push_str(" AND coalesce(e.date_lo, d.published_lo) <= ");
        arg(Value::Text(date_bounds(to).1), &mut sql);
    }
    if let Some(lang) = &filter.lang {
        sql.push_str(" AND d.lang = ");
        arg(Value::Text(lang.clone()), &mut sql);
    }
    if let Some(doc) = filter.document {
        sql.push_str(" AND e.document_id = ");
        arg(Value::Integer(doc), &mut sql);
    }
    if let Some(src) = &filter.source {
        sql.push_str(" AND EXISTS (SELECT 1 FROM sources s WHERE s.document_id = e.document_id AND instr(s.location, ");
        arg(Value::Text(src.clone()), &mut sql);
        sql.push_str(") > 0)");
    }
    if let Some(r) = filter.review {
        sql.push_str(if r == hamkor_model::ReviewState::Reviewed { " AND e.reviewed <> 0" } else { " AND e.reviewed = 0" });
    }
    sql.push_str(
        " ORDER BY coalesce(e.date_lo, d.published_lo) IS NULL, coalesce(e.date_lo, d.published_lo), e.id",
    );
    if let Some(limit) = filter.limit {
        sql.push_str(&format!(" LIMIT {limit}"));
    }
    (sql, args)
}

/// The events of the lists, without what is read to show them: the ids alone.
const EVENT_ID_SELECT: &str = "SELECT e.id FROM events e JOIN documents d ON d.id = e.document_id";

const EVENT_SELECT: &str = "SELECT e.id, e.document_id, d.title, d.lang, e.type, e.actors, e.domains, e.date,
        d.published, e.evidence_start, e.evidence_end, e.confidence, e.lexicon,
        CAST(substr(CAST(d.text AS BLOB), e.evidence_start + 1, e.evidence_end - e.evidence_start) AS TEXT)
     FROM events e JOIN documents d ON d.id = e.document_id";

fn event_row(r: &rusqlite::Row<'_>) -> Result<EventRow> {
    let json_list = |s: String| -> Result<Vec<String>> {
        serde_json::from_str(&s).map_err(|e| Error::Corrupt(format!("event list {s:?}: {e}")))
    };
    Ok(EventRow {
        id: r.get(0)?,
        document_id: r.get(1)?,
        document_title: r.get(2)?,
        lang: r.get(3)?,
        event_type: r.get(4)?,
        actors: json_list(r.get(5)?)?,
        domains: json_list(r.get(6)?)?,
        date: r.get(7)?,
        document_date: r.get(8)?,
        evidence_start: r.get::<_, i64>(9)? as usize,
        evidence_end: r.get::<_, i64>(10)? as usize,
        confidence: r.get(11)?,
        lexicon: r.get(12)?,
        evidence: r.get::<_, Option<String>>(13)?.unwrap_or_default(),
    })
}

fn parse_date(s: Option<&str>) -> Result<Option<PartialDate>> {
    s.map(|s| s.parse().map_err(|e| Error::Corrupt(format!("{e}")))).transpose()
}

fn apply_one(tx: &Transaction<'_>, op: &WriteOp, out: &mut Applied) -> Result<()> {
    match op {
        WriteOp::Document(doc) => insert_document(tx, doc, out)?,
        WriteOp::Source { content_hash, source } => {
            let id: Option<i64> = tx
                .prepare_cached("SELECT id FROM documents WHERE content_hash = ?1")?
                .query_row([content_hash], |r| r.get(0))
                .optional()?;
            let id = id.ok_or_else(|| Error::Corrupt(format!("source for unknown document {content_hash}")))?;
            out.documents_known += 1;
            out.sources_added += insert_source(tx, id, &source.location, source.external_id.as_deref())?;
        }
        WriteOp::FileStart { path } => {
            tx.prepare_cached("DELETE FROM failures WHERE path = ?1")?.execute([path])?;
            tx.prepare_cached("DELETE FROM quarantine WHERE path = ?1")?.execute([path])?;
        }
        WriteOp::Quarantine { path, item, mtime_ns, size, reason } => {
            apply_one(tx, &WriteOp::Failure { path: path.clone(), item: item.clone(), reason: reason.clone() }, out)?;
            tx.prepare_cached(
                "INSERT INTO quarantine (path, item, mtime_ns, size, reason) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (path, item) DO UPDATE SET mtime_ns = excluded.mtime_ns, size = excluded.size,
                   reason = excluded.reason, at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')",
            )?
            .execute(params![path, item, mtime_ns, *size as i64, reason])?;
        }
        WriteOp::FileDone { path, mtime_ns, size, documents } => {
            tx.prepare_cached("DELETE FROM failures WHERE path = ?1")?.execute([path])?;
            tx.prepare_cached(
                "INSERT INTO ingested_files (path, mtime_ns, size, documents) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (path) DO UPDATE SET mtime_ns = excluded.mtime_ns, size = excluded.size,
                   documents = excluded.documents, finished_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')",
            )?
            .execute(params![path, mtime_ns, *size as i64, *documents as i64])?;
        }
        WriteOp::Failure { path, item, reason } => {
            tx.prepare_cached(
                "INSERT INTO failures (path, item, reason) VALUES (?1, ?2, ?3)
                 ON CONFLICT (path, item) DO UPDATE SET reason = excluded.reason,
                   at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')",
            )?
            .execute(params![path, item, reason])?;
            // A file that fails is no longer "done": the next run must read it again.
            tx.prepare_cached("DELETE FROM ingested_files WHERE path = ?1")?.execute([path])?;
            out.failures += 1;
        }
        WriteOp::Recoded { document_id, events, lexicon } => {
            // Keeps what reviewers decided (crates/store/src/review.rs).
            out.events_added += crate::event_rows::replace_machine_events(tx, *document_id, events, lexicon)?;
            tx.prepare_cached(
                "UPDATE documents SET coded_with = ?2, coded_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?1",
            )?
            .execute(params![document_id, lexicon])?;
            out.recoded += 1;
        }
    }
    Ok(())
}

fn insert_document(tx: &Transaction<'_>, doc: &NewDocument, out: &mut Applied) -> Result<()> {
    let (lo, hi) = doc.published.as_ref().map(date_bounds).unzip();
    let key = hamkor_text::search_key(&doc.text);
    let inserted: Option<i64> = tx
        .prepare_cached(
            "INSERT INTO documents (content_hash, title, published, published_lo, published_hi, lang, script,
                                    format, text, search_key, coded_with, coded_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
             ON CONFLICT (content_hash) DO NOTHING RETURNING id",
        )?
        .query_row(
            params![
                doc.content_hash,
                doc.title,
                doc.published.map(|d| d.to_string()),
                lo,
                hi,
                doc.lang,
                doc.script,
                doc.format,
                doc.text,
                key,
                doc.lexicon
            ],
            |r| r.get(0),
        )
        .optional()?;
    let id = match inserted {
        Some(id) => {
            out.documents_added += 1;
            out.events_added += crate::event_rows::insert_events(tx, id, &doc.events, &doc.lexicon, 0)?;
            id
        }
        None => {
            out.documents_known += 1;
            tx.prepare_cached("SELECT id FROM documents WHERE content_hash = ?1")?
                .query_row([&doc.content_hash], |r| r.get(0))?
        }
    };
    out.sources_added += insert_source(tx, id, &doc.source.location, doc.source.external_id.as_deref())?;
    Ok(())
}

fn insert_source(tx: &Transaction<'_>, id: DocId, location: &str, external_id: Option<&str>) -> Result<u64> {
    let n = tx
        .prepare_cached(
            "INSERT INTO sources (document_id, location, external_id) VALUES (?1, ?2, ?3)
             ON CONFLICT (document_id, location) DO NOTHING",
        )?
        .execute(params![id, location, external_id])?;
    Ok(n as u64)
}

/// A snippet: about 40 characters before and 120 after the first word of `query` found in
/// `text` as written (ignoring case), the word marked with [`MATCH_START`] and [`MATCH_END`];
/// `None` when no word is found that way. One pass over the text per query word.
pub(crate) fn plain_snippet(text: &str, query: &str) -> Option<String> {
    let lower = text.to_lowercase();
    // Lower-casing keeps byte offsets for almost every text; when it does not, find nothing.
    if lower.len() != text.len() {
        return None;
    }
    let (start, len) = query
        .split_whitespace()
        .map(|w| w.trim_end_matches('*').trim_matches('"').to_lowercase())
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .filter_map(|w| lower.find(&w).map(|i| (i, w.len())))
        .min()
        .filter(|&(i, n)| text.is_char_boundary(i) && text.is_char_boundary(i + n))?;
    let before: usize = text[..start].chars().rev().take(40).map(char::len_utf8).sum();
    let after: usize = text[start + len..].chars().take(120).map(char::len_utf8).sum();
    let (from, to) = (start - before, start + len + after);
    let mut out = String::new();
    if from > 0 {
        out.push('…');
    }
    out.push_str(&text[from..start]);
    out.push(MATCH_START);
    out.push_str(&text[start..start + len]);
    out.push(MATCH_END);
    out.push_str(&text[start + len..to]);
    if to < text.len() {
        out.push('…');
    }
    Some(out)
}

/// The first 160 characters of a text.
fn opening(text: &str) -> String {
    let end: usize = text.chars().take(160).map(char::len_utf8).sum();
    if end < text.len() {
        format!("{}…", &text[..end])
    } else {
        text.to_string()
    }
}

/// Words a search may have. More words only narrow a search down; past a dozen, a query is
/// not a person's.
pub const MAX_SEARCH_WORDS: usize = 12;
/// Prefix words (`wat*`) a search may have. FTS5 expands each into every indexed word it starts
/// and merges their lists in one step that no deadline can interrupt: sixty `a*` took 53 s of
/// CPU on a store of 186,000 documents.
pub const MAX_PREFIX_WORDS: usize = 3;
/// Letters or digits a prefix word needs before its `*`.
pub const MIN_PREFIX_CHARS: usize = 3;

/// Turn what a person types into an FTS5 query: every word must match, either as written (in
/// the title or text) or through its script-folded search key, so that a Latin query finds a
/// Cyrillic text and the other way round. Each word is quoted, so FTS5 syntax characters in a
/// query are searched for, never interpreted. Repeated words count once; a query over the
/// limits above is refused with a reason.
pub(crate) fn fts_query(q: &str) -> Result<String> {
    fn words(s: &str) -> Result<Vec<String>> {
        let mut out: Vec<String> = Vec::new();
        let mut prefixes = 0;
        // Control characters separate words too: FTS5 reads a NUL as the end of its query
        // (found by the search fuzz target: "unterminated string").
        for w in s.split(|c: char| c.is_whitespace() || c.is_control()).filter(|w| !w.is_empty()) {
            let (w, prefix) = match w.strip_suffix('*') {
                Some(stem) => (stem, true),
                None => (w, false),
            };
            // A word with no letters or digits would be an empty FTS phrase; drop it.
            let letters = w.chars().filter(|c| c.is_alphanumeric()).count();
            if letters == 0 {
                continue;
            }
            if prefix && letters < MIN_PREFIX_CHARS {
                return Err(Error::BadQuery(format!(
                    "{w}*: a word ending in * needs at least {MIN_PREFIX_CHARS} letters before the *"
                )));
            }
            let quoted = format!("\"{}\"", w.replace('"', "\"\""));
            let term = if prefix { format!("{quoted}*") } else { quoted };
            if out.contains(&term) {
                continue;
            }
            if prefix {
                prefixes += 1;
                if prefixes > MAX_PREFIX_WORDS {
                    return Err(Error::BadQuery(format!("at most {MAX_PREFIX_WORDS} words ending in * in one search")));
                }
            }
            out.push(term);
            if out.len() > MAX_SEARCH_WORDS {
                return Err(Error::BadQuery(format!("at most {MAX_SEARCH_WORDS} different words in one search")));
            }
        }
        Ok(out)
    }
    let as_written = words(q)?;
    if as_written.is_empty() {
        return Err(Error::BadQuery(format!("{q:?} has no words to search for")));
    }
    let folded = words(&hamkor_text::search_key(q))?;
    let as_written = format!("({})", as_written.join(" AND "));
    if folded.is_empty() {
        return Ok(as_written);
    }
    Ok(format!("{as_written} OR (search_key : ({}))", folded.join(" AND ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_are_quoted_and_folded() {
        let q = fts_query("water* \"AND\" NEAR(").unwrap();
        assert!(q.starts_with("(\"water\"* AND \"\"\"AND\"\"\" AND \"NEAR(\")"), "{q}");
        assert!(q.contains("search_key :"), "{q}");
        assert!(fts_query(" ... ").is_err());
    }

    #[test]
    fn snippets_are_cut_around_the_first_match() {
        let text = format!("{}Water talks in Dushanbe{}", "x ".repeat(500), " y".repeat(500));
        let s = plain_snippet(&text, "water* dushanbe").unwrap();
        assert!(s.starts_with('…') && s.ends_with('…'), "{s}");
        assert!(s.contains(&format!("{MATCH_START}Water{MATCH_END} talks in Dushanbe")), "{s}");
        assert_eq!(plain_snippet("Сув ҳақида келишув", "suv"), None, "not as written");
        assert_eq!(plain_snippet("Сув ҳақида келишув", "СУВ").unwrap(), format!("{MATCH_START}Сув{MATCH_END} ҳақида келишув"));
        assert_eq!(opening(&"ы".repeat(200)).chars().count(), 161);
    }

    #[test]
    fn searches_over_the_limits_are_refused_and_repeats_count_once() {
        let sixty = vec!["a*"; 60].join(" ");
        assert!(matches!(fts_query(&sixty), Err(Error::BadQuery(m)) if m.contains("at least 3 letters")));
        let many_prefixes = "wat* agr* sig* bor*";
        assert!(matches!(fts_query(many_prefixes), Err(Error::BadQuery(m)) if m.contains("at most 3 words ending in *")));
        let repeated = vec!["water*"; 60].join(" ");
        assert_eq!(fts_query(&repeated).unwrap().matches("\"water\"*").count(), 2, "once as written, once folded");
        let words: Vec<String> = (0..13).map(|i| format!("word{i}")).collect();
        assert!(matches!(fts_query(&words.join(" ")), Err(Error::BadQuery(m)) if m.contains("at most 12")));
        assert!(fts_query(&words[..12].join(" ")).is_ok());
        assert!(fts_query("сув* oʻzb* агр*").is_ok());
        let q = fts_query("шекар!\0\0\0\u{1}әсе").unwrap();
        assert!(!q.chars().any(char::is_control), "{q:?}");
    }
}
