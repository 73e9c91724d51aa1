#!/usr/bin/env python3
"""The dyad × domain × year panel and the before/after comparison, on Spark, over events in Parquet.

    spark-submit scripts/spark/panels.py [--by dyad,domain,year] [--reports] [--weights T=W,...]
        [--breakpoint 2017] [--from YEAR] [--to YEAR] [--level 0.95] [--dyad-domain] EVENTS OUTDIR

EVENTS is the output of scripts/spark/hamkor_code.py, or `hamkor export --format parquet` (the
same columns). OUTDIR gets panel.csv, as `hamkor stats panel --by … --format csv` writes it, and
before_after.csv, as `hamkor stats compare --test before-after --format csv` writes it: the
definitions are those of docs/statistics.md and crates/analysis, and a test
(crates/cli/tests/spark_job.rs) checks that the files are equal byte for byte on the same events.

What is counted is what EVENTS holds, one row an event: on the Spark job's output every coded
event is its own event (reports of one happening in several documents are merged only in a store,
by the registry); on an export of a store, canonical events.

The counting is Spark SQL (explode dyads and domains, group, sum); the per-scope statistics of
the comparison (exact conditional rate-ratio interval and binomial test) are computed on the
driver from the grouped counts, a few numbers per scope.
"""

import argparse
import math
import os
import sys

# crates/model: the orders in which hamkor lists types and domains.
TYPES = ["agreement", "ratification", "partnership", "meeting", "aid", "joint_activity", "institution"]
DOMAINS = ["education", "health", "culture", "disaster", "migration", "water", "borders", "transport", "economy", "political"]
# crates/analysis/src/lib.rs HUMANITARIAN, and the five states.
HUMANITARIAN = ["education", "health", "culture", "disaster", "water", "migration"]
CENTRAL_ASIA = ["KAZ", "KGZ", "TJK", "TKM", "UZB"]
# crates/model/src/groups.rs: groups of states and their members; a group is never a pair with
# one of its own members (lib.rs `dyads`).
GROUP_MEMBERS = {
    "CAREC": ["AFG", "AZE", "CHN", "GEO", "KAZ", "KGZ", "MNG", "PAK", "TJK", "TKM", "UZB"],
    "CAS": ["KAZ", "KGZ", "TJK", "TKM", "UZB"],
    "CICA": ["AFG", "ARE", "AZE", "BGD", "BHR", "CHN", "EGY", "IND", "IRN", "IRQ", "ISR", "JOR", "KAZ", "KGZ", "KHM", "KOR", "KWT", "LKA", "MNG", "PAK", "PSE", "QAT", "RUS", "THA", "TJK", "TUR", "UZB", "VNM"],
    "CIS": ["ARM", "AZE", "BLR", "KAZ", "KGZ", "MDA", "RUS", "TJK", "TKM", "UZB"],
    "CSTO": ["ARM", "BLR", "KAZ", "KGZ", "RUS", "TJK"],
    "EAEU": ["ARM", "BLR", "KAZ", "KGZ", "RUS"],
    "ECO": ["AFG", "AZE", "IRN", "KAZ", "KGZ", "PAK", "TJK", "TKM", "TUR", "UZB"],
    "EU": ["AUT", "BEL", "BGR", "CYP", "CZE", "DEU", "DNK", "ESP", "EST", "FIN", "FRA", "GRC", "HRV", "HUN", "IRL", "ITA", "LTU", "LUX", "LVA", "MLT", "NLD", "POL", "PRT", "ROU", "SVK", "SVN", "SWE"],
    "GCC": ["ARE", "BHR", "KWT", "OMN", "QAT", "SAU"],
    "IFAS": ["KAZ", "KGZ", "TJK", "TKM", "UZB"],
    "OTS": ["AZE", "KAZ", "KGZ", "TUR", "UZB"],
    "SCO": ["BLR", "CHN", "IND", "IRN", "KAZ", "KGZ", "PAK", "RUS", "TJK", "UZB"],
}
GROUP_PAIRS = sorted("%s-%s" % (min(g, m), max(g, m)) for g, ms in GROUP_MEMBERS.items() for m in ms)
# crates/analysis/src/panel.rs: Weights::default and goldstein.
DEFAULT_WEIGHTS = {"meeting": 1.0, "agreement": 3.0, "ratification": 2.0, "partnership": 5.0, "aid": 4.0,
                   "joint_activity": 3.0, "institution": 4.0}
