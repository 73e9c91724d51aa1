//! The statistics behind the comparisons: exact binomial and Poisson methods, Fisher's exact
//! test, Poisson regression and the Kaplan–Meier estimator.
//!
//! Distributions and special functions come from `statrs`; what is here is the arithmetic that
//! turns them into the published tests. Each function states its method; `docs/statistics.md`
//! gives the references, and `tests/statistics.rs` checks every function against values computed
//! independently (`scripts/stats_expected.py`: exact rational arithmetic, scipy and statsmodels).

use serde::Serialize;
use statrs::distribution::{Beta, ContinuousCDF, Normal};
use statrs::function::erf::erfc;
use statrs::function::factorial::ln_binomial;

/// The relative tolerance within which two probabilities count as equal when a two-sided exact
/// test adds up "tables at most as likely as the observed one" (R's `fisher.test` and
/// `binom.test`, and scipy, use the same 1 + 1e-7).
const TIE: f64 = 1.0 + 1e-7;

/// The standard normal quantile.
pub fn normal_quantile(p: f64) -> f64 {
    Normal::new(0.0, 1.0).expect("the standard normal exists").inverse_cdf(p)
}

/// Two-sided p-value of a standard normal statistic: erfc(|z|/√2).
pub fn normal_two_sided_p(z: f64) -> f64 {
    erfc(z.abs() / std::f64::consts::SQRT_2)
}

/// The quantile of a beta distribution, refined by Newton steps on the regularized incomplete
/// beta function so that it is exact to the last few bits.
fn beta_quantile(a: f64, b: f64, p: f64) -> f64 {
    let dist = Beta::new(a, b).expect("positive shapes");
    let mut x = dist.inverse_cdf(p);
    let ln_b = statrs::function::beta::ln_beta(a, b);
    for _ in 0..8 {
        if x <= 0.0 || x >= 1.0 {
            break;
        }
        let f = statrs::function::beta::beta_reg(a, b, x) - p;
        let dens = ((a - 1.0) * x.ln() + (b - 1.0) * (1.0 - x).ln() - ln_b).exp();
        if dens <= 0.0 || !dens.is_finite() {
            break;
        }
        let step = f / dens;
        let next = (x - step).clamp(x / 2.0, x + (1.0 - x) / 2.0);
        if next == x {
            break;
        }
        x = next;
        if step.abs() <= x * 1e-16 {
            break;
        }
    }
    x
}

/// The Clopper–Pearson ("exact") confidence interval of a binomial proportion k/n at `level`
/// (e.g. 0.95): the beta quantiles Beta(α/2; k, n−k+1) and Beta(1−α/2; k+1, n−k).
pub fn clopper_pearson(k: u64, n: u64, level: f64) -> (f64, f64) {
    assert!(k <= n && n > 0, "clopper_pearson needs 0 <= k <= n, n > 0");
    let alpha = 1.0 - level;
    let (k, n) = (k as f64, n as f64);
    let lo = if k == 0.0 { 0.0 } else { beta_quantile(k, n - k + 1.0, alpha / 2.0) };
    let hi = if k == n { 1.0 } else { beta_quantile(k + 1.0, n - k, 1.0 - alpha / 2.0) };
    (lo, hi)
}

/// Binomial probability of k successes in n trials.
pub fn binomial_pmf(k: u64, n: u64, p: f64) -> f64 {
    if p == 0.0 {
        return if k == 0 { 1.0 } else { 0.0 };
    }
    if p == 1.0 {
        return if k == n { 1.0 } else { 0.0 };
    }
    (ln_binomial(n, k) + k as f64 * p.ln() + (n - k) as f64 * (1.0 - p).ln()).exp()
}

/// Exact two-sided binomial test of H0: success probability = p: the probability of every
/// outcome no more likely than the observed one (the "minimum likelihood" p-value of R's
/// `binom.test` and scipy's `binomtest`).
pub fn binomial_test(k: u64, n: u64, p: f64) -> f64 {
    let d = binomial_pmf(k, n, p) * TIE;
    let mut sum = 0.0;
    for x in 0..=n {
        let q = binomial_pmf(x, n, p);
        if q <= d {
            sum += q;
        }
    }
    sum.min(1.0)
}

