//! The store behind the server: a small pool of reading connections and one writer.
//!
//! SQLite in WAL mode lets readers run beside the writer, but a connection is not `Sync`, so
//! each request borrows one for the length of a blocking task. A semaphore bounds how many run
//! at once (more connections than cores only add contention); the rest wait their turn, which
//! is how 200 concurrent readers are served by a 2-core machine without opening 200 files.
//!
//! Readers are opened `query_only`: a read that tried to write would fail, loudly. Every write
//! ends with the canonical-event stage (linking and merging the reports it touched), so that
//! reads find the store complete and never need to change it.

use crate::error::{AppError, Result};
use hamkor_store::SqliteStore;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use tokio::sync::Semaphore;

pub struct Db {
    path: PathBuf,
    readers: Mutex<Vec<SqliteStore>>,
    permits: Semaphore,
    writer: Mutex<Option<SqliteStore>>,
}

impl Db {
    /// Open the store (running its migrations) and keep that connection as the writer.
    pub fn open(path: &Path, readers: usize) -> std::result::Result<Arc<Db>, hamkor_store::Error> {
        let writer = SqliteStore::open(path)?;
        let first = SqliteStore::open_reader(path)?;
        Ok(Arc::new(Db {
            path: path.to_path_buf(),
            readers: Mutex::new(vec![first]),
            permits: Semaphore::new(readers.max(1)),
            writer: Mutex::new(Some(writer)),
        }))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Run `f` on a reading connection, on the blocking pool.
    pub async fn read<T, F>(self: &Arc<Self>, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&SqliteStore) -> Result<T> + Send + 'static,
    {
        let _permit = self.permits.acquire().await.map_err(AppError::internal)?;
        let db = Arc::clone(self);
        tokio::task::spawn_blocking(move || {
            let conn = db.readers.lock().map_err(|_| AppError::internal("reader pool poisoned"))?.pop();
            let conn = match conn {
                Some(c) => c,
                None => SqliteStore::open_reader(&db.path)?,
            };
            let out = f(&conn);
            if let Ok(mut pool) = db.readers.lock() {
                pool.push(conn);
            }
            out
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
        let db = Arc::clone(self);
        tokio::task::spawn_blocking(move || {
            let mut guard = db.writer.lock().map_err(|_| AppError::internal("writer poisoned"))?;
            if guard.is_none() {
                *guard = Some(SqliteStore::open(&db.path)?);
            }
            let store = guard.as_mut().expect("opened above");
            let out = f(store)?;
            store.refresh_canonical()?;
            Ok(out)
        })
        .await?
    }
}
