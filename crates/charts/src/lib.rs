//! SVG charts for hamkor's reports and dashboard, from plain data.
//!
//! Every function takes a plain struct (labels, numbers, optional links) and returns one
//! self-contained `<svg>` element as a string: no scripts, no external fonts or images, inline
//! styles only, so that it can be pasted into HTML, saved as a `.svg` file, or put in a paper.
//! Output is deterministic: the same data give the same bytes (numbers are printed with a fixed
//! number of decimals, nothing depends on hashing or time).
//!
//! Each chart's root has `class="hamkor-chart"` and the `id` the caller gives, and every mark
//! with a link (`href`, e.g. `#events-fig1-kaz-uzb`) is wrapped in an SVG `<a>`, so that a reader
//! can click from a cell to the events behind it.
//!
//! The map embeds `data/central_asia.json`: Natural Earth 1:50m boundaries (world-atlas 2.0.2),
//! cut to the region and simplified by `scripts/analysis/make_region_map.py`.

mod geo;
mod svg;

pub use geo::{capital, Projection};
use svg::{fmt, Svg};

/// Ten distinguishable colours (Tableau 10), for domains and series.
pub const PALETTE: [&str; 10] =
    ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"];

/// A sequential colour for t in [0, 1]: white to dark blue (perceptually ordered, prints in grey).
pub fn sequential(t: f64) -> String {
    let t = if t.is_finite() { t.clamp(0.0, 1.0) } else { 0.0 };
    // Interpolate between stops of ColorBrewer "Blues".
    const STOPS: [(f64, f64, f64); 5] =
        [(247.0, 251.0, 255.0), (198.0, 219.0, 239.0), (107.0, 174.0, 214.0), (33.0, 113.0, 181.0), (8.0, 48.0, 107.0)];
    let x = t * (STOPS.len() - 1) as f64;
    let i = (x.floor() as usize).min(STOPS.len() - 2);
    let f = x - i as f64;
    let (a, b) = (STOPS[i], STOPS[i + 1]);
    let c = |p: f64, q: f64| (p + (q - p) * f).round() as u8;
    format!("#{:02x}{:02x}{:02x}", c(a.0, b.0), c(a.1, b.1), c(a.2, b.2))
}

/// A heatmap: rows × columns of values, each cell coloured and labelled with its value.
#[derive(Debug, Clone, Default)]
pub struct HeatmapData {
    pub id: String,
    pub title: String,
    pub row_labels: Vec<String>,
    pub col_labels: Vec<String>,
    /// `values[row][col]`.
    pub values: Vec<Vec<f64>>,
    /// `links[row][col]`; may be empty.
    pub links: Vec<Vec<Option<String>>>,
    /// What the numbers are ("canonical events").
    pub legend: String,
}

pub fn heatmap(d: &HeatmapData) -> String {
    let cell_w = 58.0;
    let cell_h = 22.0;
    let left = 12.0 + 7.0 * d.row_labels.iter().map(|l| l.chars().count()).max().unwrap_or(4) as f64;
    let top = 92.0;
    let width = left + cell_w * d.col_labels.len() as f64 + 20.0;
    let height = top + cell_h * d.row_labels.len() as f64 + 50.0;
    let max = d.values.iter().flatten().copied().fold(0.0f64, f64::max);
    let mut s = Svg::new(&d.id, width, height, &d.title);
    s.text(10.0, 20.0, "title", &d.title);
    for (j, c) in d.col_labels.iter().enumerate() {
        let x = left + cell_w * (j as f64 + 0.5);
        s.raw(&format!(
            "<text x=\"{}\" y=\"{}\" transform=\"rotate(-40 {} {})\" class=\"label\">{}</text>",
            fmt(x),
            fmt(top - 8.0),
            fmt(x),
            fmt(top - 8.0),
            svg::escape(c)
        ));
    }
    for (i, r) in d.row_labels.iter().enumerate() {
        let y = top + cell_h * i as f64;
        s.text_anchor(left - 6.0, y + cell_h * 0.68, "label", "end", r);
        for j in 0..d.col_labels.len() {
            let v = d.values.get(i).and_then(|row| row.get(j)).copied().unwrap_or(0.0);
            let x = left + cell_w * j as f64;
            let t = if max > 0.0 { v / max } else { 0.0 };
            let fill = if v > 0.0 { sequential(0.08 + 0.92 * t) } else { "#ffffff".to_string() };
            let text_fill = if t > 0.55 { "#ffffff" } else { "#222222" };
            let link = d.links.get(i).and_then(|row| row.get(j)).cloned().flatten();
            let body = format!(
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{fill}\" stroke=\"#d0d0d0\" stroke-width=\"0.5\"><title>{}</title></rect>{}",
                fmt(x),
                fmt(y),
                fmt(cell_w),
                fmt(cell_h),
                svg::escape(&format!("{r} · {}: {}", d.col_labels[j], svg::num(v))),
                if v > 0.0 {
                    format!(
                        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" class=\"value\" fill=\"{text_fill}\">{}</text>",
                        fmt(x + cell_w / 2.0),
                        fmt(y + cell_h * 0.68),
                        svg::num(v)
                    )
                } else {
                    String::new()
                }
            );
            s.linked(link.as_deref(), &body);
        }
    }
    // Legend: a bar from 0 to max.
    let ly = top + cell_h * d.row_labels.len() as f64 + 18.0;
    for k in 0..50 {
        s.raw(&format!(
            "<rect x=\"{}\" y=\"{}\" width=\"3\" height=\"10\" fill=\"{}\"/>",
            fmt(left + 3.0 * k as f64),
            fmt(ly),
            sequential(0.08 + 0.92 * k as f64 / 49.0)
        ));
    }
    s.text(left, ly + 24.0, "small", "0");
    s.text_anchor(left + 150.0, ly + 24.0, "small", "end", &svg::num(max));
    s.text(left + 160.0, ly + 9.0, "small", &d.legend);
    s.finish()
}

