//! The events the charts and panels are drawn from, held in memory between changes.
//!
//! Pages and the panel API ask for a [`Snapshot`]: the store's events as `hamkor-analysis`
//! takes them, with its column index built once. A cheap fingerprint query (counts and the
//! latest ids of events, documents and the audit log) tells when the store changed; only then
//! is the snapshot rebuilt. Under a read-heavy load this turns every chart request into an
//! in-memory query. What pages derive from the whole snapshot (the follow-through, the number
//! of documents and of events to review) is kept with it.

use crate::error::Result;
use crate::AppState;
use hamkor_analysis::panel::EventIndex;
use hamkor_analysis::{Agreement, CanonicalEvent};
use hamkor_store::{EventFilter, SqliteStore};
use std::collections::HashMap;
use std::sync::{Arc, OnceLock, RwLock};

pub struct Snapshot {
    pub fingerprint: [i64; 4],
    /// Sorted by date then id.
    pub events: Vec<CanonicalEvent>,
    pub index: EventIndex,
    /// Registry agreements (empty when the store has no registry).
    pub agreements: Vec<Agreement>,
    /// Position in `events` of the analysis event each coded event (report) belongs to.
    pub by_report: HashMap<i64, usize>,
    /// Coded events no reviewer has accepted or edited yet (a review writes the audit log,
    /// which the fingerprint follows).
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

#[derive(Default)]
pub struct Cache {
    current: RwLock<Option<Arc<Snapshot>>>,
    /// `/api/stats`'s answer and the key it was computed for ([`Cache::stats`]).
    stats: RwLock<Option<(Vec<i64>, Arc<crate::api::types::StatsOut>)>>,
}

/// The store's canonical events as the analysis takes them (the store decides where they come
/// from: the registry's merged events, or each coded event on its own until there is one).
pub fn load_events(s: &SqliteStore) -> Result<Vec<CanonicalEvent>> {
    Ok(s.analysis_events(&EventFilter::default())?)
}

impl Cache {
    /// `/api/stats`'s answer, computed again only when the store changed: the key is the data
    /// fingerprint with the failures and the sources (which a file seen again, or a failed one,
    /// adds without a document or an event).
    pub async fn stats(
        &self,
        state: &AppState,
        compute: impl FnOnce(&SqliteStore) -> Result<crate::api::types::StatsOut> + Send + 'static,
    ) -> Result<Arc<crate::api::types::StatsOut>> {
        let key = state
            .db
            .read(|s| {
                let fp = s.data_fingerprint()?;
                let (failures, sources, last_source) = s.change_counts()?;
                Ok(vec![fp[0], fp[1], fp[2], fp[3], failures, sources, last_source])
            })
            .await?;
        if let Some((k, v)) = self.stats.read().ok().and_then(|g| g.clone()) {
            if k == key {
                return Ok(v);
            }
        }
        let value = Arc::new(state.db.read(compute).await?);
        if let Ok(mut g) = self.stats.write() {
            *g = Some((key, Arc::clone(&value)));
        }
        Ok(value)
    }

    /// The current snapshot, rebuilt if the store changed since it was taken.
    pub async fn get(&self, state: &AppState) -> Result<Arc<Snapshot>> {
        let fp = state.db.read(|s| Ok(s.data_fingerprint()?)).await?;
        if let Some(snap) = self.current.read().ok().and_then(|g| g.clone()) {
            if snap.fingerprint == fp {
                return Ok(snap);
            }
        }
        let snap = state
            .db
            .read_as(crate::db::ReadKind::Shared, move |s| {
                let events = load_events(s)?;
                let agreements = hamkor_app::analysis_agreements(s)?;
                let to_review = s.review_counts()?.0;
                let index = EventIndex::build(&events);
                let mut by_report = HashMap::new();
                for (i, e) in events.iter().enumerate() {
                    for r in &e.reports {
                        by_report.insert(r.event_id, i);
                    }
                }
                Ok(Arc::new(Snapshot {
                    fingerprint: fp,
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
}
