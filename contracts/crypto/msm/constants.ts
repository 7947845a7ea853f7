/**
 * Curve constants and the precomputed points of the MSM core (contracts/crypto/msm/core.ts), computed with
 * @noble/curves when the core is built. Nothing here is hand-typed except SEC 2's curve constants, and
 * test/verifier/msmCore.test.ts recomputes every derived point independently.
 */
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { keccak_256 } from "@noble/hashes/sha3.js";

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
 * empty buckets never meet as equal points. Each is a fixed public multiple of G: T = t·G, U = u·G, V = v·G with
 * t, u, v = keccak256("MEDRING-V1-MSM-OFFSET" || i) mod n for i = 0, 1, 2. Their total multiple is subtracted at the
 * end (`pippengerCorrection`, `strausCorrection`). `checkOffsets` proves at build time that, for every window,
 * the chains of additions that involve only offsets (empty buckets, no terms) never add a point to itself or to
 * its negation.
 */
export const OFFSET_TAG = "MEDRING-V1-MSM-OFFSET";
function offsetScalar(i: number): bigint {
  const tag = new TextEncoder().encode(OFFSET_TAG);
  const input = new Uint8Array(tag.length + 1);
  input.set(tag);
  input[tag.length] = i;
  return BigInt("0x" + Buffer.from(keccak_256(input)).toString("hex")) % N;
}
export const OFFSET_T = offsetScalar(0);
export const OFFSET_U = offsetScalar(1);
export const OFFSET_V = offsetScalar(2);
export const offsetPoint = (scalar: bigint): Point => Point.BASE.multiply(scalar);

const mod = (a: bigint) => ((a % N) + N) % N;

/**
 * Pippenger's total offset, as a multiple of G: the top bucket starts at T and is doubled c·W times; each window w
 * contributes V + 2^(c-1)·U + K·T with K = sum_{k=1..2^(c-1)} k (the window sum starts at V, the running sum at
 * U and is added 2^(c-1) times, every bucket starts at T), doubled c·w times.
 */
export function pippengerOffset(c: number): bigint {
  const w = BigInt(fullWindows(c));
  const half = 1n << BigInt(c - 1);
  const k = (half * (half + 1n)) / 2n;
  const top = 1n << (BigInt(c) * w);
  const windows = (top - 1n) / ((1n << BigInt(c)) - 1n); // sum_{w<W} 2^(c·w)
  return mod(top * OFFSET_T + windows * (OFFSET_V + half * OFFSET_U + k * OFFSET_T));
}

export function pippengerCorrection(c: number): Point {
  return Point.BASE.multiply(mod(-pippengerOffset(c)));
}

/** Straus' offset: the accumulator starts at T and is doubled c·(W - 1) times. */
export function strausCorrection(c: number): Point {
  return Point.BASE.multiply(mod(-(OFFSET_T << BigInt(c * (strausWindows(c) - 1)))));
}

/**
 * Build-time check (throws): no addition of the fast paths whose operands are offsets only (empty buckets and
 * windows, which honest inputs do produce) is exceptional. Additions that involve a term's point are exceptional
 * only when that point is tied to the offsets (probability about 2^-240 for honest inputs); the core's ZZ check
 * catches them anyway.
 */
export function checkOffsets(): void {
  const clash = (a: bigint, b: bigint) => mod(a - b) === 0n || mod(a + b) === 0n;
  for (let c = PIPPENGER_WINDOWS[0]; c <= PIPPENGER_WINDOWS[1]; c++) {
    const half = 1 << (c - 1);
    // a window whose top m buckets are empty: run = U + m·T meets bucket T; WIN = V + sum of runs meets the run
    let run = mod(OFFSET_U + OFFSET_T);
    let win = mod(OFFSET_V + run);
    if (clash(OFFSET_U, OFFSET_T) || clash(OFFSET_V, run)) throw new Error(`offsets clash (c = ${c}, first bucket)`);
    for (let m = 1; m < half; m++) {
      if (clash(run, OFFSET_T)) throw new Error(`offsets clash (c = ${c}, run ${m})`);
      run = mod(run + OFFSET_T);
      if (clash(win, run)) throw new Error(`offsets clash (c = ${c}, window sum ${m})`);
      win = mod(win + run);
    }
    // no terms at all: ACC = 2^c·ACC + WIN for every window, from the top bucket T
    let acc = OFFSET_T;
    for (let w = 0; w < fullWindows(c); w++) {
      acc = mod(acc << BigInt(c));
      if (clash(acc, win)) throw new Error(`offsets clash (c = ${c}, window ${w})`);
      acc = mod(acc + win);
    }
  }
}

/** (2k + 1)·G for k = 0 .. 2^(maxStrausWindow - 1) - 1: Straus copies these for a ±G term instead of building them. */
export function gOddMultiples(count: number): Point[] {
  return Array.from({ length: count }, (_, k) => Point.BASE.multiply(BigInt(2 * k + 1)));
}

/** 64-byte enc(P) = be32(x) || be32(y) of each point. */
export function encodePoints(points: Point[]): Uint8Array {
  const out = new Uint8Array(64 * points.length);
  points.forEach((point, i) => {
    const { x, y } = point.toAffine();
    out.set(be32(x), 64 * i);
    out.set(be32(y), 64 * i + 32);
  });
  return out;
}

export function be32(v: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 31; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}
