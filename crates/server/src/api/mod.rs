//! The JSON API under `/api`. Every handler here has its `#[utoipa::path]`, collected in
//! [`crate::openapi`] (which serves it; this module does not know it); a test checks that the
//! document and the route table agree.

pub mod analysis;
pub mod extract;
pub mod types;

use crate::agreement::{self, AgreementReport};
use crate::auth::Writer;
use crate::error::{AppError, Result};
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use extract::{Body, J, P, Q};
use hamkor_model::{ActorCode, Domain, EventType, FilterInput, PartialDate};
use hamkor_store::{AuditQuery, Coding, Decision, EventEdit, EventFilter, EventRow, SearchQuery, Store};
use types::*;

// ---------------------------------------------------------------------------------------------
// Validation shared with the pages.

// Edits and codings (not filters): an actor code and a date, the way a reviewer types them.
fn actor(s: &str) -> Result<String> {
    Ok(hamkor_model::filter::parse_actor("actor", s).map_err(bad_filter)?.to_string())
}

fn date(flag: &str, s: &Option<String>) -> Result<Option<PartialDate>> {
    match s.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(d) => d
            .parse::<PartialDate>()
            .map(Some)
            .map_err(|_| AppError::bad_request(format!("{flag} {d:?}: expected YYYY, YYYY-MM or YYYY-MM-DD"))),
    }
}

/// A filter's error as a 400.
pub fn bad_filter(e: hamkor_model::FilterError) -> AppError {
    AppError::bad_request(e.to_string())
}

/// A pair written `KAZ,UZB` or `KAZ-UZB`, sorted (the one parser's).
pub fn parse_pair(s: &str) -> Result<(String, String)> {
    let (a, b) = hamkor_model::filter::parse_pair(s).map_err(bad_filter)?;
    Ok((a.to_string(), b.to_string()))
}

/// A language code, checked by the one parser of filters.
fn lang_code(s: &Option<String>) -> Result<Option<String>> {
    Ok(FilterInput { lang: s.clone(), ..Default::default() }.parse().map_err(bad_filter)?.lang)
}

pub fn parse_type(s: &str) -> Result<EventType> {
    s.trim().parse::<EventType>().map_err(|e| AppError::bad_request(e.to_string()))
}

pub fn parse_domain(s: &str) -> Result<Domain> {
    s.trim().parse::<Domain>().map_err(|e| AppError::bad_request(e.to_string()))
}

impl EventQuery {
    /// The parameters as the one parser of filters reads them.
    pub fn input(&self) -> FilterInput {
        FilterInput {
            actors: self.actor.iter().cloned().collect(),
            pair: self.pair.clone(),
            event_type: self.event_type.clone(),
            domain: self.domain.clone(),
            from: self.from.clone(),
            to: self.to.clone(),
            lang: self.lang.clone(),
            source: self.source.clone(),
            review: self.review.clone(),
            document: self.document,
            limit: None,
        }
    }
}

/// The filters of `hamkor events`, by the one parser (a 400 for what is not one).
pub fn event_filter(q: &EventQuery) -> Result<EventFilter> {
    q.input().parse().map_err(bad_filter)
}

/// One page of events matching `filter`, and whether more follow.
pub fn events_page(s: &hamkor_store::SqliteStore, filter: &EventFilter, paging: &Paging) -> Result<(Vec<EventRow>, bool)> {
    let mut f = filter.clone();
    f.limit = Some(paging.offset().saturating_add(paging.per_page()).saturating_add(1));
    page_of(s, &s.event_ids(&f)?, paging)
}

/// The page `paging` asks for of the list whose ids (in order) are `ids`: its events, and
/// whether more follow.
pub fn page_of(s: &hamkor_store::SqliteStore, ids: &[i64], paging: &Paging) -> Result<(Vec<EventRow>, bool)> {
    let (offset, per_page) = (paging.offset(), paging.per_page());
    let end = offset.saturating_add(per_page).min(ids.len());
    let rows = if offset < end { s.events_by_ids(&ids[offset..end])? } else { Vec::new() };
    Ok((rows, ids.len() > offset.saturating_add(per_page)))
}

/// [`events_page`] through the cache of the lists' ids ([`crate::data::Cache::event_ids`]).
pub async fn events_page_cached(st: &AppState, filter: EventFilter, paging: Paging) -> Result<(Vec<EventRow>, bool)> {
    let ids = st.cache.event_ids(st, filter).await?;
    st.db.read(move |s| page_of(s, &ids, &paging)).await
}

