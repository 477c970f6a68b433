// `ykts config`: the flags a build system needs when it cannot use `ykts cc`
// as its compiler. They give the header and the runtime only: without `ykts
// cc` nothing is instrumented, the control point is the runtime's counting
// fallback, and no recording ever starts (docs/cc.md).
import { NATIVE_DIR } from "./toolchain.js";

export interface ConfigOptions { cflags?: boolean; ldflags?: boolean; libs?: boolean }

export async function configLines(o: ConfigOptions): Promise<string[]> {
  const out: string[] = [];
  if (o.cflags) out.push(`-D__YKTS__ -I${NATIVE_DIR}`);
  if (o.ldflags) out.push("-rdynamic");
  if (o.libs) {
    const { runtimeObject } = await import("./runtime.js");
    out.push(`${runtimeObject()} -ldl -lpthread`);
  }
  return out;
}
