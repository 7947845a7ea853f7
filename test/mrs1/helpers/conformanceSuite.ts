/**
 * MRS-1 conformance of src/mrs1 against a vector set, one `it` per entry: registered for the repository's own
 * vectors (conformance.test.ts) and for the external spec's (externalVectors.test.ts).
 */
import { expect } from "chai";
import { parseHexBytes, parseHexUint256 } from "../../../src/hex";
import { hashToPoint, keyImage, parsePoint, parseSignatureJson, pointToHex, verify } from "../../../src/mrs1";
import { expectedReason, type Mrs1VectorSet } from "./vectors";

export function describeTypeScriptConformance(title: string, load: () => Mrs1VectorSet): void {
  describe(title, () => {
    const vectors = load();

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
          const expected = expectedReason(v);
          if (expected) expect(parsed.ok ? (verdict as { reason?: string }).reason : parsed.reason).to.equal(expected);
        });
      });
    });
  });
}
