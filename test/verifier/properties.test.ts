/**
 * Cross-implementation property tests (MRS-1 §Verification): random rings of 1..32 members, random scopes, messages
 * and signer positions go through src/mrs1 (TypeScript) and RingVerifier (Solidity, honest hints from the same
 * module). Valid signatures verify in both; every single mutation is rejected by both, with the same reason.
 * fast-check runs with a fixed seed, printed on failure (fast-check includes it in the error message).
 */
import { expect } from "chai";
import fc from "fast-check";
import { P_FIELD, Point, verify, VerifierReason as Reason, type Mrs1Signature, type VerifierArgs } from "../../src/mrs1";
import { MUTATIONS } from "./helpers/mutations";
import {
  FC_SEED as SEED,
  REASON_FOR,
  deployVerifier,
  fcRuns,
  scalarArb as scalar,
  signatureArb as validSignatureArb,
  toVerifierArgs,
  tryVerify,
} from "./helpers/fixtures";
import type { RingVerifier } from "../../typechain-types";

const RUNS = fcRuns(12);

const signatureArb = validSignatureArb(32);

describe("MRS-1 TypeScript and Solidity agree (fast-check)", () => {
  let verifier: RingVerifier;
  before(async () => {
    verifier = await deployVerifier();
  });

  it(`valid signatures of 1..32 members verify in both (seed ${SEED}, ${RUNS} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(signatureArb, async (sig) => {
        expect(verify(sig)).to.deep.equal({ valid: true });
        expect(await tryVerify(verifier, toVerifierArgs(sig))).to.deep.equal([true, Reason.None]);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it(`every single mutation is rejected by both, with the same reason (seed ${SEED}, ${RUNS} runs per mutation)`, async () => {
    for (const mutation of MUTATIONS) {
      await fc.assert(
        fc.asyncProperty(signatureArb, fc.nat(), scalar, async (sig, pick, k) => {
          const mutated = mutation.apply(sig, pick, k);
          fc.pre(mutated !== undefined);
          const ts = verify(mutated!);
          expect(ts.valid, `${mutation.name}: TypeScript`).to.equal(false);
          const onChain = await tryVerify(verifier, toVerifierArgs(mutated!));
          expect(onChain, `${mutation.name}: Solidity`).to.deep.equal([false, REASON_FOR[(ts as { reason: keyof typeof REASON_FOR }).reason]]);
        }),
        { seed: SEED, numRuns: RUNS },
      );
    }
  });

  it(`off-curve ring members and key images are rejected by both (seed ${SEED})`, async () => {
    await fc.assert(
      fc.asyncProperty(signatureArb, fc.nat(), fc.boolean(), async (sig, pick, keyImage) => {
        const args: VerifierArgs = structuredClone(toVerifierArgs(sig));
        const i = pick % sig.ring.length;
        const target = keyImage ? args.sig.keyImage : args.sig.ring[i];
        target.y = (target.y + 1n) % P_FIELD; // (x, y + 1) is not on the curve (y^2 = x^3 + 7 has roots +-y only)
        // TypeScript sees the same coordinates as an (unchecked) projective point
        const bad = new Point(target.x, target.y, 1n);
        const mutated: Mrs1Signature = keyImage ? { ...sig, keyImage: bad } : { ...sig, ring: sig.ring.map((m, j) => (j === i ? bad : m)) };
        expect(verify(mutated)).to.include({ valid: false, reason: "point-not-on-curve" });
        expect(await tryVerify(verifier, args)).to.deep.equal([false, Reason.PointNotOnCurve]);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});
