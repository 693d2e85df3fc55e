#!/usr/bin/env bash
# Byte-level BPE encoding throughput, one run, same text, same threads: Notebench's BpeEncoder (Java)
# vs tiktoken (built from the same vocabulary and GPT-2 regex through tiktoken.Encoding) vs HF
# tokenizers (Python encode_batch) vs DJL's HuggingFaceTokenizer (Java), at 1 thread and at THREADS,
# on the full State of the Union text and the 100 MB corpus, with a 32k vocabulary trained by
# Notebench on the 100 MB corpus. Every line (cut after each LF) in batches of 8,192 lines after an
# untimed pass over the first three batches by another instance (warm JIT, cold caches). Then the
# ids of about 2,000 evenly spaced lines against HF's.
#
#   bench/tokenizer-encode.sh [THREADS]        (default: all cores)
#   TOKENIZER=path/to/tokenizer.json bench/tokenizer-encode.sh   (skip the training)
#
# Needs: .ci/install-deps (HF tokenizers in build/pyenv), tiktoken (build/pyenv/bin/pip install
# tiktoken), datasets/fetch-full.sh data (bench/make-corpus.sh builds the 100 MB corpus).
# Writes build/bench/tokenizer-encode.md.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$HERE"
THREADS="${1:-$(nproc)}"
PY="$HERE/build/pyenv/bin/python"
"$PY" -c 'import tiktoken' 2>/dev/null || { echo "tiktoken is missing: build/pyenv/bin/pip install tiktoken" >&2; exit 1; }
"$HERE/bench/make-corpus.sh"
[[ -f cli/target/notebench-cli.jar ]] || ./mvnw -B -q -o package -DskipTests -pl cli -am
CP="cli/target/notebench-cli.jar:cli/target/lib/*"
OUT="$HERE/build/bench"
mkdir -p "$OUT"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
TOK="${TOKENIZER:-}"
if [[ -z "$TOK" ]]; then
  NOTEBENCH_NO_BUILD=1 ./notebench tokenizer train --corpus datasets/full/bench-100mb.txt --vocab 32000 --holdout 0 \
    --threads "$THREADS" --out "$tmp/tok" > /dev/null
  TOK="$tmp/tok/tokenizer.json"
fi
JAVA_OPTS=(-XX:+UseParallelGC -Xmx4g -Dai.djl.offline=true)

run() {  # corpus threads encoder [sample] -> one JSON line
  local corpus="$1" threads="$2" enc="$3" sample="${4:-}"
  case "$enc" in
    ours|djl) RAYON_NUM_THREADS="$threads" java "${JAVA_OPTS[@]}" -cp "$CP" bench/TokenizerEncode.java "$TOK" "$corpus" "$threads" \
                "$enc" ${sample:+"$sample"} 2>/dev/null | grep '^{"encoder"' ;;  # DJL logs on stdout too
    *) RAYON_NUM_THREADS="$threads" TOKENIZERS_PARALLELISM=true "$PY" bench/tokenizer_encode.py --tokenizer "$TOK" \
         --corpus "$corpus" --threads "$threads" --encoder "$enc" ${sample:+--sample-out "$sample"} ;;
  esac
}

{
echo "Machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg) at the start; $(java -version 2>&1 | head -1);" \
     "HF tokenizers $("$PY" -c 'import tokenizers; print(tokenizers.__version__)'); tiktoken $("$PY" -c 'import tiktoken; print(tiktoken.__version__)')"
echo
echo "| corpus | threads | encoder | tokens | seconds | tokens/s | vs tiktoken | vs HF |"
echo "|---|---|---|---|---|---|---|---|"
for corpus in datasets/full/sotu-full.txt datasets/full/bench-100mb.txt; do
  for threads in $(echo 1 "$THREADS" | tr ' ' '\n' | sort -un); do
    declare -A rate=()
    rows=()
    for enc in ours tiktoken hf djl; do
      sample=""
      [[ "$threads" == 1 ]] && sample="$tmp/$(basename "$corpus" .txt)-$enc.json"
      line="$(run "$corpus" "$threads" "$enc" "$sample")"
      rate[$enc]="$(echo "$line" | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["tokens_per_second"])')"
      rows+=("$line")
    done
    for line in "${rows[@]}"; do
      echo "$line" | "$PY" bench/tokenizer_encode.py row "${rate[tiktoken]}" "${rate[hf]}" "$(basename "$corpus")"
    done
  done
done
echo
for c in sotu-full bench-100mb; do
  echo "Ids of the sampled lines of $c.txt (about 2,000, evenly spaced; all 233 of sotu-full) against HF tokenizers':"
  "$PY" bench/tokenizer_encode.py compare "$tmp/$c-hf.json" "$tmp/$c-ours.json" "$tmp/$c-tiktoken.json" "$tmp/$c-djl.json" \
    | sed "s#$tmp/##; s#\.json##"
done
echo "Load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$OUT/tokenizer-encode.md"
