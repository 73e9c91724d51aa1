#!/usr/bin/env python3
"""Code documents into cooperation events on Apache Spark, with the hamkor binary itself.

    spark-submit [--master URL] scripts/spark/hamkor_code.py [--binary PATH] INPUT OUTPUT

INPUT is JSON lines (the input lines of `hamkor code --format jsonl`: `id`, `text`, optional
`lang`, `date`, `source`; compressed files too) or Parquet with those columns. OUTPUT is a Parquet
dataset, one row per coded event, with the columns of `hamkor export --format parquet`
(docs/exports.md) followed by `document_id` and what a store needs to take the events back
(`hamkor import events`): the evidence's byte span, the coder's confidence and cues, the lexicon
version and the document's publication date. Diagnostics (the coder's, and input rows that could
not be coded, each named) go to OUTPUT/_diagnostics, which Spark and pyarrow skip when they read
OUTPUT. docs/scale.md says how to run this on a cluster.

How a partition is coded: the binary is shipped with SparkContext.addFile and run by absolute
path, once per partition, as `hamkor code --format jsonl` in a clean environment (LC_ALL=C.UTF-8,
RAYON_NUM_THREADS = the task's cores). A writer thread feeds its standard input while this thread
reads its standard output (and another drains standard error), so neither pipe can fill up and
block the other. Output lines are matched to their documents by id, never by position. The task
fails, with hamkor's own message, when hamkor exits non-zero or answers fewer documents than it
was given: a partition is never silently short.
"""

import argparse
import collections
import datetime
import hashlib
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import threading
import time

# The crosswalk of docs/exports.md (crates/analysis/src/panel.rs: cameo_code, goldstein, quad_code):
# type -> (PLOVER, CAMEO, CAMEO root, Goldstein, quad).
CROSSWALK = {
    "agreement": ("AGREE", "057", "05", 8.0, 1),
    "ratification": ("AGREE", "057", "05", 8.0, 1),
    "partnership": ("AGREE", "05", "05", 3.5, 1),
    "meeting": ("CONSULT", "04", "04", 1.0, 1),
    "aid": ("AID", "07", "07", 7.0, 2),
    "joint_activity": ("COOPERATE", "06", "06", 6.0, 2),
    "institution": ("COOPERATE", "06", "06", 6.0, 2),
}

# crates/analysis/src/lib.rs NON_STATE_CODES (a Rust test checks that the two lists agree).
NON_STATE_CODES = frozenset([
    "ADB", "AIIB", "CAREC", "CAS", "CICA", "CIS", "CSTO", "EAEU", "EBRD", "ECO", "EDB", "EU", "GAVI", "GCC", "ICRC",
    "IFAS", "IOM", "ISDB", "OECD", "OSCE", "OTS", "SCO", "UN", "UNDP", "UNESCO", "UNHCR", "UNICEF", "UNRCCA", "WB",
    "WHO",
])

# The columns of `hamkor export --format parquet` (crates/export/src/parquet_out.rs), in order,
# as Spark DDL: name, type, nullable.
EXPORT_COLUMNS = [
    ("event_id", "bigint", False),
    ("date", "string", True),
    ("date_start", "date", True),
    ("date_end", "date", True),
    ("year", "int", True),
    ("date_from_document", "boolean", False),
    ("type", "string", False),
    ("actors", "array<string>", False),
    ("n_actors", "int", False),
    ("multilateral", "boolean", False),
    ("domains", "array<string>", False),
    ("agreement", "string", True),
    ("format", "string", True),
    ("plover", "string", False),
    ("cameo", "string", False),
    ("cameo_root", "string", False),
    ("goldstein", "double", False),
    ("quad", "int", False),
    ("reports", "int", False),
    ("document_ids", "array<bigint>", False),
    ("languages", "array<string>", False),
    ("sources", "array<string>", False),
    ("evidence", "array<string>", False),
]
# What follows them: the document, and what `hamkor import events` needs to store the event as
# coded (the export's `evidence` is text; a store keeps byte offsets).
EXTRA_COLUMNS = [
    ("document_id", "string", False),
    ("evidence_start", "bigint", False),
    ("evidence_end", "bigint", False),
    ("confidence", "double", False),
    ("cues", "array<struct<role:string,start:bigint,end:bigint>>", False),
    ("lexicon", "string", False),
    ("published", "string", True),
]
EVENT_COLUMNS = EXPORT_COLUMNS + EXTRA_COLUMNS
DIAGNOSTIC_COLUMNS = [
    ("document_id", "string", True),
    ("origin", "string", False),  # "coder": hamkor's diagnostic; "input": the row was not coded
    ("code", "string", False),
    ("message", "string", False),
    ("span_start", "bigint", True),
    ("span_end", "bigint", True),
]
# One pass over the input makes both; a `kind` column tells them apart until they are written.
# Every column of it is nullable (an event row has no diagnostic and the other way round); the
# written datasets get their own nullability back (`written`).
COMBINED_COLUMNS = [("kind", "string", False)] + [(n, t, True) for n, t, _ in EVENT_COLUMNS] + [
    ("diag_" + n, t, True) for n, t, _ in DIAGNOSTIC_COLUMNS
]

