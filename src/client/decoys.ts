/**
 * Decoy selection (DESIGN.md §Anonymous actions step 1: "decoys drawn uniformly from the registered patients'
 * ring keys"). Every k-subset of the other distinct members is equally likely: a partial Fisher–Yates shuffle
 * driven by the Web Crypto CSPRNG (`crypto.getRandomValues`, in Node and in browsers alike, so the browser app
 * draws decoys with this same code) with rejection sampling (no modulo bias).
 */
import { pointToHex, type Point } from "../mrs1";
import { ClientError } from "./errors";

/** Uniform integer in [0, n): the CSPRNG by default; tests inject their own to check the algorithm. */
export type RandomIndex = (n: number) => number;

const WORDS = 2 ** 32;

/** Uniform in [0, n) for 1 <= n <= 2^32: 32-bit words at or above the largest multiple of n are drawn again. */
export const cryptoRandomIndex: RandomIndex = (n) => {
  if (!Number.isInteger(n) || n < 1 || n > WORDS) throw new RangeError(`cryptoRandomIndex: n must be an integer in [1, 2^32], got ${n}`);
  const limit = WORDS - (WORDS % n);
  const word = new Uint32Array(1);
  for (;;) {
    globalThis.crypto.getRandomValues(word);
    if (word[0] < limit) return word[0] % n;
  }
};

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
