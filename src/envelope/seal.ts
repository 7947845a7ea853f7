/**
 * The record as MedRing stores it (docs/design.md#confidentiality), composed from ./record.ts, ./wrap.ts and
 * ./content-hash.ts. One encoding, for records and for a patient's personal info:
 *
 *   blob = ownerWrappedKey (WRAPPED_KEY_LENGTH = 106 bytes) || record envelope (./record.ts)
 *
 * The content hash the registry stores is keccak256(blob), so it covers both parts; readers check it before
 * anything else.
 *
 * - `sealRecord`: the patient encrypts a record under a fresh data key and, in the same step, wraps that key for
 *   their own encryption key, so the record can be read back later from the key file alone (`medring record
 *   show`). The data key is returned for immediate grants (wrapKey for an institution) and must not be stored.
 * - `openRecord`: any reader (the patient with the owner's wrapped key inside the blob, an institution with the
 *   key wrapped for it on `warrant`) re-checks the content hash, unwraps and decrypts.
 * - `unwrapOwnerDataKey`: the patient's data key from the blob, to wrap it for an institution on `warrant`.
 *
 * `context` is the same bytes for the owner's wrap and every institution's wrap of one record (the record id): a
 * wrapped key moved onto another record then fails to open.
 */
import { equalBytes } from "@noble/ciphers/utils.js";
import { concatBytes } from "@noble/hashes/utils.js";
import { parseHexBytes } from "../hex";
import { requireBytes } from "./bytes";
import { contentHash, type ContentHash } from "./content-hash";
import { EnvelopeError } from "./errors";
import { decryptRecord, encryptRecord, RECORD_ENVELOPE_MIN_LENGTH } from "./record";
import { unwrapKey, wrapKey, WRAPPED_KEY_LENGTH } from "./wrap";

/** The shortest blob: a wrapped key and an empty record's envelope. */
export const RECORD_BLOB_MIN_LENGTH = WRAPPED_KEY_LENGTH + RECORD_ENVELOPE_MIN_LENGTH;

export interface SealRecordInput {
  plaintext: Uint8Array;
  /** The patient's own 33-byte compressed encryption public key. */
  ownerEncryptionPublicKey: Uint8Array;
  /** What the wrapped keys are bound to: the record id. */
  context: Uint8Array;
  /** Optional associated data bound into the record envelope. */
  aad?: Uint8Array;
  /** Pad the plaintext to its size bucket (envelope v2, ./padding.ts); default true. */
  padded?: boolean;
}

export interface SealedRecord {
  /** What goes on chain: the owner's wrapped key and the record envelope. */
  blob: Uint8Array;
  /** keccak256(blob). */
  contentHash: ContentHash;
  /** Secret. Use it for grants in this session, then drop it. */
  dataKey: Uint8Array;
}

export function sealRecord(input: SealRecordInput): SealedRecord {
  const encrypted = encryptRecord(input.plaintext, input.aad, { padded: input.padded });
  const blob = concatBytes(wrapKey(encrypted.dataKey, input.ownerEncryptionPublicKey, input.context), encrypted.ciphertext);
  return { blob, contentHash: contentHash(blob), dataKey: encrypted.dataKey };
}

/**
 * Checks keccak256(blob) against the content hash the contract stores (throws CONTENT_HASH_MISMATCH first), then
 * splits the blob (MALFORMED when it is too short to be one).
 */
function checkedParts(blob: Uint8Array, expectedContentHash: string): { ownerWrappedKey: Uint8Array; envelope: Uint8Array } {
  requireBytes(blob, "blob");
  const expected = parseHexBytes(expectedContentHash, "expectedContentHash", 32);
  if (!equalBytes(expected, parseHexBytes(contentHash(blob), "contentHash", 32))) {
    throw new EnvelopeError("CONTENT_HASH_MISMATCH", `keccak256 of the stored data is ${contentHash(blob)}, the contract stores ${expectedContentHash}`);
  }
  if (blob.length < RECORD_BLOB_MIN_LENGTH) {
    throw new EnvelopeError("MALFORMED", `the stored data is ${blob.length} bytes, shorter than a MedRing record (${RECORD_BLOB_MIN_LENGTH})`);
  }
  return { ownerWrappedKey: blob.subarray(0, WRAPPED_KEY_LENGTH), envelope: blob.subarray(WRAPPED_KEY_LENGTH) };
}

export interface OpenRecordInput {
  blob: Uint8Array;
  /** The content hash the contract stores (0x + 64 hex digits). */
  expectedContentHash: string;
  /** This reader's 32-byte encryption secret key. */
  recipientSecretKey: Uint8Array;
  context: Uint8Array;
  /** The data key wrapped for this reader (an institution's, from `warrant`); the owner's inside the blob when absent. */
  wrappedKey?: Uint8Array;
  aad?: Uint8Array;
}

/** Checks the content hash, unwraps, decrypts. Throws EnvelopeError (CONTENT_HASH_MISMATCH first). */
export function openRecord(input: OpenRecordInput): Uint8Array {
  const { ownerWrappedKey, envelope } = checkedParts(input.blob, input.expectedContentHash);
  const dataKey = unwrapKey(input.wrappedKey ?? ownerWrappedKey, input.recipientSecretKey, input.context);
  try {
    return decryptRecord(envelope, dataKey, input.aad);
  } finally {
    dataKey.fill(0);
  }
}

/** The record's data key, unwrapped by its owner from the blob (content hash checked first). Secret: zero it after use. */
export function unwrapOwnerDataKey(input: { blob: Uint8Array; expectedContentHash: string; ownerSecretKey: Uint8Array; context: Uint8Array }): Uint8Array {
  return unwrapKey(checkedParts(input.blob, input.expectedContentHash).ownerWrappedKey, input.ownerSecretKey, input.context);
}
