#!/usr/bin/env bash
# Calibration of the embedded labeler's confidences on the 6,046 SpamAssassin subjects, drawn as
# enrich-labeler-accuracy.sh draws them (bench/LabelerCalibration.java through that script): ECE
# before and after the fitted temperature, accuracy at coverage, reliability tables.
#   bench/enrich-labeler-calibration.sh [K] [SEEDS] [MODEL] [generic|subjects]
#     (default 20 5 all-minilm-l6-v2+bge-small-en-v1.5 subjects)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LABELER_BENCH=LabelerCalibration exec "$HERE/bench/enrich-labeler-accuracy.sh" "${1:-20}" "${2:-5}" \
  "${3:-all-minilm-l6-v2+bge-small-en-v1.5}" "${4:-subjects}"
