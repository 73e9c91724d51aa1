//! Events and documents: a dyad's events by domain, the event list with the CLI's filters, an
//! event with all its reports and their evidence in their documents, a document, and search.

use super::overview::ChartQuery;
use super::{actor_label, actors_label, domain_label, highlight, layout, options, pager, snippet, type_label, url, Page};
use crate::api::extract::{P, Q};
use crate::api::types::{EventQuery, Paging};
use crate::api::{event_filter, parse_pair, search_page};
use crate::auth::Ctx;
use crate::error::{AppError, Result};
use crate::i18n::{t, tf, Lang};
use crate::AppState;
use axum::extract::State;
use hamkor_analysis::panel::Dim;
use hamkor_model::{Domain, EventType};
use hamkor_store::{AuditEntry, EventRow, Store};
use maud::{html, Markup};
use serde::Deserialize;

fn when(e: &EventRow) -> String {
    match (&e.date, &e.document_date) {
        (Some(d), _) => d.clone(),
        (None, Some(d)) => format!("({d})"),
        (None, None) => "–".into(),
    }
}

/// A table of events, each linking to its page.
pub fn event_table(lang: Lang, rows: &[EventRow], review_links: bool) -> Markup {
    html! {
        table.data.events {
            thead { tr {
                th { (t(lang, "common.date")) }
                th { (t(lang, "common.type")) }
                th { (t(lang, "common.actors")) }
                th { (t(lang, "common.domains")) }
                th { (t(lang, "common.evidence")) }
                @if review_links { th.num { (t(lang, "common.confidence")) } }
            } }
            tbody {
                @for e in rows {
                    tr {
                        td.date { (when(e)) }
                        td { (type_label(lang, &e.event_type)) }
                        td { (actors_label(lang, &e.actors)) }
                        td { (e.domains.iter().map(|d| domain_label(lang, d)).collect::<Vec<_>>().join(", ")) }
                        td.evidence {
                            @let href = if review_links { format!("/review/events/{}", e.id) } else { format!("/events/{}", e.id) };
                            a href=(href) { (crate::pages::events::cut(&e.evidence, 160)) }
                            span.src { " · " (e.lang) " · #" (e.document_id) }
                        }
                        @if review_links { td.num { (format!("{:.2}", e.confidence)) } }
                    }
                }
            }
        }
    }
}

/// An event's audit history (its page and its review form show it).
pub fn history_table(lang: Lang, rows: &[AuditEntry]) -> Markup {
    let show = |v: &Option<serde_json::Value>| v.as_ref().map(|v| v.to_string()).unwrap_or_default();
    html! {
        table.data.audit {
            thead { tr {
                th { (t(lang, "audit.when")) } th { (t(lang, "audit.who")) } th { (t(lang, "audit.action")) }
                th { (t(lang, "audit.object")) } th { (t(lang, "audit.before")) } th { (t(lang, "audit.after")) } th { (t(lang, "audit.why")) }
            } }
            tbody {
                @for a in rows {
                    tr {
                        td.date { (a.at) } td { (a.actor) } td { (a.action) }
                        td { @if let Some(id) = a.object.strip_prefix("event:") { a href=(format!("/events/{id}")) { (a.object) } } @else { (a.object) } }
                        td { code { (show(&a.before)) } } td { code { (show(&a.after)) } }
                        td { (a.reason.clone().unwrap_or_default()) }
                    }
                }
            }
        }
    }
}

pub fn cut(s: &str, max: usize) -> String {
    let s: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() <= max {
        return s;
    }
    let mut out: String = s.chars().take(max).collect();
    out.push('…');
    out
}

