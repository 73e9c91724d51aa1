//! The review workflow in the browser: the queue (lowest confidence first), one event's review
//! form (accept, edit, reject), independent coding of a document, agreement between reviewers,
//! and the audit log. Every form posts with the session's CSRF token; the reviewer's name comes
//! from the session's token.

use super::events::{cut, event_table, history_table};
use super::{actors_label, domain_label, highlight, layout, pager, type_label, url, Page};
use crate::agreement;
use crate::api::extract::{P, Q};
use crate::api::types::{CodingIn, Paging};
use crate::api::{decision, parse_edit, reason, save_coding};
use crate::auth::{CsrfForm, Ctx, Writer};
use crate::error::{AppError, Result};
use crate::i18n::{t, tf, Lang};
use crate::AppState;
use axum::extract::State;
use axum::response::Redirect;
use hamkor_model::{Domain, EventType};
use hamkor_store::{AuditQuery, Store};
use maud::{html, Markup};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct QueueQuery {
    #[serde(default, deserialize_with = "crate::api::types::range::page")]
    pub page: Option<usize>,
    /// What was just done, to say so.
    pub done: Option<String>,
}

fn flash(lang: Lang, done: Option<&str>) -> Markup {
    let key = match done {
        Some("accepted") => "review.done_accepted",
        Some("edited") => "review.done_edited",
        Some("rejected") => "review.done_rejected",
        Some("coded") => "review.done_coded",
        Some("merged") => "review.done_merged",
        Some("split") => "review.done_split",
        _ => return html! {},
    };
    html! { p.flash role="status" { (t(lang, key)) } }
}

fn sign_in_note(ctx: &Ctx) -> Markup {
    html! {
        p.note.signin { (t(ctx.lang, "review.sign_in_first")) " "
            a href=(url("/login", &[("next", &ctx.here)])) { (t(ctx.lang, "auth.sign_in")) } }
    }
}

pub async fn queue(State(st): State<AppState>, ctx: Ctx, Q(q): Q<QueueQuery>) -> Result<Page> {
    let lang = ctx.lang;
    let paging = Paging { page: q.page, per_page: Some(50) };
    let (offset, per_page) = (paging.offset(), paging.per_page());
    let mut rows = st.db.read(move |s| Ok(s.review_queue(offset, per_page + 1)?)).await?;
    let (todo, done) = *st.cache.read(&st, "review counts".into(), |s| Ok(s.review_counts()?)).await?;
    let more = rows.len() > per_page;
    rows.truncate(per_page);
    let body = html! {
        h1 { (t(lang, "review.title")) }
        (flash(lang, q.done.as_deref()))
        p.lead { (tf(lang, "review.counts", &[("todo", &todo.to_string()), ("done", &done.to_string())])) }
        p.links {
            a href="/review/agreement" { (t(lang, "review.agreement")) } " · "
            a href="/review/audit" { (t(lang, "review.audit")) }
        }
        @if ctx.principal.is_none() { (sign_in_note(&ctx)) }
        @if rows.is_empty() { p.empty { (t(lang, "review.queue_empty")) } } @else { (event_table(lang, &rows, true)) }
        (pager(lang, "/review", &[], paging.page(), more))
    };
    Ok(layout(&ctx, t(lang, "review.title"), "/review", body))
}