GOLDSTEIN = {"agreement": 8.0, "ratification": 8.0, "partnership": 3.5, "meeting": 1.0, "aid": 7.0,
             "joint_activity": 6.0, "institution": 6.0}
DIMS = {"dyad": "dyad", "actor": "actor", "domain": "domain", "year": "period", "month": "period", "period": "period",
        "type": "type", "lang": "lang", "language": "lang", "kind": "kind"}
TIE = 1.0 + 1e-7


def parse_weights(spec):
    w = dict(DEFAULT_WEIGHTS)
    for part in (p.strip() for p in (spec or "").split(",")):
        if not part:
            continue
        t, _, v = part.partition("=")
        try:
            value = float(v)
        except ValueError:
            value = None
        if t.strip() not in w or value is None or not math.isfinite(value):
            raise SystemExit("panels: bad weights %r: expected TYPE=NUMBER pairs separated by commas, e.g. meeting=1,agreement=3" % spec)
        w[t.strip()] = value
    return w


def fmt(v):
    """A number as the CLI's tables write it (crates/cli/src/analysis_cmds.rs `f`)."""
    if abs(v - round(v)) < 1e-9:
        r = math.floor(abs(v) + 0.5)
        return str(int(r if v >= 0 else -r))
    return "%.4f" % v


def fmt_opt(v, none):
    return none if v is None else fmt(v)


def csv_field(s):
    return '"%s"' % s.replace('"', '""') if any(c in s for c in ',"\n') else s


def write_csv(path, header, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(",".join(header) + "\n")
        for r in rows:
            f.write(",".join(csv_field(c) for c in r) + "\n")


# ---- exact statistics (crates/analysis/src/stats.rs) ----------------------------------------

def ln_binomial(n, k):
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)


def binomial_pmf(k, n, p):
    if p == 0.0:
        return 1.0 if k == 0 else 0.0
    if p == 1.0:
        return 1.0 if k == n else 0.0
    return math.exp(ln_binomial(n, k) + k * math.log(p) + (n - k) * math.log1p(-p))


def binomial_test(k, n, p):
    d = binomial_pmf(k, n, p) * TIE
    total = 0.0
    for x in range(n + 1):
        q = binomial_pmf(x, n, p)
        if q <= d:
            total += q
    return min(total, 1.0)


def _betacf(a, b, x):
    """The continued fraction of the regularized incomplete beta function (modified Lentz)."""
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 100000):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < 1e-16:
            break
    return h


def beta_reg(a, b, x):
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    front = math.exp(math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x))
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _betacf(a, b, x) / a
    return 1.0 - front * _betacf(b, a, 1.0 - x) / b


def beta_quantile(a, b, p):
    """x with I_x(a, b) = p: bisection to the last bit (the CDF is monotone)."""
    lo, hi = 0.0, 1.0
    for _ in range(200):
        mid = (lo + hi) / 2.0
        if mid in (lo, hi):
            break
        if beta_reg(a, b, mid) < p:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2.0


def clopper_pearson(k, n, level):
    alpha = 1.0 - level
    lo = 0.0 if k == 0 else beta_quantile(k, n - k + 1.0, alpha / 2.0)
    hi = 1.0 if k == n else beta_quantile(k + 1.0, n - k, 1.0 - alpha / 2.0)
    return lo, hi


