#!/usr/bin/env bash
# Long fuzzing runs of the targets in crates/fuzz (issue 14), one target at a time on one core.
#
#   scripts/fuzz.sh TARGET [RUNS]      run TARGET for RUNS inputs (default 10,000,000)
#   scripts/fuzz.sh all [RUNS]         every target in turn
#
# Coverage-guided with libFuzzer through cargo-fuzz on the nightly toolchain
# (`cargo install cargo-fuzz`; `rustup toolchain install nightly`), without a sanitizer (the
# code under test is Rust; the only C, SQLite, is not what is fuzzed). An input taking more than
# 10 s is a hang, a process above 2 GiB of memory is over budget (libFuzzer's -rss_limit_mb), and
# so is one allocation of 512 MiB or more (hamkor_fuzz::CappedAllocator aborts: libFuzzer's own
# -malloc_limit_mb needs a sanitizer's allocator hooks, which -s none does not have): each is
# reported by libFuzzer as a crash and saved under
# fuzz/artifacts/TARGET/. A run starts from fuzz/seeds/TARGET and fuzz/corpus/TARGET (both
# committed); what it grows is minimised into fuzz/corpus/TARGET afterwards (libFuzzer's
# -merge=1, as `cargo fuzz cmin` does), which
# crates/fuzz/tests/replay.rs replays in `cargo test` on the stable toolchain.
#
# The drivers are built once, before the first target (`cargo +nightly fuzz build`), and then
# run directly, so that the source tree may change while a long run goes on; NO_BUILD=1 runs the
# drivers as they were last built.
#
# MAX_SECONDS=N ends each run after N seconds if it has not reached RUNS inputs by then (for a
# slow target on a shared machine); runs.tsv then says how many inputs it did run.
#
# Inputs are at most 64 KiB, except html and feed: 16 KiB. libFuzzer lets inputs grow towards
# -max_len in a long run, and text formats cost in proportion to their length (a real page of
# 62 KB takes 21 ms in the html driver, one of 14 KB 5 ms), while everything their parsers do
# fits in 16 KiB: nesting to the 512-level limit takes 2.6 KB, a feed several items. Huge files,
# bombs and nesting far beyond the limits are the hostile corpus's (scripts/hostile_corpus.py,
# tested by tests/hostile_corpus.rs). PDF and DOCX are compressed containers; they keep 64 KiB.
#
# Each run appends one line to fuzz/runs.tsv: date, target, inputs, seconds (wall clock),
# cpu_seconds (user and system time of the fuzzer: on a shared machine inputs per CPU second
# say what a target costs, inputs per second what was left over), corpus size, result (the
# libFuzzer summary line, "crash" with the artifact otherwise).
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
targets=(html pdf docx feed jsonl dates search filters)
runs="${2:-10000000}"
case "${1:-}" in
  all) set -- "${targets[@]}" ;;
  "") echo "usage: scripts/fuzz.sh TARGET|all [RUNS]  (targets: ${targets[*]})" >&2; exit 2 ;;
  *) set -- "$1" ;;
esac
command -v cargo-fuzz >/dev/null || { echo "cargo-fuzz is not installed: cargo install cargo-fuzz" >&2; exit 2; }
[ -n "${NO_BUILD:-}" ] || cargo +nightly fuzz build -s none >/dev/null
bin="target/$(rustc +nightly -vV | sed -n 's/^host: //p')/release"
[ -f runs.tsv ] || printf 'date\ttarget\tinputs\tseconds\tcpu_seconds\tcorpus_files\tresult\n' > runs.tsv
# User plus system seconds of this shell's ended children, from what bash's `times` wrote to a
# file (its second line). `times` itself must run in this shell: in a $(...) subshell it counts
# the subshell's children, none.
cpu_of() { sed -n 2p "$1" | tr 'ms' '  ' | awk '{printf "%.1f", $1 * 60 + $2 + $3 * 60 + $4}'; }
for t in "$@"; do
  work="target/work/$t"
  rm -rf "$work" && mkdir -p "$work" "corpus/$t" "artifacts/$t"
  cp seeds/"$t"/* corpus/"$t"/* "$work"/ 2>/dev/null || true
  case "$t" in html|feed) max_len=16384 ;; *) max_len=65536 ;; esac
  log="target/fuzz-$t.log"
  start=$(date +%s)
  times > "target/times-$t.before"
  set +e
  "$bin/$t" -artifact_prefix="artifacts/$t/" \
    -runs="$runs" ${MAX_SECONDS:+-max_total_time="$MAX_SECONDS"} -max_len="$max_len" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -close_fd_mask=1 "$work" >"$log" 2>&1
  rc=$?
  set -e
  secs=$(( $(date +%s) - start ))
  times > "target/times-$t.after"
  cpu=$(awk -v a="$(cpu_of "target/times-$t.before")" -v b="$(cpu_of "target/times-$t.after")" 'BEGIN { printf "%.0f", b - a }')
  done_line=$(grep -E '^Done [0-9]+ runs' "$log" | tail -n1 || true)
  if [ $rc -ne 0 ] || [ -z "$done_line" ]; then
    result="crash (exit $rc): $(grep -m1 -E 'ERROR|panic|Test unit written' "$log" | tr '\t' ' ' || true)"
  else
    result="$done_line"
  fi
  inputs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' || echo 0)
  # Keep only inputs that add coverage: the committed corpus stays small.
  rm -rf "$work.min" && mkdir -p "$work.min"
  if "$bin/$t" -merge=1 -max_len="$max_len" -timeout=10 -close_fd_mask=1 "$work.min" "$work" >"target/cmin-$t.log" 2>&1; then
    rm -rf "corpus/$t" && mkdir -p "corpus/$t" && cp -r "$work.min"/. "corpus/$t"/
  else
    rm -rf "corpus/$t" && mkdir -p "corpus/$t" && cp -r "$work"/. "corpus/$t"/
  fi
  files=$(find "corpus/$t" -type f | wc -l)
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%Y-%m-%dT%H:%MZ)" "$t" "$inputs" "$secs" "$cpu" "$files" "$result" >> runs.tsv
  echo "$t: $inputs inputs in $secs s ($cpu s of CPU), corpus $files files: $result"
  [ $rc -eq 0 ] || exit 1
done
