#!/usr/bin/env bash
# Enrichment against a fake of a grammar-constrained decoder with a weak model (FakeChatServer's
# constrainedDecoder, from the enrich module's test jar: it answers the smallest document the
# request's json_schema allows) on loopback: 300 SpamAssassin subjects (every 20th row of
# datasets/spam), --single spam/ham, --batch 10 --workers 4, rows labelled and calls made, with this
# checkout's notebench and, when given, another checkout's (e.g. main before issue 20, built with
# ./mvnw -o -pl cli -am package -DskipTests there).
#   bench/enrich-constrained.sh [OTHER_CHECKOUT]
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$HERE"
fake=""
cleanup() { [[ -n "$fake" ]] && kill "$fake"; }
source bench/enrich-fake-setup.sh
java -cp "$FAKE_CP" bench/ConstrainedFake.java > "$tmp/url" 2>/dev/null &
fake=$!
for _ in $(seq 100); do [[ -s "$tmp/url" ]] && break; sleep 0.2; done
url="$(head -1 "$tmp/url")"
echo "| notebench | commit | rows | labelled | failed | calls |"
echo "|---|---|---|---|---|---|"
for checkout in "$HERE" ${1:+"$1"}; do
  out="$tmp/out-$RANDOM.csv"
  set +e
  NOTEBENCH_NO_BUILD=1 "$checkout/notebench" enrich --input "$tmp/subjects.csv" --text subject --labels spam,ham --single \
    --base-url "$url" --model weak-model --batch 10 --workers 4 --no-cache --out "$out" > "$tmp/stdout" 2> "$tmp/stderr"
  set -e
  commit="$(git -C "$checkout" rev-parse --short HEAD 2>/dev/null || echo "${checkout##*/}")"
  python3 - "$checkout" "$commit" "$tmp/stdout" <<'PY'
import re, sys
text = open(sys.argv[3]).read()
head = re.search(r"(\d+) of (\d+) rows labelled, (\d+) failed", text)
calls = re.search(r"calls\s*\|\s*(\d+)", text) or re.search(r"(\d+) calls", text)
print(f"| {sys.argv[1]} | {sys.argv[2]} | {head.group(2)} | {head.group(1)} | {head.group(3)} | {calls.group(1) if calls else '?'} |")
PY
done
