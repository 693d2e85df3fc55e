#!/usr/bin/env bash
# Embedding through the SQLite cache, cold then warm: 10,000 distinct words of the SOTU sample
# embedded with all-MiniLM-L6-v2 into an empty cache (each computed), then again (each a hit):
# first as separate ./notebench embed runs (JVM start and model load in the wall times), then in
# one JVM as a notebook kernel sees it (bench/EmbedCacheBench.java: warm passes and hit lookups/s).
#   bench/embed-cache.sh [WORDS]     (default 10000)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
n="${1:-10000}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$HERE/notebench" --version >/dev/null   # build first, outside the timings
export NOTEBENCH_NO_BUILD=1
tr -cs "[:alpha:]'" '\n' <"$HERE/datasets/sotu/sotu-sample.txt" >"$tmp/all.txt"
awk -v n="$n" 'length > 0 && !seen[$0]++ { print; if (++c >= n) exit }' "$tmp/all.txt" >"$tmp/words.txt"
echo "$(wc -l <"$tmp/words.txt") distinct words; $(nproc) cores, $(java -version 2>&1 | head -1)" >&2
for pass in cold warm warm; do
  s=$(date +%s.%N)
  line="$("$HERE/notebench" embed --cache "$tmp/cache.sqlite" --file "$tmp/words.txt")"
  e=$(date +%s.%N)
  printf '%s\t%s\t%.2f s wall (with JVM start and model load)\n' "$pass" "$line" "$(echo "$e - $s" | bc)"
done
ls -la "$tmp"/cache.sqlite* | awk '{s += $5} END {printf "cache on disk: %.1f MB\n", s / 1e6}'
echo "in one JVM:"
java -cp "$HERE/cli/target/notebench-cli.jar:$HERE/cli/target/lib/*" "$HERE/bench/EmbedCacheBench.java" "$tmp/words.txt" \
  "$tmp/one-jvm.sqlite" "${NOTEBENCH_MODELS:-$HOME/.cache/notebench/models}" 2>/dev/null
