// Lexer for LLVM 19 textual IR. Input is read as latin1 so every byte is one
// JS char (LLVM strings and names are bytes). Each token keeps its start
// offset; line and column are computed only for error messages.

export type TokKind =
  | "lvar" | "gvar" | "mdvar" | "mdid" | "attrid" | "dbgrec" | "comdat" | "label"
  | "kw" | "int" | "float" | "str" | "cstr" | "punct" | "summary" | "eof";

export interface Token {
  k: TokKind;
  /** Identifier/keyword text, decoded string, name without sigil, or punctuation. */
  t: string;
  /** Start offset in the source. */
  p: number;
  /** End offset (exclusive). */
  e: number;
  /** For lvar/gvar/label: the name was a number (%3, @0, 3:). */
  id: boolean;
}

export class IRSyntaxError extends Error {
  constructor(public file: string, public line: number, public col: number, msg: string) {
    super(`${file}:${line}:${col}: ${msg}`);
  }
}

/** 1-based line and column of an offset. */
export function lineCol(src: string, pos: number): [number, number] {
  let line = 1, last = -1;
  for (let i = src.indexOf("\n"); i !== -1 && i < pos; i = src.indexOf("\n", i + 1)) { line++; last = i; }
  return [line, pos - last];
}

const isIdStart = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 46 || c === 36 || c === 45;
const isIdChar = (c: number) => isIdStart(c) || (c >= 48 && c <= 57);
const isDigit = (c: number) => c >= 48 && c <= 57;
const isHex = (c: number) => isDigit(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);

/** Decodes LLVM's `\XX` and `\\` escapes. */
export function unescape(s: string): string {
  if (s.indexOf("\\") < 0) return s;
  let out = "";
  for (let i = 0; i < s.length; i++) {
    if (s[i] === "\\") {
      if (s[i + 1] === "\\") { out += "\\"; i++; continue; }
      if (isHex(s.charCodeAt(i + 1)) && isHex(s.charCodeAt(i + 2))) {
        out += String.fromCharCode(parseInt(s.substr(i + 1, 2), 16)); i += 2; continue;
      }
    }
    out += s[i];
  }
  return out;
}

/** Whole-input tokenisation (tests, tools); the parser pulls tokens one at a time from a Lexer. */
export function lex(src: string, file: string): Token[] {
  const lx = new Lexer(src, file);
  const toks: Token[] = [];
  for (;;) { const t = lx.next(); toks.push(t); if (t.k === "eof") return toks; }
}

/** Incremental lexer: `next()` returns the following token; `pos` may be moved forward to skip text. */
export class Lexer {
  pos = 0;
  constructor(private src: string, private file: string) {}

  private fail(pos: number, msg: string): never {
    const [l, c] = lineCol(this.src, pos);
    throw new IRSyntaxError(this.file, l, c, msg);
  }
  // Reads a quoted string starting at the opening quote; returns [raw, endAfterQuote].
  private readQuoted(q: number): [string, number] {
    const end = this.src.indexOf('"', q + 1);
    if (end < 0) this.fail(q, "unterminated string");
    return [this.src.slice(q + 1, end), end + 1];
  }
  // Reads a sigil-prefixed name (%x, %"x", %3, @...); returns [name, isId, end].
  private readName(s: number): [string, boolean, number] {
    const src = this.src, n = src.length;
    const c = src.charCodeAt(s);
    if (c === 34) { const [raw, e] = this.readQuoted(s); return [unescape(raw), false, e]; }
    if (isDigit(c)) { let e = s; while (e < n && isDigit(src.charCodeAt(e))) e++; return [src.slice(s, e), true, e]; }
    if (isIdStart(c)) { let e = s; while (e < n && isIdChar(src.charCodeAt(e))) e++; return [src.slice(s, e), false, e]; }
    return this.fail(s, `bad name after '${src[s - 1]}'`);
  }

