#!/usr/bin/env bash
# The precision of the is-a pairs the extractor finds, judged against WordNet 3.0's noun hypernyms
# (Debian's wordnet-base, or NOTEBENCH_WORDNET=DIR): overall, for the confident patterns, and per
# pattern, with the first 40 wrong pairs.
#   bench/associations-wordnet.sh [FILE]     (default datasets/sotu/sotu-sample.txt)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$HERE"
./notebench --version >/dev/null
[[ -f "${NOTEBENCH_WORDNET:-/usr/share/wordnet}/data.noun" ]] || { echo "no WordNet: apt-get install wordnet-base, or set NOTEBENCH_WORDNET=DIR" >&2; exit 2; }
java -cp "cli/target/notebench-cli.jar:cli/target/lib/*" bench/AssociationsWordNet.java "${1:-datasets/sotu/sotu-sample.txt}"
