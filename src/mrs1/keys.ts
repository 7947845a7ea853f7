/**
 * MRS-1 §Keys and §Key image.
 */
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { bytesToBigInt } from "../hex";
import { N_ORDER, Point } from "./curve";
import { hashToPoint } from "./hashToPoint";

export interface KeyPair {
  secretKey: bigint;
  publicKey: Point;
}

/** A fresh key pair from the CSPRNG: x uniform in [1, n-1], P = x·G. */
export function generateKeyPair(): KeyPair {
  const secretKey = bytesToBigInt(secp256k1.utils.randomSecretKey());
  return { secretKey, publicKey: publicKeyOf(secretKey) };
}

export function assertSecretKey(secretKey: bigint): void {
  if (typeof secretKey !== "bigint" || secretKey < 1n || secretKey >= N_ORDER) {
    throw new RangeError("secret key must be an integer in [1, n-1]");
  }
}

/** P = x·G, with the constant-time multiplication (the scalar is secret). */
export function publicKeyOf(secretKey: bigint): Point {
  assertSecretKey(secretKey);
  return Point.BASE.multiply(secretKey);
}

/** I = x·H_p(scope, P) (MRS-1 §Key image); constant-time in x. */
export function keyImage(secretKey: bigint, scope: Uint8Array): Point {
  const publicKey = publicKeyOf(secretKey);
  return hashToPoint(scope, publicKey).point.multiply(secretKey);
}

/** A uniform scalar in [1, n-1] from the CSPRNG. */
export function randomScalar(): bigint {
  return bytesToBigInt(secp256k1.utils.randomSecretKey());
}
