/**
 * Proof of possession of a ring key (MedRingTypes.RingKeyPossession; README "Security model: who can make the relayer
 * pay"): an MRS-1 signature with the ring {P} alone, in a fixed scope, over the registering account's EIP-712
 * digest. Only the holder of P's secret key can make it, so nobody registers someone else's ring key. The MRS-1
 * code is src/mrs1; nothing here re-implements it.
 */
import { getBytes, id, type TypedDataDomain } from "ethers";
import {
  parseSignatureJson,
  sign,
  toVerifierArgs,
  encodeSignatureJson,
  type Mrs1SignatureJson,
  type RingSignatureStruct,
  type VerificationHintsStruct,
} from "../mrs1";
import type { RingSigner } from "./ringAuthorization";
import { ringKeyPossessionDigest } from "./typedData";

/** IMedRingRegistry.RING_KEY_POSSESSION_SCOPE: keccak256("MedRing ring key possession"), a scope no record uses. */
export const RING_KEY_POSSESSION_SCOPE = id("MedRing ring key possession");

/** The registry's `RingKeyPossession` struct, ready for a typechain call or ABI encoding. */
export interface RingKeyPossessionArgs {
  signature: RingSignatureStruct;
  hints: VerificationHintsStruct;
}

/** `signer` proves possession of its ring key for `patient`'s registration in the registry of `domain` (MRS-1 interchange JSON). */
export function proveRingKeyPossession(signer: RingSigner, domain: TypedDataDomain, patient: string): Mrs1SignatureJson {
  const message = getBytes(ringKeyPossessionDigest(domain, patient));
  return encodeSignatureJson(sign({ secretKey: signer.secretKey, ring: [signer.publicKey], scope: getBytes(RING_KEY_POSSESSION_SCOPE), message }));
}

/** The contract struct of a possession proof in interchange JSON; throws RangeError when the JSON is no MRS-1 signature. */
export function possessionArgs(json: unknown): RingKeyPossessionArgs {
  const parsed = parseSignatureJson(json);
  if (!parsed.ok) throw new RangeError(`possession proof: ${parsed.detail}`);
  const args = toVerifierArgs(parsed.signature);
  return { signature: args.sig, hints: args.hints };
}

/** `proveRingKeyPossession` as the registry's struct (contract calls, tests, the demo). */
export function ringKeyPossession(signer: RingSigner, domain: TypedDataDomain, patient: string): RingKeyPossessionArgs {
  return possessionArgs(proveRingKeyPossession(signer, domain, patient));
}
