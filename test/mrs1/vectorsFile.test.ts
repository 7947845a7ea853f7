/**
 * test/vectors/mrs1-vectors.json is what `npm run vectors` writes from src/mrs1 (nobody edits it by hand, and a
 * change to the implementation that changes a vector shows up here), and it exercises every MRS-1 §Verification rule.
 */
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { parseSignatureJson, verify, type RejectReason } from "../../src/mrs1";
import { vectorsFileText } from "../../scripts/vectors";
import { DEFAULT_SEED, generateMrs1Vectors } from "../../scripts/vectors/generate";
import { VECTORS_PATH } from "./vectors";

describe("test/vectors/mrs1-vectors.json", function () {
  this.timeout(120_000);
  const committed = readFileSync(VECTORS_PATH, "utf8");

  it(`is exactly what \`npm run vectors\` writes (seed ${DEFAULT_SEED})`, () => {
    const seed = (JSON.parse(committed) as { seed: number }).seed;
    expect(seed).to.equal(DEFAULT_SEED);
    expect(vectorsFileText(generateMrs1Vectors(seed))).to.equal(committed);
  });

  it("another seed gives other keys and signatures (the seed is what fixes them)", () => {
    const [a, b] = [generateMrs1Vectors(DEFAULT_SEED), generateMrs1Vectors(DEFAULT_SEED + 1)];
    expect(a.keyImage[0].secretKey).to.not.equal(b.keyImage[0].secretKey);
    expect(a.signatures[0].c).to.not.deep.equal(b.signatures[0].c);
  });

  it("covers every rule of MRS-1 §Verification, H_p counters 0 to 6 and valid rings of 1 to 32 members", () => {
    const vectors = generateMrs1Vectors(DEFAULT_SEED);
    const reasons = new Set<RejectReason>();
    for (const v of vectors.signatures.filter((s) => !s.valid)) {
      const parsed = parseSignatureJson(v);
      const verdict = parsed.ok ? verify(parsed.signature) : parsed;
      if ("reason" in verdict) reasons.add(verdict.reason);
    }
    expect([...reasons].sort()).to.deep.equal(
      [
        "challenge-mismatch",
        "commitment-at-infinity",
        "length-mismatch",
        "point-not-on-curve",
        "ring-empty",
        "ring-not-ascending",
        "scalar-not-canonical",
      ].sort(),
    );
    expect(new Set(vectors.hashToPoint.map((v) => v.ctr))).to.deep.equal(new Set([0, 1, 2, 3, 4, 5, 6]));
    expect(vectors.signatures.filter((s) => s.valid).map((s) => s.ring.length)).to.include.members([1, 2, 3, 32]);
  });
});
