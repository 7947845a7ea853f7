import { expect } from "chai";
import { randomBytes } from "@noble/hashes/utils.js";
import {
  N_ORDER,
  P_FIELD,
  Point,
  generateKeyPair,
  hashToPoint,
  hashToPointCandidate,
  hashToPointHints,
  sign,
  sortRing,
  toVerifierArgs,
  verifyForChain,
} from "../../src/mrs1";

const rhs = (x: bigint) => (x * x * x + 7n) % P_FIELD;

describe("MRS-1 verifier hints", () => {
  it("proves every skipped counter empty with a root of -(X^3 + 7), and gives the even y", () => {
    let sawSkip = false;
    for (let t = 0; t < 16; t++) {
      const scope = randomBytes(32);
      const key = generateKeyPair().publicKey;
      const hints = hashToPointHints(scope, key);
      expect(hints.y % 2n).to.equal(0n);
      expect(hints.nonResidueRoots.length).to.equal(hints.ctr);
      hints.nonResidueRoots.forEach((w, ctr) => {
        sawSkip = true;
        const x = hashToPointCandidate(scope, key, ctr);
        expect((w * w) % P_FIELD).to.equal((P_FIELD - rhs(x)) % P_FIELD);
      });
      expect(Point.fromAffine({ x: hashToPointCandidate(scope, key, hints.ctr), y: hints.y }).equals(hashToPoint(scope, key).point)).to.equal(true);
    }
    expect(sawSkip, "16 random keys should include a skipped counter").to.equal(true);
  });

  it("gives commitments that satisfy L_i = e_i·G + c_i·P_i", () => {
    const keys = [generateKeyPair(), generateKeyPair(), generateKeyPair()];
    const ring = sortRing(keys.map((k) => k.publicKey));
    const sig = sign({ secretKey: keys[0].secretKey, ring, scope: randomBytes(32), message: randomBytes(32) });
    const args = toVerifierArgs(sig);
    expect(args.hints.commitmentsL).to.have.length(3);
    ring.forEach((p, i) => {
      const L = Point.BASE.multiply(sig.e[i]).add(p.multiply(sig.c[i])).toAffine();
      expect(args.hints.commitmentsL[i]).to.deep.equal({ x: L.x, y: L.y });
    });
    expect(args.sig.ring.map((p) => p.x)).to.deep.equal(ring.map((p) => p.toAffine().x));
  });

  it("verifyForChain gives the same arguments as toVerifierArgs in one pass, and none for an invalid signature", () => {
    const keys = [generateKeyPair(), generateKeyPair(), generateKeyPair(), generateKeyPair()];
    const ring = sortRing(keys.map((k) => k.publicKey));
    const sig = sign({ secretKey: keys[2].secretKey, ring, scope: randomBytes(32), message: randomBytes(32) });
    const result = verifyForChain(sig);
    expect(result.verdict.valid).to.equal(true);
    expect(result.args).to.deep.equal(toVerifierArgs(sig));
    const tampered = verifyForChain({ ...sig, c: sig.c.map((c, i) => (i === 0 ? (c + 1n) % N_ORDER : c)) });
    expect(tampered.verdict.valid).to.equal(false);
    expect(tampered.args).to.equal(undefined);
  });
});
