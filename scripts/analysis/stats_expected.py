#!/usr/bin/env python3
"""Expected values for crates/analysis/tests/statistics.rs, computed independently of hamkor.

Exact tests (binomial, Fisher) are summed in exact rational arithmetic (fractions + math.comb);
beta and normal quantiles come from scipy; the Poisson trend is statsmodels' GLM fitted to full
convergence; the Kaplan-Meier curve is computed by the textbook product-limit formula.

Run once when the cases change (needs scipy and statsmodels: pip install scipy statsmodels):
    python3 scripts/analysis/stats_expected.py > crates/analysis/tests/expected/statistics.json
"""
import json
import math
import sys
from fractions import Fraction

import numpy as np
import scipy
import statsmodels
import statsmodels.api as sm
from scipy import stats

TIE = Fraction(1) + Fraction(1, 10**7)


def binom_pmf(k, n, p):
    return Fraction(math.comb(n, k)) * p**k * (1 - p) ** (n - k)


def binom_test(k, n, p):
    """Two-sided exact test: sum of the pmf of every outcome no more likely than k."""
    d = binom_pmf(k, n, p) * TIE
    return min(Fraction(1), sum(q for q in (binom_pmf(x, n, p) for x in range(n + 1)) if q <= d))


def fisher(a, b, c, d):
    row1, col1, total = a + b, a + c, a + b + c + d
    def pmf(x):
        return Fraction(math.comb(col1, x) * math.comb(total - col1, row1 - x), math.comb(total, row1))
    obs = pmf(a) * TIE
    lo, hi = max(0, row1 + col1 - total), min(row1, col1)
    return min(Fraction(1), sum(p for p in (pmf(x) for x in range(lo, hi + 1)) if p <= obs))


def clopper_pearson(k, n, level):
    alpha = 1 - level
    lo = 0.0 if k == 0 else float(stats.beta.ppf(alpha / 2, k, n - k + 1))
    hi = 1.0 if k == n else float(stats.beta.ppf(1 - alpha / 2, k + 1, n - k))
    return lo, hi


def rate_ratio(c1, t1, c0, t0, level):
    n = c1 + c0
    out = {"c1": c1, "t1": t1, "c0": c0, "t0": t0, "level": level}
    if n == 0:
        out.update(ratio=None, ci_low=None, ci_high=None, p_value=1.0)
        return out
    out["ratio"] = (c1 / t1) / (c0 / t0) if c0 > 0 else None
    lo, hi = clopper_pearson(c1, n, level)
    out["ci_low"] = lo / (1 - lo) * t0 / t1
    out["ci_high"] = hi / (1 - hi) * t0 / t1 if hi < 1 else None
    out["p_value"] = float(binom_test(c1, n, Fraction(t1) / Fraction(t1 + t0)))
    return out


def trend(years, counts, level):
    x = np.array(years, dtype=float)
    xc = x - x.mean()
    X = sm.add_constant(xc)
    y = np.array(counts, dtype=float)
    # Newton, not the default IRLS: IRLS reports standard errors from the weights of its
    # last-but-one iteration (off by ~1e-9 here); Newton's come from the Hessian at the estimate.
    res = sm.GLM(y, X, family=sm.families.Poisson()).fit(method="newton", tol=1e-15, maxiter=1000)
    b1, se = float(res.params[1]), float(res.bse[1])
    ci = res.conf_int(alpha=1 - level)
    disp = float(res.pearson_chi2) / (len(y) - 2)
    q = float(stats.norm.ppf(1 - (1 - level) / 2))
    se_q = se * math.sqrt(max(1.0, disp))
    return {
        "years": years, "counts": counts, "level": level,
        "slope": b1, "se": se, "z": float(res.tvalues[1]), "p_value": float(res.pvalues[1]),
        "ci_low": float(ci[1][0]), "ci_high": float(ci[1][1]),
        "change": math.expm1(b1), "change_low": math.expm1(float(ci[1][0])), "change_high": math.expm1(float(ci[1][1])),
        "dispersion": disp, "se_quasi": se_q, "ci_low_quasi": b1 - q * se_q, "ci_high_quasi": b1 + q * se_q,
        "deviance": float(res.deviance),
    }


def kaplan_meier(data):
    times = sorted({t for t, e in data if e})
    s, steps = 1.0, []
    for t in times:
        at_risk = sum(1 for u, _ in data if u >= t)
        d = sum(1 for u, e in data if u == t and e)
        s *= 1 - d / at_risk
        steps.append({"time": t, "at_risk": at_risk, "events": d, "survival": s})
    return steps


cases = {
    "generated_by": "scripts/analysis/stats_expected.py",
    "versions": {"python": sys.version.split()[0], "scipy": scipy.__version__, "statsmodels": statsmodels.__version__},
    "normal_quantile": [{"p": p, "q": float(stats.norm.ppf(p))} for p in (0.975, 0.95, 0.995, 0.5, 0.025)],
    "clopper_pearson": [
        {"k": k, "n": n, "level": lv, "lo": lo, "hi": hi}
        for (k, n) in [(0, 10), (1, 10), (5, 10), (10, 10), (3, 47), (120, 400), (1, 1), (0, 1), (17, 17), (2, 2000)]
        for lv in (0.95, 0.90)
        for (lo, hi) in [clopper_pearson(k, n, lv)]
    ],
    "binomial_test": [
        {"k": k, "n": n, "p_num": pn, "p_den": pd, "p_value": float(binom_test(k, n, Fraction(pn, pd)))}
        for (k, n, pn, pd) in [(3, 10, 1, 2), (0, 20, 3, 10), (7, 12, 1, 4), (40, 100, 1, 2), (1, 2, 1, 3),
                               (25, 60, 4, 9), (150, 200, 1, 2), (9, 9, 2, 3)]
    ],
    "rate_ratio": [
        rate_ratio(c1, t1, c0, t0, 0.95)
        for (c1, t1, c0, t0) in [(12, 8, 3, 2), (30, 9, 2, 2), (0, 5, 4, 3), (5, 4, 0, 6), (45, 9, 1, 1),
                                 (7, 3, 7, 3), (0, 2, 0, 2), (198, 9, 1, 1)]
    ],
    "fisher_exact": [
        {"table": [a, b, c, d], "p_value": float(fisher(a, b, c, d)),
         "scipy": float(stats.fisher_exact([[a, b], [c, d]])[1])}
        for (a, b, c, d) in [(3, 1, 1, 3), (10, 2, 3, 15), (0, 5, 5, 0), (12, 40, 30, 50), (1, 0, 0, 0),
                             (8, 2, 1, 5), (2, 7, 8, 2), (20, 15, 12, 40)]
    ],
    "poisson_trend": [
        trend(list(range(2010, 2026)), [1, 0, 2, 3, 2, 5, 4, 6, 8, 7, 9, 12, 10, 15, 14, 18], 0.95),
        trend(list(range(2016, 2024)), [5, 3, 4, 6, 2, 3, 5, 4], 0.95),
        trend(list(range(2016, 2025)), [0, 0, 1, 0, 2, 1, 3, 0, 4], 0.90),
        trend(list(range(2017, 2026)), [24, 17, 5, 15, 16, 27, 26, 35, 29], 0.95),
    ],
    "kaplan_meier": {
        "data": [[30, False], [60, True], [60, True], [90, False], [120, True], [200, False], [365, True],
                 [400, False], [400, True], [800, False]],
    },
}
cases["kaplan_meier"]["steps"] = kaplan_meier([(t, e) for t, e in cases["kaplan_meier"]["data"]])
json.dump(cases, sys.stdout, indent=1, sort_keys=True)
print()
