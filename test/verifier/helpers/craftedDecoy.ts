/**
 * Signatures a signer may build on purpose: MRS-1 §Signing draws the decoys' c_i and e_i at random, but
 * §Verification cannot tell how they were chosen, so a signer may set them. With c_i = 0 and e_i = e the decoy's
 * commitments are L_i = e·G and R_i = e·H_i: the attack of docs/verifier-gas.md ("Offset points") on offsets that
 * were public multiples of G.
 */
import { randomBytes } from "@noble/hashes/utils.js";
import { N_ORDER, Point, challenge, hashToPoint, sign, type Mrs1Signature } from "../../../src/mrs1";
import { randomScalar } from "../../../src/mrs1/keys";
import { randomRing } from "../../../scripts/lib/randomRing";

const mod = (a: bigint) => ((a % N_ORDER) + N_ORDER) % N_ORDER;

/**
 * A valid signature over a fresh ring of `n` (>= 2) whose member `decoy` has c = 0 and e = `e`; member decoy + 1 signs.
 * `honest` is an ordinary MRS-1 signature by the same signer over the same ring, scope and message: the same shape to
 * the byte (the hash-to-point counters depend on the ring and the scope only), so its gas is the fair comparison.
 */
export function signWithDecoy(n: number, decoy: number, e: bigint): { crafted: Mrs1Signature; honest: Mrs1Signature } {
  const { keys, ring } = randomRing(n);
  const m = (decoy + 1) % n;
  const [scope, message] = [randomBytes(32), randomBytes(32)];
  const hashPoints = ring.map((member) => hashToPoint(scope, member).point);
  const secretKey = keys[m].secretKey;
  const image = hashPoints[m].multiply(secretKey);
  const c = ring.map((_, i) => (i === decoy ? 0n : randomScalar()));
  const es = ring.map((_, i) => (i === decoy ? mod(e) : randomScalar()));
  const v = randomScalar();
  const L = ring.map((member, i) => (i === m ? Point.BASE.multiply(v) : Point.BASE.multiply(es[i]).add(member.multiplyUnsafe(c[i]))));
  const R = ring.map((_, i) => (i === m ? hashPoints[m].multiply(v) : hashPoints[i].multiply(es[i]).add(image.multiplyUnsafe(c[i]))));
  const others = c.reduce((sum, ci, i) => (i === m ? sum : sum + ci), 0n);
  c[m] = mod(challenge(scope, message, ring, image, L, R) - others);
  es[m] = mod(v - c[m] * secretKey);
  const crafted = { scope, message, ring, keyImage: image, c, e: es };
  return { crafted, honest: sign({ secretKey, ring, scope, message }) };
}
