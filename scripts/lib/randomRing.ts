/**
 * Fresh random rings and valid MRS-1 signatures over them, for the benchmarks and the tests (never for real
 * keys: the keys are thrown away). Kept under scripts/, the tooling layer that both bench/ and test/ already
 * import (scripts/lib/deploy.ts, scripts/stack/), rather than in src/mrs1, which ships in the CLI and the
 * relayer, or in bench/ or test/, which would make one of them depend on the other.
 */
import { randomBytes } from "@noble/hashes/utils.js";
import { compareMembers, generateKeyPair, sign, type KeyPair, type Mrs1Signature, type Point } from "../../src/mrs1";

/** n fresh key pairs in ring order (MRS-1 §Ring: ascending by (x, y)): `keys[i]` holds the secret of `ring[i]`. */
export function randomRing(n: number): { keys: KeyPair[]; ring: Point[] } {
  const keys = Array.from({ length: n }, () => generateKeyPair()).sort((a, b) => compareMembers(a.publicKey, b.publicKey));
  return { keys, ring: keys.map((k) => k.publicKey) };
}

/** A valid signature by member `signer` (default: a random position) of a fresh ring of size n, over a random scope and message by default. */
export function randomRingSignature(n: number, opts: { signer?: number; scope?: Uint8Array; message?: Uint8Array } = {}): Mrs1Signature {
  const { keys, ring } = randomRing(n);
  const signer = opts.signer ?? Math.floor(Math.random() * n);
  return sign({ secretKey: keys[signer].secretKey, ring, scope: opts.scope ?? randomBytes(32), message: opts.message ?? randomBytes(32) });
}