  next(): Token {
    const src = this.src, n = src.length;
    let i = this.pos;
    let tok: Token | undefined;
    while (i < n && tok === undefined) {
      const c = src.charCodeAt(i);
      if (c === 32 || c === 10 || c === 9 || c === 13) { i++; continue; }
      if (c === 59) { const e = src.indexOf("\n", i); i = e < 0 ? n : e; continue; } // ; comment
      const start = i;
      if (c === 37 || c === 64) { // % @
        const [name, id, e] = this.readName(i + 1);
        tok = { k: c === 37 ? "lvar" : "gvar", t: name, p: start, e, id };
        i = e; continue;
      }
      if (c === 33) { // !
        const d = src.charCodeAt(i + 1);
        if (isDigit(d)) { let e = i + 1; while (e < n && isDigit(src.charCodeAt(e))) e++; tok = { k: "mdid", t: src.slice(i + 1, e), p: start, e, id: false }; i = e; continue; }
        if (isIdStart(d) || d === 92) {
          let e = i + 1; while (e < n && (isIdChar(src.charCodeAt(e)) || src.charCodeAt(e) === 92)) e++;
          tok = { k: "mdvar", t: unescape(src.slice(i + 1, e)), p: start, e, id: false }; i = e; continue;
        }
        tok = { k: "punct", t: "!", p: start, e: i + 1, id: false }; i++; continue;
      }
      if (c === 35) { // #
        if (isDigit(src.charCodeAt(i + 1))) { let e = i + 1; while (e < n && isDigit(src.charCodeAt(e))) e++; tok = { k: "attrid", t: src.slice(i + 1, e), p: start, e, id: false }; i = e; continue; }
        let e = i + 1; while (e < n && isIdChar(src.charCodeAt(e))) e++;
        if (src.startsWith("dbg_", i + 1)) { tok = { k: "dbgrec", t: src.slice(i + 5, e), p: start, e, id: false }; i = e; continue; }
        this.fail(i, `unexpected '${src.slice(i, e)}'`);
      }
      if (c === 36) { const [name, , e] = this.readName(i + 1); tok = { k: "comdat", t: name, p: start, e, id: false }; i = e; continue; }
      if (c === 94) { let e = i + 1; while (e < n && isDigit(src.charCodeAt(e))) e++; tok = { k: "summary", t: src.slice(i + 1, e), p: start, e, id: false }; i = e; continue; }
      if (c === 34) { // "string" or "label":
        const [raw, e] = this.readQuoted(i);
        if (src.charCodeAt(e) === 58) { tok = { k: "label", t: unescape(raw), p: start, e: e + 1, id: false }; i = e + 1; continue; }
        tok = { k: "str", t: unescape(raw), p: start, e, id: false }; i = e; continue;
      }
      if (c === 46 && src.startsWith("...", i)) {
        // `...` is varargs, unless it starts a label (`..._crit_edge:`, names kept by opt).
        let e = i; while (e < n && isIdChar(src.charCodeAt(e))) e++;
        if (src.charCodeAt(e) === 58) { tok = { k: "label", t: src.slice(i, e), p: start, e: e + 1, id: false }; i = e + 1; continue; }
        tok = { k: "punct", t: "...", p: start, e: i + 3, id: false }; i += 3; continue;
      }
      if (isDigit(c) || ((c === 45 || c === 43) && isDigit(src.charCodeAt(i + 1)))) {
        if (c === 48 && src.charCodeAt(i + 1) === 120) { // 0x... hex float (0xK, 0xL, 0xM, 0xH, 0xR prefixes too)
          let e = i + 2;
          if (/[KLMHR]/.test(src[e] ?? "")) e++;
          while (e < n && isHex(src.charCodeAt(e))) e++;
          tok = { k: "float", t: src.slice(i, e), p: start, e, id: false }; i = e; continue;
        }
        let e = i + 1;
        while (e < n && isDigit(src.charCodeAt(e))) e++;
        if (src.charCodeAt(e) === 58 && c !== 45 && c !== 43) { tok = { k: "label", t: src.slice(i, e), p: start, e: e + 1, id: true }; i = e + 1; continue; }
        if (src.charCodeAt(e) === 46) {
          e++;
          while (e < n && isDigit(src.charCodeAt(e))) e++;
          if (src[e] === "e" || src[e] === "E") {
            e++;
            if (src[e] === "-" || src[e] === "+") e++;
            while (e < n && isDigit(src.charCodeAt(e))) e++;
          }
          tok = { k: "float", t: src.slice(i, e), p: start, e, id: false }; i = e; continue;
        }
        if (isIdChar(src.charCodeAt(e))) { // a label like 1abc: or a bare word starting with digits
          let f = e; while (f < n && isIdChar(src.charCodeAt(f))) f++;
          if (src.charCodeAt(f) === 58) { tok = { k: "label", t: src.slice(i, f), p: start, e: f + 1, id: false }; i = f + 1; continue; }
        }
        tok = { k: "int", t: src.slice(i, e), p: start, e, id: false }; i = e; continue;
      }
      if (isIdStart(c)) {
        if ((c === 117 || c === 115) && src.charCodeAt(i + 1) === 48 && src.charCodeAt(i + 2) === 120) { // u0x.. s0x..
          let e = i + 3; while (e < n && isHex(src.charCodeAt(e))) e++;
          const v = BigInt("0x" + src.slice(i + 3, e));
          tok = { k: "int", t: (c === 115 ? BigInt.asIntN((e - i - 3) * 4, v) : v).toString(), p: start, e, id: false }; i = e; continue;
        }
        if (c === 99 && src.charCodeAt(i + 1) === 34) { // c"..."
          const [raw, e] = this.readQuoted(i + 1);
          tok = { k: "cstr", t: unescape(raw), p: start, e, id: false }; i = e; continue;
        }
        let e = i + 1;
        while (e < n && isIdChar(src.charCodeAt(e))) e++;
        if (src.charCodeAt(e) === 58) { tok = { k: "label", t: src.slice(i, e), p: start, e: e + 1, id: false }; i = e + 1; continue; }
        tok = { k: "kw", t: src.slice(i, e), p: start, e, id: false }; i = e; continue;
      }
      if ("=,()[]{}<>*|:".includes(src[i]!)) { tok = { k: "punct", t: src[i]!, p: start, e: i + 1, id: false }; i++; continue; }
      this.fail(i, `unexpected character '${src[i]}'`);
    }
    this.pos = i;
    return tok ?? { k: "eof", t: "end of file", p: n, e: n, id: false };
  }
}
