/**
 * Single mutations of a valid MRS-1 signature (issue 2 item 4), shared by the single-signature and batch property
 * tests. Each returns an invalid signature (or undefined when it does not apply, e.g. a swap in a ring of one).
 */
import { N_ORDER, Point, sortRing, type Mrs1Signature } from "../../src/mrs1";

export type Mutation = { name: string; apply: (s: Mrs1Signature, pick: number, k: bigint) => Mrs1Signature | undefined };

const at = (s: Mrs1Signature, pick: number) => pick % s.ring.length;
/** k + n when that fits in 256 bits (same residue, only the encoding is wrong); otherwise another value >= n. */
const nonCanonical = (k: bigint) => (k + N_ORDER < 1n << 256n ? k + N_ORDER : N_ORDER + (k % ((1n << 256n) - N_ORDER)));
const withArray = (xs: bigint[], i: number, v: bigint) => xs.map((x, j) => (j === i ? v : x));

/** Every mutation of issue 2 item 4 that a signature object can carry (off-curve points: below, on the args). */
export const MUTATIONS: Mutation[] = [
  { name: "a c_i changed", apply: (s, p, k) => ({ ...s, c: withArray(s.c, at(s, p), (s.c[at(s, p)] + k) % N_ORDER) }) },
  { name: "an e_i changed", apply: (s, p, k) => ({ ...s, e: withArray(s.e, at(s, p), (s.e[at(s, p)] + k) % N_ORDER) }) },
  { name: "key image replaced", apply: (s, _p, k) => ({ ...s, keyImage: s.keyImage.add(Point.BASE.multiply(k)) }) },
  { name: "message changed", apply: (s, p) => ({ ...s, message: s.message.map((b, j) => (j === p % 32 ? b ^ 1 : b)) }) },
  { name: "scope changed", apply: (s, p) => ({ ...s, scope: s.scope.map((b, j) => (j === p % 32 ? b ^ 0x80 : b)) }) },
  {
    name: "a ring member replaced (ring re-sorted)",
    apply: (s, p, k) => ({ ...s, ring: sortRing(s.ring.map((m, j) => (j === at(s, p) ? Point.BASE.multiply(k) : m))) }),
  },
  {
    name: "two members swapped",
    apply: (s, p) => {
      if (s.ring.length < 2) return undefined;
      const i = at(s, p);
      const j = (i + 1) % s.ring.length;
      const ring = [...s.ring];
      [ring[i], ring[j]] = [ring[j], ring[i]];
      return { ...s, ring };
    },
  },
  {
    name: "a member duplicated",
    apply: (s, p) => {
      if (s.ring.length < 2) return undefined;
      const i = at(s, p) % (s.ring.length - 1);
      return { ...s, ring: s.ring.map((m, j) => (j === i + 1 ? s.ring[i] : m)) };
    },
  },
  { name: "c_i made non-canonical", apply: (s, p) => ({ ...s, c: withArray(s.c, at(s, p), nonCanonical(s.c[at(s, p)])) }) },
  { name: "e_i made non-canonical", apply: (s, p) => ({ ...s, e: withArray(s.e, at(s, p), nonCanonical(s.e[at(s, p)])) }) },
];
