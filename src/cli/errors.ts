/**
 * CLI exit codes. Malformed input exits 2 with one line on stderr and no stack trace (issue: CLI `medring`).
 */
export const EXIT_OK = 0;
/** A verdict of "no" (for example an invalid signature): the input was well-formed. */
export const EXIT_REJECTED = 1;
/** Malformed input: bad arguments, unreadable or unparseable files. */
export const EXIT_USAGE = 2;

/** An error whose message is shown to the user as is, as one line, with exit code `exitCode`. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode: number = EXIT_USAGE) {
    super(message);
    this.name = "CliError";
  }
}
