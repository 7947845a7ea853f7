import type { Command } from "commander";

/** The command group `name` (e.g. `record` for `record create`), created on first use by whichever command file comes first. */
export function commandGroup(program: Command, name: string, description: string): Command {
  return program.commands.find((c) => c.name() === name) ?? program.command(name).description(description);
}
