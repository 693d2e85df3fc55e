#!/usr/bin/env bash
# The dry run's token estimate (--dry-run) against the tokens a run reports on the same table:
# the run goes to FakeChatServer (the enrich module's test jar) counting usage with a real
# byte-level BPE tokenizer (Hugging Face tokenizers through DJL), trained here by `notebench
# tokenizer train` (32k vocabulary): "prose+json" on datasets/sotu/sotu-sample.txt plus the other
# 5,743 subjects as request lines and keyed answers (a stand-in for a hosted model's tokenizer,
# which has seen JSON), and "prose" on the SOTU sample alone (a tokenizer that never saw JSON: the
# worst case). Not the tokenizer of any hosted model. 300 SpamAssassin subjects (every 20th row of
# datasets/spam, none of them in the training text), batches of 10 and 50, one label column and a
# column per label.
#   bench/enrich-token-estimate.sh
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$HERE"
source bench/enrich-fake-setup.sh
python3 - "$tmp/mixed.txt" <<'PY'
import csv, json, sys
rows = list(csv.reader(open("datasets/spam/spamassassin-subjects.csv", encoding="utf-8", newline="")))
with open(sys.argv[1], "w", encoding="utf-8") as out:
    out.write(open("datasets/sotu/sotu-sample.txt", encoding="utf-8").read())
    for i, r in enumerate(rows[1:]):
        if i % 20 != 0:
            out.write(json.dumps({"id": i, "text": r[1]}, ensure_ascii=False, separators=(",", ":")) + "\n")
            out.write(json.dumps({str(i): {"predicted": r[2]}, str(i + 1): {"spam": r[2] == "spam", "ham": r[2] == "ham"}},
                                 separators=(",", ":")) + "\n")
PY
for corpus in "prose+json:$tmp/mixed.txt" "prose:datasets/sotu/sotu-sample.txt"; do
  NOTEBENCH_NO_BUILD=1 ./notebench tokenizer train --corpus "${corpus#*:}" --vocab 32000 --holdout 0 --out "$tmp/tok" > /dev/null 2>&1
  echo "tokenizer: ${corpus%%:*}"
  java -cp "$FAKE_CP" bench/EnrichTokenEstimate.java "$tmp/tok/tokenizer.json" "$tmp/subjects.csv" 2>/dev/null | grep "^|"
  rm -rf "$tmp/tok"
done
