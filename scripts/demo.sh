#!/usr/bin/env bash
# The main job: retrofit minilua with `ykts cc` and run a Lua program under
# the JIT runtime, next to the reference lua5.4.
#
# Stage reached so far: hot loops are recorded through the traced clones and
# every recording is checked by jitd against the program's ykir; the trace
# compiler (recording -> native code) is the next stage, so jitd answers
# "not compiled". The log lines below show each recording and jitd's verdict.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-toolchain.sh -q
[ -d node_modules ] || npm ci --no-audit --no-fund
npx tsc -p tsconfig.json

out=build/demo
mkdir -p "$out"
echo "== make CC=\"ykts cc\" (minilua, $(ls interpreters/minilua/src/*.c | wc -l) C files)"
start=$(date +%s)
make -s -f interpreters/minilua/Makefile -j2 CC="node $PWD/bin/ykts.js cc" \
  BUILD="$PWD/$out/obj" BIN="$PWD/$out/minilua"
echo "   built $out/minilua in $(( $(date +%s) - start )) s"

prog=${1:-bench/lua/queens.lua}
arg=${2:-6}
echo "== lua5.4 $prog $arg"
lua5.4 "$prog" "$arg" | tee "$out/expected.txt"
echo "== $out/minilua $prog $arg   (YKTS_LOG=1 YKTS_SYNC=1 YKTS_STATS=1)"
YKTS_LOG=1 YKTS_SYNC=1 YKTS_STATS=1 "$out/minilua" "$prog" "$arg" > "$out/actual.txt" 2> "$out/log.txt"
cat "$out/actual.txt"
grep -E '^ykts: (recorded|loc=)' "$out/log.txt" | head -n 12 || true
grep -E '^ykts-stats: (recordings_|locations_|answered|jitd|jit=)' "$out/log.txt" || true
if cmp -s "$out/expected.txt" "$out/actual.txt"; then
  echo "== output identical to lua5.4"
else
  echo "== OUTPUT DIFFERS from lua5.4 (see $out/)" >&2
  exit 1
fi
