// The driver's link to the rest of ykts: the LLVM-text parser (llvm-import),
// the ykir serialiser and the instrumenter, each loaded lazily (a `ykts cc`
// invocation pays for them only when it compiles C) and looked up by name so
// that a missing or not-yet-built part is a clear error instead of a crash.

export interface InstrumentResult {
  /** Instrumented module as LLVM text (a ykir Module is printed with the ykir printer). */
  instrumentedText: string;
  /** The traced clones as LLVM text, compiled without optimisation (src/instrument/split-clones.ts). */
  clonesText?: string;
  /** Serialised ykir of the uninstrumented module (what goes into `.ykts_ir`). */
  ykirBytes: Uint8Array;
}

export class BridgeError extends Error {}

type AnyModule = Record<string, unknown>;

async function load(spec: string, what: string): Promise<AnyModule> {
  try {
    // A variable specifier keeps tsc from requiring the module to exist yet.
    const url = new URL(spec, import.meta.url).href;
    return (await import(url)) as AnyModule;
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    if (/Cannot find module|ERR_MODULE_NOT_FOUND/.test(msg))
      throw new BridgeError(`${what} is not available (${spec} not built)`);
    throw e;
  }
}

function pick<T>(mod: AnyModule, names: string[], what: string): T {
  for (const n of names) if (typeof mod[n] === "function") return mod[n] as T;
  throw new BridgeError(`${what}: none of ${names.join(", ")} is exported`);
}

let parseFn: ((text: string, opts: { file?: string }) => unknown) | null = null;
export async function parseLLVM(text: string, file: string): Promise<unknown> {
  if (!parseFn) {
    const m = await load("../llvm-import/parser.js", "the LLVM IR parser (src/llvm-import)");
    parseFn = pick(m, ["parseModule"], "src/llvm-import/parser.ts");
  }
  return parseFn!(text, { file });
}

let serialiseFn: ((m: unknown) => Uint8Array) | null | undefined;
/** The serialised format's version (src/ykir/serialise.ts), written into each `.ykts_ir` frame header. */
export let ykirFormatVersion = 1;
/** The ykir serialiser, or null when src/ykir has none (yet). */
export async function ykirSerialiser(): Promise<((m: unknown) => Uint8Array) | null> {
  if (serialiseFn !== undefined) return serialiseFn;
  for (const spec of ["../ykir/serialise.js", "../ykir/serialize.js", "../ykir/serialiser.js", "../ykir/index.js"]) {
    try {
      const m = await load(spec, "ykir serialiser");
      for (const n of ["serialiseModule", "serializeModule", "serialise", "serialize"]) {
        if (typeof m[n] === "function") {
          if (typeof m.YKIR_FORMAT_VERSION === "number") ykirFormatVersion = m.YKIR_FORMAT_VERSION;
          return (serialiseFn = m[n] as (m: unknown) => Uint8Array);
        }
      }
    } catch (e) {
      if (!(e instanceof BridgeError)) throw e;
    }
  }
  return (serialiseFn = null);
}

type PayloadEncoder = (ykir: Uint8Array, side: unknown) => Uint8Array;
let payloadFn: PayloadEncoder | null | undefined;
/** The `.ykts_ir` frame payload encoder of the instrumenter (ykir + side
 *  table), or null without an instrumenter. Plain mode (YKTS_INSTRUMENT=off)
 *  uses it with an empty side table so that every frame has one format. */
export async function payloadEncoder(): Promise<PayloadEncoder | null> {
  if (payloadFn !== undefined) return payloadFn;
  try {
    const m = await load("../instrument/side-table.js", "the side-table encoder (src/instrument)");
    payloadFn = typeof m.encodePayload === "function" ? (m.encodePayload as PayloadEncoder) : null;
  } catch (e) {
    if (!(e instanceof BridgeError)) throw e;
    payloadFn = null;
  }
  return payloadFn;
}

let printFn: ((m: unknown) => string) | null = null;
async function ykirPrinter(): Promise<(m: unknown) => string> {
  if (printFn) return printFn;
  for (const spec of ["../ykir/printer.js", "../ykir/print.js", "../ykir/index.js"]) {
    try {
      const m = await load(spec, "ykir printer");
      for (const n of ["printModule", "print"]) if (typeof m[n] === "function") return (printFn = m[n] as (m: unknown) => string);
    } catch (e) {
      if (!(e instanceof BridgeError)) throw e;
    }
  }
  throw new BridgeError("the ykir printer (src/ykir) is not available");
}

/** Runs `instrumentModule` from src/instrument/index.ts. */
export async function instrument(module: unknown, opts: { file: string }): Promise<InstrumentResult> {
  const m = await load("../instrument/index.js", "the instrumentation step (src/instrument)");
  const fn = pick<(m: unknown, o: unknown) => unknown>(m, ["instrumentModule"], "src/instrument/index.ts");
  const r = (await fn(module, opts)) as { instrumented?: unknown; clones?: unknown; ykirBytes?: unknown };
  if (!r || !(r.ykirBytes instanceof Uint8Array))
    throw new BridgeError("instrumentModule returned no ykirBytes (expected a Uint8Array)");
  let text: string;
  if (typeof r.instrumented === "string") text = r.instrumented;
  else if (r.instrumented && typeof r.instrumented === "object") text = (await ykirPrinter())(r.instrumented);
  else throw new BridgeError("instrumentModule returned no instrumented module");
  const clonesText = r.clones && typeof r.clones === "object" ? (await ykirPrinter())(r.clones) : undefined;
  return clonesText === undefined ? { instrumentedText: text, ykirBytes: r.ykirBytes } : { instrumentedText: text, clonesText, ykirBytes: r.ykirBytes };
}
