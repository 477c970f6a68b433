// Command-line model of `ykts cc`: sorts a gcc/clang-style argument vector
// into what each step of the driver needs (the per-TU compile to LLVM IR, the
// final object compile, the link), without interpreting more than it must.
// Flags it does not know are kept in order and go to clang-19 unchanged.

export type Mode = "link" | "compile" | "assemble-only" | "preprocess" | "passthrough";

export interface ParsedArgs {
  mode: Mode;
  /** C translation units, in order. */
  sources: string[];
  /** Inputs that are not C: objects, archives, shared libraries, assembly. */
  otherInputs: string[];
  /** Position-preserving list of link inputs (objects, -l, sources' objects come in by index). */
  linkItems: LinkItem[];
  output: string | null;
  /** Flags for compiling C (preprocessor, language, warnings, codegen, unknown). */
  compileFlags: string[];
  /** Flags that matter when compiling LLVM IR to an object: -O, -g, -f, -m, --target. */
  codegenFlags: string[];
  /** Every flag except inputs, -o, and dependency-file flags, for the link. */
  linkFlags: string[];
  /** The user's -O flag, if any (the last one wins, as in clang). */
  optLevel: string | null;
  deps: DepFlags;
  /** A reason the driver declines the command (e.g. -shared). */
  declined: string | null;
}

export interface DepFlags {
  md: boolean;     // -MD
  mmd: boolean;    // -MMD
  mp: boolean;     // -MP
  mf: string | null;
  /** -MT/-MQ in order, as flag pairs (they accumulate). */
  targets: string[];
}

export type LinkItem = { kind: "source"; index: number } | { kind: "arg"; value: string };

/** Options followed by a separate value (`-I dir`), that may also be joined (`-Idir`). */
const SEPARATE_COMPILE = new Set([
  "-I", "-D", "-U", "-include", "-imacros", "-isystem", "-iquote", "-idirafter", "-iprefix",
  "-iwithprefix", "-isysroot", "--sysroot", "-x", "-Xclang", "-mllvm", "-Xpreprocessor", "-Xassembler",
  "-target", "-arch",
]);
const SEPARATE_LINK = new Set(["-l", "-L", "-Xlinker", "-T", "-u", "-e", "-z"]);
const DEP_WITH_VALUE = new Set(["-MF", "-MT", "-MQ"]);
/** Flags that make clang do something other than compiling: hand the whole command over. */
const PASSTHROUGH = new Set([
  "-v", "--version", "-###", "-dumpversion", "-dumpmachine", "--help", "-help", "-print-search-dirs",
  "-print-libgcc-file-name", "-print-resource-dir", "-print-multiarch", "-print-targets",
]);
/** Link-only flags without a value. */
const LINK_ONLY = new Set(["-static", "-rdynamic", "-pie", "-no-pie", "-nostdlib", "-nodefaultlibs", "-nostartfiles", "-s", "-static-libgcc"]);

const C_EXT = /\.(c|i)$/;

export class ArgError extends Error {}

