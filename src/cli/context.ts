import type { Command } from "commander";

/** Where commands write; tests pass their own to capture output. */
export interface CommandContext {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Environment (MEDRING_PASSPHRASE, MEDRING_RELAYER_URL, …); default process.env. */
  env?: NodeJS.ProcessEnv;
}

/** Each command module exports one of these; `setExit` records the command's exit code. */
export type RegisterCommand = (program: Command, context: CommandContext, setExit: (code: number) => void) => void;
