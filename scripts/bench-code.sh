#!/usr/bin/env bash
# Coding benchmark: the product end to end, against what a user would pick instead.
#
#   scripts/bench-code.sh [EVAL_DIR] [MB]
#
# 1. builds at least MB megabytes (default 50) of JSON lines from the development passages in
#    EVAL_DIR/dev and EVAL_DIR/dev2 (default ../shared/eval): `lang` taken out, every copy of a
#    passage under its own id. The passages are read from there and written to a temporary
#    folder only; nothing of them is copied into the repository.
# 2. times `hamkor code --format jsonl` on those bytes end to end (start, lexicon, reading, coding,
#    writing) on one thread and on all threads; then once more on the same lines with `lang` set
#    to the language hamkor identified for each, which tells what identification costs (the
#    coding is otherwise the same);
# 3. in the same run, on the same file: ripgrep -F -i with the lexicon's actor names, flashtext
#    and spaCy blank("xx") + PhraseMatcher(attr="LOWER") over the same names (flashtext and spaCy
#    from PyPI, in a virtual environment made under target/; ripgrep from PATH, else apt-get);
# 4. prints MB/s for each and hamkor's ratios. Figures only; no pass or fail.
#
# HAMKOR_BIN: time another build of hamkor (default: the release build, built here).
set -euo pipefail
cd "$(dirname "$0")/.."
EVAL=${1:-../shared/eval}
MB=${2:-50}
for set in dev dev2; do
    [ -f "$EVAL/$set/corpus.jsonl" ] || { echo "no $EVAL/$set/corpus.jsonl (give the eval folder as first argument)" >&2; exit 2; }
done
if [ -n "${HAMKOR_BIN:-}" ]; then
    BIN=$HAMKOR_BIN
else
    cargo build --release -p hamkor >&2
    BIN=$PWD/target/release/hamkor
fi
VENV=${BENCH_VENV:-$PWD/target/bench-venv}
WORK=$(mktemp -d /tmp/hamkor-bench-code.XXXXXX)
trap '[ "${KEEP:-0}" = 1 ] && echo "kept: $WORK" >&2 || rm -rf "$WORK"' EXIT
CORES=$(nproc)

if ! command -v rg > /dev/null; then
    echo "installing ripgrep (apt-get)" >&2
    (apt-get install -y -q ripgrep > /dev/null 2>&1 || sudo -n apt-get install -y -q ripgrep > /dev/null 2>&1) || true
fi
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import spacy, flashtext' 2> /dev/null; then
    echo "installing flashtext and spaCy into $VENV" >&2
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q flashtext spacy >&2
fi

# The input: whole copies of dev + dev2 until MB megabytes; unique ids; with and without lang.
python3 - "$EVAL" "$MB" "$WORK" <<'PY'
import json, sys
src, mb, work = sys.argv[1], float(sys.argv[2]), sys.argv[3]
docs = []
for s in ("dev", "dev2"):
    for line in open(f"{src}/{s}/corpus.jsonl", encoding="utf-8"):
        if line.strip():
            docs.append(json.loads(line))
size, copy = 0, 0
with open(f"{work}/in.jsonl", "w", encoding="utf-8") as out:
    while size < mb * 1e6:
        copy += 1
        for d in docs:
            d = dict(d, id=f"{d['id']}~{copy}")
            d.pop("lang", None)
            line = json.dumps(d, ensure_ascii=False) + "\n"
            out.write(line)
            size += len(line.encode("utf-8"))
print(f"{len(docs)} passages x {copy} copies = {copy * len(docs)} documents, {size / 1e6:.1f} MB (no lang)")
PY

# The lexicon's actor names (names of states, organisations and groups in every language; the
# "=" that marks a whole-word name taken off), one a line.
python3 - lexicon/actors.toml "$WORK/names.txt" <<'PY'
import sys, tomllib
names = set()
for a in tomllib.load(open(sys.argv[1], "rb"))["actor"]:
    for per_lang in a.get("names", {}).values():
        names.update(n.replace("=", "").strip() for n in per_lang)
names.discard("")
open(sys.argv[2], "w", encoding="utf-8").write("".join(n + "\n" for n in sorted(names)))
print(f"{len(names)} actor names from lexicon/actors.toml")
PY

