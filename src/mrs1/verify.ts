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

/**
 * MRS-1 §Verification rules 1-4, the checks that need no point arithmetic, in the order `verifyWithWork` runs
 * them: the first rule broken as a verdict, or undefined when all hold. Exported so that another arithmetic
 * back end (the relayer's native one) gives the same verdicts and details for the same inputs.
 */
export function checkStructure(sig: Mrs1Signature): Verdict | undefined {
  const n = sig.ring.length;
  if (n < 1) return reject("ring-empty", "the ring has no members"); // rule 1
  if (sig.c.length !== n || sig.e.length !== n) {
    return reject("length-mismatch", `ring has ${n} members but there are ${sig.c.length} c and ${sig.e.length} e values`);
  }
  if (!sig.ring.every(isValidPoint)) return reject("point-not-on-curve", "a ring member is not a finite curve point"); // rule 3
  if (!isValidPoint(sig.keyImage)) return reject("point-not-on-curve", "the key image is not a finite curve point");
  if (!isStrictlyAscending(sig.ring)) return reject("ring-not-ascending", "the ring is not strictly ascending by (x, y)"); // rule 2
  const canonical = (k: bigint) => typeof k === "bigint" && k >= 0n && k < N_ORDER;
  if (!sig.c.every(canonical) || !sig.e.every(canonical)) {
    return reject("scalar-not-canonical", "a c or e value is not in [0, n)"); // rule 4
  }
  return undefined;
}

/** The rule-5 rejection at ring position i (0-based), shared with the native back end. */
export function commitmentAtInfinity(i: number): Verdict {
  return reject("commitment-at-infinity", `L_${i + 1} or R_${i + 1} is the point at infinity`);
}

/** The rule-6 rejection, shared with the native back end. */
export function challengeMismatch(): Verdict {
  return reject("challenge-mismatch", "sum of c_i does not equal the challenge");
}

/** MRS-1 §Verification rule 6: sum c_i mod n equals the challenge over the computed commitments. */
export function challengeHolds(sig: Mrs1Signature, commitmentsL: readonly Point[], commitmentsR: readonly Point[]): boolean {
  const sum = sig.c.reduce((a, b) => a + b, 0n) % N_ORDER;
  return sum === challenge(sig.scope, sig.message, sig.ring, sig.keyImage, commitmentsL, commitmentsR);
}

/** MRS-1 §Verification, returning the H_p results and commitments it computed when the signature is valid. */
export function verifyWithWork(sig: Mrs1Signature): { verdict: Verdict; work?: VerificationWork } {
  const broken = checkStructure(sig); // rules 1-4
  if (broken) return { verdict: broken };
  const work: VerificationWork = { hashPoints: [], commitmentsL: [], commitmentsR: [] };
  for (let i = 0; i < sig.ring.length; i++) {
    const hashed = hashToPoint(sig.scope, sig.ring[i]);
    const L = commitment(Point.BASE, sig.e[i], sig.c[i], sig.ring[i]); // L_i = e_i·G + c_i·P_i
    const R = commitment(hashed.point, sig.e[i], sig.c[i], sig.keyImage); // R_i = e_i·H_p(scope, P_i) + c_i·I
    if (L.is0() || R.is0()) return { verdict: commitmentAtInfinity(i) }; // rule 5
    work.hashPoints.push(hashed);
    work.commitmentsL.push(L);
    work.commitmentsR.push(R);
  }
  if (!challengeHolds(sig, work.commitmentsL, work.commitmentsR)) return { verdict: challengeMismatch() }; // rule 6
  return { verdict: { valid: true }, work };
}
