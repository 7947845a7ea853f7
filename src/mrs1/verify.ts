/**
 * MRS-1 §Verification. Quiet on bad data: every failure is a verdict with a reason, never a throw.
 */
import { N_ORDER, Point } from "./curve";
import { challenge } from "./challenge";
import { hashToPoint, type HashToPointResult } from "./hashToPoint";
import { isStrictlyAscending } from "./ring";
import type { Mrs1Signature, RejectReason, Verdict } from "./types";

const reject = (reason: RejectReason, detail: string): Verdict => ({ valid: false, reason, detail });

function isValidPoint(point: Point): boolean {
  try {
    if (!(point instanceof Point) || point.is0()) return false;
    point.assertValidity();
    return true;
  } catch {
    return false;
  }
}

/** e·G + c·P, the commitment of MRS-1 §Verification 5 (all inputs public, so variable time is fine). */
export function commitment(base: Point, e: bigint, c: bigint, other: Point): Point {
  return base.multiplyUnsafe(e).add(other.multiplyUnsafe(c));
}

/** What verification computed on the way: reused by `verifyForChain` so hints cost no second pass. */
export interface VerificationWork {
  hashPoints: HashToPointResult[];
  commitmentsL: Point[];
  commitmentsR: Point[];
}

export function verify(sig: Mrs1Signature): Verdict {
  return verifyWithWork(sig).verdict;
}

/** MRS-1 §Verification, returning the H_p results and commitments it computed when the signature is valid. */
export function verifyWithWork(sig: Mrs1Signature): { verdict: Verdict; work?: VerificationWork } {
  const fail = (reason: RejectReason, detail: string) => ({ verdict: reject(reason, detail) });
  const n = sig.ring.length;
  if (n < 1) return fail("ring-empty", "the ring has no members"); // rule 1
  if (sig.c.length !== n || sig.e.length !== n) {
    return fail("length-mismatch", `ring has ${n} members but there are ${sig.c.length} c and ${sig.e.length} e values`);
  }
  if (!sig.ring.every(isValidPoint)) return fail("point-not-on-curve", "a ring member is not a finite curve point"); // rule 3
  if (!isValidPoint(sig.keyImage)) return fail("point-not-on-curve", "the key image is not a finite curve point");
  if (!isStrictlyAscending(sig.ring)) return fail("ring-not-ascending", "the ring is not strictly ascending by (x, y)"); // rule 2
  const canonical = (k: bigint) => typeof k === "bigint" && k >= 0n && k < N_ORDER;
  if (!sig.c.every(canonical) || !sig.e.every(canonical)) {
    return fail("scalar-not-canonical", "a c or e value is not in [0, n)"); // rule 4
  }
  const work: VerificationWork = { hashPoints: [], commitmentsL: [], commitmentsR: [] };
  for (let i = 0; i < n; i++) {
    const hashed = hashToPoint(sig.scope, sig.ring[i]);
    const L = commitment(Point.BASE, sig.e[i], sig.c[i], sig.ring[i]); // L_i = e_i·G + c_i·P_i
    const R = commitment(hashed.point, sig.e[i], sig.c[i], sig.keyImage); // R_i = e_i·H_p(scope, P_i) + c_i·I
    if (L.is0() || R.is0()) return fail("commitment-at-infinity", `L_${i + 1} or R_${i + 1} is the point at infinity`); // rule 5
    work.hashPoints.push(hashed);
    work.commitmentsL.push(L);
    work.commitmentsR.push(R);
  }
  const sum = sig.c.reduce((a, b) => a + b, 0n) % N_ORDER;
  if (sum !== challenge(sig.scope, sig.message, sig.ring, sig.keyImage, work.commitmentsL, work.commitmentsR)) {
    return fail("challenge-mismatch", "sum of c_i does not equal the challenge"); // rule 6
  }
  return { verdict: { valid: true }, work };
}
