#!/usr/bin/env bash
# Proves that the checked-in expectations of test/lua are lua5.4's: regenerates
# them into a temporary directory with scripts/gen-lua-expected.sh and diffs
# against test/lua. Exit 0 when identical, 1 on any difference (printed).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
CORPUS="$ROOT/test/lua"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

bash "$ROOT/scripts/gen-lua-expected.sh" -o "$tmp"

# Compare only the generated kinds of file, in both directions, so a missing or
# an extra .stderr/.status counts as a difference.
list() { (cd "$1" && ls -1 | grep -E '\.(expected|stderr|status)$' | sort) || true; }
fail=0
if ! diff <(list "$CORPUS") <(list "$tmp") >"$tmp.files"; then
  echo "check-lua-expected: the set of expectation files differs (< checked in, > lua5.4):" >&2
  cat "$tmp.files" >&2
  fail=1
fi
rm -f "$tmp.files"
for f in $(list "$tmp"); do
  if [ -f "$CORPUS/$f" ] && ! diff -u "$CORPUS/$f" "$tmp/$f" >&2; then fail=1; fi
done
if [ "$fail" = 0 ]; then echo "check-lua-expected: $(list "$tmp" | grep -c '\.expected$') programs match lua5.4"; fi
exit "$fail"
