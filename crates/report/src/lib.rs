//! The analysis report: the comparisons of `hamkor-analysis` as tables and `hamkor-charts`
//! figures, with, for every figure and table, the list of events behind it; every event with
//! the evidence sentences of its reports; every report with a link to its document in the
//! references list.
//!
//! Output is self-contained HTML (inline CSS and SVG, no scripts, nothing fetched) or Markdown
//! (charts as `data:` images). The same input gives the same bytes: no clock is read, every
//! list is sorted, numbers are printed with fixed precision.
//!
//! Anchors: `fig-*` figures, `tab-*` tables, `ev-ID` canonical events, `ev-ID-rK` their
//! reports' evidence, `doc-ID` references. A figure's event list is `<ul class="events"
//! data-for="fig-…">` of links to `#ev-ID` and `#doc-ID`.

use hamkor_analysis::compare::{self, CompareOptions, Comparison};
use hamkor_analysis::figures::{self, Figures, Spec};
use hamkor_analysis::follow::{FollowOptions, FollowThrough};
use hamkor_analysis::network::{self, NetworkOptions, Scope as NetScope};
use hamkor_analysis::panel::{EventIndex, PanelFilter, Weights};
use hamkor_analysis::{Agreement, CanonicalEvent, Counting, DocumentRef, Window};
use hamkor_charts as charts;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

mod against;
mod render;

pub use render::Format;

/// What the store holds, as the report's first paragraph states it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StoreSummary {
    /// A name for the store (its file name; never a full path, so reports are portable).
    pub name: String,
    pub documents: u64,
    pub coded_events: u64,
    pub sources: u64,
    /// Documents per lexicon version.
    pub lexicons: BTreeMap<String, u64>,
    /// `coded_events` or `registry`.
    pub origin: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ReportOptions {
    pub title: String,
    pub breakpoint: i32,
    pub window: Option<Window>,
    pub level: f64,
    pub counting: Counting,
    pub weights: Weights,
    pub scope: NetScope,
    pub follow: FollowOptions,
}

impl Default for ReportOptions {
    fn default() -> Self {
        ReportOptions {
            title: "Cooperation among the Central Asian states".into(),
            breakpoint: figures::BREAKPOINT,
            window: None,
            level: 0.95,
            counting: Counting::Events,
            weights: Weights::default(),
            scope: NetScope::CentralAsia,
            follow: FollowOptions::default(),
        }
    }
}

/// Everything a report is made from.
#[derive(Debug, Clone)]
pub struct ReportInput {
    pub summary: StoreSummary,
    pub events: Vec<CanonicalEvent>,
    /// The documents of the events' reports.
    pub documents: Vec<DocumentRef>,
    /// Registry agreements; when empty, coded `agreement` events stand in for them.
    pub agreements: Vec<Agreement>,
    /// Events imported from GDELT and ACLED (figure 6 sets a pair's cooperation beside them);
    /// empty for none.
    pub imported: Vec<hamkor_model::ImportedEvent>,
    pub options: ReportOptions,
}

/// A block of the report, rendered to HTML or Markdown by [`render`].
#[derive(Debug, Clone)]
pub(crate) enum Block {
    Heading {
        level: u8,
        id: String,
        text: String,
    },
    Para(String),
    /// A note in small type.
    Note(String),
    Figure {
        id: String,
        caption: String,
        svg: String,
    },
    Table {
        id: String,
        caption: String,
        header: Vec<String>,
        rows: Vec<Vec<String>>,
        numeric: Vec<bool>,
    },
    /// The events behind a figure or table: groups of (label, event ids).
    EventList {
        for_id: String,
        groups: Vec<(String, Vec<i64>)>,
    },
    /// The imported events behind a figure: groups of (label, imported event ids).
    ImportedList {
        for_id: String,
        groups: Vec<(String, Vec<i64>)>,
    },
    /// Every imported event a figure counts, with its source.
    Imported,
    Events,
    References,
}

pub(crate) struct Doc<'a> {
    pub input: &'a ReportInput,
    pub blocks: Vec<Block>,
    pub by_id: BTreeMap<i64, &'a CanonicalEvent>,
}

/// Render the report.
pub fn render(input: &ReportInput, format: Format) -> String {
    let doc = build(input);
    render::render(&doc, format)
}

fn pct(v: f64) -> String {
    format!("{:.1}%", v * 100.0)
}

