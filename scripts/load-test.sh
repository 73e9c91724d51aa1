#!/usr/bin/env bash
# Load test of `hamkor serve` on loopback: 200 concurrent readers for 60 seconds against the demo
# store, cycling through the dashboard's and the API's read routes (scripts/load-test.lua).
# A benchmark, not a unit test: run it by hand and read the figures.
#
#   scripts/load-test.sh [SECONDS] [CONNECTIONS]     (defaults: 60 200)
#
# Needs wrk (apt-get install -y wrk). Builds the release binary, makes a fresh demo store in a
# temporary folder, serves it on 127.0.0.1 (a free port), and prints requests/s, p50 and p99.
# Exits 1 if any request failed (a socket error or a status other than 200). Traffic goes to
# 127.0.0.1 only; wrk stops by itself after the duration.
#
# HAMKOR_DB: serve this store instead of a fresh demo store (e.g. the archive store that
# `KEEP=1 scripts/bench-archive.sh` keeps); HAMKOR_BIN: another build of hamkor.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
connections="${2:-200}"
command -v wrk >/dev/null || { echo "load-test: wrk is needed (apt-get install -y wrk)" >&2; exit 2; }

if [ -n "${HAMKOR_BIN:-}" ]; then
  bin="$HAMKOR_BIN"
else
  cargo build --release -p hamkor >&2
  bin="$PWD/target/release/hamkor"
fi
work="$(mktemp -d)"
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

db="${HAMKOR_DB:-$work/demo.db}"
[ -n "${HAMKOR_DB:-}" ] || "$bin" demo --no-serve --db "$db" >/dev/null 2>&1 || true
"$bin" serve --db "$db" --addr 127.0.0.1:0 >"$work/addr" 2>"$work/server.log" &
server=$!
for _ in $(seq 1 100); do [ -s "$work/addr" ] && break; sleep 0.05; done
url="$(head -n1 "$work/addr")"
url="${url%/}"
case "$url" in http://127.0.0.1:*) ;; *) echo "load-test: the server did not start: $(cat "$work/server.log")" >&2; exit 2 ;; esac
# Warm the snapshot once, as a reader would.
curl -fsS "$url/" >/dev/null 2>&1 || true

echo "load-test: $connections connections for ${seconds}s against $url (${HAMKOR_DB:-demo store}, $(nproc) cores)" >&2
out="$(wrk -t2 -c"$connections" -d"${seconds}s" --timeout 10s --latency -s scripts/load-test.lua "$url")"
echo "$out"
result="$(grep '^RESULT' <<<"$out")"
eval "$(sed 's/^RESULT //' <<<"$result")"
echo
echo "requests/s ${rps}   p50 ${p50_ms} ms   p99 ${p99_ms} ms   errors $((socket_errors + non200)) of ${requests} requests"
if [ "$((socket_errors + non200))" -ne 0 ]; then
  echo "load-test: FAILED: $socket_errors socket errors, $non200 responses other than 200" >&2
  exit 1
fi
