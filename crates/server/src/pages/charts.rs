//! The chart pages: dyad × domain heatmap, timeline, network, agreements and follow-through.
//! Each shows the chart from `crates/charts` and the same numbers as a table with links.

use super::overview::{filter_form, ChartQuery};
use super::{actor_label, domain_label, layout, type_label, Page};
use crate::api::extract::Q;
use crate::auth::Ctx;
use crate::error::Result;
use crate::i18n::t;
use crate::AppState;
use axum::extract::State;
use hamkor_analysis::network::{NetworkOptions, Scope};
use hamkor_analysis::panel::Dim;
use maud::html;
use std::collections::BTreeMap;

pub async fn heatmap(State(st): State<AppState>, ctx: Ctx, Q(q): Q<ChartQuery>) -> Result<Page> {
    let lang = ctx.lang;
    let spec = q.spec()?;
    let snap = st.cache.get(&st).await?;
    let key = format!("heatmap {spec:?}");
    let h = st.cache.memo(snap.generation, key, async { Ok(snap.figures().heatmap(&spec)) }).await?;
    let q2 = q.clone();
    let href = move |dyad: &str, domain: &str| q2.happenings_href("dyad,domain", &format!("{dyad},{domain}"), None);
    let body = html! {
        h1 { (t(lang, "heatmap.title")) }
        p.lead { (t(lang, "heatmap.lead")) }
        (filter_form(lang, "/heatmap", &q))
        (super::figures::heatmap(lang, &h, &href))
        @if h.rows.is_empty() {
            p.empty { (t(lang, "common.nothing")) }
        } @else {
            div.scroll {
                table.data.heat id="heatmap" {
                    thead { tr {
                        th { (t(lang, "common.dyad")) }
                        @for d in &h.cols { th.num { (domain_label(lang, d.code())) } }
                    } }
                    tbody {
                        @for (dyad, row) in h.rows.iter().zip(&h.cells) {
                            @let (a, b) = dyad.split_once('-').unwrap_or((dyad.as_str(), ""));
                            tr {
                                th { a href=(q.dyad_href(a, b)) { (actor_label(lang, a)) " – " (actor_label(lang, b)) } }
                                @for (d, cell) in h.cols.iter().zip(row) {
                                    @match cell {
                                        Some(c) => td.num { a.count href=(href(dyad, d.code())) title=(domain_label(lang, d.code())) { (c.count) } },
                                        None => td.num.zero { "·" },
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(layout(&ctx, t(lang, "heatmap.title"), "/heatmap", body))
}

pub async fn timeline(State(st): State<AppState>, ctx: Ctx, Q(q): Q<ChartQuery>) -> Result<Page> {
    let lang = ctx.lang;
    let spec = q.spec()?;
    let snap = st.cache.get(&st).await?;
    let key = format!("timeline {spec:?}");
    let figures = st
        .cache
        .memo(snap.generation, key, async {
            let figs = snap.figures();
            // Types per year: the same query by period and type.
            Ok((figs.timeline(&spec, None), figs.panel(&spec, &[Dim::Period, Dim::Type])))
        })
        .await?;
    let (tl, by_type) = (&figures.0, &figures.1);
    let mut types: BTreeMap<String, Vec<(String, u64)>> = BTreeMap::new();
    for r in &by_type.rows {
        types.entry(r.key[0].clone()).or_default().push((r.key[1].clone(), r.count));
    }
    let q2 = q.clone();
    let href = move |year: &str, domain: &str| q2.happenings_href("period,domain", &format!("{year},{domain}"), None);
    let body = html! {
        h1 { (t(lang, "timeline.title")) }
        p.lead { (t(lang, "timeline.lead")) }
        (filter_form(lang, "/timeline", &q))
        (super::figures::timeline(lang, &tl, &href))
        @if tl.series.is_empty() {
            p.empty { (t(lang, "common.nothing")) }
        } @else {
            div.scroll {
                table.data id="timeline" {
                    thead { tr { th { (t(lang, "common.year")) } @for s in &tl.series { th.num { (domain_label(lang, s.domain.code())) } } } }
                    tbody {
                        @for (k, year) in tl.years.iter().enumerate() {
                            @if tl.series.iter().any(|s| s.values[k].is_some()) {
                                tr {
                                    th { (year) }
                                    @for s in &tl.series {
                                        @match &s.values[k] {
                                            Some(c) => td.num { a.count href=(href(&year.to_string(), s.domain.code())) { (c.count) } },
                                            None => td.num.zero { "·" },
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            h2 { (t(lang, "timeline.by_type")) }
            table.data {
                thead { tr { th { (t(lang, "common.year")) } th { (t(lang, "common.types")) } } }
                tbody {
                    @for (year, row) in &types {
                        tr { th { (year) } td {
                            @for (ty, n) in row {
                                span.chip { (type_label(lang, ty)) " " a.count href=(q.happenings_href("period,type", &format!("{year},{ty}"), None)) { (n) } } " "
                            }
                        } }
                    }
                }
            }
            @if tl.undated > 0 { p.note { (t(lang, "timeline.undated")) ": " (tl.undated) } }
        }
    };
    Ok(layout(&ctx, t(lang, "timeline.title"), "/timeline", body))
}

pub async fn network(State(st): State<AppState>, ctx: Ctx, Q(q): Q<ChartQuery>) -> Result<Page> {
    let lang = ctx.lang;
    let f = q.filter()?;
    let snap = st.cache.get(&st).await?;
    let opts = NetworkOptions {
        scope: Scope::CentralAsia,
        domain: f.domains.first().copied(),
        from_year: f.from_year,
        to_year: f.to_year,
        ..Default::default()
    };
    let key = format!("network {opts:?} {:?}", f.types);
    let net = st
        .cache
        .memo(snap.generation, key, async {
            Ok(if f.types.is_empty() {
                snap.figures().network(&opts)
            } else {
                let events: Vec<_> = snap.events.iter().filter(|e| f.types.contains(&e.event_type)).cloned().collect();
                hamkor_analysis::network::network(&events, &opts)
            })
        })
        .await?;
    // An edge counts the events of its dyad under the page's filters: its link is that cell.
    let edge_href = |a: &str, b: &str| q.happenings_href("dyad", &format!("{a}-{b}"), None);
    let mut nodes = net.nodes.clone();
    nodes.sort_by(|a, b| b.strength.total_cmp(&a.strength).then(a.actor.cmp(&b.actor)));
    let body = html! {
        h1 { (t(lang, "network.title")) }
        p.lead { (t(lang, "network.lead")) }
        (filter_form(lang, "/network", &q))
        (super::figures::network(lang, &net, &edge_href))
        @if nodes.is_empty() {
            p.empty { (t(lang, "common.nothing")) }
        } @else {
            table.data id="centrality" {
                thead { tr {
                    th { (t(lang, "network.actor")) }
                    th.num { (t(lang, "network.degree")) }
                    th.num { (t(lang, "network.strength")) }
                    th.num { (t(lang, "network.betweenness")) }
                    th.num { (t(lang, "network.eigenvector")) }
                } }
                tbody {
                    @for n in &nodes {
                        tr {
                            th { a href=(super::url("/events", &[("actor", &n.actor)])) { (actor_label(lang, &n.actor)) } }
                            td.num { (n.degree) }
                            td.num { (format!("{:.0}", n.strength)) }
                            td.num { (format!("{:.3}", n.betweenness)) }
                            td.num { (format!("{:.3}", n.eigenvector)) }
                        }
                    }
                }
            }
            h2 { (t(lang, "network.edges")) }
            table.data {
                thead { tr { th { (t(lang, "common.dyad")) } th.num { (t(lang, "overview.events")) } } }
                tbody {
                    @for e in &net.edges {
                        tr {
                            td { a href=(q.dyad_href(&e.a, &e.b)) { (actor_label(lang, &e.a)) " – " (actor_label(lang, &e.b)) } }
                            td.num { a.count href=(edge_href(&e.a, &e.b)) { (format!("{:.0}", e.weight)) } }
                        }
                    }
                }
            }
        }
    };
    Ok(layout(&ctx, t(lang, "network.title"), "/network", body))
}

/// An agreement's name in the reader's language, when the registry has it.
fn agreement_name(lang: crate::i18n::Lang, a: &hamkor_registry::Agreement) -> String {
    let local = match lang {
        crate::i18n::Lang::Ru => a.name_ru.clone(),
        crate::i18n::Lang::Uz => a.name_uz.clone(),
        crate::i18n::Lang::En => None,
    };
    local.unwrap_or_else(|| a.name_en.clone())
}

fn status_label(lang: crate::i18n::Lang, code: &str) -> String {
    crate::i18n::label(lang, "status", code)
}

pub async fn agreements(State(st): State<AppState>, ctx: Ctx) -> Result<Page> {
    let lang = ctx.lang;
    let snap = st.cache.get(&st).await?;
    let ft = crate::api::analysis::follow(&snap);
    let registry = st
        .cache
        .read(&st, "agreements".into(), |s| {
            // The registry and the coded steps read once (not once per agreement).
            let reg = hamkor_app::registry(s)?;
            let counts = s.agreement_counts()?;
            let coded = s.coded_steps()?;
            let mut rows = Vec::new();
            for a in &reg.agreements {
                if let Some(a) = reg.agreement(&a.id) {
                    let lc = hamkor_registry::lifecycle::lifecycle(a, &reg, coded.get(&a.id).map_or(&[][..], |v| v.as_slice()));
                    let n = counts.get(&a.id).copied().unwrap_or((0, 0));
                    rows.push((a.clone(), lc, n));
                }
            }
            Ok(rows)
        })
        .await?;
    let follow_of = |id: &str| ft.agreements.iter().find(|f| f.agreement.id == id);
    // The figure's rows, each with the events behind it (signings and implementations).
    let follow_rows = st.cache.memo(snap.generation, "follow".into(), async { Ok(hamkor_analysis::figures::follow(ft)) }).await?;
    let follow_href = |group: &str| super::url("/happenings", &[("follow", group)]);
    let body = html! {
        h1 { (t(lang, "agreements.title")) }
        p.lead { (t(lang, "agreements.lead")) }
        @if registry.is_empty() { p.empty { (t(lang, "common.nothing")) } } @else {
            div.scroll { table.data id="agreements" {
                thead { tr {
                    th { (t(lang, "agreements.name")) }
                    th { (t(lang, "agreements.parties")) }
                    th { (t(lang, "agreements.signed")) }
                    th { (t(lang, "agreements.status")) }
                    th.num { (t(lang, "agreements.reported")) }
                    th.num { (t(lang, "agreements.implementations")) }
                    th.num { (t(lang, "agreements.days_to_first")) }
                } }
                tbody {
                    @for (a, lc, (events, reports)) in registry.iter() {
                        @let f = follow_of(&a.id);
                        tr {
                            td { a href=(format!("/agreements/{}", a.id)) { (agreement_name(lang, a)) } }
                            td { (a.parties.iter().map(|p| actor_label(lang, p.as_str())).collect::<Vec<_>>().join(", ")) }
                            td.date { (a.signed.map(|d| d.to_string()).unwrap_or_else(|| "–".into())) }
                            td.status { (status_label(lang, lc.status.code())) @if lc.open { " · " (t(lang, "agreements.open")) } }
                            td.num { (events) " (" (reports) ")" }
                            td.num { (f.map_or(0, |f| f.implementations.len())) }
                            td.num { (f.and_then(|f| f.days_to_first).map(|d| d.to_string()).unwrap_or_else(|| "–".into())) }
                        }
                    }
                }
            } }
        }
        h2 { (t(lang, "agreements.summary")) }
        (super::figures::follow_through(lang, &follow_rows, &follow_href))
        table.data id="follow" {
            thead { tr { th { (t(lang, "agreements.group")) } th.num { (t(lang, "agreements.count")) } th.num { (t(lang, "agreements.implemented")) } th.num { (t(lang, "agreements.share")) } th.num { (t(lang, "overview.events")) } } }
            tbody {
                @for g in &ft.groups {
                    tr {
                        td { (g.group) }
                        td.num { (g.agreements) }
                        td.num { (g.implemented) }
                        td.num { (g.share.map(|s| format!("{:.0}%", s * 100.0)).unwrap_or_else(|| "–".into())) }
                        td.num {
                            @match follow_rows.iter().find(|r| r.group == g.group) {
                                Some(r) => a.count href=(follow_href(&r.group)) { (r.event_ids.len()) },
                                None => "0",
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(layout(&ctx, t(lang, "agreements.title"), "/agreements", body))
}

pub async fn agreement(State(st): State<AppState>, ctx: Ctx, crate::api::extract::P(id): crate::api::extract::P<String>) -> Result<Page> {
    let lang = ctx.lang;
    let key = id.clone();
    let found = st
        .db
        .read(move |s| {
            let Some((a, lc)) = hamkor_app::agreement_lifecycle(s, &key)? else { return Ok(None) };
            Ok(Some((a, lc, s.agreement_events(&key)?)))
        })
        .await?;
    let (a, lc, events) = found.ok_or_else(|| crate::error::AppError::not_found(format!("no agreement {id:?}")))?;
    let snap = st.cache.get(&st).await?;
    let ft = crate::api::analysis::follow(&snap);
    let f = ft.agreements.iter().find(|f| f.agreement.id == id);
    let title = agreement_name(lang, &a);
    let body = html! {
        p.crumbs { a href="/agreements" { (t(lang, "agreements.title")) } " › " (a.id) }
        h1 { (title) }
        dl.facts {
            dt { (t(lang, "agreements.kind")) } dd { (a.kind) }
            dt { (t(lang, "agreements.parties")) } dd { (a.parties.iter().map(|p| actor_label(lang, p.as_str())).collect::<Vec<_>>().join(", ")) }
            dt { (t(lang, "agreements.signed")) } dd { (a.signed.map(|d| d.to_string()).unwrap_or_else(|| "–".into())) @if let Some(p) = &a.place { ", " (p) } }
            dt { (t(lang, "agreements.status")) } dd.status { (status_label(lang, lc.status.code())) @if lc.open { " · " (t(lang, "agreements.open")) } }
            dt { (t(lang, "common.domains")) } dd { (a.domains.iter().map(|d| domain_label(lang, d.code())).collect::<Vec<_>>().join(", ")) }
            @if !a.notes.is_empty() { dt { (t(lang, "agreements.notes")) } dd { (a.notes) } }
        }
        h2 { (t(lang, "agreements.lifecycle")) }
        table.data id="lifecycle" {
            thead { tr { th { (t(lang, "agreements.party")) } th { (t(lang, "agreements.status")) } th { (t(lang, "agreements.signed")) } th { (t(lang, "agreements.steps")) } } }
            tbody {
                @for p in &lc.parties {
                    tr {
                        th { (actor_label(lang, p.party.as_str())) }
                        td.status { (status_label(lang, p.status.code())) }
                        td.date { (p.signed.map(|d| d.to_string()).unwrap_or_else(|| "–".into())) }
                        td { @for s in &p.steps {
                            span.chip { (serde_json::to_value(s.kind).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default()) " " (s.date.map(|d| d.to_string()).unwrap_or_default()) }
                            " "
                        } }
                    }
                }
            }
        }
        h2 { (t(lang, "agreements.reporting_events")) " (" (events.len()) ")" }
        ul {
            @for e in &events {
                li {
                    @if let Some(r) = e.reports.first() { a href=(format!("/events/{}", r.event_id)) { (super::type_label(lang, e.event_type.code())) " · " (e.date.map(|d| d.to_string()).unwrap_or_default()) } }
                    " · " (e.reports.len()) " " (t(lang, "agreements.reports"))
                }
            }
        }
        @if let Some(f) = f {
            h2 { (t(lang, "agreements.implementations")) " (" (f.implementations.len()) ")" }
            ul { @for i in &f.implementations { li { a href=(format!("/events/{}", snap.events.iter().find(|e| e.id == i.event_id).and_then(|e| e.reports.first()).map_or(i.event_id, |r| r.event_id))) { (i.date) } " · +" (i.days_after) " d" } } }
        }
        @if !a.sources.is_empty() {
            h2 { (t(lang, "common.source")) }
            ul { @for s in &a.sources { li { code { (s) } } } }
        }
    };
    Ok(layout(&ctx, &title, "/agreements", body))
}