# Unicode White_Space, as Rust's str::split_whitespace splits (Python's str.split also splits on
# \x1c-\x1f, which Rust does not).
_WHITESPACE = re.compile("[\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+")
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")

OUTPUT_BATCH_ROWS = 4096


def one_line(s):
    """The export's evidence text: whitespace runs folded to one space, trimmed."""
    return _WHITESPACE.sub(" ", s).strip(" ")


def parse_partial_date(s):
    """(year, month or None, day or None) of a spec date (YYYY, YYYY-MM, YYYY-MM-DD), else None."""
    m = _DATE.match(s)
    if not m:
        return None
    y, mo, d = int(m.group(1)), m.group(2), m.group(3)
    if mo is None:
        return (y, None, None)
    mo = int(mo)
    if not 1 <= mo <= 12:
        return None
    if d is None:
        return (y, mo, None)
    try:
        datetime.date(y, mo, int(d))
    except ValueError:
        return None
    return (y, mo, int(d))


def date_bounds(p):
    """The first and last day a partial date covers (crates/export: row)."""
    y, mo, d = p
    lo = datetime.date(y, mo or 1, d or 1)
    hm = mo or 12
    if d is not None:
        hi = lo
    else:
        nxt = datetime.date(y + 1, 1, 1) if hm == 12 else datetime.date(y, hm + 1, 1)
        hi = nxt - datetime.timedelta(days=1)
    return lo, hi


