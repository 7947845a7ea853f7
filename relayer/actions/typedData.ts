import { TypedDataEncoder, type TypedDataField } from "ethers";
import type { ChainContext } from "./types";

/**
 * EIP-712 typed data of the ring-authorised actions, exactly as IMedRingRegistry's NatSpec defines them
 * (domain: name "MedRing", version "1", chainId, verifyingContract = the registry). The digest is the MRS-1
 * `message`. A test checks these against the registry's own hashCreateRecord / hashWarrant / hashUnwarrant.
 */
export const RING_ACTION_TYPES: Record<string, Record<string, TypedDataField[]>> = {
  CreateRecord: {
    CreateRecord: [
      { name: "scope", type: "bytes32" },
      { name: "contentHash", type: "bytes32" },
      { name: "locator", type: "bytes" },
      { name: "ciphertext", type: "bytes" },
      { name: "nonce", type: "uint256" },
      { name: "deadline", type: "uint256" },
    ],
  },
  Warrant: {
    Warrant: [
      { name: "scope", type: "bytes32" },
      { name: "institution", type: "address" },
      { name: "wrappedKey", type: "bytes" },
      { name: "nonce", type: "uint256" },
      { name: "deadline", type: "uint256" },
    ],
  },
  Unwarrant: {
    Unwarrant: [
      { name: "scope", type: "bytes32" },
      { name: "institution", type: "address" },
      { name: "nonce", type: "uint256" },
      { name: "deadline", type: "uint256" },
    ],
  },
};

export function ringActionDigest(primaryType: keyof typeof RING_ACTION_TYPES, value: Record<string, unknown>, ctx: ChainContext): string {
  const domain = { name: "MedRing", version: "1", chainId: ctx.chainId, verifyingContract: ctx.registryAddress };
  return TypedDataEncoder.hash(domain, RING_ACTION_TYPES[primaryType], value);
}
