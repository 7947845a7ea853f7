/**
 * Curve constants, parameters and precomputed points of the MSM core (contracts/crypto/msm/core.ts), computed with
 * @noble/curves when the core is built; the one source of the algorithm ids, windows and SCALAR_BITS (build.ts
 * writes them into the generated Solidity file that MultiScalarMul.sol imports). Nothing here is hand-typed except
 * SEC 2's curve constants; test/verifier/msmCore.test.ts recomputes the offset points independently, and its
 * differential tests against noble check every correction point and G's table.
 */
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { concatBytes, enc } from "../../../src/mrs1/curve";
import { curveRhs, sqrtModP } from "../../../src/mrs1/hashToPoint";

const Point = secp256k1.Point;
type Point = InstanceType<typeof Point>;

/** secp256k1 field prime p = 2^256 - 2^32 - 977 (SEC 2 §2.4.1). */
export const P = Point.Fp.ORDER;
/** Group order n (prime). */
export const N = Point.Fn.ORDER;
/** Generator G, affine. */
export const GX = Point.BASE.toAffine().x;
export const GY = Point.BASE.toAffine().y;
/** GLV: phi(x, y) = (BETA·x, y) = LAMBDA·(x, y); BETA is a cube root of unity mod p (libsecp256k1, noble). */
export const BETA = 0x7ae96a2b657c07106e64479eac3434e99cf0497512f58995c1396c28719501een;

/** Algorithm ids of the header's first word (IMultiScalarMulCore.sol). */
export const STRAUS = 1;
export const PIPPENGER = 2;
/** Flag in the algorithm word: on an exceptional addition, recompute with the exact code instead of rejecting. */
export const EXACT_FALLBACK = 0x100;
/** What the core returns for an exceptional addition without EXACT_FALLBACK: (X, Y, ZZ, ZZZ) = (0, 0, 1, 1), not O. */
export const EXCEPTIONAL_RESULT = [0n, 0n, 1n, 1n] as const;

/** Scalars of the core are below 2^SCALAR_BITS (GLV halves and 128-bit batch weights). */
export const SCALAR_BITS = 128;
/** Pippenger windows the core accepts (the LUT has 2^c entries of 64 bytes). */
export const PIPPENGER_WINDOWS = [2, 10] as const;
/** Straus windows the core accepts (each term's table has 2^c entries of 64 bytes). */
export const STRAUS_WINDOWS = [2, 6] as const;

/** Full signed-digit windows for scalars < 2^128: W = ceil(128 / c); the top bit sits at c·W. */
export function fullWindows(c: number): number {
  return Math.ceil(SCALAR_BITS / c);
}

/** H_c = sum_{w < W} 2^(c-1)·2^(c·w): the caller encodes a scalar s as (s + H_c)·64 (core.ts, input format). */
export function digitOffset(c: number): bigint {
  let h = 0n;
  for (let w = 0; w < fullWindows(c); w++) h += 1n << BigInt(c * w + c - 1);
  return h;
}

/** Straus windows of the odd-digit recoding: c·W >= 129 so that (s + 2^(cW) - 1)/2 < 2^(cW) for odd s <= 2^128. */
export function strausWindows(c: number): number {
  return Math.ceil((SCALAR_BITS + 1) / c);
}

/**
 * The offset points of the fast paths (core.ts, "Fast paths"): every bucket and accumulator starts at T, every
 * Pippenger running sum at U and window sum at V, instead of O, so that the hot loops need no O branch and two
 * empty buckets never meet as equal points. Each is hashed to the curve, so that nobody knows its discrete log
 * with respect to G or to each other (docs/verifier-gas.md, "Offset points"): try-and-increment as MRS-1 §Hash to
 * point (x = keccak256(OFFSET_TAG || byte(i) || byte(ctr)) for the first ctr that gives a curve point, the even y),
 * i = 0, 1, 2 for T, U, V. The input is 23 bytes under a tag of its own, so it is never an input of MRS-1's H_p
 * (129 bytes under TAG_H2P). Their total (`pippengerOffset`, `strausOffset`, integer combinations of T, U, V) is
 * subtracted at the end (`pippengerCorrection`, `strausCorrection`). `checkOffsets` proves at build time that no
 * addition of the fast paths has operands whose offset parts are equal or opposite.
 */
