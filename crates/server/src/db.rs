//! The store behind the server: a small pool of reading connections and one writer, with a
//! budget on every read.
//!
//! SQLite in WAL mode lets readers run beside the writer, but a connection is not `Sync`, so
//! each request borrows one for the length of a blocking task. A semaphore bounds how many run
//! at once (more connections than cores only add contention); the rest wait their turn, which
//! is how 200 concurrent readers are served by a 2-core machine without opening 200 files.
//!
//! Budgets (see [`Budgets`]): searches take a second, smaller semaphore first, so that a flood
//! of searches holds at most that many connections and every other reader still finds one; a
//! search that cannot start in time gets 503. Every read has a deadline, ends when the request
//! that asked for it goes away (a client that disconnects drops the handler's future, which
//! sets the read's stop flag), and ends when the server shuts down. The permits are held by
//! the blocking task, not by the request, so a connection counts as busy until its statement
//! has really stopped.
//!
//! Readers are opened `query_only`: a read that tried to write would fail, loudly. Every write
//! ends with the canonical-event stage (linking and merging the reports it touched), so that
//! reads find the store complete and never need to change it.

use crate::error::{AppError, Result};
use hamkor_store::{Limits, SqliteStore, VersionWatch};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;

/// What reads may cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budgets {
    /// Longest a search may run.
    pub search_timeout: Duration,
    /// Longest any other read may run.
    pub read_timeout: Duration,
    /// Searches running at once; 0: half the reading connections (at least one).
    pub searches: usize,
    /// How long a search waits for its turn before it is refused with 503.
    pub search_wait: Duration,
    /// After SIGTERM or Ctrl-C: how long requests may still finish before the server stops.
    pub grace: Duration,
}

impl Default for Budgets {
    fn default() -> Self {
        Budgets {
            search_timeout: Duration::from_secs(5),
            read_timeout: Duration::from_secs(60),
            searches: 0,
            search_wait: Duration::from_secs(5),
            grace: Duration::from_secs(2),
        }
    }
}

/// Which budget a read runs under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadKind {
    /// A full-text search: its own semaphore and the search deadline.
    Search,
    /// Any other read of one request: ends when the request goes away.
    Request,
    /// Work shared by every request that waits for it (the chart snapshot): it goes on when
    /// the request that started it goes away, within the read deadline.
    Shared,
}

pub struct Db {
    path: PathBuf,
    /// The store's generation (see [`Db::version`]).
    version: Mutex<VersionWatch>,
    readers: Mutex<Vec<SqliteStore>>,
    permits: Arc<Semaphore>,
    searches: Arc<Semaphore>,
    writer: Mutex<Option<SqliteStore>>,
    budgets: Budgets,
    shutdown: Arc<AtomicBool>,
}

/// Sets its flag when dropped: the handler future that owns it was dropped (the client went
/// away) or finished (then the read is over and the flag changes nothing).
struct StopOnDrop(Arc<AtomicBool>);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