pub async fn event_form(State(st): State<AppState>, ctx: Ctx, P(id): P<i64>, Q(q): Q<QueueQuery>) -> Result<Page> {
    let lang = ctx.lang;
    let (review, doc, canonical) = st
        .db
        .read(move |s| {
            let Some(r) = s.event_review(id)? else { return Ok((None, None, None)) };
            let doc_id = r.event.document_id;
            let doc = s.find_document(&doc_id.to_string())?.filter(|d| d.id == doc_id);
            let canonical = match s.canonical_of(id)? {
                Some(c) => s.canonical_event(c)?.map(|d| (c, d.reports.len())),
                None => None,
            };
            Ok((Some(r), doc, canonical))
        })
        .await?;
    let review = review.ok_or_else(|| AppError::not_found(format!("no event {id} (a reviewer may have rejected it)")))?;
    let e = &review.event;
    let rev = review.revision.to_string();
    let signed_in = ctx.principal.is_some();
    let title = format!("{} #{}", t(lang, "review.event"), e.id);
    let body = html! {
        p.crumbs { a href="/review" { (t(lang, "review.title")) } " › #" (e.id) }
        h1 { (title) }
        (flash(lang, q.done.as_deref()))
        dl.facts id="current" {
            dt { (t(lang, "common.type")) } dd.type { (type_label(lang, &e.event_type)) " (" code { (e.event_type) } ")" }
            dt { (t(lang, "common.actors")) } dd.actors { (actors_label(lang, &e.actors)) " (" code { (e.actors.join(",")) } ")" }
            dt { (t(lang, "common.domains")) } dd.domains { (e.domains.iter().map(|d| domain_label(lang, d)).collect::<Vec<_>>().join(", ")) }
            dt { (t(lang, "common.date")) } dd.date { (e.date.clone().unwrap_or_else(|| "–".into())) }
            dt { (t(lang, "common.confidence")) } dd { (format!("{:.2}", e.confidence)) }
            dt { (t(lang, "review.state")) } dd.state { @if review.reviewed { (t(lang, "review.reviewed")) } @else { (t(lang, "review.machine")) } }
        }
        blockquote.evidence lang=(e.lang) { mark.evidence.target { (e.evidence.trim()) } }
        @if let Some(doc) = &doc {
            details.context {
                summary { (t(lang, "event.in_document")) ": " (doc.title.clone().unwrap_or_default()) }
                div.doctext lang=(doc.lang) { (highlight(&doc.text, &[(e.id, e.evidence_start, e.evidence_end)], Some(e.id))) }
            }
        }
        @if !signed_in {
            (sign_in_note(&ctx))
        } @else {
            div.decisions {
                form.decision.accept method="post" action=(format!("/review/events/{}/accept", e.id)) {
                    h2 { (t(lang, "review.accept")) }
                    input type="hidden" name="csrf" value=(ctx.csrf);
                    input type="hidden" name="revision" value=(rev);
                    label { (t(lang, "review.reason_optional")) input name="reason" maxlength="2000"; }
                    button type="submit" name="action" value="accept" { (t(lang, "review.accept")) }
                }
                form.decision.edit method="post" action=(format!("/review/events/{}/edit", e.id)) {
                    h2 { (t(lang, "review.edit")) }
                    input type="hidden" name="csrf" value=(ctx.csrf);
                    input type="hidden" name="revision" value=(rev);
                    label { (t(lang, "common.type"))
                        select name="type" {
                            @for c in EventType::ALL_CODES { option value=(c) selected[*c == e.event_type] { (type_label(lang, c)) } }
                        }
                    }
                    label { (t(lang, "common.actors")) " " small { "(KAZ, UZB…)" }
                        input name="actors" value=(e.actors.join(", ")) required pattern="[A-Za-z ,]+"; }
                    fieldset.domains {
                        legend { (t(lang, "common.domains")) }
                        @for d in Domain::ALL_CODES {
                            label.check { input type="checkbox" name="domains" value=(d) checked[e.domains.iter().any(|x| x == d)]; " " (domain_label(lang, d)) }
                        }
                    }
                    label { (t(lang, "common.date")) " " small { "YYYY, YYYY-MM, YYYY-MM-DD" }
                        input name="date" value=(e.date.clone().unwrap_or_default()) pattern="[0-9]{4}(-[0-9]{2}){0,2}"; }
                    label { (t(lang, "review.reason_optional")) input name="reason" maxlength="2000"; }
                    button type="submit" name="action" value="edit" { (t(lang, "review.save_edit")) }
                }
                form.decision.merge method="post" action=(format!("/review/events/{}/merge", e.id)) {
                    h2 { (t(lang, "review.merge")) }
                    @if let Some((c, n)) = canonical { p.note { (tf(lang, "review.canonical_now", &[("id", &c.to_string()), ("n", &n.to_string())])) } }
                    input type="hidden" name="csrf" value=(ctx.csrf);
                    label { (t(lang, "review.merge_into")) input type="number" name="canonical" min="1" required; }
                    label { (t(lang, "review.reason_required")) input name="reason" required maxlength="2000"; }
                    button type="submit" { (t(lang, "review.merge")) }
                }
                form.decision.split method="post" action=(format!("/review/events/{}/split", e.id)) {
                    h2 { (t(lang, "review.split")) }
                    p.note { (t(lang, "review.split_note")) }
                    input type="hidden" name="csrf" value=(ctx.csrf);
                    label { (t(lang, "review.reason_required")) input name="reason" required maxlength="2000"; }
                    button type="submit" { (t(lang, "review.split")) }
                }
                form.decision.reject method="post" action=(format!("/review/events/{}/reject", e.id)) {
                    h2 { (t(lang, "review.reject")) }
                    input type="hidden" name="csrf" value=(ctx.csrf);
                    input type="hidden" name="revision" value=(rev);
                    label { (t(lang, "review.reason_required")) input name="reason" required maxlength="2000"; }
                    button.danger type="submit" name="action" value="reject" { (t(lang, "review.reject")) }
                }
            }
        }
        @if !review.history.is_empty() {
            h2 { (t(lang, "review.history")) }
            (history_table(lang, &review.history))
        }
    };
    Ok(layout(&ctx, &title, "/review", body))
}