/// A ratio of two Poisson rates, `after` over `before`, with its exact conditional confidence
/// interval and test.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RateRatio {
    pub count_after: u64,
    pub exposure_after: f64,
    pub count_before: u64,
    pub exposure_before: f64,
    /// Events per unit of exposure.
    pub rate_after: f64,
    pub rate_before: f64,
    /// `None` when undefined (no event at all) or infinite (none before).
    pub ratio: Option<f64>,
    /// Lower bound (0 when no event after); `None` when there is no event at all.
    pub ci_low: Option<f64>,
    /// Upper bound; `None` when unbounded (no event before) or undefined.
    pub ci_high: Option<f64>,
    /// Exact two-sided p-value of H0: ratio = 1.
    pub p_value: f64,
}

/// The rate ratio (c1/t1)/(c0/t0) of two Poisson counts with exposures t1 and t0.
///
/// Method: conditional on n = c1 + c0, c1 is binomial with π = t1·RR/(t1·RR + t0). The
/// Clopper–Pearson interval (πL, πU) of c1/n maps to RR = π/(1−π)·t0/t1, and the p-value is the
/// exact binomial test of π = t1/(t1 + t0) (Rothman & Greenland; R's `poisson.test` uses the same
/// construction).
pub fn rate_ratio(c1: u64, t1: f64, c0: u64, t0: f64, level: f64) -> RateRatio {
    assert!(t1 > 0.0 && t0 > 0.0, "exposures must be positive");
    let n = c1 + c0;
    let mut out = RateRatio {
        count_after: c1,
        exposure_after: t1,
        count_before: c0,
        exposure_before: t0,
        rate_after: c1 as f64 / t1,
        rate_before: c0 as f64 / t0,
        ratio: None,
        ci_low: None,
        ci_high: None,
        p_value: 1.0,
    };
    if n == 0 {
        return out;
    }
    if c0 > 0 {
        out.ratio = Some((c1 as f64 / t1) / (c0 as f64 / t0));
    }
    let (lo, hi) = clopper_pearson(c1, n, level);
    let to_rr = |p: f64| p / (1.0 - p) * t0 / t1;
    out.ci_low = Some(to_rr(lo));
    out.ci_high = (hi < 1.0).then(|| to_rr(hi));
    out.p_value = binomial_test(c1, n, t1 / (t1 + t0));
    out
}

fn ln_hypergeom(x: u64, row1: u64, col1: u64, total: u64) -> f64 {
    ln_binomial(col1, x) + ln_binomial(total - col1, row1 - x) - ln_binomial(total, row1)
}

/// Fisher's exact test of a 2×2 table [[a, b], [c, d]], two-sided: the probability, with the
/// margins fixed, of every table no more likely than the observed one.
pub fn fisher_exact(a: u64, b: u64, c: u64, d: u64) -> f64 {
    let row1 = a + b;
    let col1 = a + c;
    let total = a + b + c + d;
    if total == 0 {
        return 1.0;
    }
    let lo = (row1 + col1).saturating_sub(total);
    let hi = row1.min(col1);
    let observed = ln_hypergeom(a, row1, col1, total).exp() * TIE;
    let mut sum = 0.0;
    for x in lo..=hi {
        let p = ln_hypergeom(x, row1, col1, total).exp();
        if p <= observed {
            sum += p;
        }
    }
    sum.min(1.0)
}

/// A log-linear Poisson trend: log E[count_t] = β0 + β1·(t − t̄).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PoissonTrend {
    /// Number of periods (years) in the fit, zero counts included.
    pub n: usize,
    pub total: u64,
    /// β1: change of the log rate per period.
    pub slope: f64,
    /// Model-based (Fisher information) standard error of β1.
    pub se: f64,
    pub z: f64,
    pub p_value: f64,
    pub ci_low: f64,
    pub ci_high: f64,
    /// exp(β1) − 1: the estimated change per period as a fraction (0.1 = +10 % a year).
    pub change: f64,
    pub change_low: f64,
    pub change_high: f64,
    /// Pearson χ² / (n − 2): above 1 means more spread than a Poisson process has.
    pub dispersion: f64,
    /// β1's standard error scaled by √max(1, dispersion) (quasi-Poisson), and its interval.
    pub se_quasi: f64,
    pub ci_low_quasi: f64,
    pub ci_high_quasi: f64,
    pub deviance: f64,
    pub iterations: u32,
}

