#!/usr/bin/env bash
# Spark's throughput scaling and overhead (issue 21), on this machine: a real standalone cluster on
# loopback (toolkit/spark's test harness StandaloneCluster: a Master and two Workers of one core,
# each its own JVM, the executors launched by the Workers), 1 executor of 1 core vs 2, and the local
# API with 1 and 2 threads, on the same data: associations (relations and sentence co-occurrence)
# over the 40 State of the Union addresses repeated REPEAT times, and all-MiniLM-L6-v2 embeddings of
# the 6,046 spam subjects. One warm-up run excluded, best of RUNS; Spark's results checked against
# the local API's. Goals: 2 executors >= 1.7x 1 executor; Spark on 2 executors <= 15% slower than
# the local API on 2 threads. Needs a quiet machine with at least 2 free cores.
#   bench/spark-scaling.sh [REPEAT] [RUNS] [SUBJECTS]     (default 10, 3 and all 6,046; 1 1 300 only checks that it runs)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$HERE"
repeat="${1:-10}"
runs="${2:-3}"
subjects="${3:-0}"
target=toolkit/spark/target
# ./notebench spark builds the module (package: its jar, lib/ and spark-jars/); the harness is a test class
./notebench spark --help >/dev/null
[[ -f "$target/test-classes/dev/notebench/spark/StandaloneCluster.class" ]] \
  || ./mvnw -B -q -o test-compile -pl toolkit/spark -am >&2
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
echo "$(nproc) cores, $(java -version 2>&1 | head -1); SOTU x $repeat, best of $runs after a warm-up" >&2
# the cluster's directory (target/standalone-cluster-*) is made under the working directory
cd "$tmp"
java -Xmx3g -XX:+UseParallelGC -Dai.djl.offline=true \
  -cp "$HERE/$target/notebench-spark.jar:$HERE/$target/lib/*:$HERE/$target/spark-jars/*:$HERE/$target/test-classes" \
  "$HERE/bench/SparkScaling.java" "$HERE/datasets/sotu/sotu-sample.txt" "$HERE/datasets/spam/spamassassin-subjects.csv" \
  "$repeat" "$runs" "$subjects" "$tmp"
