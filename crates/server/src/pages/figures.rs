//! The seam to `crates/charts`: every figure of the dashboard is drawn by `hamkor-charts`, the
//! code that draws the report's figures, from the same `hamkor-analysis` results (panels,
//! networks, follow-through). This module only maps those results to the charts' plain data,
//! with the dashboard's links and labels in the reader's language; it draws nothing itself.

use super::{actor_label, domain_label};
use crate::i18n::{t, Lang};
use hamkor_analysis::follow::FollowThrough;
use hamkor_analysis::network::Network;
use hamkor_analysis::panel::Panel;
use hamkor_charts as charts;
use hamkor_model::Domain;
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
/// of each dyad's line. `dyads` is a panel by dyad.
pub fn map(lang: Lang, dyads: &Panel, href: &dyn Fn(&str, &str) -> String) -> Markup {
    let lines = dyads
        .rows
        .iter()
        .filter(|r| r.key.len() == 1 && r.count > 0)
        .map(|r| {
            let (a, b) = split(&r.key[0]);
            charts::MapDyad { a: a.into(), b: b.into(), weight: r.count as f64, link: Some(href(a, b)) }
        })
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
pub fn heatmap(lang: Lang, panel: &Panel, href: &dyn Fn(&str, &str) -> String) -> Markup {
    let mut rows: Vec<String> = panel.rows.iter().filter(|r| r.key.len() == 2).map(|r| r.key[0].clone()).collect();
    rows.dedup();
    let cols: Vec<Domain> =
        Domain::ALL.iter().copied().filter(|d| panel.rows.iter().any(|r| r.key.len() == 2 && r.key[1] == d.code())).collect();
    let mut values = vec![vec![0.0; cols.len()]; rows.len()];
    let mut links = vec![vec![None; cols.len()]; rows.len()];
    for r in panel.rows.iter().filter(|r| r.key.len() == 2) {
        let (Some(i), Some(j)) =
            (rows.iter().position(|x| *x == r.key[0]), cols.iter().position(|d| d.code() == r.key[1]))
        else {
            continue;
        };
        values[i][j] = r.count as f64;
        links[i][j] = Some(href(&r.key[0], &r.key[1]));
    }
    let row_labels = rows
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
        col_labels: cols.iter().map(|d| domain_label(lang, d.code())).collect(),
        values,
        links,
        legend: t(lang, "figure.events").into(),
    });
    figure(svg, t(lang, "heatmap.lead"))
}

/// Events per year, one panel per domain; `href(year, domain)` links each bar to its events.
pub fn timeline(lang: Lang, panel: &Panel, href: &dyn Fn(&str, &str) -> String) -> Markup {
    let years: Vec<i32> = {
        let ys: Vec<i32> = panel.rows.iter().filter_map(|r| r.key.first()?.parse().ok()).collect();
        match (ys.iter().min(), ys.iter().max()) {
            (Some(a), Some(b)) => (*a..=*b).collect(),
            _ => vec![],
        }
    };
    let series = Domain::ALL
        .iter()
        .filter(|d| panel.rows.iter().any(|r| r.key.len() == 2 && r.key[1] == d.code()))
        .map(|d| {
            let mut values = vec![0.0; years.len()];
            let mut links = vec![None; years.len()];
            for r in panel.rows.iter().filter(|r| r.key.len() == 2 && r.key[1] == d.code()) {
                if let Some(k) = r.key[0].parse::<i32>().ok().and_then(|y| years.iter().position(|x| *x == y)) {
                    values[k] = r.count as f64;
                    links[k] = Some(href(&r.key[0], d.code()));
                }
            }
            charts::Series { name: domain_label(lang, d.code()), values, links, note: String::new() }
        })
        .collect();
    let svg = charts::timeline(&charts::TimelineData {
        id: "chart-timeline".into(),
        title: t(lang, "timeline.title").into(),
        years,
        series,
        marker: Some(2017),
        y_label: t(lang, "figure.events").into(),
    });
    figure(svg, t(lang, "figure.timeline_caption"))
}

/// The cooperation network; `href(a, b)` links each edge to the pair's page.
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

/// Follow-through of agreements: the share followed by implementation per group.
pub fn follow_through(lang: Lang, ft: &FollowThrough) -> Markup {
    let rows = ft
        .groups
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
                link: None,
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
