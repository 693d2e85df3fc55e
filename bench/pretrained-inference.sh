#!/usr/bin/env bash
# Inference of pretrained-shaped models at batch 1 with the key/value cache, Notebench against
# transformers + PyTorch eager, same threads, runs alternated (order reversed every other round):
# random-weight checkpoints with the real shapes of GPT-2 124M and Qwen2.5-0.5B
# (bench/make_pretrained_shapes.py), a prompt of PROMPT fixed ids (prompt tokens/s), then NEW greedy
# tokens (generated tokens/s); peak RSS of each process (/usr/bin/time).
#
#   bench/pretrained-inference.sh [THREADS] [ROUNDS] [PROMPT] [NEW]     (defaults 2, 3, 128, 64)
# With BENCH_OP_BY_OP=1 each round also runs Notebench with -Dnotebench.train.decode=op-by-op
# (its decoders op by op, not through the compiled decode step) as "notebench-op-by-op".
# Needs build/pyenv with torch and transformers (.ci/install-deps).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$HERE"
threads="${1:-2}"
rounds="${2:-3}"
prompt="${3:-128}"
new="${4:-64}"
PY="$HERE/build/pyenv/bin/python"
OUT="${BENCH_OUT:-$HERE/build/bench}"
mkdir -p "$OUT/shapes"
./notebench --version >/dev/null   # build first, outside the timings
"$PY" bench/make_pretrained_shapes.py "$OUT/shapes"
cp="cli/target/notebench-cli.jar:cli/target/lib/*"
# compiled ahead, so that javac's memory and time are not counted as Notebench's (as with
# `java File.java`); run with ./notebench's JVM options
mkdir -p "$OUT/classes"
javac -d "$OUT/classes" -cp "$cp" bench/PretrainedInference.java
results="$OUT/pretrained-inference.jsonl"
: >"$results"
echo "$(nproc) cores, $threads threads, $(java -version 2>&1 | head -1), torch $("$PY" -c 'import torch; print(torch.__version__)')" >&2
impls=(notebench transformers)
[[ "${BENCH_OP_BY_OP:-}" == 1 ]] && impls=(notebench-op-by-op notebench transformers)
java_cmd=(java -XX:+UseSerialGC -Xms16m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -Dai.djl.offline=true)
for model in gpt2-124m qwen2.5-0.5b; do
  for round in $(seq 1 "$rounds"); do
    order=("${impls[@]}")
    ((round % 2 == 0)) && order=($(printf '%s\n' "${impls[@]}" | tac))
    for impl in "${order[@]}"; do
      case "$impl" in
        notebench) cmd=("${java_cmd[@]}" -cp "$OUT/classes:$cp" PretrainedInference) ;;
        notebench-op-by-op) cmd=("${java_cmd[@]}" -Dnotebench.train.decode=op-by-op -cp "$OUT/classes:$cp" PretrainedInference) ;;
        transformers) cmd=("$PY" bench/pretrained_inference.py) ;;
      esac
      line="$(/usr/bin/time -f "RSS %M" "${cmd[@]}" "$OUT/shapes/$model" "$threads" "$prompt" "$new" 3 2>"$OUT/err.txt" | grep "^{")"
      [[ "$impl" == notebench-op-by-op ]] && line="${line/\"impl\": \"notebench\"/\"impl\": \"notebench-op-by-op\"}"
      rss="$(grep "^RSS" "$OUT/err.txt" | awk '{print $2}')"
      line="${line%\}}, \"rss_mb\": $((rss / 1024)), \"round\": $round}"
      echo "$line" >>"$results"
      echo "$line" >&2
    done
  done
done
"$PY" - "$results" <<'PYEOF'
import json, statistics, sys, collections
runs = collections.defaultdict(list)
for line in open(sys.argv[1]):
    r = json.loads(line)
    runs[(r["model"], r["impl"])].append(r)
print("| model | implementation | prompt tok/s | generated tok/s | peak RSS MB | load s | runs |")
print("|---|---|---|---|---|---|---|")
for model in ("gpt2-124m", "qwen2.5-0.5b"):
    for impl in ("notebench-op-by-op", "notebench", "transformers"):
        rs = runs[(model, impl)]
        if not rs:
            continue
        med = lambda k: statistics.median(r[k] for r in rs)
        print(f"| {model} | {impl} | {med('prompt_tok_s'):.0f} | {med('gen_tok_s'):.1f} | {med('rss_mb'):.0f} | "
              f"{med('load_s'):.1f} | {len(rs)} |")
    t = runs[(model, "transformers")]
    for impl in ("notebench-op-by-op", "notebench"):
        n = runs[(model, impl)]
        for k in ("prompt_tok_s", "gen_tok_s") if n else ():
            ratios = [a[k] / b[k] for a, b in zip(sorted(n, key=lambda r: r["round"]), sorted(t, key=lambda r: r["round"]))]
            print(f"| {model} | {impl} / transformers, {k}, per round | " + ", ".join(f"{x:.2f}" for x in ratios) + " | | | | |")
PYEOF
