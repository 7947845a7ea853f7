/**
 * MRS-1 §Verification and the on-chain verifier's hints with the point arithmetic in libsecp256k1 (native).
 *
 * src/mrs1 stays the reference: this module takes its rules 1-4 checks, its hash-to-point candidates, its
 * challenge and its hint encoding from there, and computes with libsecp256k1 only what costs: the H_p
 * decompressions and the 4n scalar multiplications of the commitments L_i and R_i. The result is the
 * reference `verifyForChain`'s, verdict and VerifierArgs alike (test/relayer/nativeVerify.test.ts checks it on the
 * vectors, on random signatures and on every single mutation).
 *
 * libsecp256k1 has no point at infinity in its API: a zero scalar is refused and a sum that lands on O
 * throws. Zero scalars are therefore handled here before the call, and a throw from a sum means O, which is
 * MRS-1 §Verification rule 5, a verdict. Inputs reach the library only after rules 3 and 4 hold (finite
 * points on the curve, scalars below n), so a sum at O is the only way a call can fail; any other failure of
 * a computation would still be read as O, that is as a rejection, never as a crash or an acceptance. Misuse
 * of the library (its argument checks) and a missing binding are not data and throw (see `attempt`).
 */
import { be32, bytesToBigInt } from "../../src/hex";
import {
  P_FIELD,
  Point,
  hashToPointCandidate,
  toVerifierArgs,
  type HashToPointHints,
  type Mrs1Signature,
  type PointDecoder,
  type Verdict,
  type VerifierArgs,
} from "../../src/mrs1";
import { curveRhs, type HashToPointResult } from "../../src/mrs1/hashToPoint";
import { challengeHolds, challengeMismatch, checkStructure, commitmentAtInfinity, type VerificationWork } from "../../src/mrs1/verify";
import { loadNativeSecp256k1, type Secp256k1Api } from "./binding";
import { sqrtModPFast } from "./sqrt";

/** A point as libsecp256k1 takes and gives it here: SEC1 uncompressed, 04 || be32(x) || be32(y); undefined is O. */
type Sec1 = Uint8Array | undefined;

let api: Secp256k1Api | undefined;
/** Loaded on first use, so that importing this module never fails; the relayer checks the binding at start-up. */
function secp(): Secp256k1Api {
  return (api ??= loadNativeSecp256k1());
}

function toSec1(point: Point): Uint8Array {
  const { x, y } = point.toAffine();
  const out = new Uint8Array(65);
  out[0] = 0x04;
  out.set(be32(x), 1);
  out.set(be32(y), 33);
  return out;
}

function fromSec1(bytes: Uint8Array): Point {
  return Point.fromAffine({ x: bytesToBigInt(bytes.subarray(1, 33)), y: bytesToBigInt(bytes.subarray(33, 65)) });
}

/**
 * One library call; a throw means the result is O (see the module comment). Two kinds of throw are not data
 * and pass through: a missing binding (loaded before the call) and the wrapper's argument checks, whose
 * messages start with "Expected" (secp256k1/lib/index.js), which would be a bug here.
 */
function attempt(call: (lib: Secp256k1Api) => Uint8Array): Sec1 {
  const lib = secp();
  try {
    return call(lib);
  } catch (err) {
    if (err instanceof Error && err.message.startsWith("Expected")) throw err;
    return undefined;
  }
}

/** k·P; 0·P = O (libsecp256k1 refuses a zero tweak). */
function mul(point: Uint8Array, k: bigint): Sec1 {
  return k === 0n ? undefined : attempt((lib) => lib.publicKeyTweakMul(point, be32(k), false));
}

/** A + B, with O as the neutral element; a sum at O throws in libsecp256k1, so it comes back as O. */
function add(a: Sec1, b: Sec1): Sec1 {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return attempt((lib) => lib.publicKeyCombine([a, b], false));
}

/** L = e·G + c·P (MRS-1 §Verification 5); tweak-add is P' + e·G in one multiplication with the fixed base. */
function commitmentL(e: bigint, c: bigint, member: Uint8Array): Sec1 {
  const cP = mul(member, c);
  if (e === 0n) return cP;
  const eBytes = be32(e);
  return cP === undefined ? attempt((lib) => lib.publicKeyCreate(eBytes, false)) : attempt((lib) => lib.publicKeyTweakAdd(cP, eBytes, false));
}