export const OFFSET_TAG = "MEDRING-V1-MSM-OFFSET";

/** The offset point number `index` (0: T, 1: U, 2: V) and the counter that produced it. */
export function offsetPoint(index: number): { point: Point; ctr: number } {
  const tag = new TextEncoder().encode(OFFSET_TAG);
  for (let ctr = 0; ctr <= 255; ctr++) {
    const x = BigInt("0x" + Buffer.from(keccak_256(Uint8Array.from([...tag, index, ctr]))).toString("hex"));
    if (x >= P) continue;
    let y = sqrtModP(curveRhs(x));
    if (y === undefined) continue;
    if (y & 1n) y = P - y; // the even root, as MRS-1 §Hash to point
    return { point: Point.fromAffine({ x, y }), ctr };
  }
  throw new Error(`offsetPoint(${index}): no counter gave a point (probability about 2^-256)`);
}
export const OFFSET_T = offsetPoint(0).point;
export const OFFSET_U = offsetPoint(1).point;
export const OFFSET_V = offsetPoint(2).point;

const mod = (a: bigint) => ((a % N) + N) % N;

/** A formal combination t·T + u·U + v·V (coefficients mod n): the offset part of a fast-path value. */
export interface Offsets {
  t: bigint;
  u: bigint;
  v: bigint;
}
const combine = (a: Offsets, b: Offsets, k = 1n): Offsets => ({ t: mod(a.t + k * b.t), u: mod(a.u + k * b.u), v: mod(a.v + k * b.v) });
const scale = (a: Offsets, k: bigint): Offsets => ({ t: mod(k * a.t), u: mod(k * a.u), v: mod(k * a.v) });
const isZero = (a: Offsets) => a.t === 0n && a.u === 0n && a.v === 0n;
/** The point of a combination (nonzero coefficients only; O for the zero combination). */
export function offsetsPoint(a: Offsets): Point {
  return (
    [
      [a.t, OFFSET_T],
      [a.u, OFFSET_U],
      [a.v, OFFSET_V],
    ] as const
  ).reduce((sum, [k, q]) => (k === 0n ? sum : sum.add(q.multiply(k))), Point.ZERO);
}
const T1: Offsets = { t: 1n, u: 0n, v: 0n };
const U1: Offsets = { t: 0n, u: 1n, v: 0n };
const V1: Offsets = { t: 0n, u: 0n, v: 1n };

/**
 * Pippenger's total offset: the top bucket (ACC) starts at T and is doubled c·W times; each window w contributes
 * V + 2^(c-1)·U + K·T with K = sum_{k=1..2^(c-1)} k (the window sum starts at V, the running sum at U and is added
 * 2^(c-1) times, every bucket starts at T), doubled c·w times.
 */
export function pippengerOffset(c: number): Offsets {
  const w = BigInt(fullWindows(c));
  const half = 1n << BigInt(c - 1);
  const k = (half * (half + 1n)) / 2n;
  const top = 1n << (BigInt(c) * w);
  const windows = (top - 1n) / ((1n << BigInt(c)) - 1n); // sum_{w<W} 2^(c·w)
  return combine(scale(T1, top), scale({ t: k, u: half, v: 1n }, windows));
}

export function pippengerCorrection(c: number): Point {
  return offsetsPoint(pippengerOffset(c)).negate();
}

/** Straus' offset: the accumulator starts at T and is doubled c·(W - 1) times. */
export function strausOffset(c: number): Offsets {
  return scale(T1, 1n << BigInt(c * (strausWindows(c) - 1)));
}

export function strausCorrection(c: number): Point {
  return offsetsPoint(strausOffset(c)).negate();
}