/// Why a trend could not be estimated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NoTrend {
    /// Fewer than three periods.
    TooFewPeriods,
    /// No event in any period.
    NoEvents,
    /// The maximum-likelihood slope is infinite (all events in the first or last period).
    NoFiniteEstimate,
}

/// Fit the trend by Newton–Raphson (= IRLS for the canonical log link) to full convergence.
pub fn poisson_trend(x: &[f64], y: &[u64], level: f64) -> std::result::Result<PoissonTrend, NoTrend> {
    assert_eq!(x.len(), y.len());
    let n = x.len();
    if n < 3 {
        return Err(NoTrend::TooFewPeriods);
    }
    let total: u64 = y.iter().sum();
    if total == 0 {
        return Err(NoTrend::NoEvents);
    }
    let xbar = x.iter().sum::<f64>() / n as f64;
    let xc: Vec<f64> = x.iter().map(|v| v - xbar).collect();
    let yf: Vec<f64> = y.iter().map(|&v| v as f64).collect();
    let mut b0 = (total as f64 / n as f64).ln();
    let mut b1 = 0.0f64;
    let mut iterations = 0;
    let (mut h00, mut h01, mut h11);
    loop {
        iterations += 1;
        let (mut g0, mut g1) = (0.0, 0.0);
        (h00, h01, h11) = (0.0, 0.0, 0.0);
        for i in 0..n {
            let mu = (b0 + b1 * xc[i]).exp();
            g0 += yf[i] - mu;
            g1 += (yf[i] - mu) * xc[i];
            h00 += mu;
            h01 += mu * xc[i];
            h11 += mu * xc[i] * xc[i];
        }
        let det = h00 * h11 - h01 * h01;
        if det.is_nan() || det <= 0.0 || !det.is_finite() {
            return Err(NoTrend::NoFiniteEstimate);
        }
        let d0 = (h11 * g0 - h01 * g1) / det;
        let d1 = (h00 * g1 - h01 * g0) / det;
        b0 += d0;
        b1 += d1;
        if b1.abs() > 50.0 || iterations > 200 {
            return Err(NoTrend::NoFiniteEstimate);
        }
        if d0.abs() <= 1e-15 * (1.0 + b0.abs()) && d1.abs() <= 1e-15 * (1.0 + b1.abs()) {
            break;
        }
        if iterations > 100 && d0.abs() < 1e-12 && d1.abs() < 1e-12 {
            break;
        }
    }
    // Information at the estimate.
    (h00, h01, h11) = (0.0, 0.0, 0.0);
    let (mut pearson, mut deviance) = (0.0, 0.0);
    for i in 0..n {
        let mu = (b0 + b1 * xc[i]).exp();
        h00 += mu;
        h01 += mu * xc[i];
        h11 += mu * xc[i] * xc[i];
        pearson += (yf[i] - mu).powi(2) / mu;
        deviance += 2.0 * (if yf[i] > 0.0 { yf[i] * (yf[i] / mu).ln() } else { 0.0 } - (yf[i] - mu));
    }
    let det = h00 * h11 - h01 * h01;
    let se = (h00 / det).sqrt();
    let z = b1 / se;
    let q = normal_quantile(1.0 - (1.0 - level) / 2.0);
    let dispersion = pearson / (n as f64 - 2.0);
    let se_quasi = se * dispersion.max(1.0).sqrt();
    Ok(PoissonTrend {
        n,
        total,
        slope: b1,
        se,
        z,
        p_value: normal_two_sided_p(z),
        ci_low: b1 - q * se,
        ci_high: b1 + q * se,
        change: b1.exp_m1(),
        change_low: (b1 - q * se).exp_m1(),
        change_high: (b1 + q * se).exp_m1(),
        dispersion,
        se_quasi,
        ci_low_quasi: b1 - q * se_quasi,
        ci_high_quasi: b1 + q * se_quasi,
        deviance,
        iterations,
    })
}

/// One step of a Kaplan–Meier curve: at `time`, `events` happened among `at_risk`, and the
/// estimated probability of no event yet is `survival`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KmStep {
    pub time: f64,
    pub at_risk: u64,
    pub events: u64,
    pub survival: f64,
}

