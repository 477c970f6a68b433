#!/usr/bin/env bash
# Finds or installs the toolchain ykts needs: clang-19, llvm-19 tools, lld-19,
# tcc, lua5.4 (the correctness oracle), luajit and GNU time (benchmarks only).
# Idempotent: when everything is present it only checks and exits 0.
# apt-get update runs only when something has to be installed.
set -euo pipefail

LLVM_BIN=/usr/lib/llvm-19/bin
# tool path -> Debian package
declare -A NEED=(
  ["$LLVM_BIN/clang"]=clang-19
  ["$LLVM_BIN/llvm-as"]=llvm-19
  ["$LLVM_BIN/llvm-dis"]=llvm-19
  ["$LLVM_BIN/llvm-diff"]=llvm-19
  ["$LLVM_BIN/llc"]=llvm-19
  ["$LLVM_BIN/opt"]=llvm-19
  ["$LLVM_BIN/llvm-readobj"]=llvm-19
  ["$LLVM_BIN/ld.lld"]=lld-19
  ["/usr/bin/tcc"]=tcc
  ["/usr/bin/lua5.4"]=lua5.4
  ["/usr/bin/luajit"]=luajit
  ["/usr/bin/time"]=time        # GNU time: peak RSS in `npm run bench`
)

missing=()
for tool in "${!NEED[@]}"; do
  [ -x "$tool" ] || missing+=("${NEED[$tool]}")
done
# tcc needs its runtime library and headers to link shared objects.
[ -e /usr/lib/x86_64-linux-gnu/tcc/libtcc1.a ] || [ -e /usr/lib/tcc/libtcc1.a ] || missing+=(tcc)

if [ ${#missing[@]} -eq 0 ]; then
  [ "${1:-}" = "-q" ] || echo "setup-toolchain: all tools present ($LLVM_BIN, tcc, lua5.4, luajit, time)"
  exit 0
fi

pkgs=$(printf '%s\n' "${missing[@]}" | sort -u | tr '\n' ' ')
echo "setup-toolchain: installing: $pkgs" >&2
SUDO=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null; then SUDO=sudo; else
    echo "setup-toolchain: need root (or sudo) to install: $pkgs" >&2; exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
if ! $SUDO apt-get update -qq >&2; then
  echo "setup-toolchain: apt-get update failed; cannot install $pkgs" >&2; exit 1
fi
# shellcheck disable=SC2086
if ! $SUDO apt-get install -y -qq --no-install-recommends $pkgs >&2; then
  echo "setup-toolchain: apt-get install failed for: $pkgs" >&2; exit 1
fi
for tool in "${!NEED[@]}"; do
  if [ ! -x "$tool" ]; then echo "setup-toolchain: still missing after install: $tool" >&2; exit 1; fi
done
echo "setup-toolchain: toolchain ready" >&2
