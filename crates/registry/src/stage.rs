//! The linking stage: every coded event without a link (new, re-coded, or edited by a reviewer
//! since it was linked) is linked to an agreement and a format ([`crate::link`]) and matched
//! against the canonical events it could belong to ([`crate::merge`]); it joins one, or starts
//! a new one. A change of the registry (a new built-in version, an import) links every event
//! again and moves only those whose links changed; new linking rules take every automatic
//! decision again. A reviewer's decisions (split, merge) are kept by the report and obeyed.
//!
//! It runs over [`LinkStore`], the store's narrow seam: this module decides, the store keeps
//! the rows. It is run explicitly after every write (`hamkor_app::link`: ingest, re-code,
//! import, review edits, merge and split), never from a read; it is cheap when nothing is
//! pending.

use crate::link::link_version;
use crate::merge::{self, Decision, MergeReason, Report};
use crate::{day_range, Linker, Links, Registry};
use hamkor_model::link::{LinkInput, LinkStore, ReviewDecision};
use hamkor_model::{ActorCode, EventType};
use serde::Serialize;
use std::collections::hash_map::{Entry, HashMap};

/// Reports placed per transaction: a long first run commits as it goes.
const CHUNK: usize = 2000;

/// What a run of the stage did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct RefreshSummary {
    /// Reports linked in this run.
    pub linked: u64,
    /// Of which joined an existing canonical event.
    pub joined: u64,
    /// Canonical events created.
    pub created: u64,
    /// Canonical events removed (their last report was deleted or moved).
    pub removed: u64,
    /// Reports linked again because their event changed or the registry did.
    pub relinked: u64,
}

/// True when the registry or the linking rules changed since the reports were linked. Asked by
/// every command that opens a store: it counts nothing.
pub fn outdated<S: LinkStore>(store: &S) -> Result<bool, S::Error> {
    let s = store.link_rules()?;
    Ok(s.any_events && (s.registry_changed || s.link_version.as_deref() != Some(link_version().as_str())))
}

/// Run `f` inside one write transaction of `store`.
fn in_tx<S: LinkStore, T>(store: &S, f: impl FnOnce() -> Result<T, S::Error>) -> Result<T, S::Error> {
    store.begin()?;
    match f() {
        Ok(v) => {
            store.commit()?;
            Ok(v)
        }
        Err(e) => {
            let _ = store.rollback();
            Err(e)
        }
    }
}

/// Write a canonical event's summary from its reports; delete it when it has none. True when
/// it was deleted.
pub fn resummarize<S: LinkStore>(store: &S, canonical: i64) -> Result<bool, S::Error> {
    resummarize_cached(store, &mut Groups::new(), canonical)
}

/// The reports of the canonical events read during one transaction of the stage, grouped as
/// [`LinkStore::canonical_reports`] gives them, by canonical event. Reports placed one after
/// another (in date order) meet the same candidates, whose reports are then read once, not
/// once per report placed; a canonical event's entry is read again when a report joins it.
type Groups = HashMap<i64, Vec<(Report, usize)>>;

fn groups_of<'a, S: LinkStore>(store: &S, cache: &'a mut Groups, canonical: i64) -> Result<&'a [(Report, usize)], S::Error> {
    Ok(match cache.entry(canonical) {
        Entry::Occupied(e) => e.into_mut(),
        Entry::Vacant(e) => e.insert(store.canonical_reports(canonical)?),
    })
}

/// [`resummarize`], reading the canonical event's reports again into `cache`.
fn resummarize_cached<S: LinkStore>(store: &S, cache: &mut Groups, canonical: i64) -> Result<bool, S::Error> {
    cache.remove(&canonical);
    let groups = groups_of(store, cache, canonical)?;
    if groups.is_empty() {
        cache.remove(&canonical);
        store.delete_canonical(canonical)?;
        return Ok(true);
    }
    let weighted: Vec<(&Report, usize)> = groups.iter().map(|(r, n)| (r, *n)).collect();
    let s = merge::summarize_weighted(&weighted);
    let count: usize = groups.iter().map(|(_, n)| n).sum();
    store.write_summary(canonical, &s, count)?;
    Ok(false)
}

