// A minimal ELF64 little-endian section reader: finds a section by name in a
// file and returns its bytes, reading only the headers and that section (an
// interpreter executable can be large; jitd's start-up should not read it all).
import { closeSync, openSync, readSync } from "node:fs";

export class ElfError extends Error {}

function readAt(fd: number, offset: number, length: number): Buffer {
  const buf = Buffer.allocUnsafeSlow(length); // every byte is read into it
  let got = 0;
  while (got < length) {
    const n = readSync(fd, buf, got, length - got, offset + got);
    if (n === 0) throw new ElfError(`unexpected end of file at offset ${offset + got}`);
    got += n;
  }
  return buf;
}

export interface ElfSection { name: string; type: number; flags: bigint; offset: number; size: number }

export function listSections(path: string): ElfSection[] {
  const fd = openSync(path, "r");
  try {
    return readSections(fd, path);
  } finally {
    closeSync(fd);
  }
}

function readSections(fd: number, path: string): ElfSection[] {
  const eh = readAt(fd, 0, 64);
  if (eh.readUInt32BE(0) !== 0x7f454c46) throw new ElfError(`${path}: not an ELF file`);
  if (eh[4] !== 2 || eh[5] !== 1) throw new ElfError(`${path}: not a little-endian ELF64 file`);
  const shoff = Number(eh.readBigUInt64LE(0x28));
  const shentsize = eh.readUInt16LE(0x3a);
  let shnum = eh.readUInt16LE(0x3c);
  let shstrndx = eh.readUInt16LE(0x3e);
  if (shoff === 0) return [];
  if (shentsize < 64) throw new ElfError(`${path}: section header entries of ${shentsize} bytes`);
  // Extended numbering: the real counts live in section header 0.
  const first = readAt(fd, shoff, 64);
  if (shnum === 0) shnum = Number(first.readBigUInt64LE(32));
  if (shstrndx === 0xffff) shstrndx = first.readUInt32LE(40);
  const table = readAt(fd, shoff, shnum * shentsize);
  const raw = [];
  for (let i = 0; i < shnum; i++) {
    const o = i * shentsize;
    raw.push({
      nameOff: table.readUInt32LE(o),
      type: table.readUInt32LE(o + 4),
      flags: table.readBigUInt64LE(o + 8),
      offset: Number(table.readBigUInt64LE(o + 24)),
      size: Number(table.readBigUInt64LE(o + 32)),
    });
  }
  const strs = raw[shstrndx];
  if (!strs) throw new ElfError(`${path}: no section name table`);
  const names = readAt(fd, strs.offset, strs.size);
  return raw.map((s) => {
    const end = names.indexOf(0, s.nameOff);
    return { name: names.toString("latin1", s.nameOff, end < 0 ? names.length : end), type: s.type, flags: s.flags, offset: s.offset, size: s.size };
  });
}

/** The bytes of section `name`, or null when the file has no such section. */
export function readSection(path: string, name: string): Uint8Array | null {
  const fd = openSync(path, "r");
  try {
    const s = readSections(fd, path).find((x) => x.name === name);
    if (!s) return null;
    if (s.type === 8 /* SHT_NOBITS */) return new Uint8Array(0);
    return new Uint8Array(readAt(fd, s.offset, s.size));
  } finally {
    closeSync(fd);
  }
}
