/**
 * The AEAD layer shared by record encryption and key wrapping: XChaCha20-Poly1305 from
 * @noble/ciphers with a fresh random 24-byte nonce per message.
 *
 * Encoding: header || nonce(24) || AEAD ciphertext (plaintext length + 16-byte Poly1305 tag).
 * The header (version byte, and for wrapped keys the ephemeral public key) is authenticated: the
 * AEAD's associated data is `header || aad`. The header has a fixed length per format, so that
 * concatenation is unambiguous. A 24-byte random nonce makes collisions negligible (2^-96 after
 * 2^48 messages under one key), and every key here encrypts one message anyway.
 */
import { xchacha20poly1305 } from "@noble/ciphers/chacha.js";
import { randomBytes } from "@noble/ciphers/utils.js";
import { concatBytes } from "@noble/hashes/utils.js";
import { EnvelopeError } from "./errors";

export const AEAD_KEY_LENGTH = 32;
export const AEAD_NONCE_LENGTH = 24;
export const AEAD_TAG_LENGTH = 16;

/** Returns header || nonce || XChaCha20-Poly1305(key, nonce, plaintext, aad = header || aad). */
export function aeadSeal(key: Uint8Array, header: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Uint8Array {
  const nonce = randomBytes(AEAD_NONCE_LENGTH);
  const sealed = xchacha20poly1305(key, nonce, concatBytes(header, aad)).encrypt(plaintext);
  return concatBytes(header, nonce, sealed);
}

/**
 * Opens `encoded` = header(headerLength) || nonce || ct. The caller has already checked the header
 * and the minimum length. Any authentication failure becomes EnvelopeError AUTHENTICATION_FAILED.
 */
export function aeadOpen(key: Uint8Array, encoded: Uint8Array, headerLength: number, aad: Uint8Array): Uint8Array {
  const header = encoded.subarray(0, headerLength);
  const nonce = encoded.subarray(headerLength, headerLength + AEAD_NONCE_LENGTH);
  const sealed = encoded.subarray(headerLength + AEAD_NONCE_LENGTH);
  try {
    return xchacha20poly1305(key, nonce, concatBytes(header, aad)).decrypt(sealed);
  } catch {
    // noble throws "invalid tag" here; the cause carries no secret, but we do not forward it.
    throw new EnvelopeError("AUTHENTICATION_FAILED", "the AEAD tag does not verify (wrong key, wrong context/aad, or altered bytes)");
  }
}