fn num(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{}", v.round() as i64)
    } else {
        format!("{v:.2}")
    }
}

fn opt(v: Option<f64>, unbounded: &str) -> String {
    v.map_or(unbounded.to_string(), num)
}

fn pval(p: f64) -> String {
    if p < 0.0001 {
        "<0.0001".into()
    } else {
        format!("{p:.4}")
    }
}

/// "p = 0.0123" or "p < 0.0001".
fn p_text(p: f64) -> String {
    if p < 0.0001 {
        "p < 0.0001".into()
    } else {
        format!("p = {p:.4}")
    }
}

fn slug(s: &str) -> String {
    s.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect()
}

fn build(input: &ReportInput) -> Doc<'_> {
    let o = &input.options;
    let events = &input.events;
    let by_id: BTreeMap<i64, &CanonicalEvent> = events.iter().map(|e| (e.id, e)).collect();
    let mut b: Vec<Block> = Vec::new();
    let s = &input.summary;
    let counted = match o.counting {
        Counting::Events => "canonical events",
        Counting::Reports => "reports",
    };
    let dated: Vec<&CanonicalEvent> = events.iter().filter(|e| e.date.is_some()).collect();
    let window = o.window.or_else(|| Window::of(events));
    b.push(Block::Heading { level: 1, id: "top".into(), text: o.title.clone() });
    let lex: Vec<String> = s.lexicons.iter().map(|(k, n)| format!("{k} ({n} documents)")).collect();
    b.push(Block::Para(format!(
        "Store {}: {} documents from {} sources, {} coded events, {} canonical events ({} dated). Canonical events {}. Lexicon: {}.",
        s.name,
        s.documents,
        s.sources,
        s.coded_events,
        events.len(),
        dated.len(),
        if s.origin == "registry" {
            "merge the reports of one happening (registry)"
        } else {
            "are the coded events themselves: the registry has not merged reports yet, so each report counts once"
        },
        if lex.is_empty() { "-".into() } else { lex.join(", ") }
    )));
    b.push(Block::Para(format!(
        "Counts are of {counted}. Window {}; breakpoint {}; confidence level {}%. Intensity weights: {}. Every figure and table lists the events behind it; each event shows the evidence sentences of its reports and links to its documents in the references.",
        window.map_or("-".to_string(), |w| format!("{}–{}", w.from, w.to)),
        o.breakpoint,
        num(o.level * 100.0),
        hamkor_model::EventType::ALL
            .iter()
            .map(|t| format!("{} {}", t.code(), num(o.weights.get(*t))))
            .collect::<Vec<_>>()
            .join(", ")
    )));
    let undated = events.len() - dated.len();
    if undated > 0 {
        b.push(Block::Note(format!(
            "{undated} events have no date (neither in the text nor from the document) and are left out of everything by year."
        )));
    }

    let comparison = window.and_then(|w| {
        compare::compare(
            events,
            &CompareOptions {
                breakpoint: o.breakpoint,
                window: Some(w),
                level: o.level,
                counting: o.counting,
                dyad_by_domain: false,
            },
        )
        .ok()
    });
    let follow = figures::follow_through(events, &input.agreements, &o.follow);
    // Every chart's numbers come from the figures the dashboard draws too (hamkor_analysis::figures).
    let index = EventIndex::build(events);
    let figs = Figures::new(events, &index);
    let spec = Spec { filter: PanelFilter::default(), counting: o.counting, weights: o.weights.clone() };
    let all_net = figs.network(
        &NetworkOptions {
            scope: o.scope,
            counting: o.counting,
            from_year: window.map(|w| w.from),
            to_year: window.map(|w| w.to),
            domain: None,
        },
    );

    // Key findings.
    b.push(Block::Heading { level: 2, id: "findings".into(), text: "Findings at a glance".into() });
    let mut findings = Vec::new();
    if let Some(c) = &comparison {
        if let Some(all) = c.before_after.iter().find(|r| r.scope.kind == "all") {
            let t = &all.test;
            findings.push(format!(
                "Before {}: {} {counted} in {} years ({} a year); from {} on: {} in {} years ({} a year). Rate ratio {} ({}% interval {}–{}, exact {}).",
                o.breakpoint,
                t.count_before,
                num(t.exposure_before),
                num(t.rate_before),
                o.breakpoint,
                t.count_after,
                num(t.exposure_after),
                num(t.rate_after),
                opt(t.ratio, "∞"),
                num(o.level * 100.0),
                opt(t.ci_low, "–"),
                opt(t.ci_high, "∞"),
                p_text(t.p_value)
            ));
        }
    }
    if !all_net.nodes.is_empty() {
        let best = |f: &dyn Fn(&network::Node) -> f64| {
            let m = all_net.nodes.iter().map(f).fold(f64::NEG_INFINITY, f64::max);
            all_net
                .nodes
                .iter()
                .filter(|n| f(n) >= m * (1.0 - 1e-9))
                .map(|n| n.actor.clone())
                .collect::<Vec<_>>()
                .join(", ")
        };
        findings.push(format!(
            "Hub of the whole window: by strength {}; by betweenness {}; by eigenvector centrality {} (Figure 3, Table 5).",
            best(&|n| n.strength),
            best(&|n| n.betweenness),
            best(&|n| n.eigenvector)
        ));
    }
    if let Some(g) = follow.groups.iter().find(|g| g.group == "all") {
        findings.push(format!(
            "Follow-through: {} of {} agreements were followed by implementation within {} days of signing (Figure 5).",
            g.implemented, g.agreements, o.follow.horizon_days
        ));
    }
    for f in findings {
        b.push(Block::Para(f));
    }

    // Figure 1: heatmap dyad × domain.
    let heat = figs.heatmap(&spec);
    let mut values = vec![vec![0.0; heat.cols.len()]; heat.rows.len()];
    let mut links = vec![vec![None; heat.cols.len()]; heat.rows.len()];
    let mut groups = Vec::new();
    for (i, row) in heat.cells.iter().enumerate() {
        for (j, cell) in row.iter().enumerate() {
            let Some(c) = cell else { continue };
            values[i][j] = c.count as f64;
            let label = format!("{} · {}", heat.rows[i], heat.cols[j].code());
            links[i][j] = Some(format!("#list-fig-heatmap-{}", slug(&label)));
            groups.push((label, c.event_ids.clone()));
        }
    }
    let (rows_l, cols) = (heat.rows, heat.cols);
    b.push(Block::Heading { level: 2, id: "sec-heatmap".into(), text: "Who cooperates on what".into() });
    b.push(Block::Figure {
        id: "fig-heatmap".into(),
        caption: format!(
            "Figure 1. {counted} by dyad and domain, all years. An event counts once for each pair of its actors (at least one Central Asian) and each of its domains."
        ),
        svg: charts::heatmap(&charts::HeatmapData {
            id: "chart-heatmap".into(),
            title: "Dyad × domain".into(),
            row_labels: rows_l,
            col_labels: cols.iter().map(|d| d.code().to_string()).collect(),
            values,
            links,
            legend: counted.into(),
        }),
    });
    b.push(Block::EventList { for_id: "fig-heatmap".into(), groups });

    // Figure 2: timeline per domain, with trends (Table 1).
    if let Some(c) = &comparison {
        b.push(Block::Heading { level: 2, id: "sec-timeline".into(), text: "Change over time".into() });
        let timeline = figs.timeline(&spec, Some(c.window));
        let mut groups = Vec::new();
        let series = timeline
            .series
            .iter()
            .map(|ts| {
                let domain = ts.domain.code().to_string();
                let mut links = Vec::new();
                for (k, y) in timeline.years.iter().enumerate() {
                    let Some(n) = &ts.values[k] else {
                        links.push(None);
                        continue;
                    };
                    let label = format!("{domain} · {y}");
                    links.push(Some(format!("#list-fig-timeline-{}", slug(&label))));
                    groups.push((label, n.event_ids.clone()));
                }
                let trend = c.trends.iter().find(|t| t.scope.kind == "domain" && t.scope.domain.as_deref() == Some(&domain));
                charts::Series {
                    values: ts.values.iter().map(|v| v.as_ref().map_or(0.0, |n| n.count as f64)).collect(),
                    links,
                    note: match trend.and_then(|t| t.fit.as_ref()) {
                        Some(f) => format!(
                            "trend {:+.0}% a year ({}% CI {:+.0}% to {:+.0}%), {}",
                            f.change * 100.0,
                            num(o.level * 100.0),
                            f.change_low * 100.0,
                            f.change_high * 100.0,
                            p_text(f.p_value)
                        ),
                        None => "no trend estimate (too few events)".into(),
                    },
                    name: domain,
                }
            })
            .collect();
        b.push(Block::Figure {
            id: "fig-timeline".into(),
            caption: format!(
                "Figure 2. {counted} per year and domain, {}–{}; the dashed line marks the breakpoint {}. Trend: Poisson regression of yearly counts on the year (Table 1).",
                c.window.from, c.window.to, o.breakpoint
            ),
            svg: charts::timeline(&charts::TimelineData {
                id: "chart-timeline".into(),
                title: "Per year, by domain".into(),
                years: timeline.years.clone(),
                series,
                marker: Some(o.breakpoint),
                y_label: counted.into(),
            }),
        });
        b.push(Block::EventList { for_id: "fig-timeline".into(), groups });
        trend_table(&mut b, c, o.level);
        match &c.before_after_skipped {
            Some(why) => b.push(Block::Note(format!("Tables 2 and 3 (before and after) are left out: {why}."))),
            None => before_after_tables(&mut b, c, o.level),
        }
        if c.outside_window > 0 {
            b.push(Block::Note(format!(
                "{} events dated outside the window {}–{} are left out of the comparisons (the window ends with the latest document: later dates are plans or misread years).",
                c.outside_window, c.window.from, c.window.to
            )));
        }
        bimulti_table(&mut b, c, o.level);
    }

    // Figure 3: network, with centralities (Table 5) and hubs per period and domain (Table 6).
    b.push(Block::Heading { level: 2, id: "sec-network".into(), text: "Who is the hub".into() });
    let mut groups = Vec::new();
    let edges = all_net
        .edges
        .iter()
        .map(|e| {
            let label = format!("{}-{}", e.a, e.b);
            groups.push((label.clone(), e.event_ids.clone()));
            charts::NetworkEdge {
                a: e.a.clone(),
                b: e.b.clone(),
                weight: e.weight,
                link: Some(format!("#list-fig-network-{}", slug(&label))),
            }
        })
        .collect();
    b.push(Block::Figure {
        id: "fig-network".into(),
        caption: format!(
            "Figure 3. The cooperation network{}: edge width is the number of {counted} two actors share; node area is strength.",
            window.map_or(String::new(), |w| format!(" {}–{}", w.from, w.to))
        ),
        svg: charts::network(&charts::NetworkData {
            id: "chart-network".into(),
            title: "Cooperation network".into(),
            nodes: all_net
                .nodes
                .iter()
                .map(|n| charts::NetworkNode {
                    id: n.actor.clone(),
                    size: n.strength,
                    note: format!("s {} · b {:.2} · e {:.2}", num(n.strength), n.betweenness, n.eigenvector),
                })
                .collect(),
            edges,
            note: "s strength, b betweenness (distance 1/weight), e eigenvector centrality".into(),
        }),
    });
    b.push(Block::EventList { for_id: "fig-network".into(), groups });
    b.push(Block::Table {
        id: "tab-centrality".into(),
        caption: "Table 5. Centralities of the network of Figure 3.".into(),
        header: ["actor", "degree", "strength", "betweenness", "betweenness (hops)", "eigenvector"]
            .map(String::from)
            .to_vec(),
        rows: all_net
            .nodes
            .iter()
            .map(|n| {
                vec![
                    n.actor.clone(),
                    n.degree.to_string(),
                    num(n.strength),
                    format!("{:.3}", n.betweenness),
                    format!("{:.3}", n.betweenness_hops),
                    format!("{:.3}", n.eigenvector),
                ]
            })
            .collect(),
        numeric: vec![false, true, true, true, true, true],
    });
    if let Some(w) = window {
        let mut periods: Vec<(String, Option<i32>, Option<i32>)> =
            vec![(format!("{}–{}", w.from, w.to), Some(w.from), Some(w.to))];
        if o.breakpoint > w.from && o.breakpoint <= w.to {
            periods.push((format!("{}–{}", w.from, o.breakpoint - 1), Some(w.from), Some(o.breakpoint - 1)));
            periods.push((format!("{}–{}", o.breakpoint, w.to), Some(o.breakpoint), Some(w.to)));
        }
        periods.extend((w.from..=w.to).map(|y| (y.to_string(), Some(y), Some(y))));
        let hubs = network::hubs(
            events,
            &NetworkOptions { scope: o.scope, counting: o.counting, ..Default::default() },
            &periods,
        );
        let mut groups = Vec::new();
        let rows = hubs
            .iter()
            .map(|h| {
                let label = format!("{} · {}", h.period, h.domain);
                let mut ids: BTreeSet<i64> = BTreeSet::new();
                for e in &h.network.edges {
                    ids.extend(e.event_ids.iter().copied());
                }
                groups.push((label, ids.into_iter().collect()));
                vec![
                    h.period.clone(),
                    h.domain.clone(),
                    h.events.to_string(),
                    h.by_strength.join(", "),
                    h.by_betweenness.join(", "),
                    h.by_eigenvector.join(", "),
                ]
            })
            .collect();
        b.push(Block::Table {
            id: "tab-hubs".into(),
            caption: "Table 6. The hub by each centrality, per period and domain (ties listed together; empty when no actor has a positive value).".into(),
            header: ["period", "domain", "events", "strength", "betweenness", "eigenvector"].map(String::from).to_vec(),
            rows,
            numeric: vec![false, false, true, false, false, false],
        });
        b.push(Block::EventList { for_id: "tab-hubs".into(), groups });
    }

    // Figure 4: map.
    b.push(Block::Heading { level: 2, id: "sec-map".into(), text: "Where".into() });
    let mut groups = Vec::new();
    let map_dyads = figs
        .pairs(&spec)
        .into_iter()
        .map(|p| {
            let label = p.key();
            let link = Some(format!("#list-fig-map-{}", slug(&label)));
            groups.push((label, p.count.event_ids));
            charts::MapDyad { a: p.a, b: p.b, weight: p.count.count as f64, link }
        })
        .collect();
    b.push(Block::Figure {
        id: "fig-map".into(),
        caption: format!("Figure 4. {counted} per dyad, all years, drawn between capitals; line width by count."),
        svg: charts::map(&charts::MapData {
            id: "chart-map".into(),
            title: "Central Asia: dyads".into(),
            dyads: map_dyads,
            note: format!("Lines: {counted} per pair of states (capitals as ends)."),
        }),
    });
    b.push(Block::EventList { for_id: "fig-map".into(), groups });

    // Figure 5: follow-through.
    follow_section(&mut b, &follow, o);

    // Figure 6: cooperation against conflict (only with imported events).
    against::section(&mut b, input);

    b.push(Block::Heading { level: 2, id: "events".into(), text: "Events and their evidence".into() });
    b.push(Block::Events);
    b.push(Block::Heading { level: 2, id: "references".into(), text: "References".into() });
    b.push(Block::References);
    Doc { input, blocks: b, by_id }
}

