/**
 * The client's use of the envelope module's record encoding (src/envelope/seal.ts: blob = the data key wrapped for
 * the owner || the record envelope, content hash over both): sealing a record or personal info, and opening one,
 * with every envelope failure turned into a ClientError ("integrity" for data from the chain that does not open,
 * "input" for a recipient key the caller gave). Only ciphertext leaves the client (docs/design.md#confidentiality).
 */
import { EnvelopeError, openRecord, sealRecord, unwrapOwnerDataKey, wrapKey, type OpenRecordInput, type SealedRecord } from "../envelope";
import { ClientError } from "./errors";

/** Runs an envelope operation; data that does not open is a ClientError of `kind`. */
function opening<T>(what: string, fn: () => T, kind: "integrity" | "input" = "integrity"): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof EnvelopeError) throw new ClientError(kind, `${what}: ${err.message}`);
    throw err;
  }
}

/**
 * Seals `plaintext` for the owner's encryption public key, bound to `context` (the record id), padded to its size
 * bucket unless `padded` is false (personal info: src/envelope/record.ts).
 */
export function sealBlob(plaintext: Uint8Array, ownerEncryptionPublicKey: Uint8Array, context: Uint8Array, padded = true): SealedRecord {
  return sealRecord({ plaintext, ownerEncryptionPublicKey, context, padded });
}

/** The record's data key, unwrapped by the owner (to wrap it for an institution on `warrant`). */
export function ownerDataKey(blob: Uint8Array, expectedContentHash: string, ownerSecretKey: Uint8Array, context: Uint8Array): Uint8Array {
  return opening("the stored record", () => unwrapOwnerDataKey({ blob, expectedContentHash, ownerSecretKey, context }));
}

/** Wraps `dataKey` for an institution's encryption public key (the `wrappedKey` of `warrant`). */
export function wrapForInstitution(dataKey: Uint8Array, institutionEncryptionKey: Uint8Array, context: Uint8Array): Uint8Array {
  return opening("the institution's encryption key", () => wrapKey(dataKey, institutionEncryptionKey, context), "input");
}

/** Checks the content hash, unwraps (the owner's key, or `wrappedKey`) and decrypts; ClientError "integrity" on any mismatch. */
export function openBlob(input: OpenRecordInput): Uint8Array {
  return opening("the stored record", () => openRecord(input));
}
