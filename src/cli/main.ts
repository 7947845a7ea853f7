/**
 * `medring`: the command-line client. One file per command in ./commands, all built the same way:
 * `register(program, io)` adds the command; its action returns an exit code.
 *
 * Start-up: declaring the commands loads commander and nothing else. Each command loads the libraries it needs
 * (ethers, noble, zod, medplum, the contract types) when it runs, with `await import(…)` in its action, so
 * `medring --help` and usage errors answer at once (test/cli/startup.test.ts checks what --help loads).
 */
import { Command, CommanderError } from "commander";
import { ClientError } from "../client/errors";
import { CliError, ExitCode, fromClientError } from "./errors";
import type { CommandContext } from "./context";
import { COMMANDS } from "./commands";
import { SILENT_PROGRESS, createProgress, isInteractive } from "./progress";

export async function main(argv: string[], context: CommandContext = defaultContext()): Promise<number> {
  // Commands write through `io`: the live progress line (on stderr) is erased before anything else is written, and
  // ends for good once the result is on stdout.
  const io: CommandContext = {
    ...context,
    stdout: (s) => {
      io.progress?.stop();
      context.stdout(s);
    },
    stderr: (s) => {
      io.progress?.clear();
      context.stderr(s);
    },
    progress: SILENT_PROGRESS,
  };
  const program = new Command("medring")
    .description("MedRing: anonymous, patient-controlled medical record sharing (MRS-1 ring signatures)")
    .exitOverride()
    .showSuggestionAfterError(false)
    .configureOutput({
      writeOut: (s) => io.stdout(s),
      // Commander's own errors ("unknown option", "missing argument") are one line already.
      writeErr: (s) => io.stderr(s),
      outputError: (s, write) => write(s.split("\n")[0] + "\n"),
    })
    // Progress only on a terminal and never with --json: piped output and --json carry the result alone.
    .hook("preAction", (_program, command) => {
      const live = context.interactive === true && command.opts().json !== true;
      io.progress = live ? createProgress("live", { write: (s) => context.stderr(s) }) : SILENT_PROGRESS;
    });
  let exitCode = ExitCode.Ok;
  for (const register of COMMANDS) {
    register(program, io, (code) => {
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
      return err.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
    }
    const cliError = err instanceof ClientError ? fromClientError(err) : err;
    if (cliError instanceof CliError) {
      io.progress?.stop();
      context.stderr(`medring: ${cliError.message.split("\n")[0]}\n`);
      return cliError.exitCode;
    }
    throw err;
  } finally {
    io.progress?.stop();
  }
}

function defaultContext(): CommandContext {
  return {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    env: process.env,
    interactive: isInteractive(process.stdout, process.stderr, process.env),
  };
}
