#!/usr/bin/env bash
# Generates the expected results of the Lua test corpus (test/lua) from the
# reference interpreter lua5.4, the only oracle minilua is held to.
#
#   scripts/gen-lua-expected.sh [-o OUTDIR] [NAME...]
#
# For each NAME (default: every test/lua/*.lua) runs `lua5.4 NAME.lua` with
# test/lua as cwd, stdin from /dev/null and only the environment listed in
# test/lua/ENV, then writes into OUTDIR (default test/lua):
#   NAME.expected  stdout, always
#   NAME.stderr    first line of stderr with the "lua5.4: " prefix removed,
#                  only when the program failed or wrote to stderr
#   NAME.status    the exit status, only when it is non-zero
# Stale NAME.stderr / NAME.status files are removed so the set stays exact.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
CORPUS="$ROOT/test/lua"
OUT="$CORPUS"
if [ "${1:-}" = "-o" ]; then OUT=$(cd "$2" && pwd); shift 2; fi
LUA=${LUA54:-lua5.4}
command -v "$LUA" >/dev/null || { echo "gen-lua-expected: $LUA not found (run scripts/setup-toolchain.sh)" >&2; exit 2; }

# The environment: KEY=VALUE lines of test/lua/ENV, comments skipped.
ENVARGS=()
while IFS= read -r line; do
  case "$line" in ''|'#'*) continue ;; esac
  ENVARGS+=("$line")
done < "$CORPUS/ENV"

names=("$@")
if [ ${#names[@]} -eq 0 ]; then
  for f in "$CORPUS"/*.lua; do names+=("$(basename "$f" .lua)"); done
fi

cd "$CORPUS"
errfile=$(mktemp)
trap 'rm -f "$errfile"' EXIT
for name in "${names[@]}"; do
  name=${name%.lua}
  [ -f "$name.lua" ] || { echo "gen-lua-expected: no such program: test/lua/$name.lua" >&2; exit 2; }
  status=0
  env -i "${ENVARGS[@]}" timeout 60 "$LUA" "$name.lua" </dev/null >"$OUT/$name.expected" 2>"$errfile" || status=$?
  if [ "$status" = 124 ]; then echo "gen-lua-expected: $name.lua timed out under $LUA" >&2; exit 2; fi
  rm -f "$OUT/$name.stderr" "$OUT/$name.status"
  if [ "$status" != 0 ] || [ -s "$errfile" ]; then
    # Tracebacks differ between implementations; only the message line counts.
    head -n 1 "$errfile" | sed 's/^lua5\.4: //' >"$OUT/$name.stderr"
  fi
  if [ "$status" != 0 ]; then echo "$status" >"$OUT/$name.status"; fi
done