fn trend_table(b: &mut Vec<Block>, c: &Comparison, level: f64) {
    let rows = c
        .trends
        .iter()
        .map(|t| {
            let mut row = vec![t.scope.label(), t.counts.iter().sum::<u64>().to_string()];
            match &t.fit {
                Some(f) => row.extend([
                    format!("{:+.1}%", f.change * 100.0),
                    format!("{:+.1}% to {:+.1}%", f.change_low * 100.0, f.change_high * 100.0),
                    pval(f.p_value),
                    format!("{:.2}", f.dispersion),
                    format!("{:+.1}% to {:+.1}%", f.ci_low_quasi.exp_m1() * 100.0, f.ci_high_quasi.exp_m1() * 100.0),
                ]),
                None => row.extend(["–".into(), "–".into(), "–".into(), "–".into(), "–".into()]),
            }
            row
        })
        .collect();
    b.push(Block::Table {
        id: "tab-trend".into(),
        caption: format!(
            "Table 1. Trend per domain, {}–{}: change a year from a Poisson regression of yearly counts on the year, with its {}% Wald interval; dispersion is Pearson χ²/(n−2), and the last column widens the interval by √dispersion when it exceeds 1 (quasi-Poisson).",
            c.window.from,
            c.window.to,
            num(level * 100.0)
        ),
        header: ["scope", "events", "change a year", "interval", "p", "dispersion", "quasi-Poisson interval"].map(String::from).to_vec(),
        rows,
        numeric: vec![false, true, true, true, true, true, true],
    });
    let groups =
        c.trends.iter().filter(|t| !t.events.is_empty()).map(|t| (t.scope.label(), t.events.clone())).collect();
    b.push(Block::EventList { for_id: "tab-trend".into(), groups });
}