fn revision(f: &crate::auth::FormFields) -> Result<Option<i64>> {
    f.text("revision").map(|r| r.parse::<i64>().map_err(|_| AppError::bad_request("bad revision"))).transpose()
}

/// After a decision: the next event in the queue, or the queue.
async fn next_in_queue(st: &AppState, done: &str) -> Result<Redirect> {
    let next = st.db.read(|s| Ok(s.review_queue(0, 1)?)).await?;
    Ok(Redirect::to(&match next.first() {
        Some(e) => format!("/review/events/{}?done={done}", e.id),
        None => format!("/review?done={done}"),
    }))
}

pub async fn accept(State(st): State<AppState>, Writer(who): Writer, P(id): P<i64>, CsrfForm(f): CsrfForm) -> Result<Redirect> {
    let reason = reason(f.get("reason"))?;
    let rev = revision(&f)?;
    let d = st.db.write(move |s| Ok(s.accept_event(id, &who.name, reason.as_deref(), rev)?)).await?;
    decision(d)?;
    Ok(Redirect::to(&format!("/review/events/{id}?done=accepted")))
}

pub async fn edit(State(st): State<AppState>, Writer(who): Writer, P(id): P<i64>, CsrfForm(f): CsrfForm) -> Result<Redirect> {
    let actors = f.get("actors").map(|a| vec![a.to_string()]);
    let domains: Vec<String> = f.all("domains").into_iter().map(str::to_string).collect();
    let edit = parse_edit(f.get("type"), actors, Some(domains), f.get("date"))?;
    let reason = reason(f.get("reason"))?;
    let rev = revision(&f)?;
    let d = st.db.write(move |s| Ok(s.edit_event(id, &edit, &who.name, reason.as_deref(), rev)?)).await?;
    decision(d)?;
    Ok(Redirect::to(&format!("/review/events/{id}?done=edited")))
}

pub async fn reject(State(st): State<AppState>, Writer(who): Writer, P(id): P<i64>, CsrfForm(f): CsrfForm) -> Result<Redirect> {
    let reason = reason(f.get("reason"))?.ok_or_else(|| AppError::bad_request("a rejection needs a reason"))?;
    let rev = revision(&f)?;
    let d = st.db.write(move |s| Ok(s.reject_event(id, &who.name, &reason, rev)?)).await?;
    decision(d)?;
    next_in_queue(&st, "rejected").await
}

pub async fn merge(State(st): State<AppState>, Writer(who): Writer, P(id): P<i64>, CsrfForm(f): CsrfForm) -> Result<Redirect> {
    let canonical = f
        .text("canonical")
        .and_then(|c| c.parse::<i64>().ok())
        .ok_or_else(|| AppError::bad_request("give the number of the canonical event"))?;
    let m = crate::api::analysis::MergeIn { event_id: id, canonical, reason: f.get("reason").unwrap_or("").to_string() };
    crate::api::analysis::do_merge(&st, &who.name, m).await?;
    Ok(Redirect::to(&format!("/review/events/{id}?done=merged")))
}

pub async fn split(State(st): State<AppState>, Writer(who): Writer, P(id): P<i64>, CsrfForm(f): CsrfForm) -> Result<Redirect> {
    let m = crate::api::analysis::SplitIn { event_id: id, reason: f.get("reason").unwrap_or("").to_string() };
    crate::api::analysis::do_split(&st, &who.name, m).await?;
    Ok(Redirect::to(&format!("/review/events/{id}?done=split")))
}

