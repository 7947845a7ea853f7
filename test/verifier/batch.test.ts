/**
 * RingVerifier.tryVerifyBatch / verifyBatch (IRingVerifier): several MRS-1 signatures verified with one
 * multi-scalar multiplication. TypeScript (src/mrs1) and Solidity must agree: batches of valid signatures are
 * accepted, a batch with one invalid signature or one wrong hint is rejected, naming that signature when its own
 * checks fail and `checks.length` when only the combined commitment check can catch it; a batch of one accepts
 * exactly what tryVerify accepts. fast-check runs with a fixed seed (printed on failure), MEDRING_FC_SEED overrides.
 */
import { expect } from "chai";
import fc from "fast-check";
import { N_ORDER, P_FIELD, Point, verify, type Mrs1Signature, type VerifierArgs } from "../../src/mrs1";
import { MUTATIONS } from "./mutations";
import { REASON_FOR, Reason, deployVerifier, randomSignature, rebalance, ringCheck, toVerifierArgs, tryVerify, tryVerifyBatch } from "./fixtures";
import type { RingVerifier } from "../../typechain-types";

const SEED = Number(process.env.MEDRING_FC_SEED ?? 20240611);
const RUNS = Number(process.env.MEDRING_FC_RUNS ?? 6);

const bytes32 = fc.uint8Array({ minLength: 32, maxLength: 32 });
const scalar = fc.bigInt({ min: 1n, max: N_ORDER - 1n });
const signatureArb = fc
  .record({ n: fc.integer({ min: 1, max: 6 }), signer: fc.nat(), scope: bytes32, message: bytes32 })
  .map(({ n, signer, scope, message }) => randomSignature(n, { signer: signer % n, scope, message }));
/** 1..8 valid signatures of random ring sizes. */
const batchArb = fc.array(signatureArb, { minLength: 1, maxLength: 8 });

const G = Point.BASE;
const pt = (a: { x: bigint; y: bigint }) => Point.fromAffine({ x: a.x, y: a.y });
const aff = (p: InstanceType<typeof Point>) => p.toAffine();

/** Wrong hints of one signature that its own checks catch (index i) or only the combined check (index k). */
const HINT_MUTATIONS: Array<{ name: string; combined: boolean; apply: (sig: Mrs1Signature, args: VerifierArgs, pick: number) => void }> = [
  {
    name: "H_p hint: the odd root p - y",
    combined: false,
    apply: (_s, args, pick) => {
      const j = pick % args.hints.hashPointY.length;
      args.hints.hashPointY[j] = P_FIELD - args.hints.hashPointY[j];
    },
  },
  {
    name: "L_j hint off the curve",
    combined: false,
    apply: (_s, args, pick) => {
      const j = pick % args.hints.commitmentsL.length;
      args.hints.commitmentsL[j] = { x: args.hints.commitmentsL[j].x, y: (args.hints.commitmentsL[j].y + 1n) % P_FIELD };
    },
  },
  {
    name: "L_j + G with the challenge re-balanced",
    combined: true,
    apply: (sig, args, pick) => {
      const j = pick % args.hints.commitmentsL.length;
      args.hints.commitmentsL[j] = aff(pt(args.hints.commitmentsL[j]).add(G));
      rebalance(sig, args);
    },
  },
  {
    name: "R_j + G with the challenge re-balanced",
    combined: true,
    apply: (sig, args, pick) => {
      const j = pick % args.hints.commitmentsR.length;
      args.hints.commitmentsR[j] = aff(pt(args.hints.commitmentsR[j]).add(G));
      rebalance(sig, args);
    },
  },
];