fn before_after_tables(b: &mut Vec<Block>, c: &Comparison, level: f64) {
    for (id, kinds, title) in [
        (
            "tab-before-after",
            &["all", "humanitarian", "domain"][..],
            "Table 2. Before and after the breakpoint, per domain",
        ),
        ("tab-before-after-dyad", &["dyad"][..], "Table 3. Before and after the breakpoint, per dyad"),
    ] {
        let rows_src: Vec<&compare::BeforeAfter> =
            c.before_after.iter().filter(|r| kinds.contains(&r.scope.kind)).collect();
        let rows = rows_src
            .iter()
            .map(|r| {
                let t = &r.test;
                vec![
                    r.scope.label(),
                    t.count_before.to_string(),
                    num(t.rate_before),
                    t.count_after.to_string(),
                    num(t.rate_after),
                    opt(t.ratio, "∞"),
                    format!("{} – {}", opt(t.ci_low, "–"), opt(t.ci_high, "∞")),
                    pval(t.p_value),
                ]
            })
            .collect();
        b.push(Block::Table {
            id: id.into(),
            caption: format!(
                "{title}: counts and yearly rates before {bp} ({from}–{b1}, {t0} years) and from {bp} ({bp}–{to}, {t1} years); rate ratio after/before with its exact conditional {lv}% interval (Clopper–Pearson on the binomial split) and the exact two-sided p-value.",
                bp = c.breakpoint,
                from = c.window.from,
                b1 = c.breakpoint - 1,
                to = c.window.to,
                t0 = c.breakpoint - c.window.from,
                t1 = c.window.to - c.breakpoint + 1,
                lv = num(level * 100.0)
            ),
            header: ["scope", "before", "a year", "after", "a year", "rate ratio", "interval", "p"].map(String::from).to_vec(),
            rows,
            numeric: vec![false, true, true, true, true, true, true, true],
        });
        let groups = rows_src
            .iter()
            .filter(|r| !r.events_before.is_empty() || !r.events_after.is_empty())
            .map(|r| {
                let mut ids = r.events_before.clone();
                ids.extend(&r.events_after);
                ids.sort_unstable();
                ids.dedup();
                (r.scope.label(), ids)
            })
            .collect();
        b.push(Block::EventList { for_id: id.into(), groups });
    }
}

