// Lexer: token kinds, names and escapes, positions in errors.
import { describe, it, expect } from "vitest";
import { lex, IRSyntaxError, unescape } from "../../src/llvm-import/lexer.js";

const kinds = (s: string) => lex(s, "t.ll").map((t) => `${t.k}:${t.t}`);

describe("lexer", () => {
  it("distinguishes sigils, labels, numbers and punctuation", () => {
    expect(kinds(`%x = add nsw i32 %0, -7 ; comment\nbb.1: @g !tbaa !12 #3 $c ...`)).toEqual([
      "lvar:x", "punct:=", "kw:add", "kw:nsw", "kw:i32", "lvar:0", "punct:,", "int:-7",
      "label:bb.1", "gvar:g", "mdvar:tbaa", "mdid:12", "attrid:3", "comdat:c", "punct:...", "eof:end of file",
    ]);
  });
  it("reads floats in decimal and every hex form", () => {
    expect(kinds("1.5e+10 -2.0 0x3FF0000000000000 0xK3FFF8000000000000000 0xH3C00 0xR3F80 0xL00")).toEqual([
      "float:1.5e+10", "float:-2.0", "float:0x3FF0000000000000", "float:0xK3FFF8000000000000000",
      "float:0xH3C00", "float:0xR3F80", "float:0xL00", "eof:end of file",
    ]);
  });
  it("decodes quoted names, strings and c-strings", () => {
    const t = lex(`%"a b" @"\\22q" c"x\\0A\\00" "s\\5C" "lbl":`, "t.ll");
    expect(t.slice(0, 5).map((x) => [x.k, x.t])).toEqual([
      ["lvar", "a b"], ["gvar", '"q'], ["cstr", "x\n\0"], ["str", "s\\"], ["label", "lbl"],
    ]);
    expect(unescape("a\\\\b\\41")).toBe("a\\bA");
  });
  it("numbered labels and debug records", () => {
    expect(kinds("12:\n  #dbg_value(")).toEqual(["label:12", "dbgrec:value", "punct:(", "eof:end of file"]);
  });
  it("reports line and column of a bad character", () => {
    try {
      lex("define void @f() {\n  ret void `\n}", "bad.ll");
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(IRSyntaxError);
      expect((e as Error).message).toBe("bad.ll:2:12: unexpected character '`'");
    }
  });
});