impl Db {
    /// Open the store (running its migrations) and keep that connection as the writer.
    pub fn open(path: &Path, readers: usize, budgets: Budgets) -> std::result::Result<Arc<Db>, hamkor_store::Error> {
        let writer = hamkor_app::open_store(path)?;
        let first = SqliteStore::open_reader(path)?;
        let version = Mutex::new(VersionWatch::open(path)?);
        let readers = readers.max(1);
        let searches = if budgets.searches == 0 { (readers / 2).max(1) } else { budgets.searches.min(readers) };
        Ok(Arc::new(Db {
            path: path.to_path_buf(),
            version,
            readers: Mutex::new(vec![first]),
            permits: Arc::new(Semaphore::new(readers)),
            searches: Arc::new(Semaphore::new(searches)),
            writer: Mutex::new(Some(writer)),
            budgets,
            shutdown: Arc::new(AtomicBool::new(false)),
        }))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn budgets(&self) -> Budgets {
        self.budgets
    }

    /// The store's generation: it grows with every commit to the store, by this server or any
    /// other process, and never with a read. What is computed from the whole store is cached
    /// under it ([`crate::data::Cache`]). It takes no reading connection and reads no table, so
    /// it never waits behind the readers.
    pub fn version(&self) -> Result<u64> {
        let mut w = self.version.lock().map_err(|_| AppError::internal("version watch poisoned"))?;
        Ok(w.current()?)
    }

    /// Stop every read now and refuse new ones: the server is shutting down.
    pub fn begin_shutdown(&self) {
        self.shutdown.store(true, Ordering::Relaxed);
        self.permits.close();
        self.searches.close();
    }

    fn stopping() -> AppError {
        AppError::unavailable("the server is shutting down")
    }

    /// Run `f` on a reading connection, on the blocking pool, as one request's read.
    pub async fn read<T, F>(self: &Arc<Self>, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&SqliteStore) -> Result<T> + Send + 'static,
    {
        self.read_as(ReadKind::Request, f).await
    }

    /// Run `f` on a reading connection under the budget of `kind`.
    pub async fn read_as<T, F>(self: &Arc<Self>, kind: ReadKind, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&SqliteStore) -> Result<T> + Send + 'static,
    {
        if self.shutdown.load(Ordering::Relaxed) {
            return Err(Db::stopping());
        }
        let search_permit = match kind {
            ReadKind::Search => {
                let wait = self.budgets.search_wait;
                match tokio::time::timeout(wait, Arc::clone(&self.searches).acquire_owned()).await {
                    Ok(Ok(p)) => Some(p),
                    Ok(Err(_)) => return Err(Db::stopping()),
                    Err(_) => {
                        return Err(AppError::unavailable(format!(
                            "too many searches at once: none could start within {} s; try again in a moment",
                            wait.as_secs_f64()
                        )))
                    }
                }
            }
            _ => None,
        };
        let permit = Arc::clone(&self.permits).acquire_owned().await.map_err(|_| Db::stopping())?;
        let timeout = if kind == ReadKind::Search { self.budgets.search_timeout } else { self.budgets.read_timeout };
        let request_gone = Arc::new(AtomicBool::new(false));
        let _guard = (kind != ReadKind::Shared).then(|| StopOnDrop(Arc::clone(&request_gone)));
        let limits = Limits { deadline: Some(Instant::now() + timeout), stop: vec![request_gone, Arc::clone(&self.shutdown)] };
        let db = Arc::clone(self);
        tokio::task::spawn_blocking(move || {
            let _held = (permit, search_permit);
            let conn = db.readers.lock().map_err(|_| AppError::internal("reader pool poisoned"))?.pop();
            let conn = match conn {
                Some(c) => c,
                None => SqliteStore::open_reader(&db.path)?,
            };
            let out = conn.limited(&limits, f);
            if let Ok(mut pool) = db.readers.lock() {
                pool.push(conn);
            }
            match out {
                Err(_) if limits.timed_out() => Err(AppError::unavailable(format!(
                    "the query ran past its budget of {} s and was stopped; narrow it down",
                    timeout.as_secs_f64()
                ))),
                Err(_) if limits.reached() => Err(AppError::unavailable("the query was stopped")),
                other => other,
            }
        })
        .await?
    }

    /// Run `f` on the single writing connection, on the blocking pool, then the canonical-event
    /// stage over what it wrote.
    pub async fn write<T, F>(self: &Arc<Self>, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut SqliteStore) -> Result<T> + Send + 'static,
    {
        if self.shutdown.load(Ordering::Relaxed) {
            return Err(Db::stopping());
        }
        let db = Arc::clone(self);
        tokio::task::spawn_blocking(move || {
            let mut guard = db.writer.lock().map_err(|_| AppError::internal("writer poisoned"))?;
            if guard.is_none() {
                *guard = Some(hamkor_app::open_store(&db.path)?);
            }
            let store = guard.as_mut().expect("opened above");
            let out = f(store)?;
            hamkor_app::link(store)?;
            Ok(out)
        })
        .await?
    }
}