fn bimulti_table(b: &mut Vec<Block>, c: &Comparison, level: f64) {
    let ci = |v: Option<(f64, f64)>| v.map_or("–".to_string(), |(l, h)| format!("{}–{}", pct(l), pct(h)));
    let rows = c
        .bilateral_multilateral
        .iter()
        .map(|r| {
            vec![
                r.scope.label(),
                format!("{}/{}", r.bilateral, r.bilateral_total),
                r.share_bilateral.map_or("–".into(), pct),
                ci(r.share_bilateral_ci),
                format!("{}/{}", r.multilateral, r.multilateral_total),
                r.share_multilateral.map_or("–".into(), pct),
                ci(r.share_multilateral_ci),
                r.odds_ratio.map_or("–".into(), num),
                pval(r.p_value),
            ]
        })
        .collect();
    b.push(Block::Table {
        id: "tab-bilateral".into(),
        caption: format!(
            "Table 4. Bilateral and multilateral events per domain, {}–{}: the share of each kind's events in the domain with its {}% Clopper–Pearson interval, the odds ratio (multilateral/bilateral) and Fisher's exact two-sided p-value. Multilateral: three or more actors, an organisation or group among them, or a multilateral format.",
            c.window.from,
            c.window.to,
            num(level * 100.0)
        ),
        header: ["domain", "bilateral", "share", "interval", "multilateral", "share", "interval", "odds ratio", "p"].map(String::from).to_vec(),
        rows,
        numeric: vec![false, true, true, true, true, true, true, true, true],
    });
    let groups = c
        .bilateral_multilateral
        .iter()
        .filter(|r| !r.events_bilateral.is_empty() || !r.events_multilateral.is_empty())
        .map(|r| {
            let mut ids = r.events_bilateral.clone();
            ids.extend(&r.events_multilateral);
            ids.sort_unstable();
            ids.dedup();
            (r.scope.label(), ids)
        })
        .collect();
    b.push(Block::EventList { for_id: "tab-bilateral".into(), groups });
}

