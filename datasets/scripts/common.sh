# Shell helpers shared by datasets/build.sh and datasets/fetch-full.sh.
# Sourced, not executed.  Expects: set -euo pipefail, $PY (python3), $tmp.

# npm_fetch SPEC INTEGRITY DEST
#   Download the npm tarball of SPEC (name@version) with `npm pack` (only that
#   package, no dependencies; uses the npm cache when warm), check it against
#   the pinned INTEGRITY (the registry's dist.integrity, "sha512-<base64>",
#   see `npm view SPEC dist.integrity`), and unpack it into DEST.
npm_fetch() {
  local spec="$1" want="$2" dest="$3" packdir tgz got
  packdir="$(mktemp -d "$tmp/pack.XXXXXX")"
  log "npm pack $spec"
  tgz="$(cd "$packdir" && npm pack --silent --loglevel=error \
           --pack-destination "$packdir" "$spec" | tail -n 1)"
  tgz="$packdir/$tgz"
  [[ -f "$tgz" ]] || { echo "npm pack $spec: no tarball" >&2; exit 1; }
  got="$("$PY" -c 'import base64, hashlib, sys
print("sha512-" + base64.b64encode(hashlib.sha512(open(sys.argv[1], "rb").read()).digest()).decode())' "$tgz")"
  if [[ "$got" != "$want" ]]; then
    echo "npm_fetch: $spec integrity $got differs from the pinned $want" >&2
    exit 1
  fi
  mkdir -p "$dest"
  tar -xzf "$tgz" -C "$dest" --strip-components=1 --no-same-owner
  rm -rf "$packdir"
}
