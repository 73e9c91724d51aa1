//! Comparisons with statistics: before/after a breakpoint (rate ratios with exact intervals),
//! bilateral against multilateral (shares with exact intervals and Fisher's test), and the trend
//! of each domain (Poisson regression). Methods: `docs/statistics.md`.

use crate::stats::{self, NoTrend, PoissonTrend, RateRatio};
use crate::{dyads, CanonicalEvent, Counting, Dyad, Error, Result, Window, HUMANITARIAN};
use hamkor_model::Domain;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CompareOptions {
    /// The first year of the "after" period.
    pub breakpoint: i32,
    /// The years compared; by default those the dated events cover.
    pub window: Option<Window>,
    /// Confidence level of every interval, e.g. 0.95.
    pub level: f64,
    pub counting: Counting,
    /// Also compare every dyad within every domain (many small counts).
    pub dyad_by_domain: bool,
}

impl Default for CompareOptions {
    fn default() -> Self {
        CompareOptions {
            breakpoint: 2017,
            window: None,
            level: 0.95,
            counting: Counting::Events,
            dyad_by_domain: false,
        }
    }
}

/// A group of events compared: all, one domain, the humanitarian domains, one dyad, or a dyad in
/// a domain.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Scope {
    /// `all`, `domain`, `humanitarian`, `dyad`, `dyad_domain`.
    pub kind: &'static str,
    pub dyad: Option<String>,
    pub domain: Option<String>,
}

