/**
 * MRS-1 §Notation: secp256k1 and the fixed domain tags. Everything curve-specific lives here.
 */
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { be32 } from "../hex";

export const Point = secp256k1.Point;
export type Point = InstanceType<typeof secp256k1.Point>;

/** Field prime p = 2^256 - 2^32 - 977. */
export const P_FIELD: bigint = Point.Fp.ORDER;
/** Group order n. */
export const N_ORDER: bigint = Point.Fn.ORDER;

const ascii = (s: string) => new TextEncoder().encode(s);

/** TAG_H2P = keccak256("MEDRING-V1-H2P") (MRS-1 §Notation). */
export const TAG_H2P: Uint8Array = keccak_256(ascii("MEDRING-V1-H2P"));
/** TAG_CHALLENGE = keccak256("MEDRING-V1-CHALLENGE") (MRS-1 §Notation). */
export const TAG_CHALLENGE: Uint8Array = keccak_256(ascii("MEDRING-V1-CHALLENGE"));

/** `enc(P)` (MRS-1 §Notation): be32(x) || be32(y), affine, no prefix. O has no encoding. */
export function enc(point: Point): Uint8Array {
  if (point.is0()) throw new Error("enc: the point at infinity has no encoding");
  const { x, y } = point.toAffine();
  const out = new Uint8Array(64);
  out.set(be32(x), 0);
  out.set(be32(y), 32);
  return out;
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** Writer form of a point (MRS-1 §Interchange): compressed SEC1 hex. */
export function pointToHex(point: Point): string {
  return "0x" + point.toHex(true);
}

/** Whether (x, y) is a finite secp256k1 point with both coordinates below p (MRS-1 §Verification 3). */
export function isOnCurve(x: bigint, y: bigint): boolean {
  if (x < 0n || y < 0n || x >= P_FIELD || y >= P_FIELD) return false;
  return (y * y - (x * x * x + 7n)) % P_FIELD === 0n;
}

export function mod(a: bigint, m: bigint): bigint {
  const r = a % m;
  return r < 0n ? r + m : r;
}