/// The units of a document: the evidence spans of its machine reports and of earlier codings.
fn units(doc: &hamkor_store::DocumentRecord, codings: &[hamkor_store::Coding]) -> Vec<(usize, usize)> {
    let mut u: Vec<(usize, usize)> = doc.events.iter().map(|e| (e.evidence_start, e.evidence_end)).collect();
    u.extend(codings.iter().map(|c| (c.evidence_start, c.evidence_end)));
    u.sort_unstable();
    u.dedup();
    u
}

pub async fn code_form(State(st): State<AppState>, ctx: Ctx, P(doc_id): P<i64>, Q(q): Q<QueueQuery>) -> Result<Page> {
    let lang = ctx.lang;
    let (doc, codings) = st
        .db
        .read(move |s| Ok((s.find_document(&doc_id.to_string())?.filter(|d| d.id == doc_id), s.codings(Some(doc_id))?)))
        .await?;
    let doc = doc.ok_or_else(|| AppError::not_found(format!("no document {doc_id}")))?;
    let me = ctx.principal.as_ref().map(|p| p.name.clone());
    // Only your own codings are shown: coding is independent.
    let mine = |u: (usize, usize)| {
        codings.iter().find(|c| Some(&c.reviewer) == me.as_ref() && (c.evidence_start, c.evidence_end) == u)
    };
    let units = units(&doc, &codings);
    let others = codings.iter().filter(|c| Some(&c.reviewer) != me.as_ref()).map(|c| &c.reviewer).collect::<std::collections::BTreeSet<_>>();
    let title = format!("{}: {}", t(lang, "code.title"), doc.title.clone().unwrap_or_default());
    let body = html! {
        p.crumbs { a href=(format!("/documents/{}", doc.id)) { (doc.title.clone().unwrap_or_default()) } " › " (t(lang, "code.title")) }
        h1 { (title) }
        (flash(lang, q.done.as_deref()))
        p.lead { (t(lang, "code.lead")) }
        @if !others.is_empty() { p.note { (tf(lang, "code.others", &[("n", &others.len().to_string())])) } }
        @if ctx.principal.is_none() { (sign_in_note(&ctx)) } @else {
            form.coding method="post" action=(format!("/review/code/{}", doc.id)) {
                input type="hidden" name="csrf" value=(ctx.csrf);
                @for (i, u) in units.iter().enumerate() {
                    @let c = mine(*u);
                    fieldset.unit {
                        legend { (t(lang, "code.unit")) " " (i + 1) }
                        blockquote lang=(doc.lang) { (cut(doc.text.get(u.0..u.1).unwrap_or(""), 600)) }
                        input type="hidden" name=(format!("u{i}_span")) value=(format!("{}-{}", u.0, u.1));
                        label { (t(lang, "common.type"))
                            select name=(format!("u{i}_type")) {
                                option value="" { "—" }
                                option value="none" selected[c.is_some_and(|c| c.event_type == "none")] { (t(lang, "code.no_event")) }
                                @for ty in EventType::ALL_CODES { option value=(ty) selected[c.is_some_and(|c| c.event_type == *ty)] { (type_label(lang, ty)) } }
                            }
                        }
                        label { (t(lang, "common.actors")) input name=(format!("u{i}_actors")) value=(c.map(|c| c.actors.join(", ")).unwrap_or_default()); }
                        label { (t(lang, "common.domains")) input name=(format!("u{i}_domains")) placeholder="water, health" value=(c.map(|c| c.domains.join(", ")).unwrap_or_default()); }
                        label { (t(lang, "common.date")) input name=(format!("u{i}_date")) value=(c.and_then(|c| c.date.clone()).unwrap_or_default()); }
                    }
                }
                button type="submit" { (t(lang, "code.save")) }
            }
        }
    };
    Ok(layout(&ctx, &title, "/review", body))
}

