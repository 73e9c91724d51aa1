//! The analysis over HTTP: panels, comparisons, networks, agreements with their lifecycle and
//! follow-through, canonical events, and the reviewer's merge and split of canonical events.
//! Every figure is `hamkor-analysis`'s own result, from the same snapshot the pages draw.

use super::extract::{J, P, Q};
use super::reason;
use crate::auth::Writer;
use crate::error::{AppError, Result};
use crate::AppState;
use axum::extract::State;
use axum::Json;
use hamkor_analysis::compare::{compare, CompareOptions};
use hamkor_analysis::follow::FollowOptions;
use hamkor_analysis::network::{network, NetworkOptions, Scope};
use hamkor_analysis::panel::{Dim, PanelFilter, PanelQuery, Period};
use hamkor_analysis::Counting;
use serde::Deserialize;
use serde_json::{json, Value};
use utoipa::{IntoParams, ToSchema};

/// The filters of the analysis endpoints.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AnalysisQuery {
    /// From this year on (1900 to 2100).
    #[serde(default, deserialize_with = "super::types::range::year")]
    pub from: Option<i32>,
    /// Up to this year (1900 to 2100, not before `from`).
    #[serde(default, deserialize_with = "super::types::range::year")]
    pub to: Option<i32>,
    /// One domain (education, health, culture, disaster, migration, water, borders, transport, economy, political).
    pub domain: Option<String>,
    /// One event type.
    #[serde(rename = "type")]
    #[param(rename = "type")]
    pub event_type: Option<String>,
    /// Events involving every one of these actors (comma-separated codes).
    pub actor: Option<String>,
    /// `events` (canonical events, the default) or `reports`.
    pub counting: Option<String>,
}

impl AnalysisQuery {
    /// The filter these parameters describe (a 400 for what is not one).
    /// The filter these parameters describe, by the one parser of filters (a 400 for what is
    /// not one).
    pub fn filter(&self) -> Result<PanelFilter> {
        let input = hamkor_model::FilterInput {
            actors: self.actor.iter().cloned().collect(),
            event_type: self.event_type.clone(),
            domain: self.domain.clone(),
            from: self.from.map(|y| y.to_string()),
            to: self.to.map(|y| y.to_string()),
            ..Default::default()
        };
        Ok(PanelFilter::from_filter(&input.parse().map_err(super::bad_filter)?))
    }
    fn counting(&self) -> Result<Counting> {
        match self.counting.as_deref() {
            None | Some("") | Some("events") => Ok(Counting::Events),
            Some("reports") => Ok(Counting::Reports),
            Some(o) => Err(AppError::bad_request(format!("counting {o:?}: expected events or reports"))),
        }
    }
}

#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PanelParams {
    /// Dimensions, comma-separated: dyad, actor, domain, year, month, type, lang, kind (default dyad,domain).
    pub by: Option<String>,
}

/// Counts of canonical events (or reports) by the dimensions asked for, with the intensity index
/// and Goldstein scores, and the ids of the events behind every cell.
#[utoipa::path(get, path = "/api/panels", tag = "analysis", params(PanelParams, AnalysisQuery),
    responses((status = 200, description = "A panel: columns, rows of {key, count, intensity, goldstein, event_ids}", body = Object),
        (status = 400, body = crate::error::ErrorBody)))]
pub async fn panels(State(st): State<AppState>, Q(p): Q<PanelParams>, Q(q): Q<AnalysisQuery>) -> Result<Json<Value>> {
    let by = p.by.unwrap_or_else(|| "dyad,domain".into());
    let mut dims = Vec::new();
    let mut period = Period::Year;
    for d in by.split(',').map(str::trim).filter(|d| !d.is_empty()) {
        if d == "month" {
            period = Period::Month;
        }
        dims.push(Dim::parse(d).map_err(|e| AppError::bad_request(e.to_string()))?);
    }
    if dims.len() > 4 {
        return Err(AppError::bad_request("at most four dimensions"));
    }
    let mut pq = PanelQuery::new(&dims);
    pq.period = period;
    pq.filter = q.filter()?;
    pq.counting = q.counting()?;
    pq.keep_ids = true;
    let snap = st.cache.get(&st).await?;
    Ok(Json(serde_json::to_value(snap.index.query(&pq)).map_err(AppError::internal)?))
}

#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CompareParams {
    /// The breakpoint year (default 2017; 1900 to 2100): before is up to the year before, after from it on.
    #[serde(default, deserialize_with = "super::types::range::year")]
    pub breakpoint: Option<i32>,
    /// Confidence level (default 0.95).
    pub level: Option<f64>,
}

