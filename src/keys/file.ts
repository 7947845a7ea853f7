/** Key files on disk: written with mode 0600 (owner read/write only), never overwritten by accident. */
import { closeSync, constants, fchmodSync, openSync, readFileSync, writeFileSync } from "node:fs";
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
  // O_EXCL fails with EEXIST instead of replacing (a symlink too), O_NOFOLLOW refuses a symlink when overwriting;
  // `mode` applies only when the file is created, so chmod as well for an overwritten file with looser permissions.
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_NOFOLLOW | (options.overwrite ? constants.O_TRUNC : constants.O_EXCL);
  const fd = openSync(path, flags, KEY_FILE_MODE);
  try {
    fchmodSync(fd, KEY_FILE_MODE);
    writeFileSync(fd, text);
  } finally {
    closeSync(fd);
  }
}

export function readKeyFile(path: string, passphrase?: string): ActorKeys {
  return decodeKeyFile(readFileSync(path, "utf8"), passphrase);
}

export function readKeyFilePublicInfo(path: string): KeyFilePublicInfo {
  return decodeKeyFilePublicInfo(readFileSync(path, "utf8"));
}
