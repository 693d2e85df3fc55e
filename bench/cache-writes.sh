#!/usr/bin/env bash
# Concurrent multi-process write throughput of the embedding cache: 1, 2, 4 and 8 processes each
# writing ROWS distinct 384-d vectors in batches of BATCH into one SQLite file (bench/CacheWriteBench.java).
#   bench/cache-writes.sh [ROWS] [BATCH]      (defaults 5000 and 100)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$HERE"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
./notebench --version >/dev/null
echo "$(nproc) cores, $(java -version 2>&1 | head -1)" >&2
java -cp "cli/target/notebench-cli.jar:cli/target/lib/*" bench/CacheWriteBench.java "$tmp" "${1:-5000}" "${2:-100}" 2>/dev/null \
  | grep '^|'
