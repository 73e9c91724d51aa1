//! The seam to `crates/charts`: every figure of the dashboard is drawn by `hamkor-charts` from
//! the chart inputs of `hamkor_analysis::figures`, the module the report draws from too, so that
//! both show the same numbers. This module only adds the dashboard's links (each to exactly the
//! events a number counts) and labels in the reader's language; it counts and draws nothing.

use super::{actor_label, domain_label};
use crate::i18n::{t, Lang};
use hamkor_analysis::figures::{FollowRow, Heatmap, PairCount, Timeline, BREAKPOINT};
use hamkor_analysis::network::Network;
use hamkor_charts as charts;
use maud::{html, Markup, PreEscaped};

fn figure(svg: String, caption: &str) -> Markup {
    html! {
        figure.figure {
            (PreEscaped(svg))
            figcaption.note { (caption) }
        }
    }
}

fn split(dyad: &str) -> (&str, &str) {
    dyad.split_once('-').unwrap_or((dyad, ""))
}

/// The map of Central Asia with a line per dyad, weighted by events; `href(a, b)` is the link
/// of each dyad's line.
pub fn map(lang: Lang, pairs: &[PairCount], href: &dyn Fn(&str, &str) -> String) -> Markup {
    let lines = pairs
        .iter()
        .filter(|p| p.count.count > 0)
        .map(|p| charts::MapDyad { a: p.a.clone(), b: p.b.clone(), weight: p.count.count as f64, link: Some(href(&p.a, &p.b)) })
        .collect();
    let svg = charts::map(&charts::MapData {
        id: "chart-map".into(),
        title: t(lang, "figure.map_title").into(),
        dyads: lines,
        note: t(lang, "figure.map_note").into(),
    });
    figure(svg, t(lang, "figure.map_caption"))
}

/// Dyad × domain heatmap; `href(dyad, domain)` links each cell to its events.
pub fn heatmap(lang: Lang, h: &Heatmap, href: &dyn Fn(&str, &str) -> String) -> Markup {
    let values = h.cells.iter().map(|row| row.iter().map(|c| c.as_ref().map_or(0.0, |c| c.count as f64)).collect()).collect();
    let links = h
        .cells
        .iter()
        .zip(&h.rows)
        .map(|(row, dyad)| row.iter().zip(&h.cols).map(|(c, d)| c.as_ref().map(|_| href(dyad, d.code()))).collect())
        .collect();
    let row_labels = h
        .rows
        .iter()
        .map(|k| {
            let (a, b) = split(k);
            format!("{}–{}", actor_label(lang, a), actor_label(lang, b))
        })
        .collect();
    let svg = charts::heatmap(&charts::HeatmapData {
        id: "chart-heatmap".into(),
        title: t(lang, "heatmap.title").into(),
        row_labels,
        col_labels: h.cols.iter().map(|d| domain_label(lang, d.code())).collect(),
        values,
        links,
        legend: t(lang, "figure.events").into(),
    });
    figure(svg, t(lang, "heatmap.lead"))
}

/// Events per year, one panel per domain; `href(year, domain)` links each bar to its events.
pub fn timeline(lang: Lang, tl: &Timeline, href: &dyn Fn(&str, &str) -> String) -> Markup {
    let series = tl
        .series
        .iter()
        .map(|s| charts::Series {
            name: domain_label(lang, s.domain.code()),
            values: s.values.iter().map(|v| v.as_ref().map_or(0.0, |c| c.count as f64)).collect(),
            links: s
                .values
                .iter()
                .zip(&tl.years)
                .map(|(v, y)| v.as_ref().map(|_| href(&y.to_string(), s.domain.code())))
                .collect(),
            note: String::new(),
        })
        .collect();
    let svg = charts::timeline(&charts::TimelineData {
        id: "chart-timeline".into(),
        title: t(lang, "timeline.title").into(),
        years: tl.years.clone(),
        series,
        marker: Some(BREAKPOINT),
        y_label: t(lang, "figure.events").into(),
    });
    figure(svg, t(lang, "figure.timeline_caption"))
}

/// The cooperation network; `href(a, b)` links each edge to the events it counts.
pub fn network(lang: Lang, net: &Network, href: &dyn Fn(&str, &str) -> String) -> Markup {
    let svg = charts::network(&charts::NetworkData {
        id: "chart-network".into(),
        title: t(lang, "network.title").into(),
        nodes: net
            .nodes
            .iter()
            .map(|n| charts::NetworkNode {
                id: n.actor.clone(),
                size: n.strength,
                note: format!("s {:.0} · b {:.2} · e {:.2}", n.strength, n.betweenness, n.eigenvector),
            })
            .collect(),
        edges: net
            .edges
            .iter()
            .map(|e| charts::NetworkEdge { a: e.a.clone(), b: e.b.clone(), weight: e.weight, link: Some(href(&e.a, &e.b)) })
            .collect(),
        note: t(lang, "figure.network_note").into(),
    });
    figure(svg, t(lang, "network.lead"))
}

/// Follow-through of agreements: the share followed by implementation per group; `href(group)`
/// links each row to the events behind it (signings and implementations).
pub fn follow_through(lang: Lang, rows: &[FollowRow], href: &dyn Fn(&str) -> String) -> Markup {
    let rows = rows
        .iter()
        .map(|g| {
            let (low, high) = g.share_ci.unwrap_or((0.0, 0.0));
            charts::FollowRow {
                label: g.group.clone(),
                agreements: g.agreements,
                implemented: g.implemented,
                share: g.share.unwrap_or(0.0),
                low,
                high,
                note: g.median_days_to_first.map(|d| format!("median {d:.0} d")).unwrap_or_default(),
                link: Some(href(&g.group)),
            }
        })
        .collect();
    let svg = charts::follow_through(&charts::FollowData {
        id: "chart-follow".into(),
        title: t(lang, "agreements.summary").into(),
        rows,
        note: t(lang, "figure.follow_note").into(),
    });
    figure(svg, t(lang, "agreements.lead"))
}
