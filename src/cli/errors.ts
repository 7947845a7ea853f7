/**
 * CLI exit codes. Every failure is one line on stderr (`medring: …`) with no stack trace.
 *
 *   0  success
 *   1  a verdict of "no" on well-formed input (`medring verify`: invalid signature)
 *   2  bad input: arguments, unreadable or malformed files, a wrong passphrase, a record that is not yours
 *   3  refused by the relayer or the chain; the relayer's error code is in the message, e.g.
 *      `relayer refused (simulation_reverted): …`, or a submission that ended `failed` / `expired`
 *   4  the relayer or the RPC endpoint is unreachable (or answered something that is not its API)
 *   5  integrity: a record's ciphertext does not match its on-chain content hash, or does not decrypt
 *   6  anonymity: the client refused to sign (a ring below its floor, an anonymity set or a record's ring the
 *      independent sources do not confirm, a grant the public admitters would narrow); nothing was sent
 *  70  internal error (a bug: please report it)
 */
import { ClientError, type ClientErrorKind } from "../client/errors";

/** The CLI's exit codes: what a script calling `medring` can tell apart. */
export enum ExitCode {
  Ok = 0,
  /** A verdict of "no" (for example an invalid signature): the input was well-formed. */
  Rejected = 1,
  /** Malformed input: bad arguments, unreadable or unparseable files. */
  Usage = 2,
  /** The relayer or the chain refused the action. */
  Refused = 3,
  /** The relayer or the RPC endpoint cannot be reached. */
  Unavailable = 4,
  /** Data from the chain failed its integrity checks. */
  Integrity = 5,
  /** The client refused to sign: the action would be less anonymous than its floor; nothing was sent. */
  Anonymity = 6,
  /** A bug, or the CLI is not built; bin/medring.js answers with it (EX_SOFTWARE of sysexits.h). */
  Internal = 70,
}

/** An error whose message is shown to the user as is, as one line, with exit code `exitCode`. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = ExitCode.Usage,
  ) {
    super(message);
    this.name = "CliError";
  }
}

const EXIT_BY_KIND: Record<ClientErrorKind, number> = {
  input: ExitCode.Usage,
  refused: ExitCode.Refused,
  unavailable: ExitCode.Unavailable,
  integrity: ExitCode.Integrity,
  anonymity: ExitCode.Anonymity,
};

/** The CliError for an SDK error (same message, exit code by kind). */
export function fromClientError(err: ClientError): CliError {
  return new CliError(err.message, EXIT_BY_KIND[err.kind]);
}
