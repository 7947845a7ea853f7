/**
 * MRS-1 §Ring: members strictly ascending by (x, y) compared as integers, x first.
 */
import { Point } from "./curve";

/** Negative, zero or positive as `a` sorts before, equal to, or after `b`. */
export function compareMembers(a: Point, b: Point): number {
  const pa = a.toAffine();
  const pb = b.toAffine();
  if (pa.x !== pb.x) return pa.x < pb.x ? -1 : 1;
  if (pa.y !== pb.y) return pa.y < pb.y ? -1 : 1;
  return 0;
}

/** A new array in canonical ring order; throws on duplicate members (they cannot form a ring). */
export function sortRing(members: readonly Point[]): Point[] {
  const sorted = [...members].sort(compareMembers);
  for (let i = 1; i < sorted.length; i++) {
    if (compareMembers(sorted[i - 1], sorted[i]) === 0) throw new Error(`sortRing: duplicate member ${sorted[i].toHex(true)}`);
  }
  return sorted;
}

/** Whether `ring` is strictly ascending (MRS-1 §Verification 2). */
export function isStrictlyAscending(ring: readonly Point[]): boolean {
  for (let i = 1; i < ring.length; i++) if (compareMembers(ring[i - 1], ring[i]) >= 0) return false;
  return true;
}
