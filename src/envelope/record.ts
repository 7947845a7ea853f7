/**
 * Record encryption (docs/design.md#confidentiality: encrypted on the client with a fresh data
 * key; only the ciphertext, its content hash and a locator leave the client).
 *
 * Envelope v2 = 0x02 || nonce(24) || XChaCha20-Poly1305(dataKey, nonce, pad(plaintext), aad = 0x02 || aad), with the
 * plaintext padded to a size bucket first (./padding.ts), so the ciphertext's length shows only the bucket.
 * Envelope v1 = 0x01 || nonce(24) || XChaCha20-Poly1305(dataKey, nonce, plaintext, aad = 0x01 || aad): unpadded;
 * records written before v2 still open, and personal info (stored beside the patient's account, so its size
 * says nothing the account does not) is still written this way (`padded: false`). See ./aead.ts. The data key is
 * 32 fresh random bytes per record and is never reused; it leaves the client only wrapped (./wrap.ts).
 */
import { randomBytes } from "@noble/ciphers/utils.js";
import { AEAD_KEY_LENGTH, AEAD_NONCE_LENGTH, AEAD_TAG_LENGTH, aeadOpen, aeadSeal } from "./aead";
import { optionalBytes, requireBytes } from "./bytes";
import { contentHash, type ContentHash } from "./content-hash";
import { EnvelopeError } from "./errors";
import { pad, unpad } from "./padding";

/** Version byte of the record envelope (padded); bump it for any change to the layout or the AEAD. */
export const RECORD_ENVELOPE_VERSION = 0x02;
/** The unpadded envelope of records written before v2, and of personal info. */
export const RECORD_ENVELOPE_UNPADDED_VERSION = 0x01;
/** The shortest valid envelope: version byte, nonce and tag around an empty (unpadded) plaintext. */
export const RECORD_ENVELOPE_MIN_LENGTH = 1 + AEAD_NONCE_LENGTH + AEAD_TAG_LENGTH;

export interface EncryptedRecord {
  /** The versioned envelope bytes: what goes to calldata / event data / a content-addressed store. */
  ciphertext: Uint8Array;
  /** The fresh 32-byte data key. Secret: wrap it (wrapKey) and drop it; never log it. */
  dataKey: Uint8Array;
  /** keccak256(ciphertext): what the MRC stores. */
  contentHash: ContentHash;
}

/**
 * Encrypts `plaintext` under a fresh random data key, padded to its size bucket (v2) unless `padded` is false
 * (v1). `aad` (optional) must be given again to decrypt.
 */
export function encryptRecord(plaintext: Uint8Array, aad?: Uint8Array, options: { padded?: boolean } = {}): EncryptedRecord {
  requireBytes(plaintext, "plaintext");
  const dataKey = randomBytes(AEAD_KEY_LENGTH);
  const padded = options.padded !== false;
  const header = Uint8Array.of(padded ? RECORD_ENVELOPE_VERSION : RECORD_ENVELOPE_UNPADDED_VERSION);
  const ciphertext = aeadSeal(dataKey, header, padded ? pad(plaintext) : plaintext, optionalBytes(aad, "aad"));
  return { ciphertext, dataKey, contentHash: contentHash(ciphertext) };
}

/**
 * Decrypts a record envelope. Throws EnvelopeError MALFORMED / UNSUPPORTED_VERSION /
 * AUTHENTICATION_FAILED when the bytes do not open under `dataKey` and `aad`.
 */
export function decryptRecord(ciphertext: Uint8Array, dataKey: Uint8Array, aad?: Uint8Array): Uint8Array {
  requireBytes(ciphertext, "ciphertext");
  requireBytes(dataKey, "dataKey", AEAD_KEY_LENGTH);
  const extra = optionalBytes(aad, "aad");
  if (ciphertext.length < RECORD_ENVELOPE_MIN_LENGTH) {
    throw new EnvelopeError("MALFORMED", `record envelope is ${ciphertext.length} bytes, the minimum is ${RECORD_ENVELOPE_MIN_LENGTH}`);
  }
  const version = ciphertext[0];
  if (version !== RECORD_ENVELOPE_VERSION && version !== RECORD_ENVELOPE_UNPADDED_VERSION) {
    throw new EnvelopeError(
      "UNSUPPORTED_VERSION",
      `record envelope version ${version}, expected ${RECORD_ENVELOPE_VERSION} (padded) or ${RECORD_ENVELOPE_UNPADDED_VERSION} (unpadded)`,
    );
  }
  const opened = aeadOpen(dataKey, ciphertext, 1, extra);
  return version === RECORD_ENVELOPE_VERSION ? unpad(opened) : opened;
}
