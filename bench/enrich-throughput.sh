#!/usr/bin/env bash
# Enrichment throughput against a loopback OpenAI-compatible fake (FakeChatServer, from the
# enrich module's test jar) with a fixed latency per call and a concurrency limit answered with
# 429 + Retry-After: rows/s of one-row-per-call, seed 004's batch=10/workers=3, and Notebench's
# packing with workers at, twice and four times the server's limit (AIMD), in one run.
#   bench/enrich-throughput.sh [LATENCY_MS] [LIMIT] [RETRY_AFTER_S]     (default 200 4 0.2)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$HERE"
./notebench --version >/dev/null
echo "$(nproc) cores, $(java -version 2>&1 | head -1); latency ${1:-200} ms, limit ${2:-4}, Retry-After ${3:-0.2} s" >&2
java -Dsun.net.httpserver.nodelay=true -cp "cli/target/notebench-cli.jar:cli/target/lib/*:toolkit/enrich/target/notebench-enrich-0.1.0-SNAPSHOT-tests.jar" \
  bench/EnrichThroughput.java "${1:-200}" "${2:-4}" "${3:-0.2}" 2>/dev/null | grep "^|"
