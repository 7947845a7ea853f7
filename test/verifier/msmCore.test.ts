/**
 * The MSM core (IMultiScalarMulCore, contracts/crypto/msm/core.ts, through MultiScalarMul.sol and the harness)
 * against @noble/curves (expected values come from noble, not from our own code): both algorithms over every window
 * the core accepts, including every degenerate addition (P + P, P + (-P), O inputs) in the fast paths and in the
 * exact fallback, which inputs built on the fast paths' offset points force; the offset points' derivation; the
 * planner; the core's input checks.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { deployCurveHarness } from "./helpers/fixtures";
import { G, Point, mod, n, p, randomPoint } from "./helpers/points";
import {
  EXCEPTIONAL_RESULT,
  OFFSET_T,
  OFFSET_TAG,
  OFFSET_U,
  OFFSET_V,
  PIPPENGER as PIPPENGER_ID,
  PIPPENGER_WINDOWS,
  STRAUS as STRAUS_ID,
  STRAUS_WINDOWS,
  digitOffset,
} from "../../contracts/crypto/msm/constants";
import { planEntries, readMeasuredPlans } from "../../contracts/crypto/msm/plans";
import type { Secp256k1Harness } from "../../typechain-types";

const BETA = 0x7ae96a2b657c07106e64479eac3434e99cf0497512f58995c1396c28719501een;
const STRAUS = BigInt(STRAUS_ID);
const PIPPENGER = BigInt(PIPPENGER_ID);

/** A term [x, y, s] of MultiScalarMul: the affine point and its scalar (< 2^128). */
interface Term {
  point: Point;
  scalar: bigint;
}

function flatten(terms: Term[]): bigint[] {
  return terms.flatMap(({ point, scalar }) => {
    const { x, y } = point.toAffine();
    return [x, y, scalar];
  });
}

function expected(terms: Term[]): Point {
  return terms.reduce((acc, t) => (t.scalar === 0n ? acc : acc.add(t.point.multiplyUnsafe(t.scalar))), Point.ZERO);
}

/** phi(Q) = (beta·x, y) = lambda·Q, optionally negated: the second term of a GLV pair. */
function phi(q: Point, negate: boolean): Point {
  const { x, y } = q.toAffine();
  const image = Point.fromAffine({ x: mod(BETA * x, p), y });
  return negate ? image.negate() : image;
}

async function msm(harness: Secp256k1Harness, terms: Term[], nPairTerms: number, algorithm: bigint, window: number): Promise<Point> {
  const [infinity, x, y] = await harness.msm(flatten(terms), nPairTerms, algorithm, window);
  return infinity ? Point.ZERO : Point.fromAffine({ x, y });
}

