//! Helpers for the tests that drive the real `hamkor` binary over a store.
#![allow(dead_code)]

#[path = "../../../ingest/tests/support/fixtures.rs"]
pub mod fixtures;

use std::path::Path;
use std::process::{Command, Stdio};

pub struct Out {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// The binary under test, with no store chosen by the environment.
pub fn hamkor() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_hamkor"));
    c.env_remove("HAMKOR_DB").env("NO_COLOR", "1").stdin(Stdio::null());
    c
}

pub fn run(args: &[&str]) -> Out {
    output(hamkor().args(args))
}

pub fn output(cmd: &mut Command) -> Out {
    let o = cmd.output().expect("run hamkor");
    Out {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

/// Rows in a table; 0 when a run was killed before it created the schema.
pub fn count(db: &Path, table: &str) -> i64 {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.busy_timeout(std::time::Duration::from_secs(10)).unwrap();
    let exists: bool =
        conn.query_row("SELECT count(*) FROM sqlite_schema WHERE name = ?1", [table], |r| r.get::<_, i64>(0)).unwrap()
            > 0;
    if !exists {
        return 0;
    }
    conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0)).unwrap()
}

/// Everything a run stores, independent of row ids, timestamps and processing order: two
/// stores holding the same collection dump to the same string.
pub fn dump(db: &Path) -> String {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut out = String::new();
    for (name, sql) in [
        (
            "documents",
            "SELECT content_hash, coalesce(title, ''), coalesce(published, ''), lang, script, format, text,
                    coalesce(coded_with, '') FROM documents",
        ),
        (
            "events",
            "SELECT d.content_hash, e.ordinal, e.type, e.actors, e.domains, coalesce(e.date, ''),
                    e.evidence_start, e.evidence_end, printf('%.4f', e.confidence), e.cues, e.lexicon
             FROM events e JOIN documents d ON d.id = e.document_id",
        ),
        (
            "event_actors",
            "SELECT d.content_hash, e.ordinal, a.actor FROM event_actors a JOIN events e ON e.id = a.event_id
             JOIN documents d ON d.id = e.document_id",
        ),
        (
            "sources",
            "SELECT d.content_hash, s.location, coalesce(s.external_id, '') FROM sources s
             JOIN documents d ON d.id = s.document_id",
        ),
        ("ingested_files", "SELECT path, size, documents FROM ingested_files"),
    ] {
        let mut st = conn.prepare(sql).unwrap();
        let n = st.column_count();
        let mut rows: Vec<String> = st
            .query_map([], |r| {
                let cols: Vec<String> = (0..n)
                    .map(|i| match r.get_ref(i).unwrap() {
                        rusqlite::types::ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
                        rusqlite::types::ValueRef::Integer(i) => i.to_string(),
                        other => format!("{other:?}"),
                    })
                    .collect();
                Ok(cols.join("\u{1f}"))
            })
            .unwrap()
            .map(Result::unwrap)
            .collect();
        rows.sort();
        out.push_str(&format!("== {name} ({})\n", rows.len()));
        for r in rows {
            out.push_str(&r);
            out.push('\n');
        }
    }
    out
}

/// The checks a store must pass at any moment, even right after a kill -9.
pub fn assert_consistent(db: &Path) {
    let conn = rusqlite::Connection::open(db).unwrap();
    let ok: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(ok, "ok", "SQLite integrity");
    let migrated: i64 =
        conn.query_row("SELECT count(*) FROM sqlite_schema WHERE name = 'documents'", [], |r| r.get(0)).unwrap();
    if migrated == 0 {
        // Killed before the first migration committed: an empty store, which the next open
        // migrates. Nothing else may be there.
        let tables: i64 = conn
            .query_row("SELECT count(*) FROM sqlite_schema WHERE name <> 'schema_migrations'", [], |r| r.get(0))
            .unwrap();
        assert_eq!(tables, 0, "a half-applied migration");
        return;
    }
    conn.execute("INSERT INTO documents_fts (documents_fts) VALUES ('integrity-check')", [])
        .expect("the full-text index matches the documents");
    let fk: i64 = conn.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| r.get(0)).unwrap();
    assert_eq!(fk, 0, "dangling references");
    let orphans: i64 = conn
        .query_row(
            "SELECT count(*) FROM documents d WHERE NOT EXISTS (SELECT 1 FROM sources s WHERE s.document_id = d.id)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(orphans, 0, "every document has a source");
    let uncoded: i64 =
        conn.query_row("SELECT count(*) FROM documents WHERE coded_with IS NULL", [], |r| r.get(0)).unwrap();
    assert_eq!(uncoded, 0, "every document is stored with its coding");
}