/** R = e·H_p(scope, P) + c·I (MRS-1 §Verification 5). */
function commitmentR(e: bigint, c: bigint, hashPoint: Uint8Array, image: Uint8Array): Sec1 {
  return add(mul(hashPoint, e), mul(image, c));
}

/** H_p(scope, P) with the candidates X it skipped on the way (X >= p, or X^3 + 7 not a square), in counter order. */
export interface NativeHashToPoint extends HashToPointResult {
  sec1: Uint8Array;
  skipped: bigint[];
}

/**
 * H_p(scope, P) (MRS-1 §Hash to point) with the reference's candidates: the first X < p for which 02 || X
 * decompresses. SEC1 decompression with prefix 02 yields the even root, the canonical one, and fails exactly
 * when X^3 + 7 is not a square mod p.
 */
export function hashToPointNative(scope: Uint8Array, member: Point): NativeHashToPoint {
  const compressed = new Uint8Array(33);
  compressed[0] = 0x02;
  const skipped: bigint[] = [];
  for (let ctr = 0; ctr <= 255; ctr++) {
    const x = hashToPointCandidate(scope, member, ctr);
    if (x < P_FIELD) {
      compressed.set(be32(x), 1);
      const sec1 = attempt((lib) => lib.publicKeyConvert(compressed, false));
      if (sec1 !== undefined) return { point: fromSec1(sec1), ctr, sec1, skipped };
    }
    skipped.push(x);
  }
  // The reference throws here too (probability about 2^-256).
  throw new Error("hashToPoint: no counter in 0..255 gave a point (probability about 2^-256)");
}

/**
 * The reference's `hashToPointHints` from what H_p already computed: for each skipped X below p, the root w of
 * -(X^3 + 7) (a square, since X^3 + 7 is not and -1 is not), and 0 for X >= p.
 */
function memberHints(hashed: NativeHashToPoint): HashToPointHints {
  const nonResidueRoots = hashed.skipped.map((x) => {
    if (x >= P_FIELD) return 0n;
    const w = sqrtModPFast(Point.Fp.neg(curveRhs(x)));
    if (w === undefined) throw new Error("libsecp256k1 refused a candidate whose X^3 + 7 is a square mod p");
    return w;
  });
  return { y: hashed.point.toAffine().y, ctr: hashed.ctr, nonResidueRoots };
}

/** src/mrs1 `verifyForChain` with native point arithmetic: the same verdict, and the same VerifierArgs when valid. */
export function verifyForChainNative(sig: Mrs1Signature): { verdict: Verdict; args?: VerifierArgs } {
  const broken = checkStructure(sig); // MRS-1 §Verification rules 1-4, exactly as the reference runs them
  if (broken) return { verdict: broken };
  const image = toSec1(sig.keyImage);
  const hashed: NativeHashToPoint[] = [];
  const work: VerificationWork = { hashPoints: hashed, commitmentsL: [], commitmentsR: [] };
  for (let i = 0; i < sig.ring.length; i++) {
    const h = hashToPointNative(sig.scope, sig.ring[i]);
    const L = commitmentL(sig.e[i], sig.c[i], toSec1(sig.ring[i])); // L_i = e_i·G + c_i·P_i
    const R = commitmentR(sig.e[i], sig.c[i], h.sec1, image); // R_i = e_i·H_p(scope, P_i) + c_i·I
    if (L === undefined || R === undefined) return { verdict: commitmentAtInfinity(i) }; // rule 5
    hashed.push(h);
    work.commitmentsL.push(fromSec1(L));
    work.commitmentsR.push(fromSec1(R));
  }
  if (!challengeHolds(sig, work.commitmentsL, work.commitmentsR)) return { verdict: challengeMismatch() }; // rule 6
  // Square roots only now: a forged signature never pays for them.
  return { verdict: { valid: true }, args: toVerifierArgs(sig, work, hashed.map(memberHints)) };
}

/**
 * src/mrs1's point decoding (a `PointDecoder` for `parseSignatureJson`) with libsecp256k1's: same points, same
 * refusals (x or y >= p, no point with that x, (x, y) off the curve), without a bigint square root per point.
 * The binding is loaded here, not in the decoder: `parsePoint` reads any throw of a decoder as "not on the
 * curve", and a missing binding must not pass for that.
 */
export function nativePointDecoder(): PointDecoder {
  const lib = secp();
  return (bytes) => fromSec1(lib.publicKeyConvert(bytes, false));
}
