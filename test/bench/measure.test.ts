// measure() on timeout kills the whole process group it started: under GNU
// time the measured program is a grandchild, and a program that started
// children of its own keeps its output pipe open.
import { execFileSync } from "node:child_process";
import { expect, test } from "vitest";
import { measure } from "../../src/bench/measure.js";

test("a run that times out is reported as such, and the processes it started are gone", async () => {
  const marker = `ykts-measure-test-${process.pid}`;
  // A shell whose background child (it holds stdout open) carries the marker in its arguments.
  const script = `${process.execPath} -e 'setInterval(() => {}, 1000)' ${marker} & wait`;
  const m = await measure("sh", ["-c", script], { PATH: process.env.PATH ?? "/usr/bin:/bin" }, process.cwd(), 1000);
  expect(m.failure).toBe("timed out after 1 s");
  const left = execFileSync("ps", ["-eo", "args"]).toString().split("\n").filter((l) => l.includes(marker) && !l.includes(" -c "));
  expect(left).toEqual([]);
}, 60_000);
