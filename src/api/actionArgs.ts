import { z } from "zod";
import { MAX_PERSON_INFO_BYTES, address, bytes32, hexBytes, hexBytesUpTo, mrs1SignatureJson, uintString } from "./schemas";

/**
 * The `action.args` of each action the relayer submits, by API `kind` and authorisation: what the client builds
 * and the relayer validates before it encodes the contract call (relayer/codecs/). A ring-authorised action names
 * its record by scope (the registry finds it); an identified one names the MRC it calls.
 */

/** Largest admission signature accepted: a 65-byte ECDSA signature, or an ERC-1271 contract admitter's blob. */
const MAX_ADMISSION_SIGNATURE_BYTES = 1024;

/** Paper Protocol 2 (MRC creation): a record's content hash, and either the inline ciphertext or a locator. */
export const createRecordArgs = z.strictObject({ scope: bytes32, contentHash: bytes32, locator: hexBytes, ciphertext: hexBytes });

/** Paper Protocol 2, `warrant`: grant an institution a record, with the data key wrapped for it. */
export const warrantRingArgs = z.strictObject({ scope: bytes32, institution: address, wrappedKey: hexBytes });
export const warrantIdentifiedArgs = z.strictObject({ record: address, institution: address, wrappedKey: hexBytes });

/** Paper Protocol 2, `unwarrant`: revoke an institution; the MRC removes the record from its ALC in the same transaction. */
export const unwarrantRingArgs = z.strictObject({ scope: bytes32, institution: address });
export const unwarrantIdentifiedArgs = z.strictObject({ record: address, institution: address });

/**
 * Paper Protocol 1: a patient registers (RC) with its MRS-1 ring key, encrypted personal info (at most
 * IPatientRegister.PERSON_INFO_MAX_LENGTH bytes), the admission an authorised admitter signed for it
 * (MedRingTypes.Admission) and the proof that it holds the ring key's secret (MedRingTypes.RingKeyPossession: a
 * ring-of-one MRS-1 signature in interchange JSON). Identified only.
 */
export const registerPatientArgs = z.strictObject({
  ringKey: z.strictObject({ x: bytes32, y: bytes32 }),
  encryptedInfo: hexBytesUpTo(MAX_PERSON_INFO_BYTES),
  admission: z.strictObject({
    admitter: address,
    deadline: uintString(64),
    signature: hexBytesUpTo(MAX_ADMISSION_SIGNATURE_BYTES),
  }),
  // A ring of exactly one: the relayer computes the proof's verifier hints before any signature is checked.
  possession: mrs1SignatureJson.extend({
    ring: mrs1SignatureJson.shape.ring.length(1),
    c: mrs1SignatureJson.shape.c.length(1),
    e: mrs1SignatureJson.shape.e.length(1),
  }),
});

/** The `args` schema of every ring-authorised action (IMedRingRegistry, anonymous actions), by API kind. */
export const RING_ACTION_ARGS = { createRecord: createRecordArgs, warrant: warrantRingArgs, unwarrant: unwarrantRingArgs } as const;

/** A ring-authorised action as the API carries it: its kind and its arguments (scope first). */
export type RingAction = { [K in keyof typeof RING_ACTION_ARGS]: { kind: K; args: z.infer<(typeof RING_ACTION_ARGS)[K]> } }[keyof typeof RING_ACTION_ARGS];