pub async fn code_save(State(st): State<AppState>, Writer(who): Writer, P(doc_id): P<i64>, CsrfForm(f): CsrfForm) -> Result<Redirect> {
    let mut saved = 0;
    for i in 0..10_000 {
        let Some(span) = f.get(&format!("u{i}_span")) else { break };
        let Some(ty) = f.text(&format!("u{i}_type")) else { continue };
        let (s, e) = span.split_once('-').ok_or_else(|| AppError::bad_request("bad unit"))?;
        let (s, e) = (s.parse().map_err(|_| AppError::bad_request("bad unit"))?, e.parse().map_err(|_| AppError::bad_request("bad unit"))?);
        let list = |k: &str| -> Vec<String> {
            f.get(&format!("u{i}_{k}")).unwrap_or("").split([',', ' ']).map(str::trim).filter(|x| !x.is_empty()).map(str::to_string).collect()
        };
        let c = CodingIn {
            document_id: doc_id,
            evidence_start: s,
            evidence_end: e,
            event_type: ty.to_string(),
            actors: list("actors"),
            domains: list("domains"),
            date: f.text(&format!("u{i}_date")).map(str::to_string),
        };
        save_coding(&st, c, &who.name).await?;
        saved += 1;
    }
    let _ = saved;
    Ok(Redirect::to(&format!("/review/code/{doc_id}?done=coded")))
}

pub async fn agreement(State(st): State<AppState>, ctx: Ctx) -> Result<Page> {
    let lang = ctx.lang;
    let codings = st.db.read(|s| Ok(s.codings(None)?)).await?;
    let rep = agreement::report(&codings);
    let body = html! {
        h1 { (t(lang, "agreement.title")) }
        p.lead { (t(lang, "agreement.lead")) }
        p { (tf(lang, "agreement.summary", &[
            ("reviewers", &rep.reviewers.len().to_string()),
            ("units", &rep.units.to_string()),
            ("shared", &rep.units_shared.to_string()),
        ])) }
        table.data id="alpha" {
            thead { tr { th { (t(lang, "agreement.field")) } th.num { "α" } th.num { (t(lang, "agreement.units")) } th.num { (t(lang, "agreement.values")) } } }
            tbody {
                @for f in &rep.fields {
                    tr {
                        th { (t(lang, &format!("agreement.f_{}", f.field))) }
                        td.num.alpha { (f.alpha.alpha.map(|a| format!("{a:.3}")).unwrap_or_else(|| "–".into())) }
                        td.num { (f.alpha.units) }
                        td.num { (f.alpha.values) }
                    }
                }
            }
        }
        h2 { (tf(lang, "agreement.disagreements", &[("n", &rep.disagreements.len().to_string())])) }
        @if rep.disagreements.is_empty() { p.empty { (t(lang, "common.nothing")) } } @else {
            table.data id="disagreements" {
                thead { tr { th { (t(lang, "agreement.unit")) } th { (t(lang, "agreement.field")) } th { (t(lang, "agreement.values_by")) } } }
                tbody {
                    @for d in &rep.disagreements {
                        tr {
                            td { a href=(format!("/review/code/{}", d.document_id)) { "#" (d.document_id) " " (d.evidence_start) "–" (d.evidence_end) } }
                            td { (t(lang, &format!("agreement.f_{}", d.field))) }
                            td { @for (who, v) in &d.values { span.chip { strong { (who) } ": " (v) } " " } }
                        }
                    }
                }
            }
        }
    };
    Ok(layout(&ctx, t(lang, "agreement.title"), "/review", body))
}

#[derive(Debug, Deserialize)]
pub struct AuditPageQuery {
    #[serde(default, deserialize_with = "crate::api::types::range::page")]
    pub page: Option<usize>,
    pub object: Option<String>,
}

pub async fn audit(State(st): State<AppState>, ctx: Ctx, Q(q): Q<AuditPageQuery>) -> Result<Page> {
    let lang = ctx.lang;
    let paging = Paging { page: q.page, per_page: Some(100) };
    let (offset, per_page) = (paging.offset(), paging.per_page());
    let object = q.object.clone().filter(|o| !o.is_empty());
    let query = AuditQuery { object: object.clone(), actor: None, offset, limit: per_page + 1 };
    let mut rows = st.db.read(move |s| Ok(s.audit_log(&query)?)).await?;
    let more = rows.len() > per_page;
    rows.truncate(per_page);
    let body = html! {
        h1 { (t(lang, "review.audit")) }
        p.lead { (t(lang, "audit.lead")) }
        @if rows.is_empty() { p.empty { (t(lang, "common.nothing")) } } @else { (history_table(lang, &rows)) }
        (pager(lang, "/review/audit", &[("object", object.as_deref().unwrap_or(""))], paging.page(), more))
    };
    Ok(layout(&ctx, t(lang, "review.audit"), "/review", body))
}
