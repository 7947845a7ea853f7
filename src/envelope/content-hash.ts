/**
 * The content hash the MRC stores for a record (docs/design.md#confidentiality):
 * keccak256 over the exact ciphertext bytes (the versioned envelope from `encryptRecord`), as a
 * 0x-prefixed bytes32. It is computed over ciphertext, never plaintext, so it reveals nothing
 * about the record; readers (the patient, institutions) recompute it before decrypting.
 */
import { keccak_256 } from "@noble/hashes/sha3.js";
import { bytesToHex } from "../hex";
import { requireBytes } from "./bytes";

/** A 0x-prefixed, lower-case, 64-hex-digit keccak256 digest (Solidity `bytes32`). */
export type ContentHash = `0x${string}`;

export function contentHash(ciphertext: Uint8Array): ContentHash {
  return bytesToHex(keccak_256(requireBytes(ciphertext, "ciphertext"))) as ContentHash;
}
