#!/usr/bin/env bash
# Builds datasets/full/bench-100mb.txt (≈102 MB, UTF-8): the full State of the Union text, Moby-Dick
# and the SpamAssassin corpus with bodies, concatenated and repeated three times. Deterministic.
# Needs the full corpora: datasets/fetch-full.sh (run here if missing).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FULL="$HERE/datasets/full"
[[ -f "$FULL/sotu-full.txt" && -f "$FULL/moby-dick.txt" && -f "$FULL/spamassassin-full.csv" ]] || "$HERE/datasets/fetch-full.sh" >&2
OUT="$FULL/bench-100mb.txt"
if [[ ! -f "$OUT" ]]; then
  tmp="$OUT.tmp"
  : > "$tmp"
  for _ in 1 2 3; do
    cat "$FULL/sotu-full.txt" "$FULL/moby-dick.txt" "$FULL/spamassassin-full.csv" >> "$tmp"
  done
  mv "$tmp" "$OUT"
fi
echo "$OUT $(wc -c < "$OUT") bytes" >&2