def event_id(document_id, ordinal):
    """A stable 63-bit id of the n-th event of a document (the store gives its own on import)."""
    h = hashlib.blake2b(("%s\x00%d" % (document_id, ordinal)).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(h, "big") & 0x7FFF_FFFF_FFFF_FFFF


class Doc:
    __slots__ = ("id", "text", "date", "source", "lang")

    def __init__(self, id, text, date, source, lang):
        self.id, self.text, self.date, self.source, self.lang = id, text, date, source, lang


def clean_env(task_cpus):
    """hamkor's environment: nothing inherited but a plain PATH, a UTF-8 locale, and as many
    coding threads as the task has cores (hamkor would otherwise use every core of the node,
    beside the other tasks on it)."""
    return {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "LC_ALL": "C.UTF-8",
        "LANG": "C.UTF-8",
        "RAYON_NUM_THREADS": str(max(1, task_cpus)),
    }


def executable(path):
    """The shipped binary, runnable: Spark marks fetched files executable, but a file system that
    drops the bit gets a private copy that has it."""
    if os.access(path, os.X_OK):
        return path
    copy = os.path.join(tempfile.mkdtemp(prefix="hamkor-"), os.path.basename(path))
    shutil.copyfile(path, copy)
    os.chmod(copy, os.stat(copy).st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return copy


# The event columns a partition fills row by row; the rest are derived from the type, constant
# or empty, and filled a batch at a time.
BUFFERED = ["event_id", "date", "date_start", "date_end", "year", "date_from_document", "type", "actors", "n_actors",
            "multilateral", "domains", "languages", "sources", "evidence", "document_id", "evidence_start",
            "evidence_end", "confidence", "cues", "lexicon", "published"]
_DATES = {}


def date_info(s):
    """(year, first day, last day) of a spec date, cached: a partition repeats its dates."""
    info = _DATES.get(s)
    if info is None:
        p = parse_partial_date(s)
        info = (p[0],) + date_bounds(p) if p else (None, None, None)
        if len(_DATES) < 100_000:
            _DATES[s] = info
    return info


class Output:
    """Rows of the combined output, buffered column by column: events and diagnostics apart, each
    made into Arrow batches of the combined schema (the other kind's columns null)."""

    def __init__(self, schema):
        import pyarrow as pa

        self.pa, self.schema = pa, schema
        self.events = {n: [] for n in BUFFERED}
        self.diags = {n: [] for n, _, _ in DIAGNOSTIC_COLUMNS}
        self.n_events = 0  # events in this partition so far

    def rows(self):
        return len(self.events["type"]) + len(self.diags["code"])

    def document(self, doc, answer):
        """The events and diagnostics of one answered document."""
        evs = answer.get("events")
        if evs:
            e = self.events
            lang = [answer.get("lang") or "und"]
            sources = [doc.source] if doc.source else []
            text = doc.text.encode("utf-8")
            published = doc.date is not None
            for ordinal, ev in enumerate(evs):
                date, from_document = ev.get("date"), False
                if date is None and published:
                    date, from_document = doc.date, True
                year, lo, hi = date_info(date) if date else (None, None, None)
                actors = ev["actors"]
                span = ev["evidence"]
                start, end = span["start"], span["end"]
                e["event_id"].append(event_id(doc.id, ordinal))
                e["date"].append(date)
                e["date_start"].append(lo)
                e["date_end"].append(hi)
                e["year"].append(year)
                e["date_from_document"].append(from_document)
                e["type"].append(ev["type"])
                e["actors"].append(actors)
                e["n_actors"].append(len(actors))
                e["multilateral"].append(len(actors) > 2 or any(a in NON_STATE_CODES for a in actors))
                e["domains"].append(ev["domains"])
                e["languages"].append(lang)
                e["sources"].append(sources)
                e["evidence"].append([one_line(text[start:end].decode("utf-8"))])
                e["document_id"].append(doc.id)
                e["evidence_start"].append(start)
                e["evidence_end"].append(end)
                e["confidence"].append(float(ev.get("confidence", 0.0)))
                e["cues"].append([{"role": c["role"], "start": c["span"]["start"], "end": c["span"]["end"]}
                                  for c in ev.get("cues", ())])
                e["lexicon"].append(ev.get("lexicon", ""))
                e["published"].append(doc.date)
            self.n_events += len(evs)
        for d in answer.get("diagnostics", ()):
            self.diagnostic(doc.id, "coder", d.get("code", ""), d.get("message", ""), d.get("span"))

    def diagnostic(self, document_id, origin, code, message, span=None):
        d = self.diags
        d["document_id"].append(document_id)
        d["origin"].append(origin)
        d["code"].append(code)
        d["message"].append(message)
        d["span_start"].append(span["start"] if span else None)
        d["span_end"].append(span["end"] if span else None)

    def batches(self):
        """What is buffered, as Arrow batches; the buffers are emptied."""
        pa, schema = self.pa, self.schema
        out = []
        n = len(self.events["type"])
        if n:
            cols = {k: pa.array(v, type=schema.field(k).type) for k, v in self.events.items()}
            types = self.events["type"]
            for k, name in enumerate(["plover", "cameo", "cameo_root", "goldstein", "quad"]):
                cols[name] = pa.array([CROSSWALK[t][k] for t in types], type=schema.field(name).type)
            cols["kind"] = pa.array(["event"] * n, pa.string())
            cols["reports"] = pa.array([1] * n, schema.field("reports").type)
            cols["document_ids"] = pa.ListArray.from_arrays(
                pa.array([0] * (n + 1), pa.int32()), pa.array([], pa.int64())
            ).cast(schema.field("document_ids").type)
            out.append(self._batch(cols, n))
            self.events = {k: [] for k in BUFFERED}
        m = len(self.diags["code"])
        if m:
            cols = {"diag_" + k: pa.array(v, type=schema.field("diag_" + k).type) for k, v in self.diags.items()}
            cols["kind"] = pa.array(["diagnostic"] * m, pa.string())
            out.append(self._batch(cols, m))
            self.diags = {k: [] for k, _, _ in DIAGNOSTIC_COLUMNS}
        return out

    def _batch(self, cols, n):
        pa = self.pa
        arrays = [cols[f.name] if f.name in cols else pa.nulls(n, f.type) for f in self.schema]
        return pa.RecordBatch.from_arrays(arrays, schema=self.schema)


def string_values(batch, name):
    """A column as Python strings (None where null or absent); bytes that are not UTF-8 become
    the marker BAD_UTF8 so that the row is reported rather than the task failing."""
    import pyarrow as pa

    if name not in batch.schema.names:
        return [None] * batch.num_rows
    col = batch.column(batch.schema.get_field_index(name))
    if not (pa.types.is_string(col.type) or pa.types.is_large_string(col.type)):
        col = col.cast(pa.string())
    out = []
    for v in col.cast(pa.binary()).to_pylist():
        if v is None:
            out.append(None)
        else:
            try:
                out.append(v.decode("utf-8"))
            except UnicodeDecodeError:
                out.append(BAD_UTF8)
    return out


BAD_UTF8 = object()


def validate(id_, text, lang, date, source, corrupt, origin_file):
    """Why hamkor would refuse this row (None when it can be coded). The checks are those of
    `hamkor code`'s parser, so that a row it would reject is reported here instead of making it
    exit 1 and fail the whole task."""
    where = origin_file or "input"
    if corrupt is not None:
        snippet = corrupt if corrupt is not BAD_UTF8 else "(not UTF-8)"
        return "bad-json", "%s: malformed JSON line: %.200s" % (where, snippet)
    if id_ is None or id_ is BAD_UTF8:
        return "no-id", "%s: a row without a (UTF-8) \"id\"" % where
    if text is None:
        return "no-text", "%s: document %s has no \"text\"" % (where, id_)
    if text is BAD_UTF8:
        return "bad-utf8", "%s: document %s: \"text\" is not valid UTF-8" % (where, id_)
    for name, v in (("lang", lang), ("date", date), ("source", source)):
        if v is BAD_UTF8:
            return "bad-utf8", "%s: document %s: %r is not valid UTF-8" % (where, id_, name)
    if date is not None and parse_partial_date(date) is None:
        return "bad-date", "%s: document %s: bad \"date\" %r (expected YYYY, YYYY-MM or YYYY-MM-DD)" % (where, id_, date)
    return None


def code_partition(batches, binary_name, task_cpus, counters, schema):
    """mapInArrow function: run one hamkor over the partition's documents; `schema` is the Arrow
    schema of the combined output."""
    from pyspark import SparkFiles, TaskContext

    binary = executable(SparkFiles.get(binary_name))
    ctx = TaskContext.get()
    partition = ctx.partitionId() if ctx else -1
    proc = subprocess.Popen(
        [binary, "code", "--format", "jsonl"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=clean_env(task_cpus),
        close_fds=True,
    )
    pending = {}  # id -> deque of Doc, in the order they were written
    lock = threading.Lock()
    rejected = collections.deque()  # diagnostic rows of input rows not sent to hamkor
    failure = []  # the writer thread's exception, if any
    sent = [0]
    stderr_tail = collections.deque(maxlen=40)

    def write():
        out = proc.stdin
        try:
            for batch in batches:
                ids = string_values(batch, "id")
                texts = string_values(batch, "text")
                langs = string_values(batch, "lang")
                dates = string_values(batch, "date")
                sources = string_values(batch, "source")
                corrupt = string_values(batch, "_corrupt_record")
                files = string_values(batch, "_input_file")
                lines = []
                for k in range(batch.num_rows):
                    why = validate(ids[k], texts[k], langs[k], dates[k], sources[k], corrupt[k], files[k])
                    if why:
                        doc_id = ids[k] if isinstance(ids[k], str) else None
                        rejected.append((doc_id, "input", why[0], why[1]))
                        continue
                    doc = Doc(ids[k], texts[k], dates[k], sources[k], langs[k])
                    obj = {"id": doc.id, "text": doc.text}
                    if doc.lang is not None:
                        obj["lang"] = doc.lang
                    if doc.date is not None:
                        obj["date"] = doc.date
                    if doc.source is not None:
                        obj["source"] = doc.source
                    with lock:
                        pending.setdefault(doc.id, collections.deque()).append(doc)
                    lines.append(json.dumps(obj, ensure_ascii=False))
                    sent[0] += 1
                if lines:
                    out.write(("\n".join(lines) + "\n").encode("utf-8", "surrogatepass"))
        except BrokenPipeError:
            pass  # hamkor stopped reading: its exit status and message say why
        except BaseException as e:  # noqa: BLE001 - re-raised on the task's thread
            failure.append(e)
        finally:
            try:
                out.close()
            except BrokenPipeError:
                pass

    def drain_stderr():
        for line in proc.stderr:
            stderr_tail.append(line.decode("utf-8", "replace").rstrip("\n"))

    writer = threading.Thread(target=write, name="hamkor-stdin", daemon=True)
    reader = threading.Thread(target=drain_stderr, name="hamkor-stderr", daemon=True)
    writer.start()
    reader.start()

    output = Output(schema)
    answered = 0
    try:
        for raw in proc.stdout:
            answer = json.loads(raw)
            doc_id = answer.get("id")
            with lock:
                queue = pending.get(doc_id)
                doc = queue.popleft() if queue else None
                if queue is not None and not queue:
                    del pending[doc_id]
            if doc is None:
                raise RuntimeError(
                    "hamkor answered for document %r, which this partition did not send it (partition %d)"
                    % (doc_id, partition)
                )
            if "error" in answer:
                raise RuntimeError("hamkor refused document %r: %s" % (doc_id, answer["error"]))
            answered += 1
            output.document(doc, answer)
            while rejected:
                output.diagnostic(*rejected.popleft())
            if output.rows() >= OUTPUT_BATCH_ROWS:
                yield from output.batches()
    finally:
        # On any way out (an error here, Spark cancelling the task), leave no hamkor behind.
        if proc.poll() is None and (writer.is_alive() or failure):
            proc.kill()
    writer.join()
    status = proc.wait()
    reader.join()
    if failure:
        raise RuntimeError("feeding hamkor failed on partition %d: %r" % (partition, failure[0])) from failure[0]
    if status != 0:
        raise RuntimeError(
            "hamkor exited with status %d on partition %d after %d of %d documents:\n%s"
            % (status, partition, answered, sent[0], "\n".join(stderr_tail) or "(nothing on standard error)")
        )
    if pending:
        missing = sorted(pending)[:5]
        raise RuntimeError(
            "hamkor answered %d of the %d documents of partition %d (none for %s...)" % (answered, sent[0], partition, missing)
        )
    while rejected:
        output.diagnostic(*rejected.popleft())
    counters["documents"].add(answered)
    counters["events"].add(output.n_events)
    yield from output.batches()


def written(columns, prefix=""):
    """The combined output's columns as one of the datasets: renamed, and non-nullable where the
    dataset's schema says so (coalesce with a value that never applies: Spark's way of telling the
    Parquet writer that a column has no nulls)."""
    from pyspark.sql import functions as F

    out = []
    for name, ddl, nullable in columns:
        col = F.col(prefix + name)
        if not nullable:
            col = F.coalesce(col, F.expr("CAST(%s AS %s)" % (_NEVER.get(ddl.split("<")[0], "NULL"), ddl)))
        out.append(col.alias(name))
    return out


_NEVER = {"bigint": "0", "int": "0", "double": "0", "boolean": "false", "string": "''", "array": "array()"}


def spark_type(ddl):
    from pyspark.sql.types import _parse_datatype_string

    return _parse_datatype_string(ddl)


def struct_of(columns):
    from pyspark.sql.types import StructField, StructType

    return StructType([StructField(n, spark_type(t), nullable) for n, t, nullable in columns])


def arrow_schema(struct):
    from pyspark.sql.pandas.types import to_arrow_schema

    return to_arrow_schema(struct)


INPUT_FIELDS = ["id", "text", "lang", "date", "source"]


def read_input(spark, path, fmt):
    from pyspark.sql import functions as F

    if fmt == "auto":
        fmt = "parquet" if path.rstrip("/").endswith(".parquet") or _is_parquet_dir(path) else "jsonl"
    if fmt == "parquet":
        df = spark.read.parquet(path)
        missing = [c for c in ("id", "text") if c not in df.columns]
        if missing:
            raise SystemExit("hamkor_code: %s: no %s column (the input needs id and text)" % (path, " and ".join(missing)))
        cols = [F.col(c).cast("string").alias(c) if c in df.columns else F.lit(None).cast("string").alias(c) for c in INPUT_FIELDS]
        return df.select(*cols, F.lit(None).cast("string").alias("_corrupt_record"), F.input_file_name().alias("_input_file"))
    schema = ", ".join("%s STRING" % c for c in INPUT_FIELDS) + ", _corrupt_record STRING"
    df = (
        spark.read.schema(schema)
        .option("mode", "PERMISSIVE")
        .option("columnNameOfCorruptRecord", "_corrupt_record")
        .json(path)
    )
    return df.select(*INPUT_FIELDS, "_corrupt_record", F.input_file_name().alias("_input_file"))


def _is_parquet_dir(path):
    if not os.path.isdir(path):
        return False
    names = [n for n in os.listdir(path) if not n.startswith((".", "_"))]
    return bool(names) and all(n.endswith(".parquet") for n in names)


def resolve_binary(given):
    path = given or shutil.which("hamkor")
    if not path:
        raise SystemExit("hamkor_code: no hamkor binary: pass --binary PATH (e.g. target/release/hamkor)")
    path = os.path.abspath(path)
    if not os.path.isfile(path):
        raise SystemExit("hamkor_code: --binary %s: no such file" % path)
    try:
        subprocess.run([path, "--version"], env=clean_env(1), check=True, capture_output=True, timeout=60)
    except (OSError, subprocess.SubprocessError) as e:
        raise SystemExit("hamkor_code: --binary %s does not run here: %s" % (path, e))
    return path


def parse_args(argv):
    p = argparse.ArgumentParser(
        prog="hamkor_code.py",
        description="Code documents into cooperation events on Spark with the hamkor binary (docs/scale.md).",
    )
    p.add_argument("--binary", help="the hamkor binary to ship to the executors [default: hamkor on PATH]")
    p.add_argument("--input-format", choices=["auto", "jsonl", "parquet"], default="auto")
    p.add_argument("--partitions", type=int, help="repartition the input into N partitions first (a shuffle)")
    p.add_argument("--overwrite", action="store_true", help="replace OUTPUT if it exists")
    p.add_argument("input", metavar="INPUT", help="JSON lines or Parquet: id, text, optional lang, date, source")
    p.add_argument("output", metavar="OUTPUT", help="Parquet dataset of events (diagnostics in OUTPUT/_diagnostics)")
    return p.parse_args(argv)


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    binary = resolve_binary(args.binary)
    from pyspark import StorageLevel
    from pyspark.sql import SparkSession
    from pyspark.sql import functions as F

    spark = SparkSession.builder.appName("hamkor code").getOrCreate()
    sc = spark.sparkContext
    started = time.time()
    sc.addFile(binary)
    binary_name = os.path.basename(binary)
    task_cpus = int(sc.getConf().get("spark.task.cpus", "1"))
    counters = {"documents": sc.accumulator(0), "events": sc.accumulator(0)}

    df = read_input(spark, args.input, args.input_format)
    if args.partitions:
        df = df.repartition(args.partitions)
    combined = struct_of(COMBINED_COLUMNS)
    schema = arrow_schema(combined)
    coded = df.mapInArrow(
        lambda batches: code_partition(batches, binary_name, task_cpus, counters, schema), combined
    ).persist(StorageLevel.MEMORY_AND_DISK)
    mode = "overwrite" if args.overwrite else "errorifexists"
    events = coded.where(F.col("kind") == "event").select(*written(EVENT_COLUMNS))
    events.write.mode(mode).parquet(args.output)
    diagnostics = coded.where(F.col("kind") == "diagnostic").select(*written(DIAGNOSTIC_COLUMNS, "diag_"))
    diagnostics.write.mode("overwrite").parquet(args.output.rstrip("/") + "/_diagnostics")
    counts = {r["origin"]: r["count"] for r in diagnostics.groupBy("origin").count().collect()}
    coded.unpersist()
    elapsed = time.time() - started
    docs = counters["documents"].value
    print(
        "hamkor_code: %d documents coded, %d events, %d coder diagnostics, %d input rows not coded; "
        "%.1f s, %.0f documents/s; events in %s, diagnostics in %s/_diagnostics"
        % (docs, counters["events"].value, counts.get("coder", 0), counts.get("input", 0), elapsed,
           docs / max(elapsed, 1e-9), args.output, args.output.rstrip("/")),
        file=sys.stderr,
    )
    spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
