#!/usr/bin/env bash
# Calibration of the embedded labeler's confidences on the 6,046 SpamAssassin subjects in
# datasets/spam/ (the setup of enrich-labeler-accuracy.sh): ECE before and after the fitted
# temperature, accuracy at coverage, reliability tables.
#   bench/enrich-labeler-calibration.sh [K] [SEEDS] [MODEL] [generic|subjects]
#     (default 20 5 all-minilm-l6-v2+bge-small-en-v1.5 subjects)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$HERE"
test -f cli/target/notebench-cli.jar || { echo "build the CLI first: ./mvnw -B -q -o -pl cli -am package -DskipTests" >&2; exit 1; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
echo "$(nproc) cores, $(java -version 2>&1 | head -1)" >&2
if [[ "${4:-subjects}" == subjects ]]; then
  descriptions=("spam=Make money fast! Free offer, limited time, act now, lowest mortgage rates, cheap viagra, win cash"
                "ham=Re: [mailing list] discussion about the software bug, patch, release and news")
else
  descriptions=("spam=unsolicited bulk email: advertising, offers, money, scams"
                "ham=an ordinary email: a reply, a discussion, a mailing list post, a question")
fi
DJL_CACHE_DIR="${DJL_CACHE_DIR:-$HERE/build/djl-cache}" java -Dai.djl.offline=true \
  -cp "cli/target/notebench-cli.jar:cli/target/lib/*" bench/LabelerCalibration.java \
  datasets/spam/spamassassin-subjects.csv "${NOTEBENCH_MODELS:-$HOME/.cache/notebench/models}" "${NOTEBENCH_BENCH_CACHE:-$tmp/embeddings.sqlite}" \
  "${1:-20}" "${2:-5}" "${3:-all-minilm-l6-v2+bge-small-en-v1.5}" "${descriptions[@]}" 2>/dev/null | grep -v -e "^[0-9][0-9]:" -e "^	" -e "^$" || true
