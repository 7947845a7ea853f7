import { expect } from "chai";
import { parseHexBytes, parseHexUint256 } from "../../src/hex";
import { hashToPoint, keyImage, parsePoint, parseSignatureJson, pointToHex, verify } from "../../src/mrs1";
import { loadVectors } from "./vectors";

const vectors = loadVectors();

/** The vectors' reason prose, by prefix, mapped to our rule codes; unknown prose only checks the verdict. */
const REASON_BY_PREFIX: Array<[string, string]> = [
  ["challenge mismatch", "challenge-mismatch"],
  ["non-canonical scalar", "scalar-not-canonical"],
  ["ring not strictly ascending", "ring-not-ascending"],
  ["point not on curve", "point-not-on-curve"],
];

describe("MRS-1 conformance vectors (TypeScript)", () => {
  describe("hashToPoint", () => {
    vectors.hashToPoint.forEach((v, i) => {
      it(`${i}: H_p(${v.scope.slice(0, 10)}…, ${v.publicKey.slice(0, 10)}…) gives ctr ${v.ctr}`, () => {
        const result = hashToPoint(parseHexBytes(v.scope, "scope", 32), parsePoint(v.publicKey, "publicKey"));
        const { x, y } = result.point.toAffine();
        expect(result.ctr).to.equal(v.ctr);
        expect(x).to.equal(parseHexUint256(v.x, "x"));
        expect(y).to.equal(parseHexUint256(v.y, "y"));
      });
    });
  });

  describe("keyImage", () => {
    vectors.keyImage.forEach((v, i) => {
      it(`${i}: key image in scope ${v.scope.slice(0, 10)}…`, () => {
        const image = keyImage(parseHexUint256(v.secretKey, "secretKey"), parseHexBytes(v.scope, "scope", 32));
        expect(pointToHex(image)).to.equal(v.keyImage.toLowerCase());
      });
    });
  });

  describe("signatures", () => {
    vectors.signatures.forEach((v, i) => {
      it(`${i}: n=${v.ring.length} ${v.valid ? "valid" : `invalid (${v.reason})`}`, () => {
        const parsed = parseSignatureJson(v);
        const verdict = parsed.ok ? verify(parsed.signature) : { valid: false as const };
        expect(verdict.valid).to.equal(v.valid);
        const expected = REASON_BY_PREFIX.find(([prefix]) => v.reason?.startsWith(prefix))?.[1];
        if (expected) expect(parsed.ok ? (verdict as { reason?: string }).reason : parsed.reason).to.equal(expected);
      });
    });
  });
});