/// Before/after a breakpoint per domain and dyad (rate ratios with intervals), bilateral vs
/// multilateral per domain, and the trend per domain.
#[utoipa::path(get, path = "/api/comparisons", tag = "analysis", params(CompareParams, AnalysisQuery),
    responses((status = 200, description = "The comparisons of hamkor-analysis", body = Object),
        (status = 400, body = crate::error::ErrorBody)))]
pub async fn comparisons(State(st): State<AppState>, Q(p): Q<CompareParams>, Q(q): Q<AnalysisQuery>) -> Result<Json<Value>> {
    let level = p.level.unwrap_or(0.95);
    if !(0.5..1.0).contains(&level) {
        return Err(AppError::bad_request("level must be in [0.5, 1)"));
    }
    let opts = CompareOptions { breakpoint: p.breakpoint.unwrap_or(2017), level, counting: q.counting()?, ..Default::default() };
    let snap = st.cache.get(&st).await?;
    let f = q.filter()?;
    let events: Vec<_> = snap.events.iter().filter(|e| admits(&f, e)).cloned().collect();
    let c = compare(&events, &opts).map_err(|e| AppError::bad_request(e.to_string()))?;
    Ok(Json(serde_json::to_value(c).map_err(AppError::internal)?))
}

fn admits(f: &PanelFilter, e: &hamkor_analysis::CanonicalEvent) -> bool {
    (f.types.is_empty() || f.types.contains(&e.event_type))
        && (f.domains.is_empty() || e.domains.iter().any(|d| f.domains.contains(d)))
        && f.actors.iter().all(|a| e.actors.contains(a))
        && f.from_year.is_none_or(|y| e.year().is_some_and(|ey| ey >= y))
        && f.to_year.is_none_or(|y| e.year().is_some_and(|ey| ey <= y))
}

#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NetworkParams {
    /// central_asia (the default), states, or all.
    pub scope: Option<String>,
}

/// The cooperation network: nodes with degree, strength, betweenness and eigenvector
/// centrality; edges weighted by events, with their ids.
#[utoipa::path(get, path = "/api/networks", tag = "analysis", params(NetworkParams, AnalysisQuery),
    responses((status = 200, description = "{nodes, edges}", body = Object), (status = 400, body = crate::error::ErrorBody)))]
pub async fn networks(State(st): State<AppState>, Q(p): Q<NetworkParams>, Q(q): Q<AnalysisQuery>) -> Result<Json<Value>> {
    let scope = match p.scope.as_deref() {
        None | Some("") | Some("central_asia") => Scope::CentralAsia,
        Some("states") => Scope::States,
        Some("all") => Scope::All,
        Some(o) => return Err(AppError::bad_request(format!("scope {o:?}: expected central_asia, states or all"))),
    };
    let f = q.filter()?;
    let snap = st.cache.get(&st).await?;
    let events: Vec<_> = snap
        .events
        .iter()
        .filter(|e| (f.types.is_empty() || f.types.contains(&e.event_type)) && f.actors.iter().all(|a| e.actors.contains(a)))
        .cloned()
        .collect();
    let opts = NetworkOptions {
        scope,
        domain: f.domains.first().copied(),
        from_year: f.from_year,
        to_year: f.to_year,
        counting: q.counting()?,
    };
    Ok(Json(serde_json::to_value(network(&events, &opts)).map_err(AppError::internal)?))
}

/// Agreements (the registry's, or coded agreement events when the store has no registry) with
/// their follow-through: the implementation events after each signing.
#[utoipa::path(get, path = "/api/agreements", tag = "analysis",
    responses((status = 200, description = "Follow-through: {agreements: [...], groups: [...]}", body = Object)))]
pub async fn agreements(State(st): State<AppState>) -> Result<Json<Value>> {
    let snap = st.cache.get(&st).await?;
    Ok(Json(serde_json::to_value(follow(&snap)).map_err(AppError::internal)?))
}

/// The snapshot's follow-through, computed once per snapshot.
pub fn follow(snap: &crate::data::Snapshot) -> &hamkor_analysis::follow::FollowThrough {
    snap.follow.get_or_init(|| {
        hamkor_analysis::figures::follow_through(&snap.events, &snap.agreements, &FollowOptions::default())
    })
}

/// One registry agreement: its record, its lifecycle per party (signed → ratified → in force),
/// the canonical events that report it, and its follow-through.
#[utoipa::path(get, path = "/api/agreements/{id}", tag = "analysis",
    params(("id" = String, Path, description = "Registry agreement id")),
    responses((status = 200, description = "{agreement, lifecycle, events, follow_through}", body = Object),
        (status = 404, body = crate::error::ErrorBody)))]
