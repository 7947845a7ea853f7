/**
 * Builds ring-authorised actions the way a client does (DESIGN.md §Anonymous actions): the EIP-712 digest of
 * the action computed with ethers' TypedDataEncoder (independently of the contract's own hash functions),
 * signed with the shared MRS-1 module, converted to verifier arguments with `toVerifierArgs`.
 */
import { TypedDataEncoder, getBytes, type TypedDataDomain, type TypedDataField } from "ethers";
import { sign, sortRing, toVerifierArgs, type Point } from "../../../src/mrs1";
import type { RingAuthorizationStruct } from "../../../typechain-types/contracts/MedRingRegistry";

/** The EIP-712 types of IMedRingRegistry's NatSpec, field for field. */
export const RING_ACTION_TYPES: Record<"CreateRecord" | "Warrant" | "Unwarrant", TypedDataField[]> = {
  CreateRecord: [
    { name: "scope", type: "bytes32" },
    { name: "contentHash", type: "bytes32" },
    { name: "locator", type: "bytes" },
    { name: "ciphertext", type: "bytes" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
  Warrant: [
    { name: "scope", type: "bytes32" },
    { name: "institution", type: "address" },
    { name: "wrappedKey", type: "bytes" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
  Unwarrant: [
    { name: "scope", type: "bytes32" },
    { name: "institution", type: "address" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
};

export type RingActionType = keyof typeof RING_ACTION_TYPES;

export function medRingDomain(chainId: bigint, verifyingContract: string): TypedDataDomain {
  return { name: "MedRing", version: "1", chainId, verifyingContract };
}

export function ringActionDigest(domain: TypedDataDomain, action: RingActionType, value: Record<string, unknown>): string {
  return TypedDataEncoder.hash(domain, { [action]: RING_ACTION_TYPES[action] }, value);
}

export interface RingSigner {
  secretKey: bigint;
  publicKey: Point;
}

/**
 * Signs `digest` in `scope` with a ring made of the signer and `decoys` (sorted canonically), and returns the
 * RingAuthorization the registry takes.
 */
export function authorize(signer: RingSigner, decoys: Point[], scope: string, digest: string, nonce: bigint, deadline: bigint): RingAuthorizationStruct {
  const ring = sortRing([signer.publicKey, ...decoys]);
  const sig = sign({ secretKey: signer.secretKey, ring, scope: getBytes(scope), message: getBytes(digest) });
  const args = toVerifierArgs(sig);
  return { signature: args.sig, hints: args.hints, nonce, deadline };
}
