// ykir: the in-memory IR every stage of ykts speaks. See docs/ykir.md.
export * from "./types.js";
export * from "./value.js";
export * from "./constants.js";
export * from "./instruction.js";
export * from "./module.js";
export * from "./attributes.js";
export * from "./metadata.js";
export * from "./opcodes.js";
export { printModule, printFunction, printInstruction, printValueRef, Printer } from "./printer.js";
export { IRBuilder, addFunction, addGlobal, addBlock, addNamedStruct, constInt, constFloat, constNull, undef, poison } from "./builder.js";
export { serialiseModule, loadModule, YkirLoadError, YKIR_FORMAT_VERSION } from "./serialise.js";
export { forEachUse, computeUses, replaceAllUses, phiIncoming, predecessors } from "./walk.js";
