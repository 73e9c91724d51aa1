//! What the dashboard computes from the whole store, held in memory until the store changes.
//!
//! Everything here is keyed by the store's generation ([`crate::db::Db::version`]): a number
//! that grows with every commit to the store (by this server, or by another process such as
//! `hamkor ingest`) and that reading never changes; checking it reads no table and takes no
//! reading connection. So a cached value is never older than the last commit before the
//! request that reads it.
//!
//! - The [`Snapshot`]: the store's events as `hamkor-analysis` takes them, with its column
//!   index built once, and what pages derive from all of it (the follow-through, the number of
//!   documents and of events to review). One request rebuilds it after a change; the others
//!   wait for that one instead of each loading the store again.
//! - Memos ([`Cache::memo`]): a page's figures for its parameters (a pair's counts, the
//!   network, the agreements' rows), the statistics of `/api/stats`, and the ids of an event
//!   list for its filters (pages of the list then read only their own rows). They are dropped
//!   when the generation moves on.

use crate::error::{AppError, Result};
use crate::AppState;
use hamkor_analysis::panel::EventIndex;
use hamkor_analysis::{Agreement, CanonicalEvent};
use hamkor_store::{EventFilter, SqliteStore};
use std::any::Any;
use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex, OnceLock, RwLock};

pub struct Snapshot {
    /// The store's generation the snapshot was read at (or after).
    pub generation: u64,
    /// Documents in the store.
    pub documents: u64,
    /// Sorted by date then id.
    pub events: Vec<CanonicalEvent>,
    pub index: EventIndex,
    /// Registry agreements (empty when the store has no registry).
    pub agreements: Vec<Agreement>,
    /// Position in `events` of the analysis event each coded event (report) belongs to.
    pub by_report: HashMap<i64, usize>,
    /// Coded events no reviewer has accepted or edited yet.
    pub to_review: u64,
    /// The agreements' follow-through, computed on first use ([`crate::api::analysis::follow`]).
    pub follow: OnceLock<hamkor_analysis::follow::FollowThrough>,
}

impl Snapshot {
    /// The figures of this snapshot: what every chart and count of the dashboard is drawn from
    /// (the report draws from the same, `hamkor_analysis::figures`).
    pub fn figures(&self) -> hamkor_analysis::figures::Figures<'_> {
        hamkor_analysis::figures::Figures::new(&self.events, &self.index)
    }
}

type Value = Arc<dyn Any + Send + Sync>;
/// Where one value is computed once: the requests that ask for it while it is being computed
/// wait for that computation (if the request computing it goes away, a waiting one takes over).
type Slot = Arc<tokio::sync::OnceCell<Value>>;

/// Values of one generation, at most `cap` of them (when full, the oldest half goes).
struct Memo {
    generation: u64,
    cap: usize,
    order: Vec<String>,
    values: HashMap<String, Slot>,
}

impl Memo {
    fn new(cap: usize) -> Memo {
        Memo { generation: 0, cap, order: Vec::new(), values: HashMap::new() }
    }

    /// The slot of `key` in `generation`; a generation older than the kept one gets a slot of
    /// its own that is not kept.
    fn slot(&mut self, generation: u64, key: &str) -> Slot {
        if generation < self.generation {
            return Slot::default();
        }
        if generation > self.generation {
            self.generation = generation;
            self.order.clear();
            self.values.clear();
        }
        if let Some(s) = self.values.get(key) {
            return Arc::clone(s);
        }
        if self.values.len() >= self.cap {
            let old: Vec<String> = self.order.drain(..self.cap / 2).collect();
            for k in old {
                self.values.remove(&k);
            }
        }
        let s = Slot::default();
        self.values.insert(key.to_string(), Arc::clone(&s));
        self.order.push(key.to_string());
        s
    }
}

/// Memos of figures (small), of event lists' ids (up to 8 bytes an event each) and of search
/// results (a page of hits each).
const FIGURES: usize = 512;
const LISTS: usize = 16;
const SEARCHES: usize = 128;

pub struct Cache {
    current: RwLock<Option<Arc<Snapshot>>>,
    /// Held by the one request that rebuilds the snapshot.
    rebuild: tokio::sync::Mutex<()>,
    figures: Mutex<Memo>,
    lists: Mutex<Memo>,
    searches: Mutex<Memo>,
}

impl Default for Cache {
    fn default() -> Self {
        Cache {
            current: RwLock::new(None),
            rebuild: tokio::sync::Mutex::new(()),
            figures: Mutex::new(Memo::new(FIGURES)),
            lists: Mutex::new(Memo::new(LISTS)),
            searches: Mutex::new(Memo::new(SEARCHES)),
        }
    }
}

/// The store's canonical events as the analysis takes them (the store decides where they come
/// from: the registry's merged events, or each coded event on its own until there is one).
pub fn load_events(s: &SqliteStore) -> Result<Vec<CanonicalEvent>> {
    Ok(s.analysis_events(&EventFilter::default())?)
}

impl Cache {
    fn current(&self) -> Option<Arc<Snapshot>> {
        self.current.read().ok().and_then(|g| g.clone())
    }

