/**
 * Arguments for the on-chain verifier (contracts/interfaces/IRingVerifier.sol): the signature as affine
 * points plus the hints that let the verifier skip square roots and per-member scalar multiplications.
 * A wrong hint can only make the verifier reject (MRS-1 §Verification, last paragraph), so these are
 * computed from public data only and need no trust.
 */
import { bytesToBigInt, bytesToHex, parseHexBytes, parseHexUint256 } from "../hex";
import { N_ORDER, P_FIELD, Point, isOnCurve } from "./curve";
import { curveRhs, hashToPoint, hashToPointCandidate, sqrtModP } from "./hashToPoint";
import { SCHEME, parseSignatureJson, type Mrs1SignatureJson } from "./json";
import { commitment, verifyWithWork, type VerificationWork } from "./verify";
import type { Mrs1Signature, Verdict } from "./types";

/**
 * IRingVerifier.Reason (contracts/interfaces/IRingVerifier.sol), in declaration order: the number is what
 * `tryVerify` returns. test/verifier/reasons.test.ts compares the names and their order with the Solidity enum.
 */
export enum VerifierReason {
  None,
  RingEmpty,
  LengthMismatch,
  RingNotAscending,
  PointNotOnCurve,
  ScalarNotCanonical,
  HashPointHintInvalid,
  CommitmentHintNotOnCurve,
  CommitmentMismatch,
  ChallengeMismatch,
  BatchEmpty,
}

/** An on-chain reason in the kebab-case style of the TS reject reasons (`HashPointHintInvalid` → `hash-point-hint-invalid`). */
export function verifierReasonName(reason: number | bigint): string {
  const name = VerifierReason[Number(reason)] as string | undefined;
  return name === undefined ? `reason ${reason}` : name.replace(/[A-Z]/g, (c, i: number) => (i === 0 ? "" : "-") + c.toLowerCase());
}

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
    pushHashToPointHints(hints, h2p);
    if (work) {
      hints.commitmentsL.push(toAffineStruct(work.commitmentsL[i]));
      hints.commitmentsR.push(toAffineStruct(work.commitmentsR[i]));
    } else if (i < sig.c.length && i < sig.e.length) {
      pushCommitmentHints(hints, sig.scope, member, h2p, sig.c[i], sig.e[i], sig.keyImage);
    }
  });
  return {
    scope: bytesToHex(sig.scope),
    message: bytesToHex(sig.message),
    sig: { ring: sig.ring.map(toAffineStruct), keyImage: toAffineStruct(sig.keyImage), c: [...sig.c], e: [...sig.e] },
    hints,
  };
}

function pushHashToPointHints(hints: VerificationHintsStruct, h2p: HashToPointHints): void {
  hints.hashPointY.push(h2p.y);
  hints.hashCounters.push(h2p.ctr);
  hints.nonResidueRoots.push(...h2p.nonResidueRoots);
}

/**
 * The honest L_i = e_i·G + c_i·P_i and R_i = e_i·H_i + c_i·I (MRS-1 §Verification 5). The scalars are reduced only
 * for the hint: the verifier still sees the signature's own (maybe non-canonical) ones. Without a key image on the
 * curve R_i has no value, and its hint is the off-curve sentinel.
 */
function pushCommitmentHints(
  hints: VerificationHintsStruct,
  scope: Uint8Array,
  member: Point,
  h2p: HashToPointHints,
  c: bigint,
  e: bigint,
  image: Point | undefined,
): void {
  const [ci, ei] = [c % N_ORDER, e % N_ORDER];
  const hashPoint = Point.fromAffine({ x: hashToPointCandidate(scope, member, h2p.ctr), y: h2p.y });
  hints.commitmentsL.push(toAffineStruct(commitment(Point.BASE, ei, ci, member)));
  hints.commitmentsR.push(image ? toAffineStruct(commitment(hashPoint, ei, ci, image)) : INFINITY_SENTINEL);
}

/**
 * A SEC1 point as raw (x, y), on the curve or not: uncompressed as given, compressed by decompression when x has
 * a point, otherwise (x, 0), which is never on the curve (no point of secp256k1 has y = 0).
 */
function rawPoint(hex: string, field: string): AffinePointStruct {
  const bytes = parseHexBytes(hex, field);
  const x = bytesToBigInt(bytes.slice(1, 33));
  if (bytes.length === 65) return { x, y: bytesToBigInt(bytes.slice(33)) };
  try {
    return toAffineStruct(Point.fromBytes(bytes));
  } catch {
    return { x, y: 0n };
  }
}

const onCurve = (p: AffinePointStruct): Point | undefined => (isOnCurve(p.x, p.y) ? Point.fromAffine(p) : undefined);

/**
 * The verifier's call arguments straight from an interchange-format object (MRS-1 §Interchange), also for
 * signatures `parseSignatureJson` refuses (points off the curve, wrong lengths), so that the on-chain verifier
 * gets to reject them itself (the conformance vectors, `hardhat ring:verify`). Hints are the honest ones wherever
 * the inputs allow them, and (0, 0) or none otherwise; hex that does not parse still throws HexFormatError.
 */
export function verifierArgsAllowInvalid(json: Omit<Mrs1SignatureJson, "scheme">): VerifierArgs {
  const parsed = parseSignatureJson({ scheme: SCHEME, ...json });
  if (parsed.ok) return toVerifierArgs(parsed.signature);
  const scope = parseHexBytes(json.scope, "scope", 32);
  const ring = json.ring.map((h, i) => rawPoint(h, `ring[${i}]`));
  const keyImage = rawPoint(json.keyImage, "keyImage");
  const c = json.c.map((h, i) => parseHexUint256(h, `c[${i}]`));
  const e = json.e.map((h, i) => parseHexUint256(h, `e[${i}]`));
  const image = onCurve(keyImage);
  const hints: VerificationHintsStruct = { hashPointY: [], hashCounters: [], nonResidueRoots: [], commitmentsL: [], commitmentsR: [] };
  ring.forEach((raw, i) => {
    const member = onCurve(raw);
    if (!member) {
      hints.hashPointY.push(0n);
      hints.hashCounters.push(0);
      hints.commitmentsL.push(INFINITY_SENTINEL);
      hints.commitmentsR.push(INFINITY_SENTINEL);
      return;
    }
    const h2p = hashToPointHints(scope, member);
    pushHashToPointHints(hints, h2p);
    pushCommitmentHints(hints, scope, member, h2p, c[i] ?? 0n, e[i] ?? 0n, image);
  });
  return { scope: json.scope, message: json.message, sig: { ring, keyImage, c, e }, hints };
}

/** Verifies and, when valid, builds the on-chain arguments from the same point arithmetic (one pass, as a relayer needs). */
export function verifyForChain(sig: Mrs1Signature): { verdict: Verdict; args?: VerifierArgs } {
  const { verdict, work } = verifyWithWork(sig);
  return verdict.valid && work ? { verdict, args: toVerifierArgs(sig, work) } : { verdict };
}