/// A reviewer's edit, from loosely typed fields (the API's JSON, a page's form).
pub fn parse_edit(
    event_type: Option<&str>,
    actors: Option<Vec<String>>,
    domains: Option<Vec<String>>,
    date_s: Option<&str>,
) -> Result<EventEdit> {
    let mut edit = EventEdit::default();
    if let Some(t) = event_type.map(str::trim).filter(|t| !t.is_empty()) {
        edit.event_type = Some(parse_type(t)?);
    }
    if let Some(actors) = actors {
        let mut v = Vec::new();
        for a in actors.iter().flat_map(|a| a.split([',', ' '])).map(str::trim).filter(|a| !a.is_empty()) {
            v.push(ActorCode::new(&actor(a)?).map_err(|e| AppError::bad_request(e.to_string()))?);
        }
        if v.is_empty() {
            return Err(AppError::unprocessable("an event needs at least one actor; reject it instead"));
        }
        edit.actors = Some(v);
    }
    if let Some(domains) = domains {
        let mut v = Vec::new();
        for d in domains.iter().map(|d| d.trim()).filter(|d| !d.is_empty()) {
            v.push(parse_domain(d)?);
        }
        edit.domains = Some(v);
    }
    if let Some(d) = date_s {
        edit.date = Some(date("date", &Some(d.to_string()))?);
    }
    Ok(edit)
}

/// The reviewer's reason, trimmed and bounded.
pub fn reason(s: Option<&str>) -> Result<Option<String>> {
    match s.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(r) if r.chars().count() > 2000 => Err(AppError::bad_request("the reason is longer than 2000 characters")),
        Some(r) => Ok(Some(r.to_string())),
    }
}

pub fn decision(d: Decision) -> Result<hamkor_store::AuditEntry> {
    match d {
        Decision::Done(a) => Ok(a),
        Decision::NoSuchEvent => Err(AppError::not_found("no such event (a reviewer may have rejected it)")),
        Decision::Stale { revision } => Err(AppError::conflict(format!(
            "someone changed this event since you saw it (its revision is now {revision}); reload it and decide again"
        ))),
    }
}

// ---------------------------------------------------------------------------------------------
// Handlers.

/// What the store holds, and how far review has come.
#[utoipa::path(get, path = "/api/stats", tag = "documents",
    responses((status = 200, body = StatsOut), (status = 500, body = crate::error::ErrorBody)))]
pub async fn stats(State(st): State<AppState>) -> Result<Json<StatsOut>> {
    let out = st
        .cache
        .read(&st, "stats".into(), |s| {
            let x = s.stats()?;
            let (to_review, reviewed) = s.review_counts()?;
            Ok(StatsOut {
                documents: x.documents,
                events: x.events,
                sources: x.sources,
                failed_files: x.failed_files,
                events_by_type: x.events_by_type,
                documents_by_language: x.documents_by_language,
                documents_by_format: x.documents_by_format,
                documents_by_lexicon: x.documents_by_lexicon,
                top_dyads: x.top_dyads.into_iter().map(|d| DyadOut { a: d.a, b: d.b, events: d.events }).collect(),
                review: ReviewCounts { to_review, reviewed },
            })
        })
        .await?;
    Ok(Json(out.as_ref().clone()))
}

/// Documents by id, with their event counts.
#[utoipa::path(get, path = "/api/documents", tag = "documents", params(DocumentQuery, Paging),
    responses((status = 200, body = DocumentList), (status = 400, body = crate::error::ErrorBody)))]
pub async fn documents(
    State(st): State<AppState>,
    Q(q): Q<DocumentQuery>,
    Q(paging): Q<Paging>,
) -> Result<Json<DocumentList>> {
    let lang = lang_code(&q.lang)?;
    let (offset, per_page) = (paging.offset(), paging.per_page());
    let mut rows = st.db.read(move |s| Ok(s.documents_page(lang.as_deref(), offset, per_page + 1)?)).await?;
    let has_more = rows.len() > per_page;
    rows.truncate(per_page);
    let items = rows
        .into_iter()
        .map(|d| DocumentSummaryOut {
            id: d.id,
            title: d.title,
            published: d.published,
            lang: d.lang,
            format: d.format,
            events: d.events,
        })
        .collect();
    Ok(Json(DocumentList { items, paging: PageInfo { page: paging.page(), per_page, has_more } }))
}

/// A document with its text, sources and events.
#[utoipa::path(get, path = "/api/documents/{id}", tag = "documents",
    params(("id" = i64, Path, description = "Document id")),
    responses((status = 200, body = DocumentOut), (status = 404, body = crate::error::ErrorBody)))]
