/**
 * The two record flows every client runs, composed from ./record.ts, ./wrap.ts and
 * ./content-hash.ts (DESIGN.md §Confidentiality):
 *
 * - `sealRecord`: the patient encrypts a record under a fresh data key and, in the same step,
 *   wraps that key for their own encryption key, so the record can be read back later from the
 *   key file alone (issue 5: `medring record show`). The data key is returned for immediate
 *   grants (wrapKey for an institution) and must not be stored.
 * - `openRecord`: any reader (the patient with their own wrapped key, an institution with the
 *   key wrapped for it on `warrant`) first re-checks keccak256(ciphertext) against the content
 *   hash the contract stores, then unwraps and decrypts.
 *
 * `context` is the same bytes for the owner's wrap and every institution's wrap of one record
 * (e.g. the record id): a wrapped key moved onto another record then fails to open.
 */
import { equalBytes } from "@noble/ciphers/utils.js";
import { parseHexBytes } from "../hex";
import { requireBytes } from "./bytes";
import { contentHash, type ContentHash } from "./content-hash";
import { EnvelopeError } from "./errors";
import { decryptRecord, encryptRecord } from "./record";
import { unwrapKey, wrapKey } from "./wrap";

export interface SealRecordInput {
  plaintext: Uint8Array;
  /** The patient's own 33-byte compressed encryption public key. */
  ownerEncryptionPublicKey: Uint8Array;
  /** What the wrapped key is bound to, e.g. the record id. */
  context: Uint8Array;
  /** Optional associated data bound into the record envelope. */
  aad?: Uint8Array;
}

export interface SealedRecord {
  ciphertext: Uint8Array;
  contentHash: ContentHash;
  /** The data key wrapped for the owner (goes on chain beside the record). */
  ownerWrappedKey: Uint8Array;
  /** Secret. Use it for grants in this session, then drop it. */
  dataKey: Uint8Array;
}

export function sealRecord(input: SealRecordInput): SealedRecord {
  const encrypted = encryptRecord(input.plaintext, input.aad);
  const ownerWrappedKey = wrapKey(encrypted.dataKey, input.ownerEncryptionPublicKey, input.context);
  return { ...encrypted, ownerWrappedKey };
}

export interface OpenRecordInput {
  ciphertext: Uint8Array;
  /** The content hash the contract stores (0x + 64 hex digits). */
  expectedContentHash: string;
  /** The data key wrapped for this reader. */
  wrappedKey: Uint8Array;
  /** This reader's 32-byte encryption secret key. */
  recipientSecretKey: Uint8Array;
  context: Uint8Array;
  aad?: Uint8Array;
}

/** Checks the content hash, unwraps, decrypts. Throws EnvelopeError (CONTENT_HASH_MISMATCH first). */
export function openRecord(input: OpenRecordInput): Uint8Array {
  requireBytes(input.ciphertext, "ciphertext");
  const expected = parseHexBytes(input.expectedContentHash, "expectedContentHash", 32);
  const actual = parseHexBytes(contentHash(input.ciphertext), "contentHash", 32);
  if (!equalBytes(expected, actual)) {
    throw new EnvelopeError("CONTENT_HASH_MISMATCH", `keccak256(ciphertext) is ${contentHash(input.ciphertext)}, the contract stores ${input.expectedContentHash}`);
  }
  const dataKey = unwrapKey(input.wrappedKey, input.recipientSecretKey, input.context);
  try {
    return decryptRecord(input.ciphertext, dataKey, input.aad);
  } finally {
    dataKey.fill(0);
  }
}
