/** Key files on disk: written with mode 0600 (owner read/write only), never overwritten by accident. */
import { chmodSync, readFileSync, writeFileSync } from "node:fs";
import type { ActorKeys } from "./types";
import { decodeKeyFile, decodeKeyFilePublicInfo, encodeKeyFile, type EncodeKeyFileOptions, type KeyFilePublicInfo } from "./codec";

/** Owner read/write only: key files hold secret keys. */
export const KEY_FILE_MODE = 0o600;

export interface WriteKeyFileOptions extends EncodeKeyFileOptions {
  /** Replace an existing file. Default false: losing a key file loses access to the records. */
  overwrite?: boolean;
}

export function writeKeyFile(path: string, keys: ActorKeys, options: WriteKeyFileOptions = {}): void {
  const text = encodeKeyFile(keys, options) + "\n";
  // "wx" fails with EEXIST instead of replacing; `mode` applies only when the file is created,
  // so chmod as well for an overwritten file that had looser permissions.
  writeFileSync(path, text, { mode: KEY_FILE_MODE, flag: options.overwrite ? "w" : "wx" });
  chmodSync(path, KEY_FILE_MODE);
}

export function readKeyFile(path: string, passphrase?: string): ActorKeys {
  return decodeKeyFile(readFileSync(path, "utf8"), passphrase);
}

export function readKeyFilePublicInfo(path: string): KeyFilePublicInfo {
  return decodeKeyFilePublicInfo(readFileSync(path, "utf8"));
}