def rate_ratio(c1, t1, c0, t0, level):
    """(ratio, ci_low, ci_high, p) of stats::rate_ratio; None where it is undefined or infinite."""
    n = c1 + c0
    if n == 0:
        return None, None, None, 1.0
    ratio = (c1 / t1) / (c0 / t0) if c0 > 0 else None
    lo, hi = clopper_pearson(c1, n, level)
    to_rr = lambda p: p / (1.0 - p) * t0 / t1  # noqa: E731
    return ratio, to_rr(lo), (to_rr(hi) if hi < 1.0 else None), binomial_test(c1, n, t1 / (t1 + t0))


# ---- Spark SQL ------------------------------------------------------------------------------

def sql_list(values):
    return "array(%s)" % ", ".join("'%s'" % v for v in values)


# The dyads of an event: pairs of its actors with at least one Central Asian state, and no group
# with one of its own members (lib.rs `dyads`).
DYADS = """filter(
    flatten(transform(sequence(0, greatest(size(actors) - 2, 0)), i ->
        transform(slice(actors, i + 2, size(actors)), y ->
            concat(least(actors[i], y), '-', greatest(actors[i], y))))),
    d -> size(actors) >= 2 AND (array_contains({ca}, split(d, '-')[0]) OR array_contains({ca}, split(d, '-')[1]))
        AND NOT array_contains({groups}, d))""".format(
    ca=sql_list(CENTRAL_ASIA), groups=sql_list(GROUP_PAIRS)
)


def load(spark, path, args):
    from pyspark.sql import functions as F

    df = spark.read.parquet(path)
    unit = "greatest(reports, 1)" if args.reports else "1"
    weights = parse_weights(args.weights)
    w = "CASE type %s END" % " ".join("WHEN '%s' THEN %r" % (t, float(weights[t])) for t in TYPES)
    g = "CASE type %s END" % " ".join("WHEN '%s' THEN %r" % (t, GOLDSTEIN[t]) for t in TYPES)
    published = "published" if "published" in df.columns else "CAST(NULL AS STRING)"
    df = df.selectExpr(
        "event_id", "type", "actors", "domains", "date", "year", "multilateral", "languages",
        "CAST(%s AS BIGINT) AS unit" % unit, "CAST(%s AS DOUBLE) AS w" % w, "CAST(%s AS DOUBLE) AS g" % g,
        "%s AS published" % published,
    )
    # --from/--to keep the events dated in those years (the store's filter: an event's date, else
    # its document's, overlaps them; the Parquet's date already falls back on the document's).
    if args.from_year is not None:
        df = df.where(F.col("year") >= args.from_year)
    if args.to_year is not None:
        df = df.where(F.col("year") <= args.to_year)
    return df


