#!/usr/bin/env bash
# The main job: retrofit minilua with `ykts cc` and run a Lua program under
# the JIT runtime, next to the reference lua5.4.
#
# Hot loops are recorded through the traced clones, jitd checks each
# recording against the program's ykir and compiles it to a trace object,
# the runtime installs it and runs it from the control point, and failing
# guards deoptimise back into the interpreter. The log lines below show each
# recording, jitd's answer and the installs; the statistics how often traces
# were entered and left.
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
grep -E '^ykts-stats: (recordings_(started|completed|aborted)|answered|traces_|deopts|jitd|jit=)' "$out/log.txt" || true
if cmp -s "$out/expected.txt" "$out/actual.txt"; then
  echo "== output identical to lua5.4"
  entered=$(sed -n 's/^ykts-stats: traces_entered=//p' "$out/log.txt")
  echo "== traces entered: ${entered:-0}"
else
  echo "== OUTPUT DIFFERS from lua5.4 (see $out/)" >&2
  exit 1
fi
