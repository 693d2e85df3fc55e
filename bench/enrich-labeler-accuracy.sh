#!/usr/bin/env bash
# Accuracy of the embedded labeler (the offline default of %%enrich) on the 6,046 SpamAssassin
# subjects in datasets/spam/: k examples per label drawn at random, every other row labelled and
# compared with the corpus's label; mean and worst over SEEDS seeds.
#   bench/enrich-labeler-accuracy.sh [K,K...] [SEEDS] [MODEL] [generic|subjects]
#     (default 5,10,20 20 all-minilm-l6-v2+bge-small-en-v1.5 generic; MODEL may join models with +; 'subjects' describes each label by typical subjects)
#   LABELER_BENCH=LabelerCalibration runs bench/LabelerCalibration.java instead (enrich-labeler-calibration.sh does)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$HERE"
./notebench --version >/dev/null
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
echo "$(nproc) cores, $(java -version 2>&1 | head -1)" >&2
if [[ "${4:-generic}" == subjects ]]; then
  descriptions=("spam=Make money fast! Free offer, limited time, act now, lowest mortgage rates, cheap viagra, win cash"
                "ham=Re: [mailing list] discussion about the software bug, patch, release and news")
else
  descriptions=("spam=unsolicited bulk email: advertising, offers, money, scams"
                "ham=an ordinary email: a reply, a discussion, a mailing list post, a question")
fi
DJL_CACHE_DIR="${DJL_CACHE_DIR:-$HERE/build/djl-cache}" java -Dai.djl.offline=true \
  -cp "cli/target/notebench-cli.jar:cli/target/lib/*" "bench/${LABELER_BENCH:-LabelerAccuracy}.java" \
  datasets/spam/spamassassin-subjects.csv "${NOTEBENCH_MODELS:-$HOME/.cache/notebench/models}" "$tmp/embeddings.sqlite" \
  "${1:-5,10,20}" "${2:-20}" "${3:-all-minilm-l6-v2+bge-small-en-v1.5}" "${descriptions[@]}" 2>/dev/null | grep -v -e "^[0-9][0-9]:" -e "^	" -e "^$"
