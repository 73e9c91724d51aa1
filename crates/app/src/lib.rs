//! The application layer: the use cases that need more than one part of hamkor, written once
//! and called by both adapters, `hamkor` (crates/cli) and `hamkor serve` (crates/server). The
//! adapters parse arguments or requests and print or render; what a use case computes is here.
//!
//! Rule: no SQL here (the store's methods), no printing, no HTTP.

use hamkor_registry::lifecycle::{lifecycle, Lifecycle};
use hamkor_registry::{Agreement, ImportSummary, Record, RefreshSummary, Registry};
use hamkor_store::{Error, Result, ReviewOutcome, SqliteStore};
use std::path::Path;

fn corrupt(e: hamkor_registry::Error) -> Error {
    Error::Corrupt(format!("the registry: {e}"))
}

/// Open (creating if needed) the store at `path`, bring its schema and its built-in registry up
/// to date, and, like a migration, link the reports again once when the registry or the
/// linking rules changed, so that no read ever has to. Every command that reads the registry
/// or canonical events opens its store this way.
pub fn open_store(path: &Path) -> Result<SqliteStore> {
    let store = SqliteStore::open(path)?;
    seed_registry(&store)?;
    if hamkor_registry::stage::outdated(&store)? {
        link(&store)?;
    }
    Ok(store)
}

/// Bring the store's built-in registry rows to this hamkor's version (the user's records and
/// corrections are kept). Cheap when they are current.
pub fn seed_registry(store: &SqliteStore) -> Result<()> {
    let version = hamkor_registry::builtin_version();
    if store.registry_version()?.as_deref() == Some(version.as_str()) {
        return Ok(());
    }
    let (records, corrections) = hamkor_registry::seed_plan(&store.registry_rows()?).map_err(corrupt)?;
    store.seed_registry(&version, &records, &corrections)?;
    Ok(())
}

/// The linking stage (`hamkor_registry::stage`): every report not linked yet (new, re-coded,
/// edited) is linked to the registry and merged into its canonical event. Run after every
/// write — `hamkor ingest`, `recode`, `import`, the server's writes, review edits, merge and
/// split — and never by a read.
pub fn link(store: &SqliteStore) -> Result<RefreshSummary> {
    seed_registry(store)?;
    hamkor_registry::stage::refresh(store, || registry(store))
}

/// The registry as this store holds it: built-in records, the user's, and corrections.
pub fn registry(store: &SqliteStore) -> Result<Registry> {
    Registry::from_records(&registry_records(store)?).map_err(corrupt)
}

/// Every record, each with the user's corrections applied.
pub fn registry_records(store: &SqliteStore) -> Result<Vec<Record>> {
    hamkor_registry::records_from_rows(&store.registry_rows()?).map_err(corrupt)
}

/// An agreement with its lifecycle (registry steps and coded ratification reports).
pub fn agreement_lifecycle(store: &SqliteStore, id: &str) -> Result<Option<(Agreement, Lifecycle)>> {
    let reg = registry(store)?;
    let Some(a) = reg.agreement(id) else { return Ok(None) };
    let coded = store.coded_steps()?;
    let life = lifecycle(a, &reg, coded.get(id).map_or(&[][..], |v| v.as_slice()));
    Ok(Some((a.clone(), life)))
}

/// Import registry records (`hamkor registry import`), each line's `(id, object)`: the
/// registry decides (`hamkor_registry::plan_import`), the store writes in one transaction,
/// and the reports are linked again.
pub fn import_registry(store: &SqliteStore, lines: &[(String, serde_json::Value)], source: &str) -> Result<ImportSummary> {
    seed_registry(store)?;
    let (summary, changes) = hamkor_registry::plan_import(&store.registry_rows()?, lines).map_err(corrupt)?;
    store.apply_registry_changes(&changes, source)?;
    Ok(summary)
}

/// A reviewer takes a report out of its canonical event (see [`SqliteStore::split_report`]),
/// between two runs of the linking stage.
pub fn split_report(store: &SqliteStore, event_id: i64, reason: &str, who: &str) -> Result<ReviewOutcome> {
    link(store)?;
    let out = store.split_report(event_id, reason, who)?;
    link(store)?;
    Ok(out)
}

/// A reviewer puts a report into another canonical event of the same type.
pub fn merge_report(store: &SqliteStore, event_id: i64, canonical: i64, reason: &str, who: &str) -> Result<ReviewOutcome> {
    link(store)?;
    let out = store.merge_report(event_id, canonical, reason, who)?;
    link(store)?;
    Ok(out)
}

/// A reviewer undoes a canonical event: every report but the first becomes an event of its
/// own. Returns the canonical events the reports are in afterwards.
pub fn unmerge_canonical(store: &SqliteStore, canonical: i64, reason: &str, who: &str) -> Result<Vec<i64>> {
    link(store)?;
    let mut out = Vec::new();
    for (i, ev) in store.canonical_reports_of(canonical)?.into_iter().enumerate() {
        if i == 0 {
            out.push(canonical);
            continue;
        }
        if let ReviewOutcome::Done { canonical } = store.split_report(ev, reason, who)? {
            out.push(canonical);
        }
    }
    link(store)?;
    Ok(out)
}

/// Forget a reviewer's decision about a report: it is linked and merged automatically again.
pub fn clear_review(store: &SqliteStore, event_id: i64) -> Result<ReviewOutcome> {
    if !store.clear_review(event_id)? {
        return Ok(ReviewOutcome::NoSuchEvent);
    }
    link(store)?;
    let now = store.canonical_of(event_id)?;
    Ok(now.map_or(ReviewOutcome::NoSuchEvent, |c| ReviewOutcome::Done { canonical: c }))
}

/// The agreements whose follow-through the analysis measures: the registry's (built-in, the
/// user's own, with the user's corrections), each with the canonical `agreement` events linked
/// to it. Sorted by id.
pub fn analysis_agreements(store: &SqliteStore) -> Result<Vec<hamkor_analysis::Agreement>> {
    let reg = registry(store)?;
    let mut signings = store.agreement_signings()?;
    let mut out = Vec::with_capacity(reg.agreements.len());
    for a in &reg.agreements {
        let mut parties = a.parties.clone();
        parties.sort_unstable();
        parties.dedup();
        let mut domains = a.domains.clone();
        domains.sort_unstable();
        domains.dedup();
        out.push(hamkor_analysis::Agreement {
            id: a.id.clone(),
            name: a.name_en.clone(),
            signed: a.signed,
            parties,
            domains,
            event_ids: signings.remove(&a.id).unwrap_or_default(),
            origin: "registry".into(),
        });
    }
    out.sort_by(|x, y| x.id.cmp(&y.id));
    Ok(out)
}
