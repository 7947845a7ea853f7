/**
 * Record encryption (docs/design.md#confidentiality: encrypted on the client with a fresh data
 * key; only the ciphertext, its content hash and a locator leave the client).
 *
 * Envelope v1 = 0x01 || nonce(24) || XChaCha20-Poly1305(dataKey, nonce, plaintext, aad = 0x01 || aad)
 * (see ./aead.ts). The data key is 32 fresh random bytes per record and is never reused; it leaves
 * the client only wrapped (./wrap.ts).
 */
import { randomBytes } from "@noble/ciphers/utils.js";
import { AEAD_KEY_LENGTH, AEAD_NONCE_LENGTH, AEAD_TAG_LENGTH, aeadOpen, aeadSeal } from "./aead";
import { optionalBytes, requireBytes } from "./bytes";
import { contentHash, type ContentHash } from "./content-hash";
import { EnvelopeError } from "./errors";

/** Version byte of the record envelope; bump it for any change to the layout or the AEAD. */
export const RECORD_ENVELOPE_VERSION = 0x01;
const HEADER = Uint8Array.of(RECORD_ENVELOPE_VERSION);
/** The shortest valid envelope: version byte, nonce and tag around an empty plaintext. */
export const RECORD_ENVELOPE_MIN_LENGTH = HEADER.length + AEAD_NONCE_LENGTH + AEAD_TAG_LENGTH;

export interface EncryptedRecord {
  /** The versioned envelope bytes: what goes to calldata / event data / a content-addressed store. */
  ciphertext: Uint8Array;
  /** The fresh 32-byte data key. Secret: wrap it (wrapKey) and drop it; never log it. */
  dataKey: Uint8Array;
  /** keccak256(ciphertext): what the MRC stores. */
  contentHash: ContentHash;
}

/** Encrypts `plaintext` under a fresh random data key. `aad` (optional) must be given again to decrypt. */
export function encryptRecord(plaintext: Uint8Array, aad?: Uint8Array): EncryptedRecord {
  requireBytes(plaintext, "plaintext");
  const dataKey = randomBytes(AEAD_KEY_LENGTH);
  const ciphertext = aeadSeal(dataKey, HEADER, plaintext, optionalBytes(aad, "aad"));
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
  if (ciphertext[0] !== RECORD_ENVELOPE_VERSION) {
    throw new EnvelopeError("UNSUPPORTED_VERSION", `record envelope version ${ciphertext[0]}, expected ${RECORD_ENVELOPE_VERSION}`);
  }
  return aeadOpen(dataKey, ciphertext, HEADER.length, extra);
}
