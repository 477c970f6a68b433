// Registers the `cc`, `config` and `jitd` subcommands on the ykts command
// line. Each action imports its implementation lazily: `ykts cc` runs once per
// translation unit in a build, so start-up time is paid per file.
import type { Command } from "commander";

/** `ykts cc [clang arguments...]`: the compiler driver (docs/cc.md). */
export function registerCcCommand(program: Command): void {
  program
    .command("cc")
    .description("compile and link C like clang-19, instrumenting it for the JIT (docs/cc.md)")
    .helpOption(false)
    .allowUnknownOption(true)
    .allowExcessArguments(true)
    .argument("[args...]", "clang-19 arguments")
    .action(async (_args: string[], _opts: unknown, cmd: Command) => {
      // With unknown options allowed, cmd.args keeps every argument in order.
      const { runCc } = await import("../cc/driver.js");
      process.exitCode = await runCc(cmd.args);
    });
}

/** `ykts config --cflags | --ldflags | --libs`. */
export function registerConfigCommand(program: Command): void {
  program
    .command("config")
    .description("print compiler/linker flags for the ykts header and runtime (no instrumentation)")
    .option("--cflags", "flags for compiling C against ykts.h")
    .option("--ldflags", "flags for linking")
    .option("--libs", "the runtime object and libraries")
    .action(async (o: { cflags?: boolean; ldflags?: boolean; libs?: boolean }) => {
      const { configLines } = await import("../cc/config.js");
      const lines = await configLines(o);
      if (lines.length === 0) throw new Error("config: give --cflags, --ldflags and/or --libs");
      process.stdout.write(lines.join(" ") + "\n");
    });
}

/** `ykts jitd --exe <path> --pid <pid>`: the trace compiler process (normally started by the runtime). */
export function registerJitdCommand(program: Command): void {
  program
    .command("jitd")
    .description("the trace-compiler process the runtime starts (docs/protocol.md)")
    .option("--exe <path>", "the executable whose .ykts_ir to load")
    .option("--pid <pid>", "the interpreter's process id")
    .option("--fds <in,out>", "request and answer file descriptors (default: stdin, stdout)")
    .action(async (o: { exe?: string; pid?: string; fds?: string }) => {
      const { parseFds, runJitd } = await import("../jitd/server.js");
      process.exitCode = await runJitd({ exe: o.exe ?? null, pid: o.pid ? Number(o.pid) : null, fds: parseFds(o.fds) });
    });
}

/** All three. */
export function registerCcCommands(program: Command): void {
  registerCcCommand(program);
  registerConfigCommand(program);
  registerJitdCommand(program);
}
