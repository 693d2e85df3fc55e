#!/usr/bin/env bash
# Kernel start to first executed cell: the Notebench kernel against ipykernel (Python), measured
# in the same run on the same machine. Installs the Notebench kernel into a temporary Jupyter dir.
#   bench/kernel-startup.sh [RUNS]
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${1:-5}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$HERE/notebench" kernel install --prefix "$tmp" --name notebench >&2
export PYDEVD_DISABLE_FILE_VALIDATION=1
export JUPYTER_PATH="$tmp/share/jupyter" JUPYTER_RUNTIME_DIR="$tmp/runtime" JUPYTER_DATA_DIR="$tmp/data"
echo "$(nproc) cores, $(java -version 2>&1 | head -1), $(/usr/bin/python3 --version)" >&2
/usr/bin/python3 "$HERE/bench/kernel_startup.py" --runs "$runs" notebench python3
