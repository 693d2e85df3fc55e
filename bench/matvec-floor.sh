#!/usr/bin/env bash
# The weights-only floor of a batch-1 decode step, DJL's libtorch (what Notebench runs) against the
# Python peer's torch (what transformers runs), same threads, alternated: every linear layer of the
# GPT-2 124M and Qwen2.5-0.5B shapes applied once to one row (bench/MatvecFloor.java,
# bench/matvec_floor.py). Compare with the generated tokens' time of bench/pretrained-inference.sh.
#
#   bench/matvec-floor.sh [THREADS] [ROUNDS] [REPS]      (defaults 2, 3, 20)
# Needs build/pyenv (.ci/install-deps) and the built CLI (./notebench --version builds it).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$HERE"
threads="${1:-2}"
rounds="${2:-3}"
reps="${3:-20}"
PY="$HERE/build/pyenv/bin/python"
OUT="${BENCH_OUT:-$HERE/build/bench}"
./notebench --version >/dev/null   # build first, outside the timings
cp="cli/target/notebench-cli.jar:cli/target/lib/*"
mkdir -p "$OUT/classes"
javac -d "$OUT/classes" -cp "$cp" bench/MatvecFloor.java
echo "$(nproc) cores, $threads threads, $(java -version 2>&1 | head -1), load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
for model in gpt2-124m qwen2.5-0.5b; do
  for round in $(seq 1 "$rounds"); do
    java -XX:+UseSerialGC -Dai.djl.offline=true -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$OUT/classes:$cp" \
      MatvecFloor "$model" "$threads" "$reps" 2>/dev/null | grep "^{"
    "$PY" bench/matvec_floor.py "$model" "$threads" "$reps"
  done
done
