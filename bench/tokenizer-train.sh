#!/usr/bin/env bash
# Byte-level BPE training: Notebench vs Hugging Face tokenizers (Python) vs SentencePiece BPE
# (spm_train), one run, same machine, same corpus, same thread count. Wall time and peak RSS of
# each whole process (/usr/bin/time), output size, and whether our tokenizer.json equals HF's.
# Then encoding throughput of the same tokenizer.json: DJL (Java) vs HF tokenizers (Python).
#
#   bench/tokenizer-train.sh [THREADS]        (default: all cores)
#
# Needs: .ci/install-deps (HF tokenizers in build/pyenv, spm_train), datasets/fetch-full.sh data
# (bench/make-corpus.sh builds the 100 MB corpus). Writes build/bench/tokenizer-train.md.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$HERE"
THREADS="${1:-$(nproc)}"
PY="$HERE/build/pyenv/bin/python"
HF="$HERE/toolkit/tokenize/src/test/python/hf_bpe.py"
"$HERE/bench/make-corpus.sh"
./notebench --version >/dev/null   # build first, outside the timings
OUT="$HERE/build/bench"
mkdir -p "$OUT"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
export RAYON_NUM_THREADS="$THREADS"

measure() {  # label, command... -> "seconds peak_kb"
  local log="$tmp/time.$1"
  shift
  /usr/bin/time -f "%e %M" -o "$log" "$@" >/dev/null 2>"$tmp/stderr" || { cat "$tmp/stderr" >&2; exit 1; }
  cat "$log"
}

{
echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; threads used: $THREADS;" \
     "$(java -version 2>&1 | head -1); HF tokenizers $("$PY" -c 'import tokenizers; print(tokenizers.__version__)');" \
     "$(spm_train --version 2>&1 | head -1)"
echo
echo "| corpus | vocab | trainer | wall (s) | peak RSS (MB) | output (KB) | same as HF |"
echo "|---|---|---|---|---|---|---|"
for corpus in datasets/full/sotu-full.txt datasets/full/bench-100mb.txt; do
  mb=$(awk -v b="$(wc -c < "$corpus")" 'BEGIN{printf "%.1f MB", b/1e6}')
  maxline=$(awk '{ if (length($0) > m) m = length($0) } END { print m + 1 }' "$corpus")
  for vocab in 8000 32000; do
    read -r hs hk <<<"$(measure hf "$PY" "$HF" train --out "$tmp/hf.json" --vocab "$vocab" --special '<|endoftext|>' "$corpus")"
    read -r ns nk <<<"$(measure nb ./notebench tokenizer train --corpus "$corpus" --vocab "$vocab" --holdout 0 \
                         --threads "$THREADS" --out "$tmp/nb")"
    same=$(cmp -s "$tmp/hf.json" "$tmp/nb/tokenizer.json" && echo "identical" || echo "DIFFERENT")
    read -r ss sk <<<"$(measure spm spm_train --input="$corpus" --model_prefix="$tmp/spm" --model_type=bpe \
                         --vocab_size="$vocab" --character_coverage=1.0 --num_threads="$THREADS" \
                         --max_sentence_length="$maxline" --minloglevel=2)"
    printf '| %s (%s) | %s | Notebench | %.2f | %d | %d | %s |\n' "$(basename "$corpus")" "$mb" "$vocab" "$ns" $((nk / 1024)) \
      $(( $(wc -c < "$tmp/nb/tokenizer.json") / 1024 )) "$same"
    printf '| | | HF tokenizers | %.2f | %d | %d | (reference) |\n' "$hs" $((hk / 1024)) $(( $(wc -c < "$tmp/hf.json") / 1024 ))
    printf '| | | SentencePiece BPE | %.2f | %d | %d | (other algorithm) |\n' "$ss" $((sk / 1024)) \
      $(( $(wc -c < "$tmp/spm.model") / 1024 ))
  done
done
echo
echo "Encoding the full SOTU text (every line, in one batch) with the 32k tokenizer trained on the 100 MB corpus:"
echo
echo "| encoder | tokens | seconds | tokens/s |"
echo "|---|---|---|---|"
./notebench tokenizer train --corpus datasets/full/bench-100mb.txt --vocab 32000 --holdout 0 --out "$tmp/enc" >/dev/null
for run in 1 2; do
  j=$(./notebench tokenizer count --tokenizer "$tmp/enc" --corpus datasets/full/sotu-full.txt)
  p=$("$PY" "$HF" count --tokenizer "$tmp/enc/tokenizer.json" --corpus datasets/full/sotu-full.txt)
  "$PY" - "$j" "$p" "$run" <<'PYEOF'
import json, sys
j, p, run = json.loads(sys.argv[1]), json.loads(sys.argv[2]), sys.argv[3]
print("| DJL HuggingFaceTokenizer (Java), run %s | %d | %.2f | %.0f |" % (run, j["tokens"], j["seconds"], j["tokens_per_second"]))
print("| HF tokenizers (Python) encode_batch, run %s | %d | %.2f | %.0f |" % (run, p["tokens"], p["seconds"], p["tokens_per_second"]))
PYEOF
done
} | tee "$OUT/tokenizer-train.md"
