#!/usr/bin/env python3
"""Independent computation of Krippendorff's alpha for hamkor's review agreement.

Reads reviewers' codings (crates/analysis/tests/data/codings.json), computes nominal alpha per
field (type, actors, domains, date) the way crates/analysis/src/reliability.rs documents it, and
writes crates/analysis/tests/data/alpha_expected.json, which `cargo test -p hamkor-analysis --test
reliability` compares with the Rust figures.

Two independent computations, which must agree with each other:
  1. our own, from the coincidence matrix, in exact rational arithmetic (fractions);
  2. the `krippendorff` package from PyPI (pip install krippendorff), when it is installed.

The codings file is generated here too (--generate): 3 reviewers, 60 units, seeded, with
missing codings and "no event" answers, so that the test covers missing data.

Usage:
  python3 scripts/krippendorff_reference.py [--generate]
"""
import json
import random
import sys
from collections import defaultdict
from fractions import Fraction
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent / "crates" / "analysis" / "tests" / "data"
CODINGS = HERE / "codings.json"
EXPECTED = HERE / "alpha_expected.json"
FIELDS = ["type", "actors", "domains", "date"]


def generate():
    rng = random.Random(20261128)
    types = ["agreement", "meeting", "aid", "partnership", "joint_activity"]
    actors = ["KAZ", "KGZ", "TJK", "TKM", "UZB", "RUS", "CHN"]
    domains = ["water", "education", "health", "borders", "economy", "culture"]
    reviewers = ["Aziza", "Bekzod", "Dina"]
    out = []
    for u in range(60):
        doc, start = 1 + u // 6, (u % 6) * 100
        truth = {
            "type": rng.choice(types),
            "actors": sorted(rng.sample(actors, rng.choice([2, 2, 3]))),
            "domains": sorted(rng.sample(domains, rng.choice([1, 1, 2]))),
            "date": rng.choice(["2019", "2021-03", "2022-07-21", "2023", None]),
        }
        for r in reviewers:
            if rng.random() < 0.15:
                continue  # this reviewer did not code the unit: missing data
            c = {"document_id": doc, "evidence_start": start, "evidence_end": start + 80, "reviewer": r}
            if rng.random() < 0.08:
                c.update({"type": "none", "actors": [], "domains": [], "date": None})
            else:
                c["type"] = truth["type"] if rng.random() < 0.8 else rng.choice(types)
                c["actors"] = truth["actors"] if rng.random() < 0.75 else sorted(rng.sample(actors, 2))
                c["domains"] = truth["domains"] if rng.random() < 0.7 else [rng.choice(domains)]
                c["date"] = truth["date"] if rng.random() < 0.85 else rng.choice(["2020", "2023", None])
            out.append(c)
    CODINGS.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n")


def value(c, field):
    """The value compared for a field, or None (missing); see reliability.rs."""
    none = c["type"] == "none"
    if field == "type":
        return c["type"]
    if none:
        return None
    if field in ("actors", "domains"):
        return ",".join(sorted(set(c[field])))
    if field == "date":
        return c["date"] if c["date"] is not None else "undated"
    raise ValueError(field)


def units_of(codings, field):
    units = defaultdict(list)
    for c in codings:
        key = (c["document_id"], c["evidence_start"], c["evidence_end"])
        v = value(c, field)
        units.setdefault(key, [])
        if v is not None:
            units[key].append(v)
    return units


def alpha_exact(codings, field):
    """Krippendorff (2011), nominal: alpha = 1 - (n-1) * sum_{c!=k} o_ck / sum_{c!=k} n_c n_k."""
    o = defaultdict(Fraction)
    pairable_units = 0
    for vals in units_of(codings, field).values():
        m = len(vals)
        if m < 2:
            continue
        pairable_units += 1
        for i, a in enumerate(vals):
            for j, b in enumerate(vals):
                if i != j:
                    o[(a, b)] += Fraction(1, m - 1)
    n_c = defaultdict(Fraction)
    for (a, _), w in o.items():
        n_c[a] += w
    n = sum(n_c.values(), Fraction(0))
    d_o = sum((w for (a, b), w in o.items() if a != b), Fraction(0))
    d_e = n * n - sum((v * v for v in n_c.values()), Fraction(0))
    alpha = None if n <= 1 or d_e == 0 else 1 - (n - 1) * d_o / d_e
    return {"alpha": None if alpha is None else float(alpha), "units": pairable_units, "values": int(n)}


def alpha_package(codings, field):
    """The same alpha from the `krippendorff` package (reliability matrix: coders x units)."""
    try:
        import krippendorff
        import numpy as np
    except ImportError:
        return None
    units = units_of(codings, field)
    reviewers = sorted({c["reviewer"] for c in codings})
    keys = sorted(units)
    codes = {}
    matrix = np.full((len(reviewers), len(keys)), np.nan)
    for c in codings:
        v = value(c, field)
        if v is None:
            continue
        matrix[reviewers.index(c["reviewer"]), keys.index((c["document_id"], c["evidence_start"], c["evidence_end"]))] = codes.setdefault(v, len(codes))
    return float(krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal"))


def main():
    if "--generate" in sys.argv:
        generate()
    codings = json.loads(CODINGS.read_text())
    expected = {"source": "scripts/krippendorff_reference.py (exact fractions)", "fields": {}}
    for field in FIELDS:
        exact = alpha_exact(codings, field)
        pkg = alpha_package(codings, field)
        if pkg is not None:
            assert abs(pkg - exact["alpha"]) < 1e-9, (field, pkg, exact)
            exact["krippendorff_package"] = pkg
        expected["fields"][field] = exact
        print(f"{field:8} alpha {exact['alpha']:.6f}  units {exact['units']}  values {exact['values']}"
              + (f"  (krippendorff package: {pkg:.6f})" if pkg is not None else "  (krippendorff package not installed)"))
    EXPECTED.write_text(json.dumps(expected, indent=1) + "\n")


if __name__ == "__main__":
    main()
