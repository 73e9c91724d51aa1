//! A cheap number that changes whenever the store changes: the key of caches of what is
//! computed from the whole store (the server's charts, counts and lists).
//!
//! SQLite counts, on each connection, the commits made by every other connection
//! (`PRAGMA data_version`); reading that count reads no table. A [`VersionWatch`] keeps one
//! connection of its own that never writes, so that every commit (this process's writer, another
//! process's `hamkor ingest`) moves the count it sees, and turns the count into a generation that
//! only grows. Reading the store never changes it.
//!
//! What a cache may rely on: a value computed by a read that started after
//! [`VersionWatch::current`] returned `g` reflects every commit made before that call; a commit
//! made later makes the next call return more than `g`.

use crate::{Result, SqliteStore};
use std::path::Path;

pub struct VersionWatch {
    store: SqliteStore,
    seen: i64,
    generation: u64,
}

impl VersionWatch {
    /// Watch the store at `path` (which must exist), from generation 1.
    pub fn open(path: &Path) -> Result<VersionWatch> {
        let store = SqliteStore::open_reader(path)?;
        let seen = store.data_version()?;
        Ok(VersionWatch { store, seen, generation: 1 })
    }

    /// The store's generation now: the last one returned, plus one if anything was committed
    /// since.
    pub fn current(&mut self) -> Result<u64> {
        let v = self.store.data_version()?;
        if v != self.seen {
            self.seen = v;
            self.generation += 1;
        }
        Ok(self.generation)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Store, WriteOp};

    #[test]
    fn every_commit_of_any_connection_moves_the_generation_and_reads_do_not() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        let mut writer = SqliteStore::open(&path).unwrap();
        let mut watch = VersionWatch::open(&path).unwrap();
        let g0 = watch.current().unwrap();
        assert_eq!(watch.current().unwrap(), g0, "nothing committed");
        let reader = SqliteStore::open_reader(&path).unwrap();
        reader.stats().unwrap();
        assert_eq!(watch.current().unwrap(), g0, "a read is not a change");
        writer.apply(&[WriteOp::Failure { path: "a.txt".into(), item: String::new(), reason: "x".into() }]).unwrap();
        let g1 = watch.current().unwrap();
        assert!(g1 > g0, "a commit of another connection");
        assert_eq!(watch.current().unwrap(), g1);
        // A second writer, as another process would be.
        let mut other = SqliteStore::open(&path).unwrap();
        other.apply(&[WriteOp::Failure { path: "b.txt".into(), item: String::new(), reason: "y".into() }]).unwrap();
        assert!(watch.current().unwrap() > g1);
    }
}
