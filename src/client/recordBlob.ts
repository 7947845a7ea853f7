/**
 * What a MedRing client stores on chain for a record (or for a patient's personal info): the record envelope of
 * src/envelope together with the data key wrapped for the owner, so that the owner reads it back from the key file
 * alone (issue 5 `medring record show`) and institutions read it with the key wrapped for them on `warrant`:
 *
 *   blob = ownerWrappedKey (WRAPPED_KEY_LENGTH = 106 bytes, src/envelope/wrap.ts) || record envelope
 *
 * The registry requires keccak256(blob) = the content hash (RegistryContentHashMismatch), so the hash the chain
 * stores covers both parts; readers check it before anything else. Both wraps are bound to the same `context`
 * (the record id; see src/envelope/seal.ts). Only ciphertext leaves the client (DESIGN.md §Confidentiality).
 */
import { equalBytes } from "@noble/ciphers/utils.js";
import { concatBytes } from "@noble/hashes/utils.js";
import { contentHash, decryptRecord, sealRecord, unwrapKey, wrapKey, WRAPPED_KEY_LENGTH, RECORD_ENVELOPE_MIN_LENGTH, EnvelopeError, type ContentHash } from "../envelope";
import { parseHexBytes } from "../hex";
import { ClientError } from "./errors";

export interface SealedBlob {
  blob: Uint8Array;
  contentHash: ContentHash;
  /** Secret: for grants in this session only; never stored or logged. */
  dataKey: Uint8Array;
}

export function sealBlob(plaintext: Uint8Array, ownerEncryptionPublicKey: Uint8Array, context: Uint8Array): SealedBlob {
  const sealed = sealRecord({ plaintext, ownerEncryptionPublicKey, context });
  const blob = concatBytes(sealed.ownerWrappedKey, sealed.ciphertext);
  return { blob, contentHash: contentHash(blob), dataKey: sealed.dataKey };
}

function split(blob: Uint8Array, expectedContentHash: string): { ownerWrappedKey: Uint8Array; envelope: Uint8Array } {
  if (!equalBytes(parseHexBytes(contentHash(blob), "hash", 32), parseHexBytes(expectedContentHash, "contentHash", 32))) {
    throw new ClientError("integrity", `keccak256 of the stored ciphertext is ${contentHash(blob)}, the record's content hash is ${expectedContentHash}`);
  }
  if (blob.length < WRAPPED_KEY_LENGTH + RECORD_ENVELOPE_MIN_LENGTH) {
    throw new ClientError("integrity", `the stored ciphertext is ${blob.length} bytes, shorter than a MedRing record (${WRAPPED_KEY_LENGTH + RECORD_ENVELOPE_MIN_LENGTH})`);
  }
  return { ownerWrappedKey: blob.subarray(0, WRAPPED_KEY_LENGTH), envelope: blob.subarray(WRAPPED_KEY_LENGTH) };
}

/** Runs an envelope operation; a ciphertext or wrapped key that does not open is an integrity failure. */
function opening<T>(what: string, fn: () => T, kind: "integrity" | "input" = "integrity"): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof EnvelopeError) throw new ClientError(kind, `${what}: ${err.message}`);
    throw err;
  }
}

/** The record's data key, unwrapped by the owner (to wrap it for an institution on `warrant`). */
export function ownerDataKey(blob: Uint8Array, expectedContentHash: string, ownerSecretKey: Uint8Array, context: Uint8Array): Uint8Array {
  const { ownerWrappedKey } = split(blob, expectedContentHash);
  return opening("the owner's wrapped key", () => unwrapKey(ownerWrappedKey, ownerSecretKey, context));
}

/** Wraps `dataKey` for an institution's encryption public key (the `wrappedKey` of `warrant`). */
export function wrapForInstitution(dataKey: Uint8Array, institutionEncryptionKey: Uint8Array, context: Uint8Array): Uint8Array {
  return opening("the institution's encryption key", () => wrapKey(dataKey, institutionEncryptionKey, context), "input");
}

/**
 * Checks the content hash, unwraps the data key (the owner's from the blob when `wrappedKey` is undefined, else
 * the one wrapped for the reader) and decrypts. Throws ClientError "integrity" on any mismatch.
 */
export function openBlob(input: { blob: Uint8Array; expectedContentHash: string; recipientSecretKey: Uint8Array; context: Uint8Array; wrappedKey?: Uint8Array }): Uint8Array {
  const { ownerWrappedKey, envelope } = split(input.blob, input.expectedContentHash);
  const dataKey = opening("the wrapped data key", () => unwrapKey(input.wrappedKey ?? ownerWrappedKey, input.recipientSecretKey, input.context));
  try {
    return opening("the record envelope", () => decryptRecord(envelope, dataKey));
  } finally {
    dataKey.fill(0);
  }
}