/// The Kaplan–Meier estimate from (time, event happened) pairs; a pair with `false` is censored
/// at its time. Censoring at a time of events counts the censored as still at risk then.
pub fn kaplan_meier(data: &[(f64, bool)]) -> Vec<KmStep> {
    let mut d: Vec<(f64, bool)> = data.to_vec();
    d.sort_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)));
    let mut at_risk = d.len() as u64;
    let mut s = 1.0;
    let mut out = Vec::new();
    let mut i = 0;
    while i < d.len() {
        let t = d[i].0;
        let (mut events, mut removed) = (0u64, 0u64);
        while i < d.len() && d[i].0 == t {
            events += d[i].1 as u64;
            removed += 1;
            i += 1;
        }
        if events > 0 {
            s *= 1.0 - events as f64 / at_risk as f64;
            out.push(KmStep { time: t, at_risk, events, survival: s });
        }
        at_risk -= removed;
    }
    out
}

/// The Kaplan–Meier probability that the event has happened by `time` (1 − S(time)).
pub fn km_probability_by(steps: &[KmStep], time: f64) -> f64 {
    1.0 - steps.iter().take_while(|s| s.time <= time).last().map_or(1.0, |s| s.survival)
}

/// The Kaplan–Meier median: the first time S(t) ≤ 0.5, if reached.
pub fn km_median(steps: &[KmStep]) -> Option<f64> {
    steps.iter().find(|s| s.survival <= 0.5).map(|s| s.time)
}

/// The median of a sample (mean of the middle two for an even count).
pub fn median(v: &[f64]) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    let m = s.len() / 2;
    Some(if s.len() % 2 == 1 { s[m] } else { (s[m - 1] + s[m]) / 2.0 })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_cases_by_hand() {
        // 0 of 10: the interval is [0, 1 - 0.025^(1/10)].
        let (lo, hi) = clopper_pearson(0, 10, 0.95);
        assert_eq!(lo, 0.0);
        assert!((hi - (1.0 - 0.025f64.powf(0.1))).abs() < 1e-14, "{hi}");
        // Fair coin, 5 of 10: every outcome counts.
        assert!((binomial_test(5, 10, 0.5) - 1.0).abs() < 1e-12);
        // Fisher on a table with one possible arrangement.
        assert!((fisher_exact(0, 0, 0, 5) - 1.0).abs() < 1e-12);
        let rr = rate_ratio(0, 1.0, 0, 1.0, 0.95);
        assert_eq!((rr.ratio, rr.ci_low, rr.p_value), (None, None, 1.0));
        let rr = rate_ratio(4, 2.0, 0, 2.0, 0.95);
        assert_eq!((rr.ratio, rr.ci_high), (None, None));
        assert_eq!(rr.ci_low.map(|v| v > 0.0), Some(true));
    }

    #[test]
    fn trend_refuses_what_it_cannot_estimate() {
        assert_eq!(poisson_trend(&[1.0, 2.0], &[1, 2], 0.95).unwrap_err(), NoTrend::TooFewPeriods);
        assert_eq!(poisson_trend(&[1.0, 2.0, 3.0], &[0, 0, 0], 0.95).unwrap_err(), NoTrend::NoEvents);
        assert_eq!(poisson_trend(&[1.0, 2.0, 3.0], &[0, 0, 4], 0.95).unwrap_err(), NoTrend::NoFiniteEstimate);
    }

    #[test]
    fn kaplan_meier_by_hand() {
        let km = kaplan_meier(&[(1.0, true), (2.0, false), (3.0, true), (3.0, true), (4.0, false)]);
        // S(1) = 4/5; S(3) = 4/5 * (1 - 2/3) = 4/15.
        assert_eq!(km.len(), 2);
        assert!((km[0].survival - 0.8).abs() < 1e-15);
        assert!((km[1].survival - 4.0 / 15.0).abs() < 1e-15);
        assert_eq!(km_median(&km), Some(3.0));
        assert!((km_probability_by(&km, 2.5) - 0.2).abs() < 1e-15);
        assert_eq!(median(&[3.0, 1.0, 2.0, 10.0]), Some(2.5));
    }
}