BYTES=$(stat -c %s "$WORK/in.jsonl")
# Best of RUNS (default 3) runs of a command: "wall cpu" in seconds (cpu = user + system; on a
# shared machine CPU time varies less than wall time).
RUNS=${RUNS:-3}
best() {
    for _ in $(seq 1 "$RUNS"); do
        /usr/bin/time -f "%e %U %S" -o "$WORK/time" "$@" > /dev/null
        awk '{print $1, $2 + $3}' "$WORK/time"
    done | sort -n | head -1
}

cat > "$WORK/flash.py" <<'PY'
import json, sys
from flashtext import KeywordProcessor
names = open(sys.argv[1], encoding="utf-8").read().split("\n")
kp = KeywordProcessor(case_sensitive=False)
# Letters of every alphabet in the names are part of words (flashtext knows ASCII only).
kp.set_non_word_boundaries(set(kp.non_word_boundaries) | {c.lower() for n in names for c in n if c.isalnum()})
for n in names:
    if n:
        kp.add_keyword(n)
found = 0
for line in open(sys.argv[2], encoding="utf-8"):
    found += len(kp.extract_keywords(json.loads(line)["text"]))
print(found)
PY
cat > "$WORK/spacy_pm.py" <<'PY'
import json, sys
import spacy
from spacy.matcher import PhraseMatcher
nlp = spacy.blank("xx")
names = [n for n in open(sys.argv[1], encoding="utf-8").read().split("\n") if n]
matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
matcher.add("ACTOR", list(nlp.tokenizer.pipe(names)))
texts = (json.loads(line)["text"] for line in open(sys.argv[2], encoding="utf-8"))
found = 0
for doc in nlp.tokenizer.pipe(texts, batch_size=256):
    found += len(matcher(doc))
print(found)
PY

# The same lines with the language hamkor finds for each given (output lines follow input lines).
"$BIN" code --format jsonl "$WORK/in.jsonl" | python3 -c '
import json, sys
with open(sys.argv[1], encoding="utf-8") as src, open(sys.argv[2], "w", encoding="utf-8") as out:
    for line, coded in zip(src, sys.stdin):
        d = json.loads(line)
        d["lang"] = json.loads(coded)["lang"]
        out.write(json.dumps(d, ensure_ascii=False) + "\n")
' "$WORK/in.jsonl" "$WORK/in-lang.jsonl"

echo "== timing (best of $RUNS by wall clock, start to end of each process, same file)"
T1=$(best "$BIN" code --format jsonl --threads 1 "$WORK/in.jsonl")
TN=$(best "$BIN" code --format jsonl --threads "$CORES" "$WORK/in.jsonl")
TL=$(best "$BIN" code --format jsonl --threads 1 "$WORK/in-lang.jsonl")
if command -v rg > /dev/null; then
    TRG=$(best rg -F -i --count-matches -f "$WORK/names.txt" "$WORK/in.jsonl")
else
    TRG="0 0"
fi
TFT=$(best "$VENV/bin/python" "$WORK/flash.py" "$WORK/names.txt" "$WORK/in.jsonl")
TSP=$(best "$VENV/bin/python" "$WORK/spacy_pm.py" "$WORK/names.txt" "$WORK/in.jsonl")

python3 - "$BYTES" "$CORES" "$T1" "$TN" "$TL" "$TRG" "$TFT" "$TSP" <<'PY'
import sys
b, cores = int(sys.argv[1]), int(sys.argv[2])
(t1, c1), (tn, _), (tl, cl), (trg, _), (tft, _), (tsp, _) = (map(float, a.split()) for a in sys.argv[3:])
mb = b / 1e6
def row(name, t):
    print(f"{name:<44} {t:7.2f} s {mb / t:8.1f} MB/s")
row("hamkor code, 1 thread", t1)
row(f"hamkor code, {cores} threads", tn)
if trg:
    row("ripgrep -F -i (actor names)", trg)
else:
    print("ripgrep: not installed")
row("flashtext (actor names)", tft)
row('spaCy blank("xx") + PhraseMatcher(LOWER)', tsp)
print(f"hamkor 1 thread / spaCy       {tsp / t1:6.2f}x   (target >= 4x)")
print(f"hamkor 1 thread / flashtext   {tft / t1:6.2f}x")
if trg:
    print(f"hamkor 1 thread / ripgrep     {trg / t1:6.3f}x")
print(f"hamkor {cores} threads / 1 thread  {t1 / tn:6.2f}x")
share = max(0.0, (c1 - cl) / c1)
print(f"CPU time, 1 thread: {c1:.2f} s; with each line's language given {cl:.2f} s: "
      f"language identification {100 * share:.0f}% of coding time (target <= 10%)")
PY
