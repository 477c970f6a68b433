// A fake jitd for the runtime's trace tests (docs/protocol.md): it answers
// every RECORDING with what FAKE_JITD_ANSWERS says, a JSON array with one
// entry per recording in arrival order (the last entry repeats):
//   ["path.so", "symbol"]  → compiled
//   "reason"               → not compiled
// With FAKE_JITD_DEFER=1 the first recording is answered only when the
// second arrives (then both, in order): the program runs on meanwhile.
// Run by the runtime as `node fake-jitd.mjs --exe .. --pid .. --fds 3,4`.
import { readSync, writeSync } from "node:fs";

const fdsArg = process.argv[process.argv.indexOf("--fds") + 1] ?? "3,4";
const [inFd, outFd] = fdsArg.split(",").map(Number);
const answers = JSON.parse(process.env.FAKE_JITD_ANSWERS ?? '["no answers configured"]');

function frame(type, body) {
  const b = Buffer.concat([Buffer.from([type]), body]);
  const len = Buffer.alloc(4);
  len.writeUInt32LE(b.length);
  writeSync(outFd, Buffer.concat([len, b]));
}
const u32 = (v) => { const b = Buffer.alloc(4); b.writeUInt32LE(v); return b; };
const str = (s) => { const b = Buffer.from(s, "utf8"); return Buffer.concat([u32(b.length), b]); };

frame(0x81, Buffer.concat([u32(4), str("fake jitd")])); // protocol version 4 (docs/protocol.md)

let buf = Buffer.alloc(0);
let nth = 0;
const defer = process.env.FAKE_JITD_DEFER === "1";
let held = null; // the first recording's id, while its answer is held back

function answer(recId) {
  const a = answers[Math.min(nth++, answers.length - 1)];
  if (Array.isArray(a)) frame(0x82, Buffer.concat([u32(recId), Buffer.from([1]), str(a[0]), str(a[1])]));
  else frame(0x82, Buffer.concat([u32(recId), Buffer.from([0]), str(String(a))]));
}
const chunk = Buffer.alloc(65536);
for (;;) {
  let n;
  try { n = readSync(inFd, chunk, 0, chunk.length, null); } catch (e) { if (e.code === "EAGAIN") continue; throw e; }
  if (n === 0) break;
  buf = Buffer.concat([buf, chunk.subarray(0, n)]);
  while (buf.length >= 4 && buf.length >= 4 + buf.readUInt32LE(0)) {
    const len = buf.readUInt32LE(0);
    const msg = buf.subarray(4, 4 + len);
    buf = buf.subarray(4 + len);
    if (msg[0] !== 0x03) continue; // HELLO, FUNCTION
    const recId = msg.readUInt32LE(1);
    if (defer && nth === 0 && held === null) { held = recId; continue; }
    if (held !== null) { answer(held); held = null; }
    answer(recId);
  }
}