describe("MSM core", () => {
  let harness: Secp256k1Harness;
  before(async () => {
    harness = await deployCurveHarness();
  });

  it("offset points T, U, V are hashed to the curve under the MSM's own tag (first counter that gives x < p on the curve, even y)", () => {
    const tag = new TextEncoder().encode(OFFSET_TAG);
    const hashWord = (bytes: number[]) => BigInt("0x" + Buffer.from(keccak_256(Uint8Array.from([...tag, ...bytes]))).toString("hex"));
    [OFFSET_T, OFFSET_U, OFFSET_V].forEach((offset, i) => {
      let found: Point | undefined;
      for (let ctr = 0; ctr < 256 && !found; ctr++) {
        const x = hashWord([i, ctr]);
        if (x >= p) continue;
        try {
          const y = Point.Fp.sqrt(mod(x * x * x + 7n, p));
          found = Point.fromAffine({ x, y: y & 1n ? p - y : y });
        } catch {
          // x^3 + 7 is not a square: next counter
        }
      }
      expect(found?.equals(offset)).to.equal(true);
      // the former offsets were public multiples of G, keccak256(tag || i) mod n: the new ones are not those
      expect(offset.equals(G.multiply(hashWord([i]) % n))).to.equal(false);
    });
  });

  const windows = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
  const plans: Array<[string, bigint, number]> = [
    ...windows(STRAUS_WINDOWS[0], STRAUS_WINDOWS[1]).map((c): [string, bigint, number] => [`Straus c=${c}`, STRAUS, c]),
    ...windows(PIPPENGER_WINDOWS[0], PIPPENGER_WINDOWS[1]).map((c): [string, bigint, number] => [`Pippenger c=${c}`, PIPPENGER, c]),
  ];
  // The fast paths start every accumulator and bucket at T (Pippenger's running sums at U) instead of O; terms
  // built on them force the exceptional additions that send the core to its exact fallback (harness.msm sets
  // EXACT_FALLBACK) or make it return EXCEPTIONAL_RESULT (the verifier's mode).
  const T = OFFSET_T;
  const U = OFFSET_U;

  for (const [name, algorithm, window] of plans) {
    describe(name, () => {
      it("matches noble on random terms with GLV pairs and singles", async () => {
        const pairBases = [randomPoint(), randomPoint()];
        const terms: Term[] = [];
        pairBases.forEach((q, i) => {
          terms.push({ point: i ? q.negate() : q, scalar: BigInt(Math.floor(Math.random() * 2 ** 40)) << 88n });
          terms.push({ point: phi(i ? q.negate() : q, i === 1 ? false : true), scalar: (1n << 128n) - 1n - BigInt(i) });
        });
        terms.push({ point: randomPoint(), scalar: 12345n }, { point: G, scalar: (1n << 127n) + 99n });
        expect((await msm(harness, terms, 4, algorithm, window)).equals(expected(terms))).to.equal(true);
      });

      it("matches noble with ±G and the pair (G, ±phi(G)) among the terms (Straus copies G's precomputed multiples)", async () => {
        const q = randomPoint();
        const half = 1n << BigInt(window - 1);
        // every signed digit 1..half of both signs in the low windows, then random high bits
        const digits = (sign: bigint) =>
          Array.from({ length: Number(half) }, (_, i) => BigInt(i + 1)).reduce(
            (s, d, i) => s + mod(sign * d, 1n << BigInt(window)) * (1n << BigInt(window * (i % 8))),
            0n,
          ) %
          (1n << 128n);
        const terms: Term[] = [
          { point: G, scalar: digits(1n) },
          { point: phi(G, true), scalar: digits(-1n) },
          { point: q, scalar: (1n << 127n) + 12345n },
          { point: G.negate(), scalar: digits(-1n) ^ (1n << 100n) },
          { point: G.negate(), scalar: half },
        ];
        expect((await msm(harness, terms, 2, algorithm, window)).equals(expected(terms))).to.equal(true);
        for (let k = 1n; k <= half && k <= 32n; k++) {
          const single = [
            { point: G, scalar: k },
            { point: G.negate(), scalar: 3n * k },
          ];
          expect((await msm(harness, single, 0, algorithm, window)).equals(G.multiply(mod(-2n * k, n)))).to.equal(true);
        }
      });

      it("doubles when the same point is added to itself (P + P is 2P, not O)", async () => {
        const q = randomPoint();
        const terms = [
          { point: q, scalar: 1n },
          { point: q, scalar: 1n },
        ];
        const result = await msm(harness, terms, 0, algorithm, window);
        expect(result.equals(q.double())).to.equal(true);
        // same point, several digits colliding in the same bucket / accumulator state
        const more = [
          { point: q, scalar: 3n },
          { point: q, scalar: 5n },
          { point: q.double(), scalar: 7n },
          { point: q, scalar: 1n << 100n },
        ];
        expect((await msm(harness, more, 0, algorithm, window)).equals(expected(more))).to.equal(true);
      });

      it("gives O for P + (-P) and for all-zero scalars, and the remaining point when one cancels", async () => {
        const q = randomPoint();
        expect(
          (
            await msm(
              harness,
              [
                { point: q, scalar: 5n },
                { point: q.negate(), scalar: 5n },
              ],
              0,
              algorithm,
              window,
            )
          ).is0(),
        ).to.equal(true);
        expect(
          (
            await msm(
              harness,
              [
                { point: q, scalar: 0n },
                { point: G, scalar: 0n },
              ],
              0,
              algorithm,
              window,
            )
          ).is0(),
        ).to.equal(true);
        const r = randomPoint();
        const terms = [
          { point: q, scalar: 9n },
          { point: r, scalar: 3n },
          { point: q.negate(), scalar: 9n },
        ];
        expect((await msm(harness, terms, 0, algorithm, window)).equals(r.multiply(3n))).to.equal(true);
      });

      it("forced exceptional additions in the fast path (T + T, T + (-T), a running sum equal to its bucket) still match noble", async () => {
        const half = 1n << BigInt(window - 1);
        const cases: Term[][] = [
          [{ point: T, scalar: 1n }], // a bucket / the accumulator meets T + T
          [{ point: T.negate(), scalar: 1n }], // ... and T + (-T) = O
          [
            { point: T.negate(), scalar: (1n << 128n) - 1n },
            { point: G, scalar: 3n },
          ], // the top-bit bucket T - T
          [{ point: U, scalar: half - 1n || 1n }], // bucket half-1 = T + U = the running sum U + bucket[half]
          [
            { point: T.negate(), scalar: 5n },
            { point: T, scalar: 5n },
          ], // everything cancels: O
        ];
        for (const terms of cases) expect((await msm(harness, terms, 0, algorithm, window)).equals(expected(terms))).to.equal(true);
        // without EXACT_FALLBACK (the verifier's mode) the same inputs are refused with a value that is not O
        for (const terms of cases.slice(0, 2)) {
          const out = await harness.msmXYZZ(flatten(terms), 0, algorithm, window, false);
          expect(out.map(BigInt)).to.deep.equal([...EXCEPTIONAL_RESULT]);
        }
      });

      it("does not report O when the sum is not O (an accumulator passing through P == Q)", async () => {
        // acc reaches q, then adds q: the XYZZ inputs are equal points in different representations
        const q = randomPoint();
        const terms = [
          { point: q.multiply(2n), scalar: 1n },
          { point: q, scalar: 2n },
          { point: q.multiply(4n), scalar: 1n },
        ];
        const result = await msm(harness, terms, 0, algorithm, window);
        expect(result.is0()).to.equal(false);
        expect(result.equals(q.multiply(8n))).to.equal(true);
      });
    });
  }

  it("the planner picks Straus up to 6 members and Pippenger from 8 (measured crossover) and at 128", async () => {
    expect((await harness.plan(10, 8))[0]).to.equal(STRAUS);
    expect((await harness.plan(6 * 128 + 4, 4 * 128 + 4))[0]).to.equal(PIPPENGER);
    // the measured crossover (docs/verifier-gas.md, "Choice of algorithm"): Straus at 6 members, Pippenger at 8
    expect((await harness.plan(6 * 6 + 4, 4 * 6 + 4))[0]).to.equal(STRAUS);
    expect((await harness.plan(6 * 8 + 4, 4 * 8 + 4))[0]).to.equal(PIPPENGER);
  });

  it("the planner returns the measured cheapest plan at every measured size and the model's plan above them", async () => {
    const measured = readMeasuredPlans();
    expect(measured.length).to.be.greaterThan(3);
    for (const m of measured) {
      const [algorithm, window] = await harness.plan(m.terms, 0);
      expect([Number(algorithm), Number(window)], `${m.terms} terms`).to.deep.equal([m.algorithm, m.window]);
    }
    // between two measured sizes with different plans, each side keeps its plan up to the midpoint
    const entries = planEntries(measured);
    for (const [i, e] of entries.entries()) {
      const [algorithm, window] = await harness.plan(e.maxTerms, 0);
      expect([Number(algorithm), Number(window)]).to.deep.equal([e.algorithm, e.window]);
      if (i + 1 < entries.length) expect((await harness.plan(e.maxTerms + 1, 0)).map(Number)).to.deep.equal([entries[i + 1].algorithm, entries[i + 1].window]);
    }
    // above the table: the operation-count model (Pippenger with a wide window at ring 128)
    const [algorithm, window] = await harness.plan(6 * 128 + 4, 4 * 128 + 4);
    expect(algorithm).to.equal(PIPPENGER);
    expect(Number(window)).to.be.greaterThan(5);
  });

  it("reverts with MultiScalarMulNotOnCurve when a Straus table entry is O (an off-curve point (x, 0) doubles to O)", async () => {
    await expect(harness.msm([1n, 0n, 5n], 0, STRAUS, 4)).to.be.revertedWithCustomError(harness, "MultiScalarMulNotOnCurve");
  });

  it("the core rejects malformed input: wrong size, odd or too many pair terms, an unknown algorithm or window", async () => {
    const word = (v: bigint) => ethers.toBeHex(v, 32);
    const q = G.toAffine();
    const term = [word(q.x), word(q.y), word(p - q.y), word((5n + digitOffset(4)) << 6n)];
    const input = (algorithm: bigint, window: bigint, pairs: bigint, nTerms: bigint, terms: string[][]) =>
      ethers.concat([word(algorithm), word(window), word(pairs), word(nTerms), ...terms.flat()]);
    const ok = await harness.rawCore(input(STRAUS, 4n, 0n, 1n, [term]));
    expect(ok[2]).to.not.equal(0n);
    await expect(harness.rawCore(input(STRAUS, 4n, 0n, 2n, [term])))
      .to.be.revertedWithCustomError(harness, "MultiScalarMulMalformedTerms")
      .withArgs(0x80 + 0x80, 0);
    await expect(harness.rawCore(input(STRAUS, 4n, 1n, 1n, [term])))
      .to.be.revertedWithCustomError(harness, "MultiScalarMulMalformedTerms")
      .withArgs(0x80 + 0x80, 1);
    await expect(harness.rawCore(input(PIPPENGER, 4n, 2n, 1n, [term])))
      .to.be.revertedWithCustomError(harness, "MultiScalarMulMalformedTerms")
      .withArgs(0x80 + 0x80, 2);
    await expect(harness.rawCore(input(STRAUS, 7n, 0n, 1n, [term])))
      .to.be.revertedWithCustomError(harness, "MultiScalarMulBadPlan")
      .withArgs(STRAUS, 7);
    await expect(harness.rawCore(input(PIPPENGER, 11n, 0n, 1n, [term])))
      .to.be.revertedWithCustomError(harness, "MultiScalarMulBadPlan")
      .withArgs(PIPPENGER, 11);
    await expect(harness.rawCore(input(3n, 4n, 0n, 1n, [term])))
      .to.be.revertedWithCustomError(harness, "MultiScalarMulBadPlan")
      .withArgs(3, 4);
  });

  it("the core serves only its creator: a call from another account reverts with MultiScalarMulNotCreator", async () => {
    const [sender] = await ethers.getSigners();
    await expect(sender.call({ to: await harness.core(), data: "0x" }))
      .to.be.revertedWithCustomError(harness, "MultiScalarMulNotCreator")
      .withArgs(sender.address);
  });

  it("reverts with MultiScalarMulScalarTooLarge for a scalar >= 2^128", async () => {
    await expect(harness.msm(flatten([{ point: G, scalar: 1n << 128n }]), 0, 0, 0))
      .to.be.revertedWithCustomError(harness, "MultiScalarMulScalarTooLarge")
      .withArgs(0, 1n << 128n);
  });
});
