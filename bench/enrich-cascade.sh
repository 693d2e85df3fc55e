#!/usr/bin/env bash
# What a cascade (--cascade local) saves on the 6,046 SpamAssassin subjects in datasets/spam/: the
# cheap stage is the embedded labeler (K examples per label from the label column, the generic
# label descriptions of enrich-labeler-accuracy.sh), the expensive stage a SIMULATION OF AN
# ACCURATE MODEL: a loopback fake OpenAI-compatible server (FakeChatServer.goldAnswers, from the
# enrich module's test jar) answering each row's gold label after LATENCY ms, 1,000 prompt tokens a
# call at --price-in 10 ($0.01 a call), one row per call. One run per target and sample size.
#   bench/enrich-cascade.sh [TARGETS] [SAMPLES] [LATENCY_MS] [K] [SEED]
#     (default 0.90,0.95,0.98 200 50 20 42; a TARGET is an accuracy or targets joined by +, e.g.
#     0.95+recall:spam=0.95 or recall:spam=0.95)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$HERE"
./notebench --version >/dev/null
echo "$(nproc) cores, $(java -version 2>&1 | head -1)" >&2
DJL_CACHE_DIR="${DJL_CACHE_DIR:-$HERE/build/djl-cache}" java -Dai.djl.offline=true -Dsun.net.httpserver.nodelay=true \
  -cp "cli/target/notebench-cli.jar:cli/target/lib/*:toolkit/enrich/target/notebench-enrich-0.1.0-SNAPSHOT-tests.jar" \
  bench/CascadeSavings.java datasets/spam/spamassassin-subjects.csv "${3:-50}" "${1:-0.90,0.95,0.98}" "${2:-200}" "${4:-20}" \
  "${5:-42}" 2>/dev/null | grep -v -e "^[0-9][0-9]:" -e "^	" -e "^$" -e "^\]$"
