/**
 * MRS-1 §Signing.
 */
import { keccak_256 } from "@noble/hashes/sha3.js";
import { randomBytes } from "@noble/hashes/utils.js";
import { be32, bytesToBigInt } from "../hex";
import { N_ORDER, Point, concatBytes, enc, mod } from "./curve";
import { challenge } from "./challenge";
import { assertScope, hashToPoint } from "./hashToPoint";
import { assertSecretKey, publicKeyOf, randomScalar } from "./keys";
import { compareMembers, isStrictlyAscending } from "./ring";
import type { Mrs1Signature } from "./types";

export interface SignInput {
  secretKey: bigint;
  /** The ring in canonical order (use `sortRing`); it must contain the signer's public key. */
  ring: readonly Point[];
  scope: Uint8Array;
  message: Uint8Array;
}

const NONCE_TAG = new TextEncoder().encode("MEDRING-V1-SIGN-NONCE");

/**
 * v_m derived from the secret key and everything signed, hedged with 32 fresh random bytes
 * (MRS-1 §Signing: "derive it deterministically ... hedged with fresh randomness"). 64 bytes of hash
 * output are reduced to [1, n-1], so the bias is about 2^-256.
 */
function signingNonce(input: SignInput, ringDigest: Uint8Array): bigint {
  const seed = concatBytes(NONCE_TAG, be32(input.secretKey), randomBytes(32), input.scope, input.message, ringDigest);
  const wide = concatBytes(keccak_256(concatBytes(seed, Uint8Array.of(0))), keccak_256(concatBytes(seed, Uint8Array.of(1))));
  return (bytesToBigInt(wide) % (N_ORDER - 1n)) + 1n;
}

/** Produces (I, c_1..c_n, e_1..e_n). Throws on misuse (bad key, unsorted ring, signer not in ring). */
export function sign(input: SignInput): Mrs1Signature {
  const { secretKey, ring, scope, message } = input;
  assertSecretKey(secretKey);
  assertScope(scope);
  if (!(message instanceof Uint8Array) || message.length !== 32) throw new TypeError("message must be 32 bytes");
  if (ring.length === 0) throw new RangeError("ring must have at least one member");
  if (!isStrictlyAscending(ring)) throw new Error("ring must be strictly ascending: sort it with sortRing");
  const signerKey = publicKeyOf(secretKey);
  const m = ring.findIndex((member) => compareMembers(member, signerKey) === 0);
  if (m < 0) throw new Error("the signer's public key is not in the ring");

  const hashPoints = ring.map((member) => hashToPoint(scope, member).point);
  const image = hashPoints[m].multiply(secretKey); // I = x_m·H_p(scope, P_m)
  const ringDigest = keccak_256(concatBytes(...ring.map(enc)));

  for (;;) {
    const n = ring.length;
    const c = new Array<bigint>(n);
    const e = new Array<bigint>(n);
    const L = new Array<Point>(n);
    const R = new Array<Point>(n);
    const v = signingNonce(input, ringDigest);
    for (let i = 0; i < n; i++) {
      if (i === m) continue;
      c[i] = randomScalar();
      e[i] = randomScalar();
      // Decoy commitments use only public values, so the variable-time multiplication is fine.
      L[i] = Point.BASE.multiplyUnsafe(e[i]).add(ring[i].multiplyUnsafe(c[i]));
      R[i] = hashPoints[i].multiplyUnsafe(e[i]).add(image.multiplyUnsafe(c[i]));
    }
    L[m] = Point.BASE.multiply(v); // L_m = v_m·G, constant-time: v_m is secret
    R[m] = hashPoints[m].multiply(v); // R_m = v_m·H_p(scope, P_m)
    if (L.some((p) => p.is0()) || R.some((p) => p.is0())) continue; // probability about 2^-256: draw again
    const total = challenge(scope, message, ring, image, L, R);
    let others = 0n;
    for (let i = 0; i < n; i++) if (i !== m) others += c[i];
    c[m] = mod(total - others, N_ORDER); // c_m = c - sum_{i != m} c_i mod n
    e[m] = mod(v - c[m] * secretKey, N_ORDER); // e_m = v_m - c_m·x_m mod n
    return { scope: Uint8Array.from(scope), message: Uint8Array.from(message), ring: [...ring], keyImage: image, c, e };
  }
}
