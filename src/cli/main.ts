// The `ykts` command line: one subcommand group per pipeline stage.
import { Command } from "commander";
import { irCommand } from "./ir.js";
import { registerCcCommands } from "./cc.js";

export async function main(argv: string[]): Promise<void> {
  const program = new Command();
  program
    .name("ykts")
    .description("A meta-tracing JIT compiler retrofitted onto C interpreters (stock LLVM 19)")
    .version("0.1.0");
  program.addCommand(irCommand());
  registerCcCommands(program);
  await program.parseAsync(argv);
}
