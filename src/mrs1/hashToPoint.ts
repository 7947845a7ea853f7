/**
 * MRS-1 §Hash to point: try-and-increment with the canonical even y.
 */
import { keccak_256 } from "@noble/hashes/sha3.js";
import { bytesToBigInt } from "../hex";
import { P_FIELD, Point, TAG_H2P, concatBytes, enc } from "./curve";

export interface HashToPointResult {
  point: Point;
  /** The counter that produced the point (0..255). */
  ctr: number;
}

/** The candidate x for one counter: uint256(keccak256(TAG_H2P || scope || enc(P) || byte(ctr))), a 129-byte input. */
export function hashToPointCandidate(scope: Uint8Array, publicKey: Point, ctr: number): bigint {
  assertScope(scope);
  if (!Number.isInteger(ctr) || ctr < 0 || ctr > 255) throw new RangeError(`hashToPoint: ctr ${ctr} is not a byte`);
  return bytesToBigInt(keccak_256(concatBytes(TAG_H2P, scope, enc(publicKey), Uint8Array.of(ctr))));
}

/** f(X) = X^3 + 7 mod p, the right-hand side of the curve equation. */
export function curveRhs(x: bigint): bigint {
  return Point.Fp.add(Point.Fp.mul(Point.Fp.sqr(x), x), 7n);
}

/** Square root of `a` mod p, or undefined when `a` is not a square (p = 3 mod 4: a^((p+1)/4)). */
export function sqrtModP(a: bigint): bigint | undefined {
  const y = Point.Fp.pow(a, (P_FIELD + 1n) / 4n);
  return Point.Fp.sqr(y) === a ? y : undefined;
}

/** H_p(scope, P). Throws only in the ~2^-256 case where no counter gives a point. */
export function hashToPoint(scope: Uint8Array, publicKey: Point): HashToPointResult {
  for (let ctr = 0; ctr <= 255; ctr++) {
    const x = hashToPointCandidate(scope, publicKey, ctr);
    if (x >= P_FIELD) continue;
    let y = sqrtModP(curveRhs(x));
    if (y === undefined) continue;
    if (y & 1n) y = P_FIELD - y; // the canonical root is the even one
    return { point: Point.fromAffine({ x, y }), ctr };
  }
  throw new Error("hashToPoint: no counter in 0..255 gave a point (probability about 2^-256)");
}

export function assertScope(scope: Uint8Array): void {
  if (!(scope instanceof Uint8Array) || scope.length !== 32) throw new TypeError("scope must be 32 bytes");
}
