// The driver's link to the rest of ykts: the LLVM-text parser (llvm-import),
// the ykir serialiser and printer, and the instrumenter. They are imported
// lazily, so a `ykts cc` invocation that only links or preprocesses does not
// pay for loading them.
import type { Module } from "../ykir/index.js";
import type { SideTable } from "../instrument/side-table.js";

export interface InstrumentResult {
  /** Instrumented originals as LLVM text. */
  instrumentedText: string;
  /** The traced clones as LLVM text, compiled without optimisation (src/instrument/split-clones.ts). */
  clonesText: string;
  /** The `.ykts_ir` payload: the uninstrumented unit's ykir and its side table. */
  ykirBytes: Uint8Array;
}

/** A failure of the instrumentation step (as opposed to the parser's or clang's). */
export class BridgeError extends Error {}

/** The serialised format's version (src/ykir/serialise.ts), written into each `.ykts_ir` frame header. */
export let ykirFormatVersion = 0;

export async function parseLLVM(text: string, file: string): Promise<Module> {
  const { parseModule } = await import("../llvm-import/parser.js");
  return parseModule(text, { file });
}

/** The ykir serialiser (loading it also sets ykirFormatVersion). */
export async function ykirSerialiser(): Promise<(m: Module) => Uint8Array> {
  const { serialiseModule, YKIR_FORMAT_VERSION } = await import("../ykir/serialise.js");
  ykirFormatVersion = YKIR_FORMAT_VERSION;
  return serialiseModule;
}

/** The `.ykts_ir` payload encoder; plain mode (YKTS_INSTRUMENT=off) uses it with an empty side table. */
export async function payloadEncoder(): Promise<(ykir: Uint8Array, side: SideTable) => Uint8Array> {
  return (await import("../instrument/side-table.js")).encodePayload;
}

/** Runs `instrumentModule` (src/instrument/index.ts) and prints both modules. */
export async function instrument(module: Module, opts: { file: string }): Promise<InstrumentResult> {
  const [{ instrumentModule, InstrumentError }, { printModule }] = await Promise.all([
    import("../instrument/index.js"), import("../ykir/printer.js"),
  ]);
  try {
    const r = instrumentModule(module, opts);
    return { instrumentedText: printModule(r.instrumented), clonesText: printModule(r.clones), ykirBytes: r.ykirBytes };
  } catch (e) {
    if (e instanceof InstrumentError) throw new BridgeError(e.message);
    throw e;
  }
}