pub async fn dyad(State(st): State<AppState>, ctx: Ctx, P(pair): P<String>, Q(q): Q<ChartQuery>) -> Result<Page> {
    let lang = ctx.lang;
    let (a, b) = parse_pair(&pair)?;
    let spec = q.spec()?;
    let (x, y) = hamkor_model::filter::parse_pair(&pair).map_err(crate::api::bad_filter)?;
    let snap = st.cache.get(&st).await?;
    let key = format!("dyad {x}-{y} {spec:?}");
    let figures = st
        .cache
        .memo(snap.generation, key, async {
            let figs = snap.figures();
            let imported = st.db.read(move |s| super::against::pair_imported(s, x, y)).await?;
            Ok((figs.pair(&spec, x, y), figs.pair_years(x, y, &imported)))
        })
        .await?;
    let (counts, against) = (&figures.0, &figures.1);
    let pair_param = format!("{a},{b}");
    let title = format!("{} – {}", actor_label(lang, &a), actor_label(lang, &b));
    let body = html! {
        p.crumbs { a href=(url("/", &q.params().iter().map(|(k, v)| (*k, v.as_str())).collect::<Vec<_>>())) { (t(lang, "nav.overview")) } " › " (title) }
        h1 { (title) }
        (super::overview::filter_form(lang, &format!("/dyads/{a}-{b}"), &q))
        div.columns {
            section {
                h2 { (t(lang, "dyad.by_domain")) }
                @if counts.by_domain.is_empty() { p.empty { (t(lang, "common.nothing")) } }
                table.data id="by-domain" {
                    tbody {
                        @for (d, c) in &counts.by_domain {
                            tr {
                                th { a.domain href=(q.events_href(&pair_param, Some(d.code()))) { (domain_label(lang, d.code())) } }
                                td.num { a.count href=(q.happenings_href("domain", d.code(), Some((a.as_str(), b.as_str())))) { (c.count) } }
                            }
                        }
                    }
                }
            }
            section {
                h2 { (t(lang, "dyad.by_type")) }
                table.data id="by-type" {
                    tbody {
                        @for (ty, c) in &counts.by_type {
                            tr {
                                th { (type_label(lang, ty.code())) }
                                td.num { a.count href=(q.happenings_href("type", ty.code(), Some((a.as_str(), b.as_str())))) { (c.count) } }
                            }
                        }
                    }
                }
            }
        }
        p { a.all href=(q.events_href(&pair_param, None)) { (t(lang, "dyad.all_events")) " →" } }
        (super::against::pair_section(lang, &a, &b, against))
    };
    Ok(layout(&ctx, &title, "/", body))
}

