/**
 * Signing a ring-authorised action (docs/design.md#anonymous-actions): the ring is the signer's key and the
 * decoys in MRS-1 canonical order, the scope is the record's scope and the message is the action's EIP-712
 * digest (./typedData.ts). The MRS-1 code itself is src/mrs1; nothing here re-implements it.
 */
import { getBytes } from "ethers";
import { sign, sortRing, toVerifierArgs, type Mrs1Signature, type Point, type RingSignatureStruct, type VerificationHintsStruct } from "../mrs1";

export interface RingSigner {
  secretKey: bigint;
  publicKey: Point;
}

/** MRS-1 signature of `digest` in `scope` by `signer` with the ring {signer} ∪ decoys (MRS-1 §Signing). */
export function signRingAction(signer: RingSigner, decoys: Point[], scope: string, digest: string): Mrs1Signature {
  if (decoys.some((d) => d.equals(signer.publicKey))) throw new RangeError("signRingAction: the decoys contain the signer's own key");
  const ring = sortRing([signer.publicKey, ...decoys]);
  return sign({ secretKey: signer.secretKey, ring, scope: getBytes(scope), message: getBytes(digest) });
}

/**
 * MRS-1 signature of `digest` in `scope` by `signer` with exactly `ring` (a record's fixed ring, read back from the
 * chain: every action after creation presents the creation ring; IMedRingRegistry "One ring per record").
 */
export function signWithRing(signer: RingSigner, ring: readonly Point[], scope: string, digest: string): Mrs1Signature {
  if (!ring.some((p) => p.equals(signer.publicKey))) throw new RangeError("signWithRing: the signer's key is not in the ring");
  return sign({ secretKey: signer.secretKey, ring: [...ring], scope: getBytes(scope), message: getBytes(digest) });
}

/** The registry's `RingAuthorization` struct (MedRingTypes.sol), ready for a typechain call. */
export interface RingAuthorizationArgs {
  signature: RingSignatureStruct;
  hints: VerificationHintsStruct;
  nonce: bigint;
  deadline: bigint;
}

/** Signs and converts to the registry's `RingAuthorization` (with the verifier hints of `toVerifierArgs`). */
export function authorize(signer: RingSigner, decoys: Point[], scope: string, digest: string, nonce: bigint, deadline: bigint): RingAuthorizationArgs {
  return toAuthorization(signRingAction(signer, decoys, scope, digest), nonce, deadline);
}

/** `authorize` with a given (fixed) ring instead of decoys. */
export function authorizeWithRing(
  signer: RingSigner,
  ring: readonly Point[],
  scope: string,
  digest: string,
  nonce: bigint,
  deadline: bigint,
): RingAuthorizationArgs {
  return toAuthorization(signWithRing(signer, ring, scope, digest), nonce, deadline);
}

function toAuthorization(signature: Mrs1Signature, nonce: bigint, deadline: bigint): RingAuthorizationArgs {
  const args = toVerifierArgs(signature);
  return { signature: args.sig, hints: args.hints, nonce, deadline };
}
