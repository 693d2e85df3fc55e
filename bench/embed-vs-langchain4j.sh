#!/usr/bin/env bash
# Local embedding throughput: Notebench's LocalEmbedder (DJL + ONNX Runtime, batched by length)
# against langchain4j's own in-process runner of the same all-MiniLM-L6-v2, on the same 2,000
# sentences of the SOTU sample, each in its own JVM after a warm-up, alternated twice; then the
# cosine between the two runners' vectors of the first 100 sentences, and how close each runner
# comes to the machine's fp32 arithmetic ceiling (bench/embed_ceiling.py).
#   bench/embed-vs-langchain4j.sh [N] [sentences|words]     (default 2000 sentences; words: N distinct words)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$HERE"
n="${1:-2000}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
./notebench --version >/dev/null
./mvnw -q -f bench/langchain4j/pom.xml dependency:build-classpath -Dmdep.outputFile="$tmp/lc4j.cp" >/dev/null
if [[ "${2:-sentences}" == words ]]; then  # distinct words, as in bench/embed-cache.sh: the short texts of hierarchies
  tr -cs "[:alpha:]'" '\n' <datasets/sotu/sotu-sample.txt | awk 'length > 0 && !seen[$0]++' >"$tmp/all.txt"
else
  tr '\n' ' ' <datasets/sotu/sotu-sample.txt | sed 's/\([.!?]\) /\1\n/g' | awk 'NF >= 5 && NF <= 60' >"$tmp/all.txt"
fi
head -n "$n" "$tmp/all.txt" >"$tmp/sentences.txt"
echo "$(wc -l <"$tmp/sentences.txt") ${2:-sentences}; $(nproc) cores, $(java -version 2>&1 | head -1)" >&2
models="${NOTEBENCH_MODELS:-$HOME/.cache/notebench/models}"
echo "| runner | sentences | seconds | sentences/s |"
echo "|---|---|---|---|"
for rep in 1 2; do
  java -cp "cli/target/notebench-cli.jar:cli/target/lib/*" bench/EmbedSpeedNotebench.java "$tmp/sentences.txt" "$models" \
    "$tmp/nb.txt" 2>/dev/null | tee -a "$tmp/times.tsv" \
    | awk -F'\t' '/^notebench/ {printf "| Notebench (DJL, ONNX Runtime, batched by length) | %s | %s | %s |\n", $2, $3, $4}'
  java -cp "$(cat "$tmp/lc4j.cp")" bench/EmbedSpeedLangchain4j.java "$tmp/sentences.txt" "$tmp/lc.txt" 2>/dev/null \
    | tee -a "$tmp/times.tsv" | awk -F'\t' '/^langchain4j/ {printf "| langchain4j AllMiniLmL6V2EmbeddingModel | %s | %s | %s |\n", $2, $3, $4}'
done
python3 - "$tmp/nb.txt" "$tmp/lc.txt" <<'PY'
import math, sys
a = [list(map(float, l.split())) for l in open(sys.argv[1])]
b = [list(map(float, l.split())) for l in open(sys.argv[2])]
cos = [sum(x * y for x, y in zip(u, v)) / math.sqrt(sum(x * x for x in u) * sum(y * y for y in v)) for u, v in zip(a, b)]
print()
print("Same vectors: cosine between the two runners over the first %d sentences: min %.6f, mean %.6f" % (len(cos), min(cos), sum(cos) / len(cos)))
PY
# the arithmetic ceiling: the model's multiply-adds for these sentences against PyTorch's fp32 matrix
# products at the model's shapes (needs build/torchenv with torch and tokenizers); skipped without it
if [[ -x build/torchenv/bin/python ]] && build/torchenv/bin/python -c "import torch, tokenizers" 2>/dev/null; then
  echo
  best() { awk -F'\t' -v r="$1" '$1 == r {print $3}' "$tmp/times.tsv" | sort -n | head -1; }
  build/torchenv/bin/python bench/embed_ceiling.py "$tmp/sentences.txt" "$models/all-minilm-l6-v2/tokenizer.json" "$(nproc)" \
    "Notebench (best run)=$(best notebench)" "langchain4j (best run)=$(best langchain4j)"
fi
