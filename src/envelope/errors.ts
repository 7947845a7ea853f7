/**
 * The one error type for envelope data that does not open (docs/design.md#confidentiality).
 *
 * Ciphertexts and wrapped keys come from the chain, from calldata or from a content-addressed
 * store: they are untrusted data, so every way they can fail has a stable `code` a caller can
 * branch on. Misuse by the programmer (a 31-byte data key, a non-Uint8Array) throws TypeError or
 * RangeError instead (STYLE.md "loud on misuse, quiet on bad data"). Messages never contain key
 * material or plaintext.
 */
export type EnvelopeErrorCode =
  /** Shorter than the smallest valid encoding, or not the exact length of a fixed-size encoding. */
  | "MALFORMED"
  /** The leading version byte is not one this code understands. */
  | "UNSUPPORTED_VERSION"
  /** The AEAD tag did not verify: wrong key, wrong recipient, wrong context/aad, or any byte changed. */
  | "AUTHENTICATION_FAILED"
  /** The ephemeral public key inside a wrapped key is not a point on secp256k1. */
  | "INVALID_EPHEMERAL_KEY"
  /** The recipient's encryption public key is not a compressed secp256k1 point. */
  | "INVALID_RECIPIENT_KEY"
  /** keccak256(ciphertext) differs from the content hash the contract stores. */
  | "CONTENT_HASH_MISMATCH";

export class EnvelopeError extends Error {
  constructor(
    readonly code: EnvelopeErrorCode,
    message: string,
  ) {
    super(`${code}: ${message}`);
    this.name = "EnvelopeError";
  }
}
