// The Lua corpus (test/lua) run with plain minilua, built once with clang-19:
// every program must print and exit exactly as lua5.4 did.
import { buildMinilua, defineCorpusSuite, MINILUA_BINARY } from "./corpus.js";

defineCorpusSuite({ binary: MINILUA_BINARY, name: "minilua", setup: buildMinilua });
