import type { Command } from "commander";
import type { Progress } from "./progress";

/** Where commands write; tests pass their own to capture output. */
export interface CommandContext {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Environment (MEDRING_PASSPHRASE, MEDRING_RELAYER_URL, …); default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Standard output and standard error are a terminal: progress is shown live (src/cli/progress.ts). Default false. */
  interactive?: boolean;
  /** Set by `main` for the command being run: live on a terminal, silent when piped or with --json. */
  progress?: Progress;
}

/** Each command module exports one of these; `setExit` records the command's exit code. */
export type RegisterCommand = (program: Command, context: CommandContext, setExit: (code: number) => void) => void;
