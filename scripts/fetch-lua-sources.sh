#!/usr/bin/env bash
# Fetches the PUC Lua 5.4 sources from Debian's source package (apt-get source
# lua5.4) into .cache/lua5.4-src and prints the unpacked directory. The round-
# trip tests of the IR parser use them as real C code nobody here wrote.
# The system's apt lists are left untouched: a temporary deb-src list and a
# temporary lists directory are passed to apt-get. Later runs reuse the cache.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CACHE="$ROOT/.cache/lua5.4-src"

find_tree() { find "$CACHE" -maxdepth 3 -type f -name lapi.c -path '*/src/*' 2>/dev/null | head -n1; }

# Debian's patches make luaconf.h include lua5.4-deb-multiarch.h, which
# Debian's build generates (debian/rules); write it the same way.
multiarch_header() {
  local src="$1/src" h
  grep -q 'lua5.4-deb-multiarch.h' "$src/luaconf.h" 2>/dev/null || return 0
  h="$src/lua5.4-deb-multiarch.h"
  [ -e "$h" ] && return 0
  local ma
  ma="$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)"
  printf '#ifndef _LUA_DEB_MULTIARCH_\n#define _LUA_DEB_MULTIARCH_\n#define DEB_HOST_MULTIARCH "%s"\n#endif\n' "$ma" >"$h"
}

hit="$(find_tree || true)"
if [ -n "$hit" ]; then d="$(dirname "$(dirname "$hit")")"; multiarch_header "$d"; echo "$d"; exit 0; fi

SUDO=""
if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null; then SUDO=sudo; fi
if ! command -v dpkg-source >/dev/null; then
  echo "fetch-lua-sources: installing dpkg-dev (for dpkg-source)" >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends dpkg-dev >&2
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/parts" "$tmp/lists/partial"
echo "deb-src http://deb.debian.org/debian bookworm main" >"$tmp/sources.list"
APT_OPTS=(-o "Dir::Etc::SourceList=$tmp/sources.list" -o "Dir::Etc::SourceParts=$tmp/parts"
          -o "Dir::State::Lists=$tmp/lists" -o "APT::Sandbox::User=root")
apt-get "${APT_OPTS[@]}" update -qq >&2
mkdir -p "$CACHE.tmp"
(cd "$CACHE.tmp" && apt-get "${APT_OPTS[@]}" source -qq lua5.4 >&2)
rm -rf "$CACHE" && mv "$CACHE.tmp" "$CACHE"
hit="$(find_tree)"
[ -n "$hit" ] || { echo "fetch-lua-sources: no src/lapi.c in the unpacked package" >&2; exit 1; }
d="$(dirname "$(dirname "$hit")")"
multiarch_header "$d"
echo "$d"
