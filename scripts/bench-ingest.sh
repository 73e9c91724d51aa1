#!/usr/bin/env bash
# Ingest benchmark: generates N small documents (default 200000), ingests them with the real
# coder into a fresh SQLite store, and prints documents/s and peak memory (VmHWM).
# Usage: scripts/bench-ingest.sh [N] [--jsonl]
set -euo pipefail
cd "$(dirname "$0")/.."
exec cargo run --release -p hamkor-ingest --example bench_ingest -- "${@:-200000}"
