/**
 * Reading an actor key file (src/keys) for a command: the role must be the one the command acts as, and the
 * passphrase comes from --passphrase-file or MEDRING_PASSPHRASE, never from the command line. Every problem is
 * one CliError line (exit 2).
 */
import { KeyFileError, decodeKeyFile, encodeKeyFile, generateActorKeys, publicInfoOf, type ActorKeys, type ActorRole } from "../keys";
import type { CommandContext } from "./context";
import { CliError } from "./errors";
import { readInput, readPrivateFile, writeSecretFile } from "./io";
import type { KeyFileOptions } from "./options";

/** The passphrase: the first line of `passphraseFile`, else MEDRING_PASSPHRASE, else none. */
export function readPassphrase(passphraseFile: string | undefined, context: CommandContext): string | undefined {
  if (passphraseFile !== undefined) {
    const line = readInput(passphraseFile).split(/\r?\n/)[0];
    if (line === "") throw new CliError(`${passphraseFile}: the first line (the passphrase) is empty`);
    return line;
  }
  const fromEnv = (context.env ?? process.env).MEDRING_PASSPHRASE;
  return fromEnv === undefined || fromEnv === "" ? undefined : fromEnv;
}

export function loadActorKeys<R extends ActorRole>(options: KeyFileOptions, role: R, context: CommandContext): Extract<ActorKeys, { role: R }> {
  const path = options.key;
  const text = readPrivateFile(path, options.allowReadableKey === true);
  let keys: ActorKeys;
  try {
    keys = decodeKeyFile(text, readPassphrase(options.passphraseFile, context));
  } catch (err) {
    if (err instanceof KeyFileError) {
      const hint = err.code === "PASSPHRASE_REQUIRED" ? " (use --passphrase-file FILE or MEDRING_PASSPHRASE)" : "";
      throw new CliError(`${path}: ${err.message}${hint}`);
    }
    throw err;
  }
  const a = (word: string) => (/^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`);
  if (keys.role !== role) throw new CliError(`${path} is ${a(keys.role)} key file; this command needs ${a(role)} key file`);
  return keys as Extract<ActorKeys, { role: R }>;
}

/**
 * Writes fresh keys for `role` to `path` (which must not exist; mode 0600), encrypted when a passphrase is given.
 * Used by `keys new`.
 */
export function writeNewKeyFile<R extends ActorRole>(path: string, role: R, passphraseFile: string | undefined, context: CommandContext) {
  const passphrase = readPassphrase(passphraseFile, context);
  const keys = generateActorKeys(role);
  writeSecretFile(path, encodeKeyFile(keys, { passphrase }) + "\n");
  return { keys, info: publicInfoOf(keys), encrypted: passphrase !== undefined };
}
