//! Budgets of a read: a deadline, and flags that stop it (a client that went away, a server
//! shutting down). A statement checks them every [`STEPS`] virtual-machine instructions through
//! SQLite's progress handler, and ends with SQLITE_INTERRUPT once one is reached.
//!
//! What they cannot stop: work inside one call into FTS5 (expanding a prefix, merging its
//! lists), which SQLite does not interrupt. That work is bounded before it starts, by the
//! limits on search words in [`crate::sqlite`] (`MAX_SEARCH_WORDS`, `MAX_PREFIX_WORDS`,
//! `MIN_PREFIX_CHARS`).

use crate::SqliteStore;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

/// Instructions between two checks: about a millisecond of work at most.
const STEPS: i32 = 10_000;

/// When a read must stop.
#[derive(Debug, Clone, Default)]
pub struct Limits {
    pub deadline: Option<Instant>,
    /// Any of these set: stop.
    pub stop: Vec<Arc<AtomicBool>>,
}

impl Limits {
    /// Is the deadline past or a stop flag set?
    pub fn reached(&self) -> bool {
        self.deadline.is_some_and(|d| Instant::now() >= d) || self.stop.iter().any(|s| s.load(Ordering::Relaxed))
    }

    /// Past the deadline (rather than stopped by a flag)?
    pub fn timed_out(&self) -> bool {
        self.deadline.is_some_and(|d| Instant::now() >= d)
    }
}

impl SqliteStore {
    /// Run `f` on this connection with `limits`: every statement it runs ends early (with an
    /// error) once they are reached. The caller tells that error apart with
    /// [`Limits::reached`].
    pub fn limited<T>(&self, limits: &Limits, f: impl FnOnce(&SqliteStore) -> T) -> T {
        let l = limits.clone();
        self.conn.progress_handler(STEPS, Some(move || l.reached()));
        let out = f(self);
        self.conn.progress_handler(0, None::<fn() -> bool>);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn endless(s: &SqliteStore) -> rusqlite::Result<i64> {
        // A query that counts to ten billion: minutes of work, all of it in the VM.
        s.conn.query_row(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000000000) SELECT count(*) FROM n",
            [],
            |r| r.get(0),
        )
    }

    #[test]
    fn a_deadline_and_a_stop_flag_end_a_running_query() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(&dir.path().join("s.db")).unwrap();
        let t0 = Instant::now();
        let limits = Limits { deadline: Some(t0 + Duration::from_millis(200)), stop: vec![] };
        let r = store.limited(&limits, endless);
        assert!(r.is_err() && limits.reached() && limits.timed_out(), "{r:?}");
        assert!(t0.elapsed() < Duration::from_secs(2), "stopped after {:?}", t0.elapsed());

        let stop = Arc::new(AtomicBool::new(false));
        let limits = Limits { deadline: None, stop: vec![Arc::clone(&stop)] };
        let setter = std::thread::spawn({
            let stop = Arc::clone(&stop);
            move || {
                std::thread::sleep(Duration::from_millis(200));
                stop.store(true, Ordering::Relaxed);
            }
        });
        let t0 = Instant::now();
        let r = store.limited(&limits, endless);
        setter.join().unwrap();
        assert!(r.is_err() && limits.reached() && !limits.timed_out(), "{r:?}");
        assert!(t0.elapsed() < Duration::from_secs(2), "stopped after {:?}", t0.elapsed());

        // Afterwards the connection runs without limits again.
        let n: i64 = store.conn.query_row("SELECT count(*) FROM documents", [], |r| r.get(0)).unwrap();
        assert_eq!(n, 0);
    }
}