def run_panel(events, args):
    from pyspark.sql import functions as F

    dims = [d.strip() for d in args.by.split(",") if d.strip()]
    if not dims:
        raise SystemExit("panels: --by needs at least one dimension")
    month = "month" in dims
    names, exprs = [], []
    for d in dims:
        if d not in DIMS:
            raise SystemExit("panels: unknown panel dimension %r (expected dyad, actor, domain, year, month, type, lang, kind)" % d)
        kind = DIMS[d]
        if kind == "period":
            kind = "month" if month else "year"
        if kind in names:
            raise SystemExit("panels: dimension %r given twice" % d)
        names.append(kind)
        expr = {
            "dyad": "explode(%s)" % DYADS,
            "actor": "explode(actors)",
            "domain": "explode(domains)",
            "year": "CAST(year AS STRING)",
            "month": "substr(date, 1, 7)",
            "type": "type",
            "lang": "explode(languages)",
            "kind": "CASE WHEN multilateral THEN 'multilateral' ELSE 'bilateral' END",
        }[kind]
        exprs.append("%s AS k_%s" % (expr, kind))
    if "lang" in names and args.reports:
        raise SystemExit("panels: lang with --reports needs each language's report count, which the Parquet does not hold")
    undated = 0
    if "year" in names or "month" in names:
        dated = "year IS NOT NULL" + (" AND length(date) >= 7" if month else "")
        undated = events.where("NOT (%s)" % dated).agg(F.sum("unit")).collect()[0][0] or 0
        events = events.where(dated)
    cells = events
    for e in exprs:  # Spark allows one generator per select
        cells = cells.selectExpr("*", e)
    cells = cells.groupBy(*["k_" + n for n in names]).agg(
        F.sum("unit").alias("count"), F.sum(F.col("unit") * F.col("w")).alias("intensity"),
        F.sum(F.col("unit") * F.col("g")).alias("goldstein"),
    )
    order = {"domain": DOMAINS.index, "type": TYPES.index, "year": int, "kind": ["bilateral", "multilateral"].index}
    rows = []
    for r in cells.collect():
        key = [r["k_" + n] for n in names]
        sort_key = tuple(order.get(n, str)(k) for n, k in zip(names, key))
        rows.append((sort_key, key + [str(r["count"]), fmt(r["intensity"]), fmt(r["goldstein"])]))
    rows.sort(key=lambda x: x[0])
    return names + ["count", "intensity", "goldstein"], [r for _, r in rows], undated


def window_of(events, args):
    """crates/analysis `Window::of`, then --from/--to (analysis_cmds.rs FilterArgs::window)."""
    from pyspark.sql import functions as F

    r = events.agg(
        F.min("year").alias("lo"), F.max("year").alias("hi"),
        F.max(F.substring("published", 1, 4).cast("int")).alias("latest"),
    ).collect()[0]
    lo, hi, latest = r["lo"], r["hi"], r["latest"]
    if lo is not None and latest is not None:
        hi = min(hi, max(latest, lo))
    frm = args.from_year if args.from_year is not None else lo
    to = args.to_year if args.to_year is not None else hi
    return frm, to


def run_before_after(events, args):
    from pyspark.sql import functions as F

    if not 0.0 < args.level < 1.0:
        raise SystemExit("panels: confidence level %s must be between 0 and 1" % args.level)
    frm, to = window_of(events, args)
    if frm is None or to is None:
        raise SystemExit("panels: no dated event to compare")
    if frm > to:
        raise SystemExit("panels: empty window %d–%d" % (frm, to))
    t0, t1 = float(args.breakpoint - frm), float(to - args.breakpoint + 1)
    if t0 <= 0 or t1 <= 0:
        return None, (
            "breakpoint %d leaves no year on one side of the window %d–%d (give --from/--to or another --breakpoint)"
            % (args.breakpoint, frm, to)
        )
    inside = events.where((F.col("year") >= frm) & (F.col("year") <= to)).withColumn(
        "after", F.col("year") >= args.breakpoint
    )
    hum = sql_list(HUMANITARIAN)
    scopes = [
        "array(named_struct('kind', 'all', 'dyad', CAST(NULL AS STRING), 'domain', CAST(NULL AS STRING)))",
        "transform(domains, d -> named_struct('kind', 'domain', 'dyad', CAST(NULL AS STRING), 'domain', d))",
        "CASE WHEN exists(domains, d -> array_contains(%s, d)) THEN array(named_struct('kind', 'humanitarian', "
        "'dyad', CAST(NULL AS STRING), 'domain', CAST(NULL AS STRING))) ELSE array() END" % hum,
        "transform(%s, x -> named_struct('kind', 'dyad', 'dyad', x, 'domain', CAST(NULL AS STRING)))" % DYADS,
    ]
    if args.dyad_domain:
        scopes.append(
            "flatten(transform(%s, x -> transform(domains, d -> named_struct('kind', 'dyad_domain', 'dyad', x, 'domain', d))))"
            % DYADS
        )
    grouped = (
        inside.selectExpr("unit", "after", "explode(concat(%s)) AS s" % ", ".join(scopes))
        .groupBy("s.kind", "s.dyad", "s.domain")
        .agg(
            F.sum(F.when(~F.col("after"), F.col("unit")).otherwise(0)).alias("before"),
            F.sum(F.when(F.col("after"), F.col("unit")).otherwise(0)).alias("after"),
        )
        .collect()
    )
    counts = {(r["kind"], r["dyad"], r["domain"]): (r["before"], r["after"]) for r in grouped}
    # Every domain, all events and the humanitarian domains have a row, even without events.
    for d in DOMAINS:
        counts.setdefault(("domain", None, d), (0, 0))
    counts.setdefault(("all", None, None), (0, 0))
    counts.setdefault(("humanitarian", None, None), (0, 0))
    # Scope order: kind, then dyad, then domain, None first (the derived order of compare::Scope).
    ordered = sorted(counts, key=lambda s: (s[0], s[1] is not None, s[1] or "", s[2] is not None, s[2] or ""))
    rows = []
    for kind, dyad, domain in ordered:
        c0, c1 = counts[(kind, dyad, domain)]
        ratio, lo, hi, p = rate_ratio(c1, t1, c0, t0, args.level)
        label = {"all": "all events", "humanitarian": "humanitarian domains"}.get(kind) or (
            "%s · %s" % (dyad, domain) if dyad and domain else dyad or domain
        )
        rows.append([kind, label, str(c0), fmt(t0), str(c1), fmt(t1), fmt_opt(ratio, "inf"), fmt_opt(lo, ""),
                     fmt_opt(hi, "inf"), "%.6f" % p])
    header = ["scope", "group", "before", "years_before", "after", "years_after", "rate_ratio", "ci_low", "ci_high", "p_value"]
    return (header, rows), None