pub async fn document(State(st): State<AppState>, P(id): P<i64>) -> Result<Json<DocumentOut>> {
    let doc = st.db.read(move |s| Ok(s.find_document(&id.to_string())?)).await?;
    let doc = doc.filter(|d| d.id == id).ok_or_else(|| AppError::not_found(format!("no document {id}")))?;
    Ok(Json(doc.into()))
}

/// Ingest documents: the body is JSON lines in the spec's input format
/// (`{"id","text","lang","date"}` per line), up to 16 MiB. Needs a token.
#[utoipa::path(post, path = "/api/documents", tag = "documents",
    request_body(content = String, content_type = "application/x-ndjson", description = "JSON lines"),
    responses((status = 200, body = crate::IngestReport), (status = 401, body = crate::error::ErrorBody),
        (status = 413, body = crate::error::ErrorBody), (status = 503, body = crate::error::ErrorBody)),
    security(("token" = [])))]
pub async fn ingest(
    State(st): State<AppState>,
    Writer(who): Writer,
    headers: axum::http::HeaderMap,
    Body(body): Body,
) -> Result<Json<crate::IngestReport>> {
    if !json_lines_type(headers.get(axum::http::header::CONTENT_TYPE)) {
        return Err(AppError::unsupported_media_type(
            "send JSON lines with Content-Type: application/x-ndjson (or application/json)",
        ));
    }
    let Some(ingest) = st.ingest.clone() else {
        return Err(AppError::unavailable("this server was started without an ingest pipeline"));
    };
    if body.is_empty() {
        return Err(AppError::bad_request("send JSON lines in the body"));
    }
    let name = who.name.clone();
    let report = st
        .db
        .write(move |s| ingest.ingest_jsonl(s, &body, &name).map_err(AppError::internal))
        .await?;
    Ok(Json(report))
}

/// Is this the content type of JSON lines (or of JSON: one document is one line)? Never a type
/// a browser may send across sites without asking (text/plain, forms).
fn json_lines_type(v: Option<&axum::http::HeaderValue>) -> bool {
    let Some(v) = v.and_then(|v| v.to_str().ok()) else { return false };
    let essence = v.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    matches!(
        essence.as_str(),
        "application/x-ndjson" | "application/ndjson" | "application/jsonl" | "application/x-jsonlines" | "application/json-lines" | "application/json"
    )
}

/// Coded events (reports), with the filters of `hamkor events`, by date then id.
#[utoipa::path(get, path = "/api/events", tag = "events", params(EventQuery, Paging),
    responses((status = 200, body = EventList), (status = 400, body = crate::error::ErrorBody)))]
pub async fn events(State(st): State<AppState>, Q(q): Q<EventQuery>, Q(paging): Q<Paging>) -> Result<Json<EventList>> {
    let filter = event_filter(&q)?;
    let (rows, has_more) = events_page_cached(&st, filter, paging.clone()).await?;
    Ok(Json(EventList {
        items: rows.into_iter().map(EventOut::from).collect(),
        paging: PageInfo { page: paging.page(), per_page: paging.per_page(), has_more },
    }))
}

/// One event with its review state and history.
#[utoipa::path(get, path = "/api/events/{id}", tag = "events",
    params(("id" = i64, Path, description = "Event id")),
    responses((status = 200, body = EventDetail), (status = 404, body = crate::error::ErrorBody)))]
pub async fn event(State(st): State<AppState>, P(id): P<i64>) -> Result<Json<EventDetail>> {
    let r = st.db.read(move |s| Ok(s.event_review(id)?)).await?;
    let r = r.ok_or_else(|| AppError::not_found(format!("no event {id}")))?;
    Ok(Json(EventDetail {
        event: r.event.into(),
        reviewed: r.reviewed,
        revision: r.revision,
        history: r.history.into_iter().map(AuditOut::from).collect(),
    }))
}

/// Full-text search over titles and texts, in any language.
#[utoipa::path(get, path = "/api/search", tag = "documents", params(SearchQueryIn, Paging),
    responses((status = 200, body = SearchList), (status = 400, body = crate::error::ErrorBody)))]
pub async fn search(State(st): State<AppState>, Q(q): Q<SearchQueryIn>, Q(paging): Q<Paging>) -> Result<Json<SearchList>> {
    let (hits, has_more) = search_page(&st, &q.q, lang_code(&q.lang)?, &paging).await?;
    Ok(Json(SearchList {
        items: hits.into_iter().map(SearchHitOut::from).collect(),
        paging: PageInfo { page: paging.page(), per_page: paging.per_page(), has_more },
    }))
}