    /// The snapshot of the store's current generation, rebuilt if the store changed since the
    /// last one was taken.
    pub async fn get(&self, state: &AppState) -> Result<Arc<Snapshot>> {
        let generation = state.db.version()?;
        if let Some(snap) = self.current().filter(|s| s.generation >= generation) {
            return Ok(snap);
        }
        let _turn = self.rebuild.lock().await;
        // Another request may have rebuilt it while this one waited.
        if let Some(snap) = self.current().filter(|s| s.generation >= generation) {
            return Ok(snap);
        }
        let snap = state
            .db
            .read_as(crate::db::ReadKind::Shared, move |s| {
                let events = load_events(s)?;
                let agreements = hamkor_app::analysis_agreements(s)?;
                let to_review = s.review_counts()?.0;
                let documents = s.document_count()?;
                let index = EventIndex::build(&events);
                let mut by_report = HashMap::new();
                for (i, e) in events.iter().enumerate() {
                    for r in &e.reports {
                        by_report.insert(r.event_id, i);
                    }
                }
                Ok(Arc::new(Snapshot {
                    generation,
                    documents,
                    events,
                    index,
                    agreements,
                    by_report,
                    to_review,
                    follow: OnceLock::new(),
                }))
            })
            .await?;
        if let Ok(mut g) = self.current.write() {
            *g = Some(Arc::clone(&snap));
        }
        Ok(snap)
    }

    /// The value of `key` in `generation`, computed by `compute` the first time it is asked for;
    /// requests asking for it meanwhile wait for that computation. A failure is not kept.
    pub async fn memo<T, F>(&self, generation: u64, key: String, compute: F) -> Result<Arc<T>>
    where
        T: Send + Sync + 'static,
        F: Future<Output = Result<T>>,
    {
        self.memo_in(&self.figures, generation, key, compute).await
    }

    async fn memo_in<T, F>(&self, memo: &Mutex<Memo>, generation: u64, key: String, compute: F) -> Result<Arc<T>>
    where
        T: Send + Sync + 'static,
        F: Future<Output = Result<T>>,
    {
        let slot = memo.lock().map_err(|_| AppError::internal("cache poisoned"))?.slot(generation, &key);
        let value = slot.get_or_try_init(|| async { Ok::<Value, AppError>(Arc::new(compute.await?)) }).await?;
        Arc::clone(value).downcast::<T>().map_err(|_| AppError::internal(format!("cache key {key:?} holds another type")))
    }

    /// A read of the store whose answer is kept until the store changes (`key` names it).
    pub async fn read<T, F>(&self, state: &AppState, key: String, f: F) -> Result<Arc<T>>
    where
        T: Send + Sync + 'static,
        F: FnOnce(&SqliteStore) -> Result<T> + Send + 'static,
    {
        let generation = state.db.version()?;
        self.memo(generation, key, state.db.read(f)).await
    }

    /// The hits of a search (`key` names the query, its language and its page), kept until the
    /// store changes: a search asked again (the same page reloaded, a common word) costs nothing.
    pub async fn search<T, F>(&self, generation: u64, key: String, search: F) -> Result<Arc<T>>
    where
        T: Send + Sync + 'static,
        F: Future<Output = Result<T>>,
    {
        self.memo_in(&self.searches, generation, key, search).await
    }

    /// The ids of the events `filter` selects, in the lists' order, kept until the store
    /// changes: every page of a list after the first reads only its own rows.
    pub async fn event_ids(&self, state: &AppState, filter: EventFilter) -> Result<Arc<Vec<i64>>> {
        let generation = state.db.version()?;
        let key = format!("{filter:?}");
        self.memo_in(&self.lists, generation, key, state.db.read(move |s| Ok(s.event_ids(&filter)?))).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_memo_keeps_one_generation_and_at_most_its_cap() {
        let mut m = Memo::new(4);
        let a = m.slot(1, "a");
        assert!(Arc::ptr_eq(&a, &m.slot(1, "a")), "one slot per key");
        assert!(!Arc::ptr_eq(&a, &m.slot(2, "a")), "another generation");
        assert!(!m.values.contains_key("b") && m.values.len() == 1, "the older generation is gone");
        let late = m.slot(1, "a");
        assert!(!Arc::ptr_eq(&late, &m.slot(2, "a")), "a slot of an older generation is not kept");
        for k in ["b", "c", "d", "e"] {
            m.slot(2, k);
        }
        assert_eq!(m.values.len(), 3, "a and b went when e came");
        assert!(!m.values.contains_key("b") && m.values.contains_key("e"));
    }

    #[tokio::test]
    async fn requests_asking_at_once_compute_a_value_once() {
        let cache = Arc::new(Cache::default());
        let runs = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for _ in 0..8 {
            let (cache, runs) = (Arc::clone(&cache), Arc::clone(&runs));
            tasks.push(tokio::spawn(async move {
                let v = cache
                    .memo(1, "k".into(), async {
                        runs.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                        Ok(42u64)
                    })
                    .await
                    .unwrap();
                *v
            }));
        }
        for t in tasks {
            assert_eq!(t.await.unwrap(), 42);
        }
        assert_eq!(runs.load(std::sync::atomic::Ordering::SeqCst), 1);
        let failed = cache.memo::<u64, _>(2, "k".into(), async { Err(AppError::internal("x")) }).await;
        assert!(failed.is_err());
        let v = cache.memo(2, "k".into(), async { Ok(7u64) }).await.unwrap();
        assert_eq!(*v, 7, "a failure is not kept");
    }
}
