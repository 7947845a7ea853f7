/**
 * A reproducible stand-in for the CSPRNG, for generating published test vectors only: signing (src/mrs1/sign.ts)
 * draws its decoy scalars and its nonce hedge from `crypto.getRandomValues`, so with this stream in its place the
 * same seed yields byte-identical signatures and `npm run vectors` does not rewrite the file on every run.
 * Signatures made this way are valid MRS-1 signatures, but their randomness is public: never sign anything real
 * while it is installed.
 */
import { keccak_256 } from "@noble/hashes/sha3.js";
import { be32 } from "../../src/hex";

const DOMAIN = new TextEncoder().encode("MEDRING-VECTORS-V1-RNG");

/** Runs `work` with `globalThis.crypto.getRandomValues` replaced by keccak256(DOMAIN || seed || counter) blocks. */
export function withSeededRandom<T>(seed: Uint8Array, work: () => T): T {
  const original = Object.getOwnPropertyDescriptor(globalThis, "crypto");
  if (original === undefined || !original.configurable) throw new Error("withSeededRandom: globalThis.crypto cannot be replaced");
  let counter = 0n;
  const getRandomValues = <A extends ArrayBufferView | null>(array: A): A => {
    if (array === null) return array;
    const out = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
    for (let filled = 0; filled < out.length; filled += 32) {
      const block = keccak_256(Uint8Array.from([...DOMAIN, ...seed, ...be32(counter++)]));
      out.set(block.subarray(0, Math.min(32, out.length - filled)), filled);
    }
    return array;
  };
  Object.defineProperty(globalThis, "crypto", { configurable: true, value: { getRandomValues } });
  try {
    return work();
  } finally {
    Object.defineProperty(globalThis, "crypto", original);
  }
}