/// One series of a timeline.
#[derive(Debug, Clone, Default)]
pub struct Series {
    pub name: String,
    /// One value per year of [`TimelineData::years`].
    pub values: Vec<f64>,
    /// One link per year; may be empty.
    pub links: Vec<Option<String>>,
    /// Text under the panel (e.g. the trend estimate).
    pub note: String,
}

/// Small multiples: one bar chart per series on a shared year axis and a shared scale.
#[derive(Debug, Clone, Default)]
pub struct TimelineData {
    pub id: String,
    pub title: String,
    pub years: Vec<i32>,
    pub series: Vec<Series>,
    /// A year to mark with a dashed line (the breakpoint), drawn before its bar.
    pub marker: Option<i32>,
    pub y_label: String,
}

pub fn timeline(d: &TimelineData) -> String {
    let cols = 2usize;
    let panel_w = 330.0;
    let panel_h = 120.0;
    let gap_x = 40.0;
    let gap_y = 46.0;
    let top = 40.0;
    let left = 36.0;
    let rows = d.series.len().div_ceil(cols).max(1);
    let width = left + cols as f64 * (panel_w + gap_x);
    let height = top + rows as f64 * (panel_h + gap_y) + 10.0;
    let max = d.series.iter().flat_map(|s| s.values.iter()).copied().fold(0.0f64, f64::max).max(1.0);
    let ticks = nice_ticks(max);
    let top_tick = *ticks.last().unwrap_or(&max);
    let n = d.years.len().max(1) as f64;
    let bw = panel_w / n;
    let mut s = Svg::new(&d.id, width, height, &d.title);
    s.text(10.0, 20.0, "title", &d.title);
    for (k, series) in d.series.iter().enumerate() {
        let px = left + (k % cols) as f64 * (panel_w + gap_x);
        let py = top + (k / cols) as f64 * (panel_h + gap_y);
        let colour = PALETTE[k % PALETTE.len()];
        s.text(px, py + 4.0, "label bold", &series.name);
        let base = py + panel_h;
        let y_of = |v: f64| base - (panel_h - 14.0) * v / top_tick;
        for t in &ticks {
            s.raw(&format!(
                "<line x1=\"{}\" x2=\"{}\" y1=\"{}\" y2=\"{}\" stroke=\"#e4e4e4\" stroke-width=\"0.6\"/>",
                fmt(px),
                fmt(px + panel_w),
                fmt(y_of(*t)),
                fmt(y_of(*t))
            ));
            s.text_anchor(px - 4.0, y_of(*t) + 3.0, "small", "end", &svg::num(*t));
        }
        if let Some(m) = d.marker {
            if let Some(i) = d.years.iter().position(|y| *y == m) {
                let x = px + bw * i as f64;
                s.raw(&format!(
                    "<line x1=\"{}\" x2=\"{}\" y1=\"{}\" y2=\"{}\" stroke=\"#888888\" stroke-dasharray=\"3 2\" stroke-width=\"0.8\"/>",
                    fmt(x),
                    fmt(x),
                    fmt(py + 10.0),
                    fmt(base)
                ));
            }
        }
        for (i, v) in series.values.iter().enumerate() {
            if *v <= 0.0 {
                continue;
            }
            let x = px + bw * i as f64 + bw * 0.15;
            let y = y_of(*v);
            let body = format!(
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{colour}\"><title>{}</title></rect>",
                fmt(x),
                fmt(y),
                fmt(bw * 0.7),
                fmt(base - y),
                svg::escape(&format!("{} {}: {}", series.name, d.years.get(i).copied().unwrap_or(0), svg::num(*v)))
            );
            s.linked(series.links.get(i).cloned().flatten().as_deref(), &body);
        }
        s.raw(&format!(
            "<line x1=\"{}\" x2=\"{}\" y1=\"{}\" y2=\"{}\" stroke=\"#444444\" stroke-width=\"0.8\"/>",
            fmt(px),
            fmt(px + panel_w),
            fmt(base),
            fmt(base)
        ));
        // Year labels: every year if they fit, else every other.
        let step = if n > 12.0 { 2 } else { 1 };
        for (i, y) in d.years.iter().enumerate() {
            if i % step == 0 {
                s.text_anchor(px + bw * (i as f64 + 0.5), base + 11.0, "small", "middle", &format!("{y}"));
            }
        }
        if !series.note.is_empty() {
            s.text(px, base + 24.0, "small", &series.note);
        }
    }
    if !d.y_label.is_empty() {
        s.text_anchor(width - 10.0, 20.0, "small", "end", &d.y_label);
    }
    s.finish()
}

