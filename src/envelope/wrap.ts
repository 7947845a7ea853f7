/**
 * Key wrapping: ECIES on secp256k1 (docs/design.md#confidentiality: the data key is wrapped for
 * the patient's own encryption key and, on warrant, for the institution's).
 *
 * wrapKey(K, R, ctx), for a recipient encryption public key R = r·G:
 *   1. e <- random scalar in [1, n-1]; E = e·G                     (fresh per wrap)
 *   2. Z = x(e·R)                                                   (ECDH, 32-byte x-coordinate)
 *   3. W = HKDF-SHA256(IKM = Z, salt = none, info = TAG || E || R || ctx, L = 32)   (RFC 5869)
 *        TAG = ASCII "MEDRING-V1-WRAP" (15 bytes); E and R are 33-byte compressed SEC1.
 *        TAG, E and R have fixed lengths and ctx comes last, so info is unambiguous.
 *   4. output = 0x01 || E || nonce(24) || XChaCha20-Poly1305(W, nonce, K, aad = 0x01 || E)
 * unwrapKey recomputes Z = x(r·E) and W with its own R = r·G and the caller's ctx.
 *
 * Why each binding: E in info stops the negated-ephemeral trick (−E has the same ECDH x, so Z
 * alone would not notice a flipped prefix byte); R in info means a wrap only opens for the key it
 * was made for; ctx (e.g. the record id) means a wrapped key copied onto another record does not
 * open there. Output length is fixed: 1 + 33 + 24 + 32 + 16 = 106 bytes.
 *
 * Only noble's constant-time scalar multiplication touches secrets; nothing here logs.
 */
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { hkdf } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { concatBytes, utf8ToBytes } from "@noble/hashes/utils.js";
import { AEAD_KEY_LENGTH, AEAD_NONCE_LENGTH, AEAD_TAG_LENGTH, aeadOpen, aeadSeal } from "./aead";
import { requireBytes } from "./bytes";
import { EnvelopeError } from "./errors";

/** Version byte of the wrapped-key encoding. */
export const WRAP_VERSION = 0x01;
/** Domain tag of the wrap KDF (step 3 above). */
export const WRAP_DOMAIN_TAG = "MEDRING-V1-WRAP";
/** A compressed SEC1 secp256k1 point: 0x02/0x03 prefix + 32-byte x. */
export const COMPRESSED_POINT_LENGTH = 33;
const HEADER_LENGTH = 1 + COMPRESSED_POINT_LENGTH;
/** Every v1 wrapped key has exactly this length. */
export const WRAPPED_KEY_LENGTH = HEADER_LENGTH + AEAD_NONCE_LENGTH + AEAD_KEY_LENGTH + AEAD_TAG_LENGTH;

const TAG_BYTES = utf8ToBytes(WRAP_DOMAIN_TAG);
const NO_AAD = new Uint8Array(0);

/** Wraps the 32-byte `dataKey` for `recipientPublicKey`, bound to `context` (non-empty, e.g. the record id). */
export function wrapKey(dataKey: Uint8Array, recipientPublicKey: Uint8Array, context: Uint8Array): Uint8Array {
  requireBytes(dataKey, "dataKey", AEAD_KEY_LENGTH);
  requireBytes(recipientPublicKey, "recipientPublicKey");
  requireContext(context);
  if (recipientPublicKey.length !== COMPRESSED_POINT_LENGTH || !secp256k1.utils.isValidPublicKey(recipientPublicKey, true)) {
    throw new EnvelopeError(
      "INVALID_RECIPIENT_KEY",
      `recipient encryption key must be a ${COMPRESSED_POINT_LENGTH}-byte compressed secp256k1 point (got ${recipientPublicKey.length} bytes)`,
    );
  }
  const ephemeralSecret = secp256k1.utils.randomSecretKey();
  const ephemeralPublic = secp256k1.getPublicKey(ephemeralSecret, true);
  const wrapKeyBytes = deriveWrapKey(secp256k1.getSharedSecret(ephemeralSecret, recipientPublicKey, true), ephemeralPublic, recipientPublicKey, context);
  ephemeralSecret.fill(0);
  try {
    return aeadSeal(wrapKeyBytes, concatBytes(Uint8Array.of(WRAP_VERSION), ephemeralPublic), dataKey, NO_AAD);
  } finally {
    wrapKeyBytes.fill(0);
  }
}

/**
 * Recovers the data key from `wrapped` with the recipient's 32-byte encryption secret key and the
 * same `context` used to wrap. Throws EnvelopeError MALFORMED / UNSUPPORTED_VERSION /
 * INVALID_EPHEMERAL_KEY / AUTHENTICATION_FAILED (wrong recipient, wrong context, any byte changed).
 */
export function unwrapKey(wrapped: Uint8Array, recipientSecretKey: Uint8Array, context: Uint8Array): Uint8Array {
  requireBytes(wrapped, "wrapped");
  requireBytes(recipientSecretKey, "recipientSecretKey", 32);
  requireContext(context);
  if (!secp256k1.utils.isValidSecretKey(recipientSecretKey)) {
    throw new RangeError("recipientSecretKey: not a secp256k1 secret key in [1, n-1]");
  }
  if (wrapped.length !== WRAPPED_KEY_LENGTH) {
    throw new EnvelopeError("MALFORMED", `wrapped key is ${wrapped.length} bytes, expected ${WRAPPED_KEY_LENGTH}`);
  }
  if (wrapped[0] !== WRAP_VERSION) {
    throw new EnvelopeError("UNSUPPORTED_VERSION", `wrapped key version ${wrapped[0]}, expected ${WRAP_VERSION}`);
  }
  const ephemeralPublic = wrapped.subarray(1, HEADER_LENGTH);
  if (!secp256k1.utils.isValidPublicKey(ephemeralPublic, true)) {
    throw new EnvelopeError("INVALID_EPHEMERAL_KEY", "the ephemeral public key is not a compressed secp256k1 point");
  }
  const recipientPublic = secp256k1.getPublicKey(recipientSecretKey, true);
  const wrapKeyBytes = deriveWrapKey(secp256k1.getSharedSecret(recipientSecretKey, ephemeralPublic, true), ephemeralPublic, recipientPublic, context);
  try {
    return aeadOpen(wrapKeyBytes, wrapped, HEADER_LENGTH, NO_AAD);
  } finally {
    wrapKeyBytes.fill(0);
  }
}

/** The compressed encryption public key for an encryption secret key (what a key file publishes). */
export function encryptionPublicKey(secretKey: Uint8Array): Uint8Array {
  requireBytes(secretKey, "secretKey", 32);
  return secp256k1.getPublicKey(secretKey, true);
}

/** Step 3: W = HKDF-SHA256(x(shared), info = TAG || E || R || ctx). `sharedCompressed` is 0x02/03 || x. */
function deriveWrapKey(sharedCompressed: Uint8Array, ephemeralPublic: Uint8Array, recipientPublic: Uint8Array, context: Uint8Array): Uint8Array {
  const sharedX = sharedCompressed.subarray(1);
  const info = concatBytes(TAG_BYTES, ephemeralPublic, recipientPublic, context);
  const key = hkdf(sha256, sharedX, undefined, info, AEAD_KEY_LENGTH);
  sharedCompressed.fill(0);
  return key;
}

function requireContext(context: unknown): void {
  requireBytes(context, "context");
  if ((context as Uint8Array).length === 0) {
    throw new RangeError("context: must not be empty; bind the wrapped key to the record (e.g. its id)");
  }
}