/// Link every coded event that has no link yet (or whose event or registry changed since),
/// and merge it into its canonical event. `registry` is asked for only when there is work.
pub fn refresh<S: LinkStore>(
    store: &S,
    registry: impl FnOnce() -> Result<Registry, S::Error>,
) -> Result<RefreshSummary, S::Error> {
    let mut out = RefreshSummary::default();
    let state = store.link_state()?;
    let version = link_version();
    let rules_changed = state.link_version.as_deref() != Some(version.as_str());
    // Links depend on the registry's data (a new version or an import) and on the linking rules
    // and the lexicon's formats (their version).
    let relink = state.registry_changed || rules_changed;
    if state.events == state.linked && !relink && state.stale == 0 && state.uneven == 0 {
        return Ok(out);
    }
    let registry = registry()?;
    let linker = Linker::new(&registry);

    // 1. Unlink what changed: edited events, and (after a registry change) events whose links
    //    are no longer the same.
    in_tx(store, || {
        let mut touched = store.unlink_stale()?;
        out.relinked += touched.len() as u64;
        if relink && rules_changed {
            // New rules for linking or merging (or a new lexicon): every automatic decision is
            // taken again; a reviewer's stay. Emptied canonical events go below.
            out.relinked += store.unlink_automatic()?;
            store.mark_linked(&version)?;
        } else if relink {
            for l in store.automatic_links()? {
                let now = links_of(&linker, &l.input);
                let same = l.agreement == now.agreement.as_ref().map(|a| a.id.clone())
                    && l.format == now.format.as_ref().map(|f| f.id.clone())
                    && l.edition == now.format.as_ref().and_then(|f| f.edition);
                if !same {
                    store.unlink(l.input.event_id)?;
                    touched.push(l.canonical);
                    out.relinked += 1;
                } else if let Some(why) = &now.agreement {
                    // Same target; the explanation may have changed with the data.
                    store.set_agreement_why(l.input.event_id, why)?;
                }
            }
            store.mark_linked(&version)?;
        }
        // Canonical events that lost reports (to the cascade of a re-code, a review, or above).
        touched.extend(store.uneven_canonicals()?);
        touched.sort_unstable();
        touched.dedup();
        for c in touched {
            if resummarize(store, c)? {
                out.removed += 1;
            }
        }
        Ok(())
    })?;

    // 2. Place every unlinked event: the most precisely dated first, so that a report dated by
    //    month or year meets the canonical events it could belong to; those a reviewer decided
    //    about last, so that the reports they join are placed.
    let ordered = store.unlinked()?;
    for chunk in ordered.chunks(CHUNK) {
        in_tx(store, || {
            // Only this transaction writes while it lasts: what it read stays true but for the
            // canonical events it changes, which place() reads again.
            let mut cache = Groups::new();
            for &id in chunk {
                let Some(e) = store.unlinked_input(id)? else { continue };
                let (joined, created) = place(store, &mut cache, &linker, &e)?;
                out.linked += 1;
                out.joined += joined as u64;
                out.created += created as u64;
            }
            Ok(())
        })?;
    }
    Ok(out)
}

fn links_of(linker: &Linker, e: &LinkInput) -> Links {
    linker.link(&crate::ReportInput {
        event_type: e.event_type,
        actors: &e.actors,
        date: e.date,
        evidence: &e.evidence_text,
    })
}

/// A canonical event whose dates span more than this many days is "wide" (a report dated only
/// by year); the store finds the others by a short range of their first day.
pub const WIDE_DAYS: i64 = 34;

/// The canonical events a report could join: same type; dates that overlap (meetings and aid:
/// within three days); actors and agreement that can agree (checked here on the summary, which
/// is cheap, before the merger looks at every group of reports).
fn candidates<S: LinkStore>(
    store: &S,
    cache: &mut Groups,
    e: &LinkInput,
    agreement: Option<&str>,
    format: Option<&str>,
) -> Result<Vec<merge::Canonical>, S::Error> {
    let Some(d) = e.date else { return Ok(vec![]) };
    let (lo, hi) = day_range(&d);
    let slack = if matches!(e.event_type, EventType::Meeting | EventType::Aid) { 3 } else { 0 };
    let within = |a: &[ActorCode], b: &[ActorCode]| a.iter().all(|x| b.contains(x)) || b.iter().all(|x| a.contains(x));
    // Without an agreement or a format, only the same actors can agree: the store says which.
    let exact = (agreement.is_none() && format.is_none()).then_some(e.actors.as_slice());
    let mut out = Vec::new();
    for c in store.candidates(e.event_type, lo, hi, slack, exact)? {
        // Different actors may agree only within the same agreement or format (merge::compatible).
        let possible = c.actors == e.actors
            || ((agreement.is_some() && c.agreement.as_deref() == agreement) || format.is_some())
                && within(&e.actors, &c.actors);
        if !possible {
            continue;
        }
        let mut reports: Vec<Report> = groups_of(store, cache, c.id)?.iter().map(|(r, _)| r.clone()).collect();
        if reports.is_empty() {
            continue;
        }
        if store.has_report_from(c.id, e.document_id)? {
            // The merger refuses it, and says why.
            reports[0].document_id = e.document_id;
        }
        out.push(merge::Canonical { id: c.id, reports });
    }
    Ok(out)
}

/// Link one event and put it in its canonical event. Returns (joined, created).
fn place<S: LinkStore>(store: &S, cache: &mut Groups, linker: &Linker, e: &LinkInput) -> Result<(bool, bool), S::Error> {
    let links = links_of(linker, e);
    let report = Report {
        event_id: e.event_id,
        document_id: e.document_id,
        event_type: e.event_type,
        actors: e.actors.clone(),
        domains: e.domains.clone(),
        date: e.date,
        agreement: links.agreement.as_ref().map(|a| a.id.clone()),
        format: links.format.as_ref().map(|f| f.id.clone()),
        edition: links.format.as_ref().and_then(|f| f.edition),
        places: links.places.clone(),
    };
    let (decision, pinned) = match store.review_decision(e)? {
        Some(ReviewDecision::Split) => {
            let mut reason = MergeReason::rule("review-split");
            reason.note = Some("a reviewer decided this report stands alone".into());
            (Decision::New { reason }, true)
        }
        Some(ReviewDecision::Merge(Some(target))) => {
            let mut reason = MergeReason::rule("review-merge");
            reason.note = Some("a reviewer merged this report".into());
            (Decision::Join { canonical: target, reason }, true)
        }
        _ => (
            merge::decide(&report, &candidates(store, cache, e, report.agreement.as_deref(), report.format.as_deref())?),
            false,
        ),
    };
    match decision {
        Decision::Join { canonical, reason } => {
            store.write_link(e, canonical, &links, &reason, pinned)?;
            resummarize_cached(store, cache, canonical)?;
            Ok((true, false))
        }
        Decision::New { reason } => {
            let id = store.new_canonical(e.event_type)?;
            store.write_link(e, id, &links, &reason, pinned)?;
            resummarize_cached(store, cache, id)?;
            Ok((false, true))
        }
    }
}
