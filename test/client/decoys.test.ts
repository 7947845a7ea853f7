import { expect } from "chai";
import { ClientError, cryptoRandomIndex, pickDecoys } from "../../src/client";
import { generateKeyPair, pointToHex, type Point } from "../../src/mrs1";

const keys = (n: number): Point[] => Array.from({ length: n }, () => generateKeyPair().publicKey);

describe("pickDecoys", () => {
  const self = generateKeyPair().publicKey;
  const others = keys(12);
  // The anonymity set as the chain lists it, with the signer in it and one key listed twice.
  const members = [others[0], self, ...others, others[3]];

  it("returns count distinct members, never the signer's own key", () => {
    for (let trial = 0; trial < 50; trial++) {
      const decoys = pickDecoys(members, self, 7).map(pointToHex);
      expect(decoys).to.have.length(7);
      expect(new Set(decoys).size).to.equal(7);
      expect(decoys).to.not.include(pointToHex(self));
    }
  });

  it("draws every other member with the same frequency (Web Crypto getRandomValues, duplicates counted once)", () => {
    const trials = 6000;
    const k = 4;
    const counts = new Map<string, number>();
    for (let t = 0; t < trials; t++) for (const d of pickDecoys(members, self, k)) counts.set(pointToHex(d), (counts.get(pointToHex(d)) ?? 0) + 1);
    expect(counts.size).to.equal(others.length);
    // Each of the 12 distinct others is picked with probability k/12 = 1/3: expected 2000, sd ≈ 36.5.
    const expected = (trials * k) / others.length;
    let chiSquare = 0;
    for (const count of counts.values()) chiSquare += (count - expected) ** 2 / expected;
    // 11 degrees of freedom: P(chi2 > 31.3) ≈ 0.001.
    expect(chiSquare, `counts ${[...counts.values()].join(",")}`).to.be.below(31.3);
  });

  it("is a partial Fisher–Yates: injected draws 4, 0, 2 over five keys pick keys 4, 1 and 0", () => {
    const pool = keys(5);
    const draws = [4, 0, 2]; // j = i + random(n - i): swaps (0,4), (1,1), (2,4)
    let call = 0;
    const picked = pickDecoys(pool, self, 3, (n) => {
      const r = draws[call++];
      expect(r).to.be.below(n);
      return r;
    });
    expect(picked.map(pointToHex)).to.deep.equal([pool[4], pool[1], pool[0]].map(pointToHex));
  });

  it("throws ClientError input when the anonymity set is too small", () => {
    expect(() => pickDecoys([self, ...others.slice(0, 3)], self, 4))
      .to.throw(ClientError, "a ring of 5 needs 4 other registered patients; the anonymity set has 3")
      .with.property("kind", "input");
  });
});

describe("cryptoRandomIndex", () => {
  it("stays in [0, n), reaches every value, and refuses n outside [1, 2^32]", () => {
    expect(cryptoRandomIndex(1)).to.equal(0);
    const seen = new Set<number>();
    for (let i = 0; i < 600; i++) {
      const v = cryptoRandomIndex(6);
      expect(v).to.be.within(0, 5);
      seen.add(v);
    }
    expect(seen.size).to.equal(6);
    for (const bad of [0, -1, 1.5, 2 ** 32 + 1]) expect(() => cryptoRandomIndex(bad)).to.throw(RangeError);
  });
});
