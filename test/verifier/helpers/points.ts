/**
 * secp256k1 values for the curve and MSM core tests, from @noble/curves (the tests' reference, never our own code).
 */
import { secp256k1 } from "@noble/curves/secp256k1.js";

export const Point = secp256k1.Point;
export type Point = InstanceType<typeof Point>;
/** Field prime p and group order n. */
export const p = Point.Fp.ORDER;
export const n = Point.Fn.ORDER;
export const G = Point.BASE;

export const mod = (a: bigint, m: bigint): bigint => ((a % m) + m) % m;

/** A random point k·G, k uniform in [1, n - 1]. */
export const randomPoint = (): Point => Point.BASE.multiply(mod(BigInt("0x" + Buffer.from(secp256k1.utils.randomSecretKey()).toString("hex")), n) || 1n);