/**
 * Build-time proof (throws otherwise) that no addition of the fast paths is exceptional because of the offsets.
 * An addition A + B is exceptional when A = ±B. Every fast-path value is (offset part) + (sum of term points), so
 * A = ±B is a relation o_A ∓ o_B = (sum of term points) between T, U, V and the terms. For every addition of the
 * fast paths, this checks formally that o_A ∓ o_B is a nonzero combination of T, U, V (a relation nobody can aim
 * at, since nobody knows the offsets' logs: docs/verifier-gas.md), and, for the additions that occur with no term
 * at all (empty buckets and windows, which honest inputs produce), that the actual points differ.
 *  - Pippenger: ACC (T) + Q_j (top bit); bucket (T) + Q_j; run = U + bucket[half]; WIN = V + run; run (U + m·T)
 *    + bucket (T); WIN (V + ...) + run; 2^c·ACC + WIN.
 *  - Straus: ACC (2^(c·k)·T) + table entry (no offset); the odd multiples M + 2Q (no offset on either side: equal
 *    or opposite only for points of order dividing 2k + 1 ± 2 < n, i.e. never for curve points).
 */
export function checkOffsets(): void {
  const check = (a: Offsets, b: Offsets, where: string, pa?: Point, pb?: Point) => {
    if (isZero(combine(a, b, -1n)) || isZero(combine(a, b))) throw new Error(`offsets clash formally (${where})`);
    if (pa && pb && (pa.equals(pb) || pa.equals(pb.negate()))) throw new Error(`offset points clash (${where})`);
  };
  const none: Offsets = { t: 0n, u: 0n, v: 0n };
  check(T1, none, "bucket or accumulator + term");
  for (let c = PIPPENGER_WINDOWS[0]; c <= PIPPENGER_WINDOWS[1]; c++) {
    const half = 1 << (c - 1);
    // a window whose buckets are all empty: run = U + m·T meets bucket T; WIN = V + sum of runs meets the run
    let run = U1;
    let runPoint = OFFSET_U;
    let win = V1;
    let winPoint = OFFSET_V;
    for (let m = 0; m < half; m++) {
      check(run, T1, `c = ${c}, run after ${m} buckets + bucket`, runPoint, OFFSET_T);
      run = combine(run, T1);
      runPoint = runPoint.add(OFFSET_T);
      check(win, run, `c = ${c}, window sum + run ${m}`, winPoint, runPoint);
      win = combine(win, run);
      winPoint = winPoint.add(runPoint);
    }
    // ACC = 2^c·ACC + WIN for every window, from the top bucket T (no terms at all)
    let acc = T1;
    let accPoint = OFFSET_T;
    const shift = 1n << BigInt(c);
    for (let w = 0; w < fullWindows(c); w++) {
      acc = scale(acc, shift);
      accPoint = accPoint.multiply(shift);
      check(acc, win, `c = ${c}, window ${w}`, accPoint, winPoint);
      acc = combine(acc, win);
      accPoint = accPoint.add(winPoint);
    }
    if (!isZero(combine(acc, pippengerOffset(c), -1n))) throw new Error(`pippengerOffset(${c}) is not the total of the chain`);
  }
  for (let c = STRAUS_WINDOWS[0]; c <= STRAUS_WINDOWS[1]; c++) {
    let acc = T1;
    for (let w = 0; w < strausWindows(c); w++) {
      if (w) acc = scale(acc, 1n << BigInt(c));
      check(acc, none, `Straus c = ${c}, window ${w}`);
    }
    if (!isZero(combine(acc, strausOffset(c), -1n))) throw new Error(`strausOffset(${c}) is not the total of the chain`);
  }
}

/** (2k + 1)·G for k = 0 .. 2^(maxStrausWindow - 1) - 1: Straus copies these for a ±G term instead of building them. */
export function gOddMultiples(count: number): Point[] {
  return Array.from({ length: count }, (_, k) => Point.BASE.multiply(BigInt(2 * k + 1)));
}

/** enc(Q_1) || enc(Q_2) || ...: 64 bytes be32(x) || be32(y) per point (MRS-1 §Notation, src/mrs1/curve.ts). */
export function encodePoints(points: Point[]): Uint8Array {
  return concatBytes(...points.map(enc));
}
