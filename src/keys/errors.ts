/**
 * Errors for key files: bad data in a file the user supplied, so the message names the field and
 * what is wrong (STYLE.md "validate at the edges"). Messages never contain secret values.
 */
export type KeyFileErrorCode =
  /** Not JSON, or a field is missing, has the wrong type or an invalid value. */
  | "MALFORMED"
  /** The public part (address, public keys) does not match the secret keys. */
  | "INCONSISTENT"
  /** The secrets are passphrase-encrypted and no passphrase was given. */
  | "PASSPHRASE_REQUIRED"
  /** The passphrase does not open the secrets (or the encrypted part was altered). */
  | "WRONG_PASSPHRASE";

export class KeyFileError extends Error {
  constructor(
    readonly code: KeyFileErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "KeyFileError";
  }
}
