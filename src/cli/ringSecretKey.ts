/**
 * The signer's MRS-1 secret key for `sign` and `key-image`. It comes from a MedRing patient key file (src/keys) or
 * from a bare MRS-1 key, the spec's key format (MRS-1 §Keys: x in [1, n-1]; docs/mrs1.md) as other implementations
 * write it: `{ "secretKey": "0x<64 hex>" }`, or the 0x-hex scalar alone. So tools and libraries built outside
 * MedRing can use the CLI with their own keys. Every problem is one CliError line (exit 2).
 */
import type { Command } from "commander";
import { parseHexUint256 } from "../hex";
import type { CommandContext } from "./context";
import { CliError } from "./errors";
import { parseOrExit, readPrivateFile } from "./io";

export interface RingSecretKeyOptions {
  key?: string;
  secretKeyFile?: string;
  passphraseFile?: string;
  allowReadableKey?: boolean;
}

/** Adds --key (a MedRing patient key file or a bare MRS-1 key), --secret-key-file, --passphrase-file and --allow-readable-key. */
export function ringSecretKeyOptions(command: Command): Command {
  return command
    .option("--key <file>", 'patient key file (medring keys new --role patient), or a bare MRS-1 key {"secretKey":"0x<64 hex>"}')
    .option("--secret-key-file <file>", 'a bare MRS-1 key: {"secretKey":"0x<64 hex>"} or the 0x<64 hex> scalar alone')
    .option("--passphrase-file <file>", "file whose first line is the key file's passphrase (or env MEDRING_PASSPHRASE)")
    .option("--allow-readable-key", "read the key even if its group or others may read it (refused otherwise)");
}

/** A bare MRS-1 key: JSON with a `secretKey` field (other fields are ignored), or the hex scalar on its own. */
function parseBareKey(text: string, path: string): bigint {
  const trimmed = text.trim();
  let value: unknown = trimmed;
  if (trimmed.startsWith("{")) {
    let json: unknown;
    try {
      json = JSON.parse(trimmed);
    } catch {
      throw new CliError(`${path}: not valid JSON`);
    }
    value = (json as { secretKey?: unknown }).secretKey;
    if (value === undefined) throw new CliError(`${path}: expected {"secretKey":"0x<64 hex>"}`);
  }
  const secretKey = parseOrExit(() => parseHexUint256(value, `${path}: secretKey`));
  const { N_ORDER } = require("../mrs1") as typeof import("../mrs1"); // loaded on use, not at CLI start-up
  if (secretKey < 1n || secretKey >= N_ORDER) throw new CliError(`${path}: secretKey must lie in [1, n-1] (MRS-1 §Keys)`);
  return secretKey;
}

/** Whether `text` is a bare MRS-1 key rather than a MedRing key file (which carries `format`). */
function isBareKey(text: string): boolean {
  try {
    const json = JSON.parse(text) as unknown;
    return typeof json === "object" && json !== null && "secretKey" in json && !("format" in json);
  } catch {
    return false; // not JSON: the key file reader says what is wrong with it
  }
}

export function loadRingSecretKey(options: RingSecretKeyOptions, context: CommandContext): bigint {
  if ((options.key === undefined) === (options.secretKeyFile === undefined)) {
    throw new CliError("give the signer's key with exactly one of --key FILE and --secret-key-file FILE");
  }
  // A bare key is as secret as a key file: both are refused when others may read them (io.ts readPrivateFile).
  const allowReadable = options.allowReadableKey === true;
  if (options.secretKeyFile !== undefined) return parseBareKey(readPrivateFile(options.secretKeyFile, allowReadable), options.secretKeyFile);
  const path = options.key!;
  const text = readPrivateFile(path, allowReadable);
  if (isBareKey(text)) return parseBareKey(text, path);
  const { loadActorKeys } = require("./actorKeys") as typeof import("./actorKeys"); // loaded on use: it loads the key codec
  return loadActorKeys({ key: path, passphraseFile: options.passphraseFile, allowReadableKey: allowReadable }, "patient", context).ringKey;
}