export function parseArgs(argv: string[]): ParsedArgs {
  const r: ParsedArgs = {
    mode: "link", sources: [], otherInputs: [], linkItems: [], output: null,
    compileFlags: [], codegenFlags: [], linkFlags: [], optLevel: null,
    deps: { md: false, mmd: false, mp: false, mf: null, targets: [] }, declined: null,
  };
  let sawC = false, sawS = false, sawE = false, sawM = false;
  let lang: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = (): string => {
      if (i + 1 >= argv.length) throw new ArgError(`missing argument to '${a}'`);
      return argv[++i]!;
    };
    if (a === "-" || !a.startsWith("-") || a.length === 1) {
      if (a === "-") throw new ArgError("reading source from standard input ('-') is not supported");
      if (a.startsWith("@")) throw new ArgError(`response files ('${a}') are not supported`);
      const isC = lang === "c" || (lang === null && C_EXT.test(a));
      if (isC) {
        r.linkItems.push({ kind: "source", index: r.sources.length });
        r.sources.push(a);
      } else {
        if (lang !== null && lang !== "none") throw new ArgError(`'-x ${lang}' inputs are not supported`);
        r.otherInputs.push(a);
        r.linkItems.push({ kind: "arg", value: a });
      }
      continue;
    }
    if (PASSTHROUGH.has(a) || a.startsWith("-print-")) { r.mode = "passthrough"; continue; }
    switch (a) {
      case "-c": sawC = true; continue;
      case "-S": sawS = true; continue;
      case "-E": sawE = true; continue;
      case "-M": case "-MM": sawM = true; r.compileFlags.push(a); continue;
      case "-MD": r.deps.md = true; continue;
      case "-MMD": r.deps.mmd = true; continue;
      case "-MP": r.deps.mp = true; continue;
      case "-MG": r.compileFlags.push(a); continue;
      case "-o": r.output = next(); continue;
      case "-shared":
        r.declined = "-shared: ykts cc builds executables only; a JIT-enabled shared library is not supported " +
          "(the runtime and jitd attach to one executable). Build the library with clang-19, or link it statically.";
        continue;
      case "-pthread": r.compileFlags.push(a); r.linkFlags.push(a); continue;
    }
    if (DEP_WITH_VALUE.has(a)) {
      const v = next();
      if (a === "-MF") r.deps.mf = v; else r.deps.targets.push(a, v);
      continue;
    }
    if (/^-M[FTQ]./.test(a)) {
      const v = a.slice(3);
      if (a.startsWith("-MF")) r.deps.mf = v; else r.deps.targets.push(a.slice(0, 3), v);
      continue;
    }
    if (a.startsWith("-o")) { r.output = a.slice(2); continue; }
    if (SEPARATE_COMPILE.has(a)) {
      const v = next();
      if (a === "-x") { lang = v; continue; }
      r.compileFlags.push(a, v);
      r.linkFlags.push(a, v);
      if (a === "-target" || a === "-arch") r.codegenFlags.push(a, v);
      continue;
    }
    if (SEPARATE_LINK.has(a)) {
      const v = next();
      r.linkItems.push({ kind: "arg", value: a }, { kind: "arg", value: v });
      continue;
    }
    if (a.startsWith("-x")) { lang = a.slice(2); continue; }
    if (a.startsWith("-l") || a.startsWith("-Wl,") || a.startsWith("-L")) {
      r.linkItems.push({ kind: "arg", value: a });
      continue;
    }
    if (a.startsWith("-flto") && a !== "-fno-lto") {
      r.declined = `${a}: link-time optimisation is not supported (the JIT needs each object's code to match ` +
        "the ykir attached to it, and LTO objects carry bitcode)";
      continue;
    }
    if (LINK_ONLY.has(a) || a.startsWith("-fuse-ld=") || a.startsWith("-static-")) { r.linkFlags.push(a); continue; }
    if (/^-O([0-3sgz]|fast)?$/.test(a)) {
      r.optLevel = a;
      r.linkFlags.push(a);
      continue;
    }
    // Everything else (-I.., -D.., -W.., -std=, -f.., -m.., -g.., unknown)
    // goes to the C compile and, like clang, to the link as well.
    r.compileFlags.push(a);
    r.linkFlags.push(a);
    if (/^-(f|m|g)/.test(a) || a.startsWith("--target=")) r.codegenFlags.push(a);
  }
  if (r.mode === "passthrough") return r;
  if (sawE || sawM) r.mode = "preprocess";
  else if (sawS) r.mode = "assemble-only";
  else if (sawC) r.mode = "compile";
  if (r.mode === "compile" && r.output !== null && r.sources.length + r.otherInputs.length > 1)
    throw new ArgError("cannot specify -o when generating multiple output files");
  if (r.sources.length === 0 && r.otherInputs.length === 0)
    throw new ArgError("no input files");
  return r;
}

/** Rebuilds the dependency flags for clang's IR step so that the .d file and
 *  its target are exactly what `clang -c` with the user's flags would write
 *  (clang derives both from -o, which the IR step changes). */
export function depFlagsFor(deps: DepFlags, source: string, explicitOutput: string | null): string[] {
  if (!deps.md && !deps.mmd) {
    // -MF/-MT/-MP without -MD/-MMD mean nothing to clang either, except with -M/-MM (preprocess mode).
    return [];
  }
  const out: string[] = [deps.mmd && !deps.md ? "-MMD" : "-MD"];
  const depFile = deps.mf ?? dependencyFileName(source, explicitOutput);
  out.push("-MF", depFile);
  if (deps.targets.length > 0) out.push(...deps.targets);
  else out.push("-MQ", explicitOutput ?? defaultObjectName(source));
  if (deps.mp) out.push("-MP");
  return out;
}

/** clang: with -o, the .d file is the output with its extension replaced by .d;
 *  otherwise <stem of the input>.d in the current directory. */
export function dependencyFileName(source: string, explicitOutput: string | null): string {
  if (explicitOutput !== null) return replaceExtension(explicitOutput, ".d");
  return stem(source) + ".d";
}

export function defaultObjectName(source: string): string {
  return stem(source) + ".o";
}

function stem(p: string): string {
  const base = p.slice(p.lastIndexOf("/") + 1);
  const dot = base.lastIndexOf(".");
  return dot > 0 ? base.slice(0, dot) : base;
}

/** llvm::sys::path::replace_extension: drop the extension of the file name (if any), add ext. */
function replaceExtension(p: string, ext: string): string {
  const slash = p.lastIndexOf("/");
  const dot = p.lastIndexOf(".");
  const base = dot > slash + 1 ? p.slice(0, dot) : p; // a leading-dot file name keeps its name
  return base + ext;
}
