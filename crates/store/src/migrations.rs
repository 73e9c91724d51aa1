//! Embedded schema migrations, applied in order at open and recorded in `schema_migrations`.
//!
//! A released migration is never edited: a store created by an older hamkor must reach the same
//! schema as a new one by running the later files. `migrations_are_append_only` below pins the
//! released files by hash so that an edit fails the tests.

use crate::{Error, Result};
use rusqlite::{Connection, OptionalExtension};
use std::path::Path;

pub(crate) struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sql: &'static str,
}

pub(crate) const MIGRATIONS: &[Migration] = &[
    Migration { version: 1, name: "0001_init", sql: include_str!("../migrations/0001_init.sql") },
    Migration { version: 2, name: "0002_registry", sql: include_str!("../migrations/0002_registry.sql") },
    Migration { version: 3, name: "0003_review", sql: include_str!("../migrations/0003_review.sql") },
    Migration { version: 4, name: "0004_quarantine", sql: include_str!("../migrations/0004_quarantine.sql") },
    Migration { version: 5, name: "0005_places", sql: include_str!("../migrations/0005_places.sql") },
    Migration { version: 6, name: "0006_imported", sql: include_str!("../migrations/0006_imported.sql") },
    Migration { version: 7, name: "0007_coding_events", sql: include_str!("../migrations/0007_coding_events.sql") },
    Migration {
        version: 8,
        name: "0008_documents_lang_published",
        sql: include_str!("../migrations/0008_documents_lang_published.sql"),
    },
    Migration {
        version: 9,
        name: "0009_canonical_candidates",
        sql: include_str!("../migrations/0009_canonical_candidates.sql"),
    },
];

pub(crate) fn latest() -> i64 {
    MIGRATIONS.last().map_or(0, |m| m.version)
}

/// Bring the schema up to date. Each migration runs in its own transaction together with its
/// `schema_migrations` row, so a crash between two leaves a store that the next open resumes.
pub(crate) fn run(conn: &mut Connection, path: &Path) -> Result<()> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
             version     INTEGER PRIMARY KEY,
             name        TEXT NOT NULL,
             applied_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
         )",
    )
    .map_err(|source| Error::Open { path: path.to_path_buf(), source })?;
    let current: i64 = conn
        .query_row("SELECT max(version) FROM schema_migrations", [], |r| r.get::<_, Option<i64>>(0))
        .optional()?
        .flatten()
        .unwrap_or(0);
    if current > latest() {
        return Err(Error::SchemaTooNew { path: path.to_path_buf(), found: current, known: latest() });
    }
    for m in MIGRATIONS.iter().filter(|m| m.version > current) {
        let fail = |source| Error::Migration { version: m.version, name: m.name, source };
        // IMMEDIATE: two processes opening a new store at once must not both run the migration.
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).map_err(fail)?;
        let done: bool = tx
            .query_row("SELECT 1 FROM schema_migrations WHERE version = ?1", [m.version], |_| Ok(()))
            .optional()
            .map_err(fail)?
            .is_some();
        if done {
            continue;
        }
        tx.execute_batch(m.sql).map_err(fail)?;
        tx.execute("INSERT INTO schema_migrations (version, name) VALUES (?1, ?2)", (m.version, m.name))
            .map_err(fail)?;
        tx.commit().map_err(fail)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// FNV-1a, enough to notice an edit; no need for a cryptographic hash here.
    fn fnv(s: &str) -> u64 {
        s.bytes().fold(0xcbf29ce484222325, |h, b| (h ^ b as u64).wrapping_mul(0x100000001b3))
    }

    #[test]
    fn versions_are_consecutive() {
        for (i, m) in MIGRATIONS.iter().enumerate() {
            assert_eq!(m.version, i as i64 + 1);
            assert!(m.name.starts_with(&format!("{:04}_", m.version)));
        }
    }

    #[test]
    fn migrations_are_append_only() {
        // When a migration is released, add its hash here. Changing a released file must fail.
        let released: &[(i64, u64)] = &[(1, 0x14cdbf73ebc33bec), (2, 0x63f7a817e44275a0), (3, 0x07005b530a20310d), (4, 0x2b3f93365c2ee383), (5, 0xf532dc3705294774), (6, 0x69f28b7c3d43ed71), (7, 0x3af77a81b739fa40), (8, 0xe673a3aa59282b64), (9, 0x5b642abb3cbf82c0)];
        for &(version, hash) in released {
            let m = MIGRATIONS.iter().find(|m| m.version == version).expect("released migration removed");
            assert_eq!(fnv(m.sql), hash, "released migration {} was edited; add a new one instead", m.name);
        }
        assert_eq!(released.len(), MIGRATIONS.len(), "pin the hash of every migration once it is released");
    }
}
