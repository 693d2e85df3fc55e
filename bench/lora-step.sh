#!/usr/bin/env bash
# One fine-tuning step of pretrained-shaped models, Notebench's trainer against transformers +
# PyTorch eager (+ PEFT), same threads, same batch and ids, runs alternated (order reversed every
# other round): random-weight checkpoints with the real shapes of GPT-2 124M and Qwen2.5-0.5B
# (bench/make_pretrained_shapes.py). A step is forward, the mean cross-entropy over every position,
# backward, clipping to norm 1.0 and AdamW:
#   lora   r 8, alpha 16, dropout 0, on c_attn (GPT-2) / q_proj, v_proj (Qwen), the base frozen:
#          Notebench's TrainRun with --init-from --lora-rank 8 --lora-alpha 16 (bench/LoraStep.java),
#          PEFT's get_peft_model(LoraConfig(...)) (bench/lora_step.py)
#   full   every parameter
# Steps/s is the median of STEPS - 1 steps after one warm-up, per process (and the best of them, the
# robust figure when other processes load the machine); both sides print their
# loss at step 0 on the same ids (the trainer's seeded step-0 windows). Peak RSS of each process
# (/usr/bin/time) and when its last step ended (VmHWM, before Notebench's final checkpoint).
#
#   bench/lora-step.sh [THREADS] [ROUNDS] [BATCH] [SEQ] [STEPS]     (defaults 2, 2, 1, 128, 4)
#   CASES="gpt2-124m:lora gpt2-124m:full qwen2.5-0.5b:lora" (the default; qwen2.5-0.5b:full needs ~10 GB per process)
# Needs build/pyenv with torch, transformers and peft (.ci/install-deps).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$HERE"
threads="${1:-2}"
rounds="${2:-2}"
batch="${3:-1}"
seq="${4:-128}"
steps="${5:-4}"
cases="${CASES:-gpt2-124m:lora gpt2-124m:full qwen2.5-0.5b:lora}"
PY="$HERE/build/pyenv/bin/python"
OUT="${BENCH_OUT:-$HERE/build/bench}"
LORA="$OUT/lora"
mkdir -p "$OUT/shapes" "$LORA"
./notebench --version >/dev/null   # build first, outside the timings
"$PY" bench/make_pretrained_shapes.py "$OUT/shapes"
cp="cli/target/notebench-cli.jar:cli/target/lib/*"
# compiled ahead, so that javac's memory and time are not counted as Notebench's (as with
# `java File.java`)
mkdir -p "$OUT/classes"
javac -d "$OUT/classes" -cp "$cp" bench/LoraStep.java
java=(java -XX:+UseSerialGC -Xms16m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -Dai.djl.offline=true
      -Dnotebench.home="$HERE" -cp "$OUT/classes:$cp" LoraStep)   # ./notebench train's JVM options
for model in $(for c in $cases; do echo "${c%%:*}"; done | sort -u); do
  "$PY" bench/lora_step.py prepare "$OUT/shapes/$model" "$LORA" 20000
  rm -rf "$LORA/runs"
  "${java[@]}" ids "$LORA/$model" "$LORA/$model.txt" "$LORA/runs" "$batch" "$seq" "$LORA/$model.ids.json" >/dev/null 2>"$OUT/err.txt" \
    || { cat "$OUT/err.txt" >&2; exit 1; }
done
results="$OUT/lora-step.jsonl"
: >"$results"
echo "$(nproc) cores, $threads threads, batch $batch x $seq, $(java -version 2>&1 | head -1), torch $("$PY" -c 'import torch; print(torch.__version__)'), load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
for c in $cases; do
  model="${c%%:*}"
  mode="${c##*:}"
  for round in $(seq 1 "$rounds"); do
    order=(notebench transformers)
    ((round % 2 == 0)) && order=(transformers notebench)
    for impl in "${order[@]}"; do
      rm -rf "$LORA/runs"
      case "$impl" in
        notebench) cmd=("${java[@]}" train "$LORA/$model" "$LORA/$model.txt" "$LORA/runs" "$threads" "$batch" "$seq" "$steps" "$mode") ;;
        transformers) cmd=("$PY" bench/lora_step.py train "$LORA/$model" "$LORA/$model.ids.json" "$threads" "$steps" "$mode") ;;
      esac
      load="$(cut -d' ' -f1 /proc/loadavg)"   # as the process starts
      line="$(/usr/bin/time -f "RSS %M" "${cmd[@]}" 2>"$OUT/err.txt" | grep "^{")" || { tail -20 "$OUT/err.txt" >&2; exit 1; }
      rss="$(grep "^RSS" "$OUT/err.txt" | awk '{print $2}')"
      line="${line%\}}, \"rss_mb\": $((rss / 1024)), \"round\": $round, \"load\": \"$load\"}"
      echo "$line" >>"$results"
      echo "$line" >&2
    done
  done
done
rm -rf "$LORA/runs"
"$PY" - "$results" <<'PYEOF'
import json, statistics, sys, collections
runs = collections.defaultdict(list)
for line in open(sys.argv[1]):
    r = json.loads(line)
    r["best_s"] = min(float(s) for s in r["step_seconds"][1:])
    runs[(r["model"], r["mode"], r["impl"])].append(r)
print("| model | step | implementation | steps/s (median) | s/step (median) | s/step (best) | loss at step 0 | peak RSS MB (steps) | peak RSS MB (process) | runs |")
print("|---|---|---|---|---|---|---|---|---|---|")
for (model, mode) in dict.fromkeys((m, s) for m, s, _ in runs):
    for impl in ("notebench", "transformers"):
        rs = runs[(model, mode, impl)]
        med = lambda k: statistics.median(r[k] for r in rs)
        print(f"| {model} | {mode} | {impl} | {med('steps_per_s'):.3f} | {med('step_s'):.2f} | {min(r['best_s'] for r in rs):.2f} |"
              f" {rs[0]['loss0']:.6f} | {med('step_rss_mb'):.0f} | {med('rss_mb'):.0f} | {len(rs)} |")
    n = sorted(runs[(model, mode, "notebench")], key=lambda r: r["round"])
    t = sorted(runs[(model, mode, "transformers")], key=lambda r: r["round"])
    ratios = lambda f: ", ".join(f"{f(a, b):.2f}" for a, b in zip(n, t))
    print(f"| {model} | {mode} | notebench / transformers per round: steps/s {ratios(lambda a, b: a['steps_per_s'] / b['steps_per_s'])};"
          f" best step {ratios(lambda a, b: b['best_s'] / a['best_s'])}; RSS (steps) {ratios(lambda a, b: a['step_rss_mb'] / b['step_rss_mb'])};"
          f" load at start {ratios(lambda a, b: float(a['load']))} / {ratios(lambda a, b: float(b['load']))} | | | | | | | | |")
PYEOF
