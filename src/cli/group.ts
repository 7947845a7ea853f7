import type { Command } from "commander";
import { keyOptions } from "./options";

/** The command groups of `medring <group> <command>`, each described once. */
const GROUP_DESCRIPTIONS = {
  institution: "an institution's actions",
  keys: "actor key files",
  patient: "patient actions",
  record: "a patient's record actions",
  regulator: "the regulator's actions (REGULATOR_ROLE; sent from the regulator's account)",
} as const;

export type CommandGroupName = keyof typeof GROUP_DESCRIPTIONS;

/** The command group `name` (e.g. `record` for `record create`), created on first use by whichever command file comes first. */
export function commandGroup(program: Command, name: CommandGroupName): Command {
  return program.commands.find((c) => c.name() === name) ?? program.command(name).description(GROUP_DESCRIPTIONS[name]);
}

/** `medring <group> <name>`, run by the holder of a key file: with --key and --passphrase-file for `keyOwner`'s file. */
export function actorCommand(program: Command, group: CommandGroupName, name: string, keyOwner: string): Command {
  return keyOptions(commandGroup(program, group).command(name), keyOwner);
}
