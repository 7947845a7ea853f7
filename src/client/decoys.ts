/**
 * Decoy selection (docs/design.md#anonymous-actions, step 1: decoys drawn uniformly at random from the
 * other registered ring keys). Every k-subset of the other distinct members is equally likely: a partial Fisher–Yates shuffle
 * driven by node:crypto `randomInt`, a CSPRNG with rejection sampling (no modulo bias).
 */
import { randomInt } from "node:crypto";
import { pointToHex, type Point } from "../mrs1";
import { ClientError } from "./errors";

/** Uniform integer in [0, n): node:crypto by default; tests inject their own to check the algorithm. */
export type RandomIndex = (n: number) => number;
export const cryptoRandomIndex: RandomIndex = (n) => randomInt(n);

/**
 * `count` distinct decoys from `members`, never `self` and never the same key twice (duplicates in `members`
 * count once). Throws ClientError "input" when the anonymity set is too small.
 */
export function pickDecoys(members: readonly Point[], self: Point, count: number, random: RandomIndex = cryptoRandomIndex): Point[] {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`pickDecoys: count must be a non-negative integer, got ${count}`);
  const selfHex = pointToHex(self);
  const candidates = new Map<string, Point>();
  for (const member of members) {
    const hex = pointToHex(member);
    if (hex !== selfHex && !candidates.has(hex)) candidates.set(hex, member);
  }
  const pool = [...candidates.values()];
  if (pool.length < count) {
    throw new ClientError("input", `a ring of ${count + 1} needs ${count} other registered patients; the anonymity set has ${pool.length}`);
  }
  // Partial Fisher–Yates: after step i, pool[0..i] is a uniform random i+1-subset in uniform order.
  for (let i = 0; i < count; i++) {
    const j = i + random(pool.length - i);
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, count);
}
