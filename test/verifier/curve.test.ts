/**
 * contracts/crypto/Secp256k1.sol against @noble/curves (expected values come from noble, not from our own code):
 * on-curve check, GLV split, inversion. The MSM core has its own file, test/verifier/msmCore.test.ts.
 */
import { expect } from "chai";
import fc from "fast-check";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { deployCurveHarness } from "./helpers/fixtures";
import { G, Point, mod, n, p, randomPoint } from "./helpers/points";
import type { Secp256k1Harness } from "../../typechain-types";

const LAMBDA = 0x5363ad4cc05c30e0a5261c028812645a122e22ea20816678df02967c1b23bd72n;
const NEG = 1n << 255n;
const SEED = 0x5eed_c0de;

const signed = (v: bigint) => (v & NEG ? -(v & ~NEG) : v);

describe("Secp256k1 library", () => {
  let harness: Secp256k1Harness;
  before(async () => {
    harness = await deployCurveHarness();
  });

  describe("isOnCurve", () => {
    it("accepts G and a random point, rejects y + 1, (0, 0) and coordinates >= p", async () => {
      const q = randomPoint().toAffine();
      expect(await harness.isOnCurve(G.x, G.y)).to.equal(true);
      expect(await harness.isOnCurve(q.x, q.y)).to.equal(true);
      expect(await harness.isOnCurve(G.x, G.y + 1n)).to.equal(false);
      expect(await harness.isOnCurve(0n, 0n)).to.equal(false);
      // a point with a small x, so that x + p still fits in a uint256: same residue, not canonical
      let x = 1n;
      while (!secp256k1.utils.isValidPublicKey(Uint8Array.from(Buffer.from("02" + x.toString(16).padStart(64, "0"), "hex")))) x++;
      const small = Point.fromHex("02" + x.toString(16).padStart(64, "0")).toAffine();
      expect(await harness.isOnCurve(small.x, small.y)).to.equal(true);
      expect(await harness.isOnCurve(small.x + p, small.y)).to.equal(false);
      expect(await harness.isOnCurve(p, 0n)).to.equal(false);
    });
  });

  describe("glvSplit", () => {
    it("returns |k1|, |k2| < 2^128 with k1 + k2·lambda = k (mod n) for edge and random scalars", async () => {
      const edges = [0n, 1n, 2n, n - 1n, n / 2n, n / 2n + 1n, LAMBDA, n - LAMBDA, 1n << 128n, (1n << 255n) % n, n - (1n << 128n)];
      await fc.assert(
        fc.asyncProperty(fc.oneof(fc.constantFrom(...edges), fc.bigInt({ min: 0n, max: n - 1n })), async (k) => {
          const [k1, k2] = await harness.glvSplit(k);
          expect(k1 & ~NEG).to.be.lessThan(1n << 128n);
          expect(k2 & ~NEG).to.be.lessThan(1n << 128n);
          expect(mod(signed(k1) + signed(k2) * LAMBDA, n)).to.equal(k);
        }),
        { seed: SEED, numRuns: 60 },
      );
    });
  });

  describe("invModP", () => {
    it("inverts by Fermat: x·x^-1 = 1 (mod p)", async () => {
      for (const x of [1n, 2n, p - 1n, G.x]) expect(mod(x * (await harness.invModP(x)), p)).to.equal(1n);
    });
  });
});
