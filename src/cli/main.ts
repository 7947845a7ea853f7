/**
 * `medring`: the command-line client. One file per command in ./commands, all built the same way:
 * `register(program, io)` adds the command; its action returns an exit code.
 */
import { Command, CommanderError } from "commander";
import { ClientError } from "../client/errors";
import { CliError, EXIT_OK, EXIT_USAGE, fromClientError } from "./errors";
import type { CommandContext } from "./context";
import { COMMANDS } from "./commands";

export async function main(argv: string[], context: CommandContext = defaultContext()): Promise<number> {
  const program = new Command("medring")
    .description("MedRing: anonymous, patient-controlled medical record sharing (MRS-1 ring signatures)")
    .exitOverride()
    .showSuggestionAfterError(false)
    .configureOutput({
      writeOut: (s) => context.stdout(s),
      // Commander's own errors ("unknown option", "missing argument") are one line already.
      writeErr: (s) => context.stderr(s),
      outputError: (s, write) => write(s.split("\n")[0] + "\n"),
    });
  let exitCode = EXIT_OK;
  for (const register of COMMANDS) {
    register(program, context, (code) => {
      exitCode = code;
    });
  }
  const overrideAll = (command: Command): void => command.commands.forEach((c) => overrideAll(c.exitOverride()));
  overrideAll(program);
  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version exit 0; every parse error is malformed input.
      return err.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    const cliError = err instanceof ClientError ? fromClientError(err) : err;
    if (cliError instanceof CliError) {
      context.stderr(`medring: ${cliError.message.split("\n")[0]}\n`);
      return cliError.exitCode;
    }
    throw err;
  }
}

function defaultContext(): CommandContext {
  return {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    env: process.env,
  };
}
