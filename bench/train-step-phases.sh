#!/usr/bin/env bash
# Where a training step's time goes: forward, backward and optimizer milliseconds of the moby-char
# GPT (d_model 384, 6 layers, 6 heads, seq_len 256, batch 8, vocab 90), Notebench against
# PyTorch eager, runs alternated (order reversed every other round):
#   notebench                 Notebench's step (bench/TrainStepPhases.java), AdamW updated in Java
#   notebench-djl-adamupdate  the same with DJL's adamUpdate (-Dnotebench.train.javaAdamW=false)
#   pytorch                   bench/pytorch_gpt.py --profile: clip_grad_norm_ + torch.optim.AdamW (default)
#   pytorch-fused-adamw       the same with torch.optim.AdamW(fused=True)
#   pytorch-sdpa              F.scaled_dot_product_attention, default AdamW
#
#   bench/train-step-phases.sh [THREADS] [ROUNDS] [STEPS]     (defaults 2, 3, 20)
#   TRACE_DIR=build/prof bench/train-step-phases.sh 1 1 8       also the operators' self time
# With TRACE_DIR, every run writes a Chrome trace of its last three steps there (libtorch's
# profiler for Notebench, torch.profiler for PyTorch), and a last table sets the operators of the
# first round's notebench run beside pytorch-sdpa's (bench/op-profile.py). The Java AdamW computes
# outside libtorch: its time is in the optimizer column only.
# Needs build/torchenv (see bench/train-vs-pytorch.sh) and datasets/full (datasets/fetch-full.sh).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$HERE"
threads="${1:-2}"
rounds="${2:-3}"
steps="${3:-20}"
PY="$HERE/build/torchenv/bin/python"
OUT="${BENCH_OUT:-$HERE/build/bench}"
mkdir -p "$OUT"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
./notebench --version >/dev/null   # build first, outside the timings
export NOTEBENCH_NO_BUILD=1
[[ -f datasets/full/moby-dick.txt ]] || datasets/fetch-full.sh
[[ -f "$OUT/tok-moby-char/chars.json" ]] || ./notebench tokenizer train --type char --corpus datasets/full/moby-dick.txt \
  --holdout 0 --out "$OUT/tok-moby-char" >/dev/null
./notebench train --family gpt --set n_layer=1 --set n_head=1 --set d_model=8 --set seq_len=8 --tokenizer "$OUT/tok-moby-char" \
  --corpus datasets/full/moby-dick.txt --batch 1 --steps 1 --runs-dir "$tmp/runs" --run-id tokens --device cpu >/dev/null
tokens="$(dirname "$(ls "$tmp"/runs/.tokens/*/tokens.json | head -1)")"
vocab="$("$PY" -c "import json,sys; print(json.load(open(sys.argv[1]))['vocab_size'])" "$tokens/tokens.json")"
cp="cli/target/notebench-cli.jar:cli/target/lib/*"
export DJL_CACHE_DIR="${DJL_CACHE_DIR:-$HERE/build/djl-cache}"
model=(--n-layer 6 --n-head 6 --d-model 384 --seq-len 256 --batch 8)
results="$OUT/train-step-phases.jsonl"
: >"$results"
echo "$(nproc) cores, $threads threads, $(java -version 2>&1 | head -1), torch $("$PY" -c 'import torch; print(torch.__version__)')" >&2
for round in $(seq 1 "$rounds"); do
  order=(notebench notebench-djl-adamupdate pytorch pytorch-fused-adamw pytorch-sdpa)
  ((round % 2 == 0)) && order=(pytorch-sdpa pytorch-fused-adamw pytorch notebench-djl-adamupdate notebench)
  for impl in "${order[@]}"; do
    trace=()
    [[ -z "${TRACE_DIR:-}" ]] || { mkdir -p "$TRACE_DIR"; trace=("$TRACE_DIR/$impl-r$round.json"); }
    pytrace=()
    [[ -z "${TRACE_DIR:-}" ]] || pytrace=(--trace "${trace[0]}")
    case "$impl" in
      notebench) line="$(java -XX:+UseSerialGC -Dai.djl.offline=true -cp "$cp" bench/TrainStepPhases.java \
                   "$threads" "$steps" 6 6 384 256 8 "$vocab" "${trace[@]}" 2>/dev/null | grep "^{" | tail -1)" ;;
      notebench-djl-adamupdate) line="$(java -XX:+UseSerialGC -Dai.djl.offline=true -Dnotebench.train.javaAdamW=false \
                   -cp "$cp" bench/TrainStepPhases.java "$threads" "$steps" 6 6 384 256 8 "$vocab" "${trace[@]}" 2>/dev/null | grep "^{" | tail -1)" ;;
      pytorch) line="$("$PY" bench/pytorch_gpt.py --tokens "$tokens" "${model[@]}" --steps "$steps" --skip 3 \
                   --threads "$threads" --profile "${pytrace[@]}")" ;;
      pytorch-fused-adamw) line="$("$PY" bench/pytorch_gpt.py --tokens "$tokens" "${model[@]}" --steps "$steps" --skip 3 \
                   --threads "$threads" --profile --fused-adamw "${pytrace[@]}")" ;;
      pytorch-sdpa) line="$("$PY" bench/pytorch_gpt.py --tokens "$tokens" "${model[@]}" --steps "$steps" --skip 3 \
                   --threads "$threads" --profile --sdpa "${pytrace[@]}")" ;;
    esac
    echo "$line" >>"$results"
    echo "round $round: $line" >&2
  done
done
"$PY" - "$results" <<'EOF'
import json, statistics, sys, collections
runs = collections.defaultdict(list)
for line in open(sys.argv[1]):
    r = json.loads(line)
    runs[r["impl"]].append(r["phase_ms"])
print("| implementation | forward ms | backward ms | optimizer ms | step ms (sum) | runs |")
print("|---|---|---|---|---|---|")
for impl in ("notebench", "notebench-djl-adamupdate", "pytorch", "pytorch-fused-adamw", "pytorch-sdpa"):
    rs = runs[impl]
    med = {k: statistics.median(r[k] for r in rs) for k in ("forward", "backward", "optimizer")}
    print(f"| {impl} | {med['forward']:.1f} | {med['backward']:.1f} | {med['optimizer']:.1f} | "
          f"{sum(med.values()):.1f} | {len(rs)} |")
EOF
if [[ -n "${TRACE_DIR:-}" ]]; then
  echo
  echo "Operators' self time over the last three steps, A = notebench, B = pytorch-sdpa (round 1):"
  echo
  "$PY" bench/op-profile.py "$TRACE_DIR/notebench-r1.json" "$TRACE_DIR/pytorch-sdpa-r1.json" 25
fi