def parse_args(argv):
    p = argparse.ArgumentParser(prog="panels.py", description=__doc__.split("\n\n")[0])
    p.add_argument("--by", default="dyad,domain,year", help="panel dimensions: dyad, actor, domain, year, month, type, lang, kind")
    p.add_argument("--reports", action="store_true", help="count reports (articles) instead of events")
    p.add_argument("--weights", help="intensity weights per type, e.g. meeting=1,agreement=3")
    p.add_argument("--breakpoint", type=int, default=2017, help="first year of the 'after' period")
    p.add_argument("--from", dest="from_year", type=int, help="first year (events and window)")
    p.add_argument("--to", dest="to_year", type=int, help="last year (events and window)")
    p.add_argument("--level", type=float, default=0.95, help="confidence level of the intervals")
    p.add_argument("--dyad-domain", action="store_true", help="also compare every dyad within every domain")
    p.add_argument("events", metavar="EVENTS", help="Parquet events (hamkor_code.py output, or hamkor export)")
    p.add_argument("outdir", metavar="OUTDIR", help="folder for panel.csv and before_after.csv")
    return p.parse_args(argv)


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    parse_weights(args.weights)
    from pyspark.sql import SparkSession

    spark = SparkSession.builder.appName("hamkor panels").getOrCreate()
    events = load(spark, args.events, args).cache()
    os.makedirs(args.outdir, exist_ok=True)
    header, rows, undated = run_panel(events, args)
    write_csv(os.path.join(args.outdir, "panel.csv"), header, rows)
    print("panels: panel.csv: %d cells by %s%s" % (len(rows), args.by, ", %d undated events left out" % undated if undated else ""),
          file=sys.stderr)
    table, why = run_before_after(events, args)
    target = os.path.join(args.outdir, "before_after.csv")
    if table:
        write_csv(target, *table)
        print("panels: before_after.csv: %d scopes, breakpoint %d" % (len(table[1]), args.breakpoint), file=sys.stderr)
    else:
        if os.path.exists(target):
            os.remove(target)
        print("panels: no before/after comparison: %s" % why, file=sys.stderr)
    spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
