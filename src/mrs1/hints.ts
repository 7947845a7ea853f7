/**
 * Arguments for the on-chain verifier (contracts/interfaces/IRingVerifier.sol): the signature as affine
 * points plus the hints that let the verifier skip square roots and per-member scalar multiplications.
 * A wrong hint can only make the verifier reject (MRS-1 §Verification, last paragraph), so these are
 * computed from public data only and need no trust.
 */
import { bytesToHex } from "../hex";
import { N_ORDER, P_FIELD, Point } from "./curve";
import { curveRhs, hashToPoint, hashToPointCandidate, sqrtModP } from "./hashToPoint";
import { commitment, verifyWithWork, type VerificationWork } from "./verify";
import type { Mrs1Signature, Verdict } from "./types";

export interface AffinePointStruct {
  x: bigint;
  y: bigint;
}

export interface RingSignatureStruct {
  ring: AffinePointStruct[];
  keyImage: AffinePointStruct;
  c: bigint[];
  e: bigint[];
}

export interface VerificationHintsStruct {
  hashPointY: bigint[];
  hashCounters: number[];
  nonResidueRoots: bigint[];
  commitmentsL: AffinePointStruct[];
  commitmentsR: AffinePointStruct[];
}

export interface VerifierArgs {
  scope: string;
  message: string;
  sig: RingSignatureStruct;
  hints: VerificationHintsStruct;
}

/** O has no affine form; (0, 0) is not on the curve, so the verifier rejects it as MRS-1 rule 5 requires. */
const INFINITY_SENTINEL: AffinePointStruct = { x: 0n, y: 0n };

export function toAffineStruct(point: Point): AffinePointStruct {
  if (point.is0()) return INFINITY_SENTINEL;
  const { x, y } = point.toAffine();
  return { x, y };
}

/**
 * The hash-to-point hints for one ring member: the even y of H_p(scope, P), its counter, and for every
 * earlier counter whose candidate X is below p a root w of -(X^3 + 7) (it exists exactly when X^3 + 7 is a
 * non-square, because -1 is a non-square mod p).
 */
export interface HashToPointHints {
  y: bigint;
  ctr: number;
  nonResidueRoots: bigint[];
}

export function hashToPointHints(scope: Uint8Array, member: Point, { point, ctr } = hashToPoint(scope, member)): HashToPointHints {
  const nonResidueRoots: bigint[] = [];
  for (let earlier = 0; earlier < ctr; earlier++) {
    const x = hashToPointCandidate(scope, member, earlier);
    // X >= p: no point and nothing to prove; the slot is still consumed so counters line up.
    nonResidueRoots.push(x >= P_FIELD ? 0n : (sqrtModP(Point.Fp.neg(curveRhs(x))) as bigint));
  }
  return { y: point.toAffine().y, ctr, nonResidueRoots };
}

/**
 * Builds the verifier's call arguments. Works for invalid signatures too, so verdicts can be compared.
 * `work` (from a verification of this signature) saves recomputing H_p and the commitments; `memberHints`,
 * one `hashToPointHints` result per ring member, saves recomputing those (the relayer's native back end has
 * them from its own square roots).
 */
export function toVerifierArgs(sig: Mrs1Signature, work?: VerificationWork, memberHints?: readonly HashToPointHints[]): VerifierArgs {
  const hints: VerificationHintsStruct = { hashPointY: [], hashCounters: [], nonResidueRoots: [], commitmentsL: [], commitmentsR: [] };
  sig.ring.forEach((member, i) => {
    const h2p = memberHints?.[i] ?? hashToPointHints(sig.scope, member, work?.hashPoints[i]);
    hints.hashPointY.push(h2p.y);
    hints.hashCounters.push(h2p.ctr);
    hints.nonResidueRoots.push(...h2p.nonResidueRoots);
    if (work) {
      hints.commitmentsL.push(toAffineStruct(work.commitmentsL[i]));
      hints.commitmentsR.push(toAffineStruct(work.commitmentsR[i]));
    } else if (i < sig.c.length && i < sig.e.length) {
      // Reduce only for the hint: the verifier still sees the signature's own (maybe non-canonical) scalars.
      const c = sig.c[i] % N_ORDER;
      const e = sig.e[i] % N_ORDER;
      const hashPoint = Point.fromAffine({ x: hashToPointCandidate(sig.scope, member, h2p.ctr), y: h2p.y });
      hints.commitmentsL.push(toAffineStruct(commitment(Point.BASE, e, c, member)));
      hints.commitmentsR.push(toAffineStruct(commitment(hashPoint, e, c, sig.keyImage)));
    }
  });
  return {
    scope: bytesToHex(sig.scope),
    message: bytesToHex(sig.message),
    sig: { ring: sig.ring.map(toAffineStruct), keyImage: toAffineStruct(sig.keyImage), c: [...sig.c], e: [...sig.e] },
    hints,
  };
}

/** Verifies and, when valid, builds the on-chain arguments from the same point arithmetic (one pass, as a relayer needs). */
export function verifyForChain(sig: Mrs1Signature): { verdict: Verdict; args?: VerifierArgs } {
  const { verdict, work } = verifyWithWork(sig);
  return verdict.valid && work ? { verdict, args: toVerifierArgs(sig, work) } : { verdict };
}