describe("RingVerifier batch verification (fast-check)", () => {
  let verifier: RingVerifier;
  before(async () => {
    verifier = await deployVerifier();
  });

  it(`accepts batches of 1..8 valid signatures of random ring sizes (seed ${SEED}, ${RUNS} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(batchArb, async (sigs) => {
        for (const sig of sigs) expect(verify(sig)).to.deep.equal({ valid: true });
        expect(
          await tryVerifyBatch(
            verifier,
            sigs.map((s) => toVerifierArgs(s)),
          ),
        ).to.deep.equal([true, 0, Reason.None]);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it(`rejects any single mutation of any one signature, naming it and the reason tryVerify gives (seed ${SEED}, ${RUNS} runs per mutation)`, async () => {
    for (const mutation of MUTATIONS) {
      await fc.assert(
        fc.asyncProperty(batchArb, fc.nat(), fc.nat(), scalar, async (sigs, which, pick, k) => {
          const i = which % sigs.length;
          const mutated = mutation.apply(sigs[i], pick, k);
          fc.pre(mutated !== undefined);
          const ts = verify(mutated!);
          expect(ts.valid, `${mutation.name}: TypeScript`).to.equal(false);
          const reason = REASON_FOR[(ts as { reason: keyof typeof REASON_FOR }).reason];
          const batch = sigs.map((s, j) => toVerifierArgs(j === i ? mutated! : s));
          expect(await tryVerifyBatch(verifier, batch), `${mutation.name} of signature ${i}`).to.deep.equal([false, i, reason]);
          expect(await tryVerify(verifier, batch[i])).to.deep.equal([false, reason]);
        }),
        { seed: SEED, numRuns: RUNS },
      );
    }
  });

  it(`rejects one wrong hint of any one signature; only the combined check can name no signature (seed ${SEED}, ${RUNS} runs per case)`, async () => {
    for (const mutation of HINT_MUTATIONS) {
      await fc.assert(
        fc.asyncProperty(batchArb, fc.nat(), fc.nat(), async (sigs, which, pick) => {
          const i = which % sigs.length;
          const batch = sigs.map((s) => structuredClone(toVerifierArgs(s)));
          mutation.apply(sigs[i], batch[i], pick);
          const [ok, index, reason] = await tryVerifyBatch(verifier, batch);
          expect(ok, mutation.name).to.equal(false);
          if (mutation.combined) expect([index, reason], mutation.name).to.deep.equal([sigs.length, Reason.CommitmentMismatch]);
          else expect(index, mutation.name).to.equal(i);
          // the single-signature verifier rejects the same signature for the same reason
          expect((await tryVerify(verifier, batch[i]))[1], mutation.name).to.equal(reason);
        }),
        { seed: SEED, numRuns: RUNS },
      );
    }
  });

  it("rejects two valid signatures with their hints swapped, and errors that cancel across signatures", async () => {
    const a = randomSignature(3);
    const b = randomSignature(3);
    const [argsA, argsB] = [toVerifierArgs(a), toVerifierArgs(b)];
    const swapped = [
      { ...argsA, hints: argsB.hints },
      { ...argsB, hints: argsA.hints },
    ];
    const [ok, index] = await tryVerifyBatch(verifier, swapped);
    expect([ok, index]).to.deep.equal([false, 0]);
    // only the commitment hints swapped, both challenges re-balanced: only the combined check is left
    const onlyCommitments = [
      rebalance(a, {
        ...structuredClone(argsA),
        hints: { ...structuredClone(argsA.hints), commitmentsL: argsB.hints.commitmentsL, commitmentsR: argsB.hints.commitmentsR },
      }),
      rebalance(b, {
        ...structuredClone(argsB),
        hints: { ...structuredClone(argsB.hints), commitmentsL: argsA.hints.commitmentsL, commitmentsR: argsA.hints.commitmentsR },
      }),
    ];
    expect(await tryVerifyBatch(verifier, onlyCommitments)).to.deep.equal([false, 2, Reason.CommitmentMismatch]);
    // L_1 + D in signature 0 and L_1 - D in signature 1: they cancel in an unweighted sum over the batch
    const D = G.multiply(12345n);
    const cancel = [structuredClone(argsA), structuredClone(argsB)];
    cancel[0].hints.commitmentsL[1] = aff(pt(cancel[0].hints.commitmentsL[1]).add(D));
    cancel[1].hints.commitmentsL[1] = aff(pt(cancel[1].hints.commitmentsL[1]).subtract(D));
    rebalance(a, cancel[0]);
    rebalance(b, cancel[1]);
    expect(await tryVerifyBatch(verifier, cancel)).to.deep.equal([false, 2, Reason.CommitmentMismatch]);
  });

  it(`a batch of one accepts exactly what tryVerify accepts (seed ${SEED}, ${RUNS} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(signatureArb, fc.nat(), fc.nat(), scalar, fc.boolean(), async (sig, m, pick, k, mutate) => {
        const mutation = MUTATIONS[m % MUTATIONS.length];
        const candidate = mutate ? (mutation.apply(sig, pick, k) ?? sig) : sig;
        const args = toVerifierArgs(candidate);
        const [ok, reason] = await tryVerify(verifier, args);
        expect(await tryVerifyBatch(verifier, [args])).to.deep.equal([ok, ok ? 0 : reason === Reason.CommitmentMismatch ? 1 : 0, reason]);
      }),
      { seed: SEED, numRuns: RUNS * 2 },
    );
  });

  it("rejects an empty batch (BatchEmpty); verifyBatch reverts with RingVerifierInvalidBatch(index, reason)", async () => {
    expect(await tryVerifyBatch(verifier, [])).to.deep.equal([false, 0, Reason.BatchEmpty]);
    await expect(verifier.verifyBatch([])).to.be.revertedWithCustomError(verifier, "RingVerifierInvalidBatch").withArgs(0, Reason.BatchEmpty);
    const good = toVerifierArgs(randomSignature(2));
    const bad = structuredClone(toVerifierArgs(randomSignature(2)));
    bad.sig.c[0] = (bad.sig.c[0] + 1n) % N_ORDER; // sum c_i no longer matches the challenge
    await expect(verifier.verifyBatch([ringCheck(good), ringCheck(bad)]))
      .to.be.revertedWithCustomError(verifier, "RingVerifierInvalidBatch")
      .withArgs(1, Reason.ChallengeMismatch);
    await verifier.verifyBatch([ringCheck(good), ringCheck(good)]);
  });
});
