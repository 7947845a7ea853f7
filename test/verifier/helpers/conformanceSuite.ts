/**
 * MRS-1 conformance of the on-chain verifier against a vector set, one `it` per entry: registered for the
 * repository's own vectors (vectors.test.ts) and for the external spec's (test/mrs1/externalVectors.test.ts).
 * The TypeScript side of the same vectors is test/mrs1/helpers/conformanceSuite.ts.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { parseHexBytes, parseHexUint256 } from "../../../src/hex";
import { P_FIELD, VerifierReason as Reason, hashToPointHints, parsePoint, verifierArgsAllowInvalid } from "../../../src/mrs1";
import { expectedReason, type Mrs1VectorSet } from "../../mrs1/helpers/vectors";
import { REASON_FOR, deployVerifier, tryVerify } from "./fixtures";
import type { MRS1Harness, RingVerifier } from "../../../typechain-types";

export function describeOnChainConformance(title: string, load: () => Mrs1VectorSet): void {
  describe(title, () => {
    const vectors = load();
    let verifier: RingVerifier;
    let harness: MRS1Harness;
    before(async () => {
      verifier = await deployVerifier();
      harness = (await ethers.deployContract("MRS1Harness")) as unknown as MRS1Harness;
    });

    describe("hashToPoint: the vector's (y, ctr) is accepted as the H_p hint, its odd twin and ctr + 1 are not", () => {
      vectors.hashToPoint.forEach((v, i) => {
        it(`${i}: ctr ${v.ctr}`, async () => {
          const scope = parseHexBytes(v.scope, "scope", 32);
          const member = parsePoint(v.publicKey, "publicKey");
          const y = parseHexUint256(v.y, "y");
          // The chain recomputes X itself; y^2 = X^3 + 7 with the vector's y pins X to the vector's x (up to beta).
          const { nonResidueRoots } = hashToPointHints(scope, member);
          expect(nonResidueRoots).to.have.length(v.ctr);
          const P = member.toAffine();
          expect(await harness.hashPointHintAccepted(v.scope, P, y, v.ctr, nonResidueRoots)).to.equal(true);
          expect(await harness.hashPointHintAccepted(v.scope, P, P_FIELD - y, v.ctr, nonResidueRoots)).to.equal(false);
          expect(await harness.hashPointHintAccepted(v.scope, P, y, v.ctr + 1, [...nonResidueRoots, 0n])).to.equal(false);
        });
      });
    });

    describe("signatures", () => {
      vectors.signatures.forEach((v, i) => {
        it(`${i}: ${v.reason ?? "valid"}`, async () => {
          const [ok, reason] = await tryVerify(verifier, verifierArgsAllowInvalid(v));
          expect(ok).to.equal(v.valid);
          const expected = expectedReason(v);
          if (v.valid) expect(reason).to.equal(Reason.None);
          else if (expected !== undefined) expect(reason).to.equal(REASON_FOR[expected]);
          else expect(reason).to.not.equal(Reason.None);
        });
      });
    });
  });
}