/// Round tick values from 0 to at least `max`.
fn nice_ticks(max: f64) -> Vec<f64> {
    let raw = max / 3.0;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0].iter().map(|m| m * mag).find(|s| *s >= raw).unwrap_or(10.0 * mag).max(1.0);
    let mut v = vec![0.0];
    while *v.last().expect("non-empty") < max {
        v.push(v.len() as f64 * step);
    }
    v
}

#[derive(Debug, Clone, Default)]
pub struct NetworkNode {
    pub id: String,
    /// Drawn as the node's area (strength).
    pub size: f64,
    /// Shown under the label.
    pub note: String,
}

#[derive(Debug, Clone, Default)]
pub struct NetworkEdge {
    pub a: String,
    pub b: String,
    pub weight: f64,
    pub link: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct NetworkData {
    pub id: String,
    pub title: String,
    pub nodes: Vec<NetworkNode>,
    pub edges: Vec<NetworkEdge>,
    pub note: String,
}

/// A network diagram on a circle (nodes in the order given), edge width by weight, node area
/// by size, each edge labelled with its weight.
pub fn network(d: &NetworkData) -> String {
    let width = 520.0;
    let height = 470.0;
    let (cx, cy, r) = (260.0, 245.0, 160.0);
    let n = d.nodes.len().max(1) as f64;
    let pos: Vec<(f64, f64)> = (0..d.nodes.len())
        .map(|i| {
            let a = -std::f64::consts::FRAC_PI_2 + 2.0 * std::f64::consts::PI * i as f64 / n;
            (cx + r * a.cos(), cy + r * a.sin())
        })
        .collect();
    let at = |id: &str| d.nodes.iter().position(|x| x.id == id).map(|i| pos[i]);
    let wmax = d.edges.iter().map(|e| e.weight).fold(0.0f64, f64::max).max(1e-9);
    let smax = d.nodes.iter().map(|x| x.size).fold(0.0f64, f64::max).max(1e-9);
    let mut s = Svg::new(&d.id, width, height, &d.title);
    s.text(10.0, 20.0, "title", &d.title);
    for e in &d.edges {
        let (Some(p), Some(q)) = (at(&e.a), at(&e.b)) else { continue };
        let w = 0.8 + 9.0 * e.weight / wmax;
        let body = format!(
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#4e79a7\" stroke-opacity=\"0.55\" stroke-width=\"{}\" stroke-linecap=\"round\"><title>{}</title></line><text x=\"{}\" y=\"{}\" text-anchor=\"middle\" class=\"small edge\">{}</text>",
            fmt(p.0),
            fmt(p.1),
            fmt(q.0),
            fmt(q.1),
            fmt(w),
            svg::escape(&format!("{}–{}: {}", e.a, e.b, svg::num(e.weight))),
            fmt((p.0 + q.0) / 2.0),
            fmt((p.1 + q.1) / 2.0 - 2.0),
            svg::num(e.weight)
        );
        s.linked(e.link.as_deref(), &body);
    }
    for (i, node) in d.nodes.iter().enumerate() {
        let (x, y) = pos[i];
        let rad = 7.0 + 20.0 * (node.size / smax).sqrt();
        s.raw(&format!(
            "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"#f28e2b\" stroke=\"#ffffff\" stroke-width=\"1.5\"><title>{}</title></circle>",
            fmt(x),
            fmt(y),
            fmt(rad),
            svg::escape(&format!("{}: {}", node.id, node.note))
        ));
        let below = y >= cy;
        let ly = if below { y + rad + 13.0 } else { y - rad - 16.0 };
        s.text_anchor(x, ly, "label bold", "middle", &node.id);
        s.text_anchor(x, ly + 11.0, "small", "middle", &node.note);
    }
    if !d.note.is_empty() {
        s.text(10.0, height - 10.0, "small", &d.note);
    }
    s.finish()
}

#[derive(Debug, Clone, Default)]
pub struct MapDyad {
    pub a: String,
    pub b: String,
    pub weight: f64,
    pub link: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct MapData {
    pub id: String,
    pub title: String,
    /// Lines between capitals; dyads with an actor the map has no capital for are listed in the
    /// caption instead.
    pub dyads: Vec<MapDyad>,
    pub note: String,
}

/// A map of Central Asia and its neighbours with a curved line per dyad between the capitals,
/// its width by weight. Boundaries are Natural Earth's de facto lines; the map says so.
pub fn map(d: &MapData) -> String {
    let width = 640.0;
    let height = 470.0;
    let proj = Projection::fit(width, height - 40.0, 28.0);
    let mut s = Svg::new(&d.id, width, height, &d.title);
    s.raw(&format!("<rect x=\"0\" y=\"0\" width=\"{}\" height=\"{}\" fill=\"#eef4f8\"/>", fmt(width), fmt(height)));
    for c in geo::countries() {
        let focus = matches!(c.iso3.as_str(), "KAZ" | "KGZ" | "TJK" | "TKM" | "UZB");
        let mut path = String::new();
        for ring in &c.rings {
            for (k, (lon, lat)) in ring.iter().enumerate() {
                let (x, y) = proj.xy(*lon, *lat);
                path.push(if k == 0 { 'M' } else { 'L' });
                path.push_str(&format!("{} {}", fmt(x), fmt(y)));
            }
            path.push('Z');
        }
        s.raw(&format!(
            "<path d=\"{path}\" fill=\"{}\" stroke=\"#8a8a8a\" stroke-width=\"{}\" stroke-linejoin=\"round\"><title>{}</title></path>",
            if focus { "#fbf7ef" } else { "#e3e3e3" },
            if focus { "0.9" } else { "0.5" },
            svg::escape(&c.name)
        ));
    }
    // Frame the clipped neighbours.
    s.raw(&format!(
        "<rect x=\"0.5\" y=\"0.5\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"#999999\" stroke-width=\"0.6\"/>",
        fmt(width - 1.0),
        fmt(height - 1.0)
    ));
    let wmax = d.dyads.iter().map(|x| x.weight).fold(0.0f64, f64::max).max(1e-9);
    let mut missing = Vec::new();
    for dy in &d.dyads {
        let (Some(a), Some(b)) = (capital(&dy.a), capital(&dy.b)) else {
            missing.push(format!("{}–{} {}", dy.a, dy.b, svg::num(dy.weight)));
            continue;
        };
        let (p, q) = (proj.xy(a.1, a.2), proj.xy(b.1, b.2));
        // A gentle arc: the control point is off the chord's middle, to the left of a→b.
        let (mx, my) = ((p.0 + q.0) / 2.0, (p.1 + q.1) / 2.0);
        let (dx, dy2) = (q.0 - p.0, q.1 - p.1);
        let (cx, cy) = (mx - dy2 * 0.18, my + dx * 0.18);
        let w = 1.0 + 8.0 * dy.weight / wmax;
        let body = format!(
            "<path d=\"M{} {}Q{} {} {} {}\" fill=\"none\" stroke=\"#c0392b\" stroke-opacity=\"0.7\" stroke-width=\"{}\" stroke-linecap=\"round\"><title>{}</title></path><text x=\"{}\" y=\"{}\" text-anchor=\"middle\" class=\"small edge\">{}</text>",
            fmt(p.0),
            fmt(p.1),
            fmt(cx),
            fmt(cy),
            fmt(q.0),
            fmt(q.1),
            fmt(w),
            svg::escape(&format!("{}–{}: {}", dy.a, dy.b, svg::num(dy.weight))),
            fmt((mx + cx) / 2.0),
            fmt((my + cy) / 2.0),
            svg::num(dy.weight)
        );
        s.linked(dy.link.as_deref(), &body);
    }
    for code in ["KAZ", "KGZ", "TJK", "TKM", "UZB"] {
        if let Some((name, lon, lat)) = capital(code) {
            let (x, y) = proj.xy(lon, lat);
            s.raw(&format!("<circle cx=\"{}\" cy=\"{}\" r=\"3\" fill=\"#222222\"/>", fmt(x), fmt(y)));
            s.text(x + 5.0, y - 4.0, "label bold", code);
            s.text(x + 5.0, y + 8.0, "small", name);
        }
    }
    let foot = geo::NOTE.to_string();
    let mut note = d.note.clone();
    if !missing.is_empty() {
        // Listed in full in the tooltip; the caption only counts them, so that it fits.
        note = format!("{note} Not drawn: {} dyads with an actor this map cannot place.", missing.len());
        s.raw(&format!("<title>{}</title>", svg::escape(&format!("Not drawn: {}", missing.join(", ")))));
    }
    s.text(8.0, height - 24.0, "small", &note);
    s.text(8.0, height - 10.0, "small", &foot);
    s.text(10.0, 20.0, "title", &d.title);
    s.finish()
}

#[derive(Debug, Clone, Default)]
pub struct FollowRow {
    pub label: String,
    pub agreements: u64,
    pub implemented: u64,
    /// Share implemented and its confidence interval, each in [0, 1].
    pub share: f64,
    pub low: f64,
    pub high: f64,
    /// Text at the right end (median days, Kaplan–Meier estimate).
    pub note: String,
    pub link: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct FollowData {
    pub id: String,
    pub title: String,
    pub rows: Vec<FollowRow>,
    pub note: String,
}

/// A dot-and-whisker chart: per group, the share of agreements followed by implementation with
/// its confidence interval, and the counts.
pub fn follow_through(d: &FollowData) -> String {
    let left = 150.0;
    let plot_w = 300.0;
    let row_h = 24.0;
    let top = 50.0;
    let width = left + plot_w + 250.0;
    let height = top + row_h * d.rows.len() as f64 + 50.0;
    let x_of = |v: f64| left + plot_w * v.clamp(0.0, 1.0);
    let mut s = Svg::new(&d.id, width, height, &d.title);
    s.text(10.0, 20.0, "title", &d.title);
    let base = top + row_h * d.rows.len() as f64;
    for k in 0..=4 {
        let v = k as f64 / 4.0;
        s.raw(&format!(
            "<line x1=\"{}\" x2=\"{}\" y1=\"{}\" y2=\"{}\" stroke=\"#e4e4e4\" stroke-width=\"0.6\"/>",
            fmt(x_of(v)),
            fmt(x_of(v)),
            fmt(top - 6.0),
            fmt(base)
        ));
        s.text_anchor(x_of(v), base + 13.0, "small", "middle", &format!("{}%", k * 25));
    }
    s.text_anchor(
        left + plot_w / 2.0,
        base + 28.0,
        "small",
        "middle",
        "share of agreements followed by implementation",
    );
    for (i, r) in d.rows.iter().enumerate() {
        let y = top + row_h * (i as f64 + 0.5);
        s.text_anchor(left - 8.0, y + 4.0, "label", "end", &r.label);
        let body = format!(
            "<line x1=\"{}\" x2=\"{}\" y1=\"{}\" y2=\"{}\" stroke=\"#4e79a7\" stroke-width=\"2\"/><circle cx=\"{}\" cy=\"{}\" r=\"4.5\" fill=\"#4e79a7\"><title>{}</title></circle>",
            fmt(x_of(r.low)),
            fmt(x_of(r.high)),
            fmt(y),
            fmt(y),
            fmt(x_of(r.share)),
            fmt(y),
            svg::escape(&format!(
                "{}: {} of {} ({}%, interval {}–{}%)",
                r.label,
                r.implemented,
                r.agreements,
                svg::num(r.share * 100.0),
                svg::num(r.low * 100.0),
                svg::num(r.high * 100.0)
            ))
        );
        s.linked(r.link.as_deref(), &body);
        s.text(left + plot_w + 12.0, y + 4.0, "small", &format!("{}/{}  {}", r.implemented, r.agreements, r.note));
    }
    if !d.note.is_empty() {
        s.text(10.0, height - 8.0, "small", &d.note);
    }
    s.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_and_ticks() {
        assert_eq!(sequential(0.0), "#f7fbff");
        assert_eq!(sequential(1.0), "#08306b");
        assert_eq!(nice_ticks(7.0), [0.0, 5.0, 10.0]);
        assert_eq!(nice_ticks(1.0), [0.0, 1.0]);
    }
}
