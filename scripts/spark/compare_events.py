#!/usr/bin/env python3
"""Check that a Spark run coded the same events as `hamkor code` on the same lines.

    python3 scripts/spark/compare_events.py SPARK_OUTPUT HAMKOR_CODE_OUTPUT.jsonl

Events are keyed by document id and compared by type, actors, domains, the coder's date and the
evidence span (byte offsets); hamkor's diagnostics are compared with OUTPUT/_diagnostics. Prints
the differences (at most 20) and exits 1 when there is any, else prints the totals and exits 0.
"""

import collections
import json
import sys

import pyarrow.dataset as ds


def spark_side(path):
    events = collections.defaultdict(list)
    table = ds.dataset(path, format="parquet").to_table(
        columns=["document_id", "type", "actors", "domains", "date", "date_from_document", "evidence_start", "evidence_end"]
    )
    for r in table.to_pylist():
        date = None if r["date_from_document"] else r["date"]
        events[r["document_id"]].append(
            (r["type"], tuple(r["actors"]), tuple(r["domains"]), date, r["evidence_start"], r["evidence_end"])
        )
    diagnostics = collections.defaultdict(list)
    diag = ds.dataset(path + "/_diagnostics", format="parquet").to_table()
    for r in diag.to_pylist():
        if r["origin"] != "coder":
            continue  # rows the job did not send to hamkor: hamkor code has nothing to say of them
        diagnostics[r["document_id"]].append((r["origin"], r["code"], r["message"]))
    return events, diagnostics


def hamkor_side(path):
    events = collections.defaultdict(list)
    diagnostics = collections.defaultdict(list)
    documents = 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            answer = json.loads(line)
            documents += 1
            for e in answer["events"]:
                ev = e["evidence"]
                events[answer["id"]].append(
                    (e["type"], tuple(e["actors"]), tuple(e["domains"]), e["date"], ev["start"], ev["end"])
                )
            for d in answer.get("diagnostics", []):
                diagnostics[answer["id"]].append(("coder", d["code"], d["message"]))
    return events, diagnostics, documents


def main():
    spark_events, spark_diags = spark_side(sys.argv[1])
    code_events, code_diags, documents = hamkor_side(sys.argv[2])
    differences = []
    for what, a, b in (("events", code_events, spark_events), ("diagnostics", code_diags, spark_diags)):
        for doc in sorted(set(a) | set(b), key=str):
            x, y = sorted(a.get(doc, [])), sorted(b.get(doc, []))
            if x != y:
                differences.append("%s of %s:\n  hamkor code: %s\n  spark:       %s" % (what, doc, x, y))
    for d in differences[:20]:
        print(d)
    n_events = sum(len(v) for v in code_events.values())
    if differences:
        print("%d documents differ" % len(differences))
        return 1
    print("same events: %d documents, %d events, %d diagnostics" % (documents, n_events, sum(len(v) for v in code_diags.values())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
