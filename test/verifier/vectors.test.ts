/**
 * MRS-1 conformance vectors (shared/spec/vectors/mrs1-vectors.json) on chain, one test per entry.
 * The TypeScript side of the same vectors runs in test/mrs1/conformance.test.ts.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { parseHexBytes, parseHexUint256 } from "../../src/hex";
import { P_FIELD, hashToPointHints, parsePoint } from "../../src/mrs1";
import { loadVectors } from "../mrs1/vectors";
import { Reason, deployVerifier, tryVerify } from "./fixtures";
import { verifierArgsFromJson } from "../../tasks/verifierArgs";
import type { MRS1Harness, RingVerifier } from "../../typechain-types";

const vectors = loadVectors();

/** The vectors' reason prose, by prefix, mapped to IRingVerifier.Reason (honest hints). */
const REASON_BY_PREFIX: Array<[string, Reason]> = [
  ["challenge mismatch", Reason.ChallengeMismatch],
  ["non-canonical scalar", Reason.ScalarNotCanonical],
  ["ring not strictly ascending", Reason.RingNotAscending],
  ["point not on curve", Reason.PointNotOnCurve],
  ["length mismatch", Reason.LengthMismatch],
  ["empty ring", Reason.RingEmpty],
];

describe("MRS-1 conformance vectors (on chain)", () => {
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
        const [ok, reason] = await tryVerify(verifier, verifierArgsFromJson(v));
        expect(ok).to.equal(v.valid);
        const expected = REASON_BY_PREFIX.find(([prefix]) => v.reason?.startsWith(prefix))?.[1];
        if (v.valid) expect(reason).to.equal(Reason.None);
        else if (expected !== undefined) expect(reason).to.equal(expected);
        else expect(reason).to.not.equal(Reason.None);
      });
    });
  });
});
