# Sourced by the enrichment benchmarks against FakeChatServer (bench/enrich-constrained.sh,
# bench/enrich-token-estimate.sh): builds the CLI and the enrich module's test jar when missing,
# makes $tmp (removed on exit, after running the function cleanup when the script defines one),
# writes $tmp/subjects.csv (300 SpamAssassin subjects: every 20th row of datasets/spam) and sets
# $FAKE_CP, the class path of the CLI plus the fakes.
[[ -f cli/target/notebench-cli.jar && -f toolkit/enrich/target/notebench-enrich-0.1.0-SNAPSHOT-tests.jar ]] \
  || ./mvnw -B -q -o -pl cli -am package -DskipTests
tmp="$(mktemp -d)"
trap 'declare -F cleanup >/dev/null && cleanup; rm -rf "$tmp"' EXIT
echo "$(nproc) cores, $(java -version 2>&1 | head -1)" >&2
FAKE_CP="cli/target/notebench-cli.jar:cli/target/lib/*:toolkit/enrich/target/notebench-enrich-0.1.0-SNAPSHOT-tests.jar"
python3 - "$tmp/subjects.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open("datasets/spam/spamassassin-subjects.csv", encoding="utf-8", newline="")))
with open(sys.argv[1], "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f)
    w.writerow(rows[0])
    w.writerows(rows[1::20][:300])
PY
