#!/usr/bin/env bash
# Association extraction throughput on the State of the Union corpus: concepts of 1-3 sentences,
# typed relations plus sentence co-occurrence (min count 3), one thread vs all cores, best of 5
# runs after 3 warm-ups, in one JVM; then where the parallel path starts to pay (THRESHOLD=1).
#   bench/associations-speed.sh [FILE]     (default datasets/full/sotu-full.txt, fetched if missing)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$HERE"
./notebench --version >/dev/null
file="${1:-datasets/full/sotu-full.txt}"
[[ -f "$file" ]] || datasets/fetch-full.sh >&2
echo "$(nproc) cores, $(java -version 2>&1 | head -1); $file" >&2
cp="cli/target/notebench-cli.jar:cli/target/lib/*"
java -Xmx4g -cp "$cp" bench/AssociationsSpeed.java "$file" 5 1 "$(nproc)"
if [[ "${THRESHOLD:-0}" == 1 ]]; then
  echo
  java -Dthreshold=true -cp "$cp" bench/AssociationsSpeed.java datasets/sotu/sotu-sample.txt
fi