fn follow_section(b: &mut Vec<Block>, f: &FollowThrough, o: &ReportOptions) {
    b.push(Block::Heading { level: 2, id: "sec-follow".into(), text: "Are agreements followed through".into() });
    let source = if f.agreements.iter().any(|a| a.agreement.origin == "registry") {
        "agreements of the registry"
    } else {
        "coded agreement events standing in for agreements (the registry has none yet)"
    };
    let mut groups_list = Vec::new();
    let rows: Vec<charts::FollowRow> = figures::follow(f)
        .into_iter()
        .map(|g| {
            groups_list.push((g.group.clone(), g.event_ids));
            let (lo, hi) = g.share_ci.unwrap_or((0.0, 0.0));
            charts::FollowRow {
                link: Some(format!("#list-fig-follow-{}", slug(&g.group))),
                label: g.group,
                agreements: g.agreements,
                implemented: g.implemented,
                share: g.share.unwrap_or(0.0),
                low: lo,
                high: hi,
                note: g.median_days_to_first.map_or(String::new(), |d| format!("median {} days to first", num(d))),
            }
        })
        .collect();
    b.push(Block::Figure {
        id: "fig-follow".into(),
        caption: format!(
            "Figure 5. Share of agreements followed by an implementation event ({}) within {} days, with {}% Clopper–Pearson intervals, overall, by kind and by domain. Agreements: {source}.",
            o.follow.types.iter().map(|t| t.code()).collect::<Vec<_>>().join(", "),
            o.follow.horizon_days,
            num(o.follow.level * 100.0)
        ),
        svg: charts::follow_through(&charts::FollowData {
            id: "chart-follow".into(),
            title: "Follow-through of agreements".into(),
            rows,
            note: "An implementation shares a domain with the agreement and at least two of its parties.".into(),
        }),
    });
    b.push(Block::EventList { for_id: "fig-follow".into(), groups: groups_list });
    let rows = f
        .groups
        .iter()
        .map(|g| {
            vec![
                g.group.clone(),
                g.agreements.to_string(),
                g.implemented.to_string(),
                g.share.map_or("–".into(), pct),
                g.share_ci.map_or("–".into(), |(l, h)| format!("{}–{}", pct(l), pct(h))),
                g.median_days_to_first.map_or("–".into(), num),
                g.km_within_year.map_or("–".into(), pct),
            ]
        })
        .collect();
    b.push(Block::Table {
        id: "tab-follow".into(),
        caption: "Table 7. Follow-through per group: agreements, those with an implementation, the share with its interval, the median days to the first implementation (among those followed), and the Kaplan–Meier probability of a first implementation within a year (agreements signed near the end of the data count as censored).".into(),
        header: ["group", "agreements", "followed", "share", "interval", "median days", "within a year (KM)"].map(String::from).to_vec(),
        rows,
        numeric: vec![false, true, true, true, true, true, true],
    });
    let rows = f
        .agreements
        .iter()
        .map(|a| {
            vec![
                a.agreement.name.clone(),
                a.agreement.signed.map_or("–".into(), |d| d.to_string()),
                a.agreement.parties.iter().map(|p| p.as_str()).collect::<Vec<_>>().join(", "),
                a.agreement.domains.iter().map(|d| d.code()).collect::<Vec<_>>().join(", "),
                a.implementations.len().to_string(),
                a.days_to_first.map_or("–".into(), |d| d.to_string()),
            ]
        })
        .collect();
    b.push(Block::Table {
        id: "tab-agreements".into(),
        caption: "Table 8. Each agreement, its implementation events and the days to the first.".into(),
        header: ["agreement", "signed", "parties", "domains", "implementations", "days to first"]
            .map(String::from)
            .to_vec(),
        rows,
        numeric: vec![false, false, false, false, true, true],
    });
    let groups = f
        .agreements
        .iter()
        .map(|a| {
            let mut ids = a.agreement.event_ids.clone();
            ids.extend(a.implementations.iter().map(|i| i.event_id));
            ids.sort_unstable();
            ids.dedup();
            (a.agreement.name.clone(), ids)
        })
        .filter(|g| !g.1.is_empty())
        .collect();
    b.push(Block::EventList { for_id: "tab-agreements".into(), groups });
    if !f.undated.is_empty() {
        let mut note = String::new();
        let _ = write!(note, "Not measured (no signing date): {}.", f.undated.join(", "));
        b.push(Block::Note(note));
    }
}

pub(crate) fn slugify(s: &str) -> String {
    slug(s)
}