impl Scope {
    pub fn label(&self) -> String {
        match (self.kind, &self.dyad, &self.domain) {
            ("all", _, _) => "all events".into(),
            ("humanitarian", _, _) => "humanitarian domains".into(),
            (_, Some(d), Some(m)) => format!("{d} · {m}"),
            (_, Some(d), None) => d.clone(),
            (_, None, Some(m)) => m.clone(),
            _ => String::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BeforeAfter {
    pub scope: Scope,
    #[serde(flatten)]
    pub test: RateRatio,
    pub events_before: Vec<i64>,
    pub events_after: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BilateralMultilateral {
    pub scope: Scope,
    /// Bilateral events in the scope, and all bilateral events in the window.
    pub bilateral: u64,
    pub bilateral_total: u64,
    pub multilateral: u64,
    pub multilateral_total: u64,
    /// Share of the scope among bilateral events, with its Clopper–Pearson interval.
    pub share_bilateral: Option<f64>,
    pub share_bilateral_ci: Option<(f64, f64)>,
    pub share_multilateral: Option<f64>,
    pub share_multilateral_ci: Option<(f64, f64)>,
    /// Odds ratio (multilateral over bilateral) of the 2×2 table; `None` when a cell makes it
    /// 0/0 or infinite.
    pub odds_ratio: Option<f64>,
    /// Fisher's exact test, two-sided.
    pub p_value: f64,
    pub events_bilateral: Vec<i64>,
    pub events_multilateral: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trend {
    pub scope: Scope,
    /// Counts per year of the window, zeros included.
    pub years: Vec<i32>,
    pub counts: Vec<u64>,
    pub fit: Option<PoissonTrend>,
    pub no_fit: Option<NoTrend>,
    pub events: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    pub window: Window,
    pub breakpoint: i32,
    pub level: f64,
    pub counting: Counting,
    pub before_after: Vec<BeforeAfter>,
    /// Why there is no before/after comparison (the breakpoint leaves no year on one side).
    pub before_after_skipped: Option<String>,
    pub bilateral_multilateral: Vec<BilateralMultilateral>,
    pub trends: Vec<Trend>,
    /// Events left out: no date, or a date outside the window.
    pub undated: u64,
    pub outside_window: u64,
}

fn scope(kind: &'static str, dyad: Option<&Dyad>, domain: Option<Domain>) -> Scope {
    Scope { kind, dyad: dyad.map(|d| d.to_string()), domain: domain.map(|d| d.code().to_string()) }
}

/// The scopes an event belongs to.
fn scopes_of(e: &CanonicalEvent, opts: &CompareOptions) -> Vec<Scope> {
    let mut out = vec![scope("all", None, None)];
    for d in &e.domains {
        out.push(scope("domain", None, Some(*d)));
    }
    if e.domains.iter().any(|d| HUMANITARIAN.contains(d)) {
        out.push(scope("humanitarian", None, None));
    }
    for dy in dyads(e) {
        out.push(scope("dyad", Some(&dy), None));
        if opts.dyad_by_domain {
            for d in &e.domains {
                out.push(scope("dyad_domain", Some(&dy), Some(*d)));
            }
        }
    }
    out
}

/// Run every comparison over the events.
pub fn compare(events: &[CanonicalEvent], opts: &CompareOptions) -> Result<Comparison> {
    if !(opts.level > 0.0 && opts.level < 1.0) {
        return Err(Error::BadOption(format!("confidence level {} must be between 0 and 1", opts.level)));
    }
    let window = match opts.window.or_else(|| Window::of(events)) {
        Some(w) => w,
        None => return Err(Error::BadOption("no dated event to compare".into())),
    };
    if window.from > window.to {
        return Err(Error::BadOption(format!("empty window {}–{}", window.from, window.to)));
    }
    let (t0, t1) = ((opts.breakpoint - window.from) as f64, (window.to - opts.breakpoint + 1) as f64);
    let before_after_skipped = (t0 <= 0.0 || t1 <= 0.0).then(|| {
        format!(
            "breakpoint {} leaves no year on one side of the window {}–{} (give --from/--to or another --breakpoint)",
            opts.breakpoint, window.from, window.to
        )
    });
    let mut undated = 0;
    let mut outside = 0;
    // Per scope: (before, after, ids before, ids after), per year counts and ids.
    let mut ba: BTreeMap<Scope, (u64, u64, Vec<i64>, Vec<i64>)> = BTreeMap::new();
    let nyears = window.years() as usize;
    let mut yearly: BTreeMap<Scope, (Vec<u64>, Vec<i64>)> = BTreeMap::new();
    let (mut bil_total, mut mul_total) = (0u64, 0u64);
    let mut bm: BTreeMap<Scope, (u64, u64, Vec<i64>, Vec<i64>)> = BTreeMap::new();
    // Every domain has a row, even with no event, so that tables have the same shape.
    for d in Domain::ALL {
        ba.entry(scope("domain", None, Some(*d))).or_default();
        bm.entry(scope("domain", None, Some(*d))).or_default();
        yearly.entry(scope("domain", None, Some(*d))).or_insert_with(|| (vec![0; nyears], vec![]));
    }
    for k in [scope("all", None, None), scope("humanitarian", None, None)] {
        ba.entry(k.clone()).or_default();
        yearly.entry(k).or_insert_with(|| (vec![0; nyears], vec![]));
    }
    bm.entry(scope("humanitarian", None, None)).or_default();
    for e in events {
        let Some(year) = e.year() else {
            undated += 1;
            continue;
        };
        if !window.contains(year) {
            outside += 1;
            continue;
        }
        let unit = opts.counting.unit(e);
        let after = year >= opts.breakpoint;
        let multi = e.is_multilateral();
        if multi {
            mul_total += unit;
        } else {
            bil_total += unit;
        }
        for s in scopes_of(e, opts) {
            let cell = ba.entry(s.clone()).or_default();
            if after {
                cell.1 += unit;
                cell.3.push(e.id);
            } else {
                cell.0 += unit;
                cell.2.push(e.id);
            }
            if matches!(s.kind, "all" | "domain" | "humanitarian") {
                let y = yearly.entry(s.clone()).or_insert_with(|| (vec![0; nyears], vec![]));
                y.0[(year - window.from) as usize] += unit;
                y.1.push(e.id);
            }
            if matches!(s.kind, "domain" | "humanitarian") {
                let cell = bm.entry(s).or_default();
                if multi {
                    cell.1 += unit;
                    cell.3.push(e.id);
                } else {
                    cell.0 += unit;
                    cell.2.push(e.id);
                }
            }
        }
    }
    let sorted = |mut v: Vec<i64>| {
        v.sort_unstable();
        v.dedup();
        v
    };
    let before_after = if before_after_skipped.is_some() { BTreeMap::new() } else { ba }
        .into_iter()
        .map(|(s, (c0, c1, i0, i1))| BeforeAfter {
            scope: s,
            test: stats::rate_ratio(c1, t1, c0, t0, opts.level),
            events_before: sorted(i0),
            events_after: sorted(i1),
        })
        .collect();
    let bilateral_multilateral = bm
        .into_iter()
        .map(|(s, (b, m, ib, im))| {
            let share = |k: u64, n: u64| (n > 0).then(|| k as f64 / n as f64);
            let ci = |k: u64, n: u64| (n > 0).then(|| stats::clopper_pearson(k, n, opts.level));
            let (a, bb, c, d) = (m, mul_total - m, b, bil_total - b);
            let odds_ratio =
                (bb > 0 && c > 0 && a > 0 && d > 0).then(|| (a as f64 * d as f64) / (bb as f64 * c as f64));
            BilateralMultilateral {
                scope: s,
                bilateral: b,
                bilateral_total: bil_total,
                multilateral: m,
                multilateral_total: mul_total,
                share_bilateral: share(b, bil_total),
                share_bilateral_ci: ci(b, bil_total),
                share_multilateral: share(m, mul_total),
                share_multilateral_ci: ci(m, mul_total),
                odds_ratio,
                p_value: stats::fisher_exact(a, bb, c, d),
                events_bilateral: sorted(ib),
                events_multilateral: sorted(im),
            }
        })
        .collect();
    let years: Vec<i32> = (window.from..=window.to).collect();
    let xs: Vec<f64> = years.iter().map(|y| *y as f64).collect();
    let trends = yearly
        .into_iter()
        .map(|(s, (counts, ids))| {
            let fit = stats::poisson_trend(&xs, &counts, opts.level);
            Trend {
                scope: s,
                years: years.clone(),
                counts,
                no_fit: fit.as_ref().err().copied(),
                fit: fit.ok(),
                events: sorted(ids),
            }
        })
        .collect();
    Ok(Comparison {
        window,
        breakpoint: opts.breakpoint,
        level: opts.level,
        counting: opts.counting,
        before_after,
        before_after_skipped,
        bilateral_multilateral,
        trends,
        undated,
        outside_window: outside,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::ev;

    #[test]
    fn before_after_counts_and_exposures() {
        let events = vec![
            ev(1, "meeting", "KAZ,UZB", "political", "2015"),
            ev(2, "aid", "KGZ,UZB", "health", "2018"),
            ev(3, "aid", "KAZ,KGZ,UZB", "health,disaster", "2019"),
            ev(4, "meeting", "KAZ,UZB", "water", "2020"),
            ev(5, "meeting", "KAZ,UZB", "water", ""),
        ];
        let c = compare(&events, &CompareOptions::default()).unwrap();
        assert_eq!(c.window, Window { from: 2015, to: 2020 });
        assert_eq!(c.undated, 1);
        let all = c.before_after.iter().find(|r| r.scope.kind == "all").unwrap();
        assert_eq!((all.test.count_before, all.test.count_after), (1, 3));
        assert_eq!((all.test.exposure_before, all.test.exposure_after), (2.0, 4.0));
        assert_eq!(all.test.ratio, Some(1.5));
        let kaz_uzb = c.before_after.iter().find(|r| r.scope.dyad.as_deref() == Some("KAZ-UZB")).unwrap();
        assert_eq!(kaz_uzb.events_after, [3, 4]);
        let health = c.bilateral_multilateral.iter().find(|r| r.scope.domain.as_deref() == Some("health")).unwrap();
        assert_eq!(
            (health.bilateral, health.bilateral_total, health.multilateral, health.multilateral_total),
            (1, 3, 1, 1)
        );
        let hum = c.trends.iter().find(|r| r.scope.kind == "humanitarian").unwrap();
        assert_eq!(hum.counts, [0, 0, 0, 1, 1, 1]);
        let c = compare(&events, &CompareOptions { breakpoint: 2015, ..Default::default() }).unwrap();
        assert!(c.before_after.is_empty() && c.before_after_skipped.is_some());
        assert!(!c.trends.is_empty());
    }
}