pub async fn search_page(
    st: &AppState,
    q: &str,
    lang: Option<String>,
    paging: &Paging,
) -> Result<(Vec<hamkor_store::SearchHit>, bool)> {
    if q.chars().count() > 500 {
        return Err(AppError::bad_query("the query is longer than 500 characters"));
    }
    let (offset, per_page) = (paging.offset(), paging.per_page());
    let key = format!("{q:?} {lang:?} {offset} {per_page}");
    let query = SearchQuery { text: q.to_string(), limit: offset + per_page + 1, lang };
    let generation = st.db.version()?;
    let hits = st
        .cache
        .search(generation, key, st.db.read_as(crate::db::ReadKind::Search, move |s| Ok(s.search(&query)?)))
        .await?;
    let hits = &hits[offset.min(hits.len())..];
    let more = hits.len() > per_page;
    Ok((hits.iter().take(per_page).cloned().collect(), more))
}

/// Machine-coded events no one has reviewed yet, lowest confidence first.
#[utoipa::path(get, path = "/api/review/queue", tag = "review", params(Paging),
    responses((status = 200, body = EventList)))]
pub async fn review_queue(State(st): State<AppState>, Q(paging): Q<Paging>) -> Result<Json<EventList>> {
    let (offset, per_page) = (paging.offset(), paging.per_page());
    let mut rows = st.db.read(move |s| Ok(s.review_queue(offset, per_page + 1)?)).await?;
    let has_more = rows.len() > per_page;
    rows.truncate(per_page);
    Ok(Json(EventList {
        items: rows.into_iter().map(EventOut::from).collect(),
        paging: PageInfo { page: paging.page(), per_page, has_more },
    }))
}

/// Accept an event as the machine coded it. Needs a token; the reviewer is the token's name.
#[utoipa::path(post, path = "/api/review/events/{id}/accept", tag = "review",
    params(("id" = i64, Path, description = "Event id")), request_body = AcceptIn,
    responses((status = 200, body = DecisionOut), (status = 401, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)),
    security(("token" = [])))]
pub async fn review_accept(
    State(st): State<AppState>,
    Writer(who): Writer,
    P(id): P<i64>,
    J(body): J<AcceptIn>,
) -> Result<Json<DecisionOut>> {
    let reason = reason(body.reason.as_deref())?;
    let d = st.db.write(move |s| Ok(s.accept_event(id, &who.name, reason.as_deref(), body.revision)?)).await?;
    Ok(Json(DecisionOut { audit: decision(d)?.into() }))
}

/// Correct an event's type, actors, domains or date. Needs a token.
#[utoipa::path(post, path = "/api/review/events/{id}/edit", tag = "review",
    params(("id" = i64, Path, description = "Event id")), request_body = EditIn,
    responses((status = 200, body = DecisionOut), (status = 400, body = crate::error::ErrorBody),
        (status = 401, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody),
        (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)),
    security(("token" = [])))]
pub async fn review_edit(
    State(st): State<AppState>,
    Writer(who): Writer,
    P(id): P<i64>,
    J(body): J<EditIn>,
) -> Result<Json<DecisionOut>> {
    let edit = parse_edit(body.event_type.as_deref(), body.actors, body.domains, body.date.as_deref())?;
    if edit.is_empty() {
        return Err(AppError::bad_request("nothing to change: give type, actors, domains or date"));
    }
    let reason = reason(body.reason.as_deref())?;
    let d = st.db.write(move |s| Ok(s.edit_event(id, &edit, &who.name, reason.as_deref(), body.revision)?)).await?;
    Ok(Json(DecisionOut { audit: decision(d)?.into() }))
}

/// Reject an event with a reason; a re-code will not bring it back. Needs a token.
#[utoipa::path(post, path = "/api/review/events/{id}/reject", tag = "review",
    params(("id" = i64, Path, description = "Event id")), request_body = RejectIn,
    responses((status = 200, body = DecisionOut), (status = 400, body = crate::error::ErrorBody),
        (status = 401, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody),
        (status = 409, body = crate::error::ErrorBody)),
    security(("token" = [])))]
pub async fn review_reject(
    State(st): State<AppState>,
    Writer(who): Writer,
    P(id): P<i64>,
    J(body): J<RejectIn>,
) -> Result<Json<DecisionOut>> {
    let reason = reason(Some(&body.reason))?.ok_or_else(|| AppError::bad_request("a rejection needs a reason"))?;
    let d = st.db.write(move |s| Ok(s.reject_event(id, &who.name, &reason, body.revision)?)).await?;
    Ok(Json(DecisionOut { audit: decision(d)?.into() }))
}

