#!/usr/bin/env bash
# Cost of watching a run live: tokens/s of the same training run in the Notebench kernel with a
# TrainingView (progress bar + LivePlot sending new points to the client) and without one, driven
# by jupyter_client, which receives every display message as a notebook front end would.
#   bench/live-plot-overhead.sh [REPEATS] [STEPS]      (defaults 3 and 300)
# Installs the kernel into a temporary Jupyter dir; trains a BPE tokenizer of 2000 on the SOTU
# sample first. Prints a Markdown table.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
repeats="${1:-3}"
steps="${2:-300}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$HERE/notebench" kernel install --prefix "$tmp" --name notebench >&2
export JUPYTER_PATH="$tmp/share/jupyter" JUPYTER_RUNTIME_DIR="$tmp/runtime" JUPYTER_DATA_DIR="$tmp/data"
NOTEBENCH_NO_BUILD=1 "$HERE/notebench" tokenizer train --corpus "$HERE/datasets/sotu/sotu-sample.txt" --vocab 2000 \
  --holdout 0 --out "$tmp/tok" >/dev/null
echo "$(nproc) cores, $(java -version 2>&1 | head -1), $(/usr/bin/python3 --version)" >&2
/usr/bin/python3 "$HERE/bench/live_plot_overhead.py" --repeats "$repeats" --steps "$steps" --tokenizer "$tmp/tok" \
  --corpus "$HERE/datasets/sotu/sotu-sample.txt" --runs "$tmp/runs"