/// What the event list takes besides the filters of `hamkor events`.
#[derive(Debug, Deserialize)]
pub struct ListExtra {
    /// The documents' language; `lang` is the interface's on pages.
    pub doc_lang: Option<String>,
    #[serde(default, deserialize_with = "crate::api::types::range::page")]
    pub page: Option<usize>,
    #[serde(default, deserialize_with = "crate::api::types::range::per_page")]
    pub per_page: Option<usize>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct CellQuery {
    /// The panel's dimensions, comma-separated (`dyad,domain`, `period,domain`, `domain`).
    #[serde(default)]
    pub dims: String,
    /// The cell's key, one value per dimension (`KAZ-UZB,water`).
    #[serde(default)]
    pub key: String,
    /// A pair whose events alone were counted (`KAZ-UZB`), on a pair's page.
    pub pair: Option<String>,
    /// A group of the follow-through figure (`all`, a domain, `bilateral`, `multilateral`): the
    /// signings and implementations of its agreements.
    pub follow: Option<String>,
}

/// The canonical events one number of a chart or table counts: the same panel query over the
/// same snapshot, keeping the ids of the cell's events, so the list has exactly as many rows
/// as the number that links here.
pub async fn happenings(State(st): State<AppState>, ctx: Ctx, Q(q): Q<ChartQuery>, Q(c): Q<CellQuery>) -> Result<Page> {
    let lang = ctx.lang;
    // No dimensions: the one cell of every event under the filters (the overview's total).
    let dims: Vec<Dim> = c
        .dims
        .split(',')
        .filter(|d| !d.trim().is_empty())
        .map(|d| Dim::parse(d.trim()).map_err(|e| AppError::bad_request(e.to_string())))
        .collect::<Result<_>>()?;
    let key: Vec<String> = c.key.split(',').map(|k| k.trim().to_string()).filter(|k| !k.is_empty()).collect();
    if key.len() != dims.len() {
        return Err(AppError::bad_request(format!("key {:?} has {} values for {} dimensions", c.key, key.len(), dims.len())));
    }
    let mut spec = q.spec()?;
    if let Some(pair) = c.pair.as_deref().filter(|p| !p.is_empty()) {
        let (a, b) = hamkor_model::filter::parse_pair(pair).map_err(crate::api::bad_filter)?;
        spec = hamkor_analysis::figures::Figures::pair_spec(&spec, a, b);
    }
    let snap = st.cache.get(&st).await?;
    let ids: std::collections::HashSet<i64> = match c.follow.as_deref().filter(|g| !g.is_empty()) {
        Some(group) => {
            let rows = hamkor_analysis::figures::follow(crate::api::analysis::follow(&snap));
            let row = rows.into_iter().find(|r| r.group == group);
            row.ok_or_else(|| AppError::bad_request(format!("no follow-through group {group:?}")))?.event_ids.into_iter().collect()
        }
        None => snap.figures().cell(&spec, &dims, &key).event_ids.into_iter().collect(),
    };
    let events: Vec<&hamkor_model::CanonicalEvent> = snap.events.iter().filter(|e| ids.contains(&e.id)).collect();
    let body = html! {
        h1 { (t(lang, "happenings.title")) }
        p.lead { (t(lang, "happenings.lead")) }
        @if events.is_empty() {
            p.empty { (t(lang, "common.nothing")) }
        } @else {
            table.data id="happenings" {
                thead { tr {
                    th { (t(lang, "common.date")) } th { (t(lang, "common.type")) } th { (t(lang, "common.actors")) }
                    th { (t(lang, "common.domains")) } th.num { (t(lang, "happenings.reports")) }
                } }
                tbody {
                    @for e in &events {
                        tr.happening {
                            td { (e.date.map(|d| d.to_string()).unwrap_or_else(|| "–".into())) }
                            td { (type_label(lang, e.event_type.code())) }
                            td { (e.actors.iter().map(|a| actor_label(lang, a.as_str())).collect::<Vec<_>>().join(", ")) }
                            td { (e.domains.iter().map(|d| domain_label(lang, d.code())).collect::<Vec<_>>().join(", ")) }
                            td.num {
                                @match e.reports.first() {
                                    Some(r) => a href=(format!("/events/{}", r.event_id)) { (e.reports.len()) },
                                    None => (e.reports.len()),
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(layout(&ctx, t(lang, "happenings.title"), "/happenings", body))
}

pub async fn list(State(st): State<AppState>, ctx: Ctx, Q(mut f): Q<EventQuery>, Q(x): Q<ListExtra>) -> Result<Page> {
    let lang = ctx.lang;
    f.lang = x.doc_lang.clone();
    let filter = event_filter(&f)?;
    let paging = Paging { page: x.page, per_page: x.per_page };
    let (rows, has_more) = crate::api::events_page_cached(&st, filter, paging.clone()).await?;
    let f = &f;
    let v = |o: &Option<String>| o.clone().unwrap_or_default();
    let params: Vec<(&str, String)> = vec![
        ("actor", v(&f.actor)),
        ("pair", v(&f.pair)),
        ("type", v(&f.event_type)),
        ("domain", v(&f.domain)),
        ("from", v(&f.from)),
        ("to", v(&f.to)),
        ("doc_lang", v(&f.lang)),
        ("document", f.document.map(|d| d.to_string()).unwrap_or_default()),
    ];
    let refs: Vec<(&str, &str)> = params.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let body = html! {
        h1 { (t(lang, "events.title")) }
        form.filters method="get" action="/events" {
            label { (t(lang, "events.pair")) " " input name="pair" value=(v(&f.pair)) placeholder="KAZ,UZB" size="9"; }
            label { (t(lang, "events.actor")) " " input name="actor" value=(v(&f.actor)) placeholder="TJK" size="9"; }
            label { (t(lang, "filter.type")) " " select name="type" { (options(lang, "type", EventType::ALL_CODES, &v(&f.event_type), "filter.all_types")) } }
            label { (t(lang, "filter.domain")) " " select name="domain" { (options(lang, "domain", Domain::ALL_CODES, &v(&f.domain), "filter.all_domains")) } }
            label { (t(lang, "filter.from")) " " input name="from" value=(v(&f.from)) placeholder="2019" size="10"; }
            label { (t(lang, "filter.to")) " " input name="to" value=(v(&f.to)) placeholder="2024-06" size="10"; }
            button type="submit" { (t(lang, "filter.apply")) }
        }
        @if rows.is_empty() {
            p.empty { (t(lang, "common.nothing")) }
        } @else {
            (event_table(lang, &rows, false))
        }
        (pager(lang, "/events", &refs, paging.page(), has_more))
    };
    Ok(layout(&ctx, t(lang, "events.title"), "/events", body))
}

/// The reports of the happening event `id` reports (itself included), from the snapshot.
async fn reports_of(st: &AppState, id: i64) -> Result<Vec<i64>> {
    let snap = st.cache.get(st).await?;
    Ok(snap.by_report.get(&id).map(|&i| snap.events[i].reports.iter().map(|r| r.event_id).collect()).unwrap_or_else(|| vec![id]))
}

pub async fn event(State(st): State<AppState>, ctx: Ctx, P(id): P<i64>) -> Result<Page> {
    let lang = ctx.lang;
    let review = st.db.read(move |s| Ok(s.event_review(id)?)).await?;
    let review = review.ok_or_else(|| AppError::not_found(format!("no event {id}")))?;
    let e = &review.event;
    let report_ids = reports_of(&st, id).await?;
    // Each report with its document.
    let docs = st
        .db
        .read(move |s| {
            let mut out = Vec::new();
            for rid in report_ids {
                if let Some(r) = s.event_by_id(rid)? {
                    let doc = s.find_document(&r.document_id.to_string())?.filter(|d| d.id == r.document_id);
                    if let Some(doc) = doc {
                        out.push((r, doc));
                    }
                }
            }
            Ok(out)
        })
        .await?;
    let title = format!("{} · {}", type_label(lang, &e.event_type), actors_label(lang, &e.actors));
    let body = html! {
        p.crumbs { a href="/events" { (t(lang, "events.title")) } " › #" (e.id) }
        h1 { (title) }
        dl.facts {
            dt { (t(lang, "common.type")) } dd { (type_label(lang, &e.event_type)) }
            dt { (t(lang, "common.actors")) } dd { (actors_label(lang, &e.actors)) }
            dt { (t(lang, "common.domains")) } dd { (e.domains.iter().map(|d| domain_label(lang, d)).collect::<Vec<_>>().join(", ")) }
            dt { (t(lang, "common.date")) } dd { (when(e)) }
            dt { (t(lang, "common.confidence")) } dd { (format!("{:.2}", e.confidence)) }
            dt { (t(lang, "review.state")) } dd.state {
                @if review.reviewed { (t(lang, "review.reviewed")) } @else { (t(lang, "review.machine")) }
                " · " a href=(format!("/review/events/{}", e.id)) { (t(lang, "review.review_this")) }
            }
        }
        h2 { (tf(lang, "event.reports", &[("n", &docs.len().to_string())])) }
        @for (r, doc) in &docs {
            article.report id=(format!("report-{}", r.id)) {
                h3 {
                    a href=(format!("/documents/{}#ev-{}", doc.id, r.id)) { (doc.title.clone().unwrap_or_else(|| t(lang, "common.untitled").to_string())) }
                    span.meta { " · " (doc.lang) " · " (doc.published.clone().unwrap_or_default()) }
                }
                blockquote.evidence lang=(doc.lang) { mark.evidence.target { (r.evidence.trim()) } }
                @if let Some(src) = doc.sources.first() { p.source { (t(lang, "common.source")) ": " code { (src.location) } } }
                details.context open[docs.len() == 1] {
                    summary { (t(lang, "event.in_document")) }
                    div.doctext lang=(doc.lang) {
                        (highlight(&doc.text, &[(r.id, r.evidence_start, r.evidence_end)], Some(r.id)))
                    }
                }
            }
        }
        @if !review.history.is_empty() {
            h2 { (t(lang, "review.history")) }
            (history_table(lang, &review.history))
        }
    };
    Ok(layout(&ctx, &title, "/events", body))
}

pub async fn document(State(st): State<AppState>, ctx: Ctx, P(id): P<i64>) -> Result<Page> {
    let lang = ctx.lang;
    let doc = st.db.read(move |s| Ok(s.find_document(&id.to_string())?)).await?;
    let doc = doc.filter(|d| d.id == id).ok_or_else(|| AppError::not_found(format!("no document {id}")))?;
    let spans: Vec<(i64, usize, usize)> = doc.events.iter().map(|e| (e.id, e.evidence_start, e.evidence_end)).collect();
    let title = doc.title.clone().unwrap_or_else(|| t(lang, "common.untitled").to_string());
    let body = html! {
        h1 { (title) }
        dl.facts {
            dt { (t(lang, "document.published")) } dd { (doc.published.clone().unwrap_or_else(|| "–".into())) }
            dt { (t(lang, "document.language")) } dd { (doc.lang) " (" (doc.script) ")" }
            dt { (t(lang, "document.format")) } dd { (doc.format) }
            dt { (t(lang, "common.source")) } dd { @for s in &doc.sources { code { (s.location) } br; } }
        }
        p { a href=(format!("/review/code/{}", doc.id)) { (t(lang, "document.code_it")) } }
        div.doctext lang=(doc.lang) { (highlight(&doc.text, &spans, None)) }
        h2 { (t(lang, "document.events")) }
        (event_table(lang, &doc.events, false))
    };
    Ok(layout(&ctx, &title, "/events", body))
}

#[derive(Debug, Deserialize)]
pub struct SearchPageQuery {
    pub q: Option<String>,
    #[serde(rename = "in")]
    pub in_lang: Option<String>,
    #[serde(default, deserialize_with = "crate::api::types::range::page")]
    pub page: Option<usize>,
}

pub async fn search(State(st): State<AppState>, ctx: Ctx, Q(q): Q<SearchPageQuery>) -> Result<Page> {
    let lang = ctx.lang;
    let text = q.q.clone().unwrap_or_default();
    let in_lang = q.in_lang.clone().filter(|l| !l.is_empty());
    let paging = Paging { page: q.page, per_page: Some(20) };
    let (hits, more) = if text.trim().is_empty() {
        (vec![], false)
    } else {
        search_page(&st, &text, in_lang.clone(), &paging).await?
    };
    let doc_langs = ["en", "ru", "uz", "kk", "ky", "tg", "tk"];
    let body = html! {
        h1 { (t(lang, "search.title")) }
        form.filters role="search" method="get" action="/search" {
            input type="search" name="q" value=(text) placeholder=(t(lang, "search.placeholder")) size="40" autofocus;
            select name="in" aria-label=(t(lang, "document.language")) {
                option value="" { (t(lang, "search.any_language")) }
                @for l in doc_langs { option value=(l) selected[in_lang.as_deref() == Some(l)] { (l) } }
            }
            button type="submit" { (t(lang, "search.go")) }
        }
        @if !text.trim().is_empty() {
            @if hits.is_empty() { p.empty { (t(lang, "search.none")) } }
            ol.hits {
                @for h in &hits {
                    li {
                        a href=(format!("/documents/{}", h.id)) { (h.title.clone().unwrap_or_else(|| t(lang, "common.untitled").to_string())) }
                        span.meta { " · " (h.lang) " · " (h.published.clone().unwrap_or_default()) }
                        p.snippet { (snippet(&h.snippet)) }
                    }
                }
            }
            (pager(lang, "/search", &[("q", &text), ("in", in_lang.as_deref().unwrap_or(""))], paging.page(), more))
        }
    };
    Ok(layout(&ctx, t(lang, "search.title"), "/search", body))
}