/// Check an independent coding and turn it into the store's shape.
pub fn coding(c: CodingIn, reviewer: &str, text_len: usize, text: &str) -> Result<Coding> {
    if c.evidence_start >= c.evidence_end
        || c.evidence_end > text_len
        || !text.is_char_boundary(c.evidence_start)
        || !text.is_char_boundary(c.evidence_end)
    {
        return Err(AppError::unprocessable("the unit's span is not a span of the document's text"));
    }
    let none = c.event_type.trim() == "none";
    let event_type = if none { "none".to_string() } else { parse_type(&c.event_type)?.code().to_string() };
    let mut actors = Vec::new();
    let mut domains = Vec::new();
    let mut date_v = None;
    if !none {
        for a in c.actors.iter().flat_map(|a| a.split([',', ' '])).map(str::trim).filter(|a| !a.is_empty()) {
            actors.push(actor(a)?);
        }
        actors.sort();
        actors.dedup();
        for d in c.domains.iter().map(|d| d.trim()).filter(|d| !d.is_empty()) {
            domains.push(parse_domain(d)?.code().to_string());
        }
        domains.sort();
        domains.dedup();
        date_v = date("date", &c.date)?.map(|d| d.to_string());
    }
    Ok(Coding {
        document_id: c.document_id,
        evidence_start: c.evidence_start,
        evidence_end: c.evidence_end,
        reviewer: reviewer.to_string(),
        event_type,
        actors,
        domains,
        date: date_v,
        at: String::new(),
    })
}

/// Record your independent coding of a unit (a report's evidence span). Needs a token; other
/// reviewers' codings are not shown to you by the coding page.
#[utoipa::path(post, path = "/api/review/codings", tag = "review", request_body = CodingIn,
    responses((status = 201, body = AuditOut), (status = 401, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)),
    security(("token" = [])))]
pub async fn review_coding(
    State(st): State<AppState>,
    Writer(who): Writer,
    J(body): J<CodingIn>,
) -> Result<(StatusCode, Json<AuditOut>)> {
    let entry = save_coding(&st, body, &who.name).await?;
    Ok((StatusCode::CREATED, Json(entry.into())))
}

pub async fn save_coding(st: &AppState, c: CodingIn, reviewer: &str) -> Result<hamkor_store::AuditEntry> {
    let doc_id = c.document_id;
    let reviewer = reviewer.to_string();
    st.db
        .write(move |s| {
            let doc = s.find_document(&doc_id.to_string())?.filter(|d| d.id == doc_id);
            let doc = doc.ok_or_else(|| AppError::not_found(format!("no document {doc_id}")))?;
            let coding = coding(c, &reviewer, doc.text.len(), &doc.text)?;
            Ok(s.save_coding(&coding)?)
        })
        .await
}

/// Every independent coding (of one document, if given).
#[utoipa::path(get, path = "/api/review/codings", tag = "review", params(CodingQuery),
    responses((status = 200, body = Vec<CodingOut>)))]
pub async fn review_codings(State(st): State<AppState>, Q(q): Q<CodingQuery>) -> Result<Json<Vec<CodingOut>>> {
    let rows = st.db.read(move |s| Ok(s.codings(q.document)?)).await?;
    Ok(Json(rows.into_iter().map(CodingOut::from).collect()))
}

/// Krippendorff's alpha per field (type, actors, domains, date) over the reviewers'
/// independent codings, and the disagreements to resolve.
#[utoipa::path(get, path = "/api/review/agreement", tag = "review",
    responses((status = 200, description = "alpha per field (type, actors, domains, date) and the disagreements", body = Object)))]
pub async fn review_agreement(State(st): State<AppState>) -> Result<Json<AgreementReport>> {
    let rows = st.db.read(|s| Ok(s.codings(None)?)).await?;
    Ok(Json(agreement::report(&rows)))
}

/// The audit log, newest first.
#[utoipa::path(get, path = "/api/review/audit", tag = "review", params(AuditQueryIn, Paging),
    responses((status = 200, body = AuditList)))]
pub async fn review_audit(State(st): State<AppState>, Q(q): Q<AuditQueryIn>, Q(paging): Q<Paging>) -> Result<Json<AuditList>> {
    let (offset, per_page) = (paging.offset(), paging.per_page());
    let query = AuditQuery { object: q.object, actor: q.actor, offset, limit: per_page + 1 };
    let mut rows = st.db.read(move |s| Ok(s.audit_log(&query)?)).await?;
    let has_more = rows.len() > per_page;
    rows.truncate(per_page);
    Ok(Json(AuditList {
        items: rows.into_iter().map(AuditOut::from).collect(),
        paging: PageInfo { page: paging.page(), per_page, has_more },
    }))
}