pub async fn agreement(State(st): State<AppState>, P(id): P<String>) -> Result<Json<Value>> {
    let key = id.clone();
    let found = st
        .db
        .read(move |s| {
            let Some((a, lc)) = hamkor_app::agreement_lifecycle(s, &key)? else { return Ok(None) };
            let events = s.agreement_events(&key)?;
            Ok(Some((serde_json::to_value(a), serde_json::to_value(lc), serde_json::to_value(events))))
        })
        .await?;
    let (a, lc, ev) = found.ok_or_else(|| AppError::not_found(format!("no agreement {id:?}")))?;
    let snap = st.cache.get(&st).await?;
    let ft = follow(&snap);
    let mine = ft.agreements.iter().find(|f| f.agreement.id == id);
    Ok(Json(json!({
        "agreement": a.map_err(AppError::internal)?,
        "lifecycle": lc.map_err(AppError::internal)?,
        "events": ev.map_err(AppError::internal)?,
        "follow_through": mine,
    })))
}

/// A canonical event (one happening) with every report of it and why each was merged.
#[utoipa::path(get, path = "/api/canonical-events/{id}", tag = "events",
    params(("id" = i64, Path, description = "Canonical event id")),
    responses((status = 200, description = "The canonical event with its reports", body = Object),
        (status = 404, body = crate::error::ErrorBody)))]
pub async fn canonical(State(st): State<AppState>, P(id): P<i64>) -> Result<Json<Value>> {
    let d = st.db.read(move |s| Ok(s.canonical_event(id)?)).await?;
    let d = d.ok_or_else(|| AppError::not_found(format!("no canonical event {id}")))?;
    Ok(Json(serde_json::to_value(d).map_err(AppError::internal)?))
}

/// Put a report into another canonical event of the same type.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct MergeIn {
    /// The coded event (report) to move.
    pub event_id: i64,
    /// The canonical event it joins.
    pub canonical: i64,
    pub reason: String,
}

/// Take a report out of its canonical event: it becomes an event of its own.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct SplitIn {
    pub event_id: i64,
    pub reason: String,
}

fn outcome(o: hamkor_store::ReviewOutcome) -> Result<i64> {
    use hamkor_store::ReviewOutcome as R;
    match o {
        R::Done { canonical } => Ok(canonical),
        R::NoSuchEvent => Err(AppError::not_found("no such event")),
        R::NoSuchCanonical => Err(AppError::not_found("no such canonical event")),
        R::TypeMismatch { event, canonical } => Err(AppError::unprocessable(format!(
            "a {event} report cannot join a {canonical} event: reports of different types are never one event"
        ))),
    }
}

pub async fn do_merge(st: &AppState, who: &str, m: MergeIn) -> Result<i64> {
    let why = reason(Some(&m.reason))?.ok_or_else(|| AppError::bad_request("a merge needs a reason"))?;
    let who = who.to_string();
    st.db
        .write(move |s| outcome(hamkor_app::merge_report(s, m.event_id, m.canonical, &why, &who)?))
        .await
}

pub async fn do_split(st: &AppState, who: &str, m: SplitIn) -> Result<i64> {
    let why = reason(Some(&m.reason))?.ok_or_else(|| AppError::bad_request("a split needs a reason"))?;
    let who = who.to_string();
    st.db
        .write(move |s| outcome(hamkor_app::split_report(s, m.event_id, &why, &who)?))
        .await
}

/// Merge a report into another canonical event (same type). Needs a token; audited.
#[utoipa::path(post, path = "/api/review/merge", tag = "review", request_body = MergeIn,
    responses((status = 200, description = "{canonical}: the event the report is in now", body = Object),
        (status = 401, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody)),
    security(("token" = [])))]
pub async fn merge(State(st): State<AppState>, Writer(who): Writer, J(m): J<MergeIn>) -> Result<Json<Value>> {
    let c = do_merge(&st, &who.name, m).await?;
    Ok(Json(json!({ "canonical": c })))
}

/// Split a report out of its canonical event. Needs a token; audited.
#[utoipa::path(post, path = "/api/review/split", tag = "review", request_body = SplitIn,
    responses((status = 200, description = "{canonical}: the report's own event now", body = Object),
        (status = 401, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)),
    security(("token" = [])))]
pub async fn split(State(st): State<AppState>, Writer(who): Writer, J(m): J<SplitIn>) -> Result<Json<Value>> {
    let c = do_split(&st, &who.name, m).await?;
    Ok(Json(json!({ "canonical": c })))
}
