//! The statistics against values computed independently by `scripts/analysis/stats_expected.py`
//! (exact rational arithmetic for the exact tests, scipy for quantiles, statsmodels for the
//! Poisson regression), committed in `tests/expected/statistics.json`.

use hamkor_analysis::stats;
use serde_json::Value;

fn expected() -> Value {
    serde_json::from_str(include_str!("expected/statistics.json")).expect("valid expected JSON")
}

/// Equal to 1e-9, relative to the size of the values (absolute below 1e-3).
#[track_caller]
fn close(what: &str, got: f64, want: f64) {
    let tol = 1e-9 * want.abs().max(1e-3);
    assert!((got - want).abs() <= tol, "{what}: got {got:e}, want {want:e} (diff {:e})", (got - want).abs());
}

#[track_caller]
fn close_opt(what: &str, got: Option<f64>, want: &Value) {
    match (got, want.as_f64()) {
        (Some(g), Some(w)) => close(what, g, w),
        (None, None) => {}
        (g, _) => panic!("{what}: got {g:?}, want {want}"),
    }
}

fn u(v: &Value) -> u64 {
    v.as_u64().expect("an integer")
}

fn f(v: &Value) -> f64 {
    v.as_f64().expect("a number")
}

#[test]
fn normal_quantiles_match_scipy() {
    for c in expected()["normal_quantile"].as_array().unwrap() {
        close(&format!("Φ⁻¹({})", c["p"]), stats::normal_quantile(f(&c["p"])), f(&c["q"]));
    }
}

#[test]
fn clopper_pearson_matches_scipy_beta_quantiles() {
    for c in expected()["clopper_pearson"].as_array().unwrap() {
        let (lo, hi) = stats::clopper_pearson(u(&c["k"]), u(&c["n"]), f(&c["level"]));
        let what = format!("CP({}/{}, {})", c["k"], c["n"], c["level"]);
        close(&format!("{what} low"), lo, f(&c["lo"]));
        close(&format!("{what} high"), hi, f(&c["hi"]));
    }
}

#[test]
fn binomial_test_matches_exact_rational_sum() {
    for c in expected()["binomial_test"].as_array().unwrap() {
        let p = f(&c["p_num"]) / f(&c["p_den"]);
        let got = stats::binomial_test(u(&c["k"]), u(&c["n"]), p);
        close(&format!("binom({}, {}, {p})", c["k"], c["n"]), got, f(&c["p_value"]));
    }
}

#[test]
fn rate_ratios_match_independent_computation() {
    for c in expected()["rate_ratio"].as_array().unwrap() {
        let r = stats::rate_ratio(u(&c["c1"]), f(&c["t1"]), u(&c["c0"]), f(&c["t0"]), f(&c["level"]));
        let what = format!("RR({}/{} vs {}/{})", c["c1"], c["t1"], c["c0"], c["t0"]);
        close_opt(&format!("{what} ratio"), r.ratio, &c["ratio"]);
        close_opt(&format!("{what} low"), r.ci_low, &c["ci_low"]);
        close_opt(&format!("{what} high"), r.ci_high, &c["ci_high"]);
        close(&format!("{what} p"), r.p_value, f(&c["p_value"]));
    }
}

#[test]
fn fisher_exact_matches_exact_rational_sum() {
    for c in expected()["fisher_exact"].as_array().unwrap() {
        let t: Vec<u64> = c["table"].as_array().unwrap().iter().map(u).collect();
        let got = stats::fisher_exact(t[0], t[1], t[2], t[3]);
        close(&format!("fisher {t:?}"), got, f(&c["p_value"]));
        close(&format!("fisher {t:?} (scipy)"), got, f(&c["scipy"]));
    }
}

#[test]
fn poisson_trend_matches_statsmodels_glm() {
    for c in expected()["poisson_trend"].as_array().unwrap() {
        let years: Vec<f64> = c["years"].as_array().unwrap().iter().map(f).collect();
        let counts: Vec<u64> = c["counts"].as_array().unwrap().iter().map(u).collect();
        let t = stats::poisson_trend(&years, &counts, f(&c["level"])).expect("a finite fit");
        let what = format!("trend {counts:?}");
        for (name, got) in [
            ("slope", t.slope),
            ("se", t.se),
            ("z", t.z),
            ("p_value", t.p_value),
            ("ci_low", t.ci_low),
            ("ci_high", t.ci_high),
            ("change", t.change),
            ("change_low", t.change_low),
            ("change_high", t.change_high),
            ("dispersion", t.dispersion),
            ("se_quasi", t.se_quasi),
            ("ci_low_quasi", t.ci_low_quasi),
            ("ci_high_quasi", t.ci_high_quasi),
            ("deviance", t.deviance),
        ] {
            close(&format!("{what} {name}"), got, f(&c[name]));
        }
    }
}

#[test]
fn kaplan_meier_matches_product_limit_by_hand() {
    let e = expected();
    let data: Vec<(f64, bool)> =
        e["kaplan_meier"]["data"].as_array().unwrap().iter().map(|p| (f(&p[0]), p[1].as_bool().unwrap())).collect();
    let got = stats::kaplan_meier(&data);
    let want = e["kaplan_meier"]["steps"].as_array().unwrap();
    assert_eq!(got.len(), want.len());
    for (g, w) in got.iter().zip(want) {
        close("km time", g.time, f(&w["time"]));
        assert_eq!((g.at_risk, g.events), (u(&w["at_risk"]), u(&w["events"])));
        close(&format!("km S({})", g.time), g.survival, f(&w["survival"]));
    }
}
