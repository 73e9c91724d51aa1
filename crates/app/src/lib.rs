//! The application layer: the use cases that need more than one part of hamkor, written once
//! and called by both adapters, `hamkor` (crates/cli) and `hamkor serve` (crates/server). The
//! adapters parse arguments or requests and print or render; what a use case computes is here.
//!
//! Rule: no SQL here (the store's methods), no printing, no HTTP.

use hamkor_store::{Result, SqliteStore};

/// The agreements whose follow-through the analysis measures: the registry's (built-in, the
/// user's own, with the user's corrections), each with the canonical `agreement` events linked
/// to it. Sorted by id.
pub fn analysis_agreements(store: &SqliteStore) -> Result<Vec<hamkor_analysis::Agreement>> {
    let reg = store.registry()?;
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
