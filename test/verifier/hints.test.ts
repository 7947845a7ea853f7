/**
 * Wrong hints can only make the verifier reject (MRS-1 §Verification, last paragraph).
 * Each case starts from honest arguments for a valid signature and breaks exactly one thing. Where a broken
 * L_i / R_i hint would already change the challenge, the test re-balances c_1 so that the challenge check
 * passes and only the batch check is left to catch the lie (a forger who controls the hints can do that).
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import {
  N_ORDER,
  P_FIELD,
  Point,
  challenge,
  generateKeyPair,
  hashToPoint,
  hashToPointCandidate,
  hashToPointHints,
  isOnCurve,
  VerifierReason as Reason,
  type Mrs1Signature,
  type VerifierArgs,
} from "../../src/mrs1";
import { deployVerifier, rebalance, toVerifierArgs, tryVerify } from "./helpers/fixtures";
import { randomRingSignature } from "../../scripts/lib/randomRing";
import type { RingVerifier } from "../../typechain-types";

const clone = (a: VerifierArgs): VerifierArgs => structuredClone(a);
const G = Point.BASE;
const pt = (a: { x: bigint; y: bigint }) => Point.fromAffine({ x: a.x, y: a.y });
const aff = (p: Point) => p.toAffine();
const rhs = (x: bigint) => (x * x * x + 7n) % P_FIELD;
const sqrt = (a: bigint) => {
  const y = Point.Fp.pow(a, (P_FIELD + 1n) / 4n);
  return (y * y) % P_FIELD === a ? y : undefined;
};

describe("verifier hints", () => {
  let verifier: RingVerifier;
  let sig: Mrs1Signature;
  let honest: VerifierArgs;

  before(async () => {
    verifier = await deployVerifier();
    sig = randomRingSignature(4);
    honest = toVerifierArgs(sig);
    expect(await tryVerify(verifier, honest)).to.deep.equal([true, Reason.None]);
  });

  describe("H_p hints", () => {
    it("rejects the odd root p - y (HashPointHintInvalid)", async () => {
      const args = clone(honest);
      args.hints.hashPointY[1] = P_FIELD - args.hints.hashPointY[1];
      expect(await tryVerify(verifier, args)).to.deep.equal([false, Reason.HashPointHintInvalid]);
    });

    it("rejects a valid curve point at a later counter, whatever root is offered for the true counter", async () => {
      const member = sig.ring[2];
      const { ctr } = hashToPoint(sig.scope, member);
      let later = ctr + 1;
      while (later < 256) {
        const x = hashToPointCandidate(sig.scope, member, later);
        if (x < P_FIELD && sqrt(rhs(x)) !== undefined) break;
        later++;
      }
      expect(later, "some later counter gives a point").to.be.lessThan(256);
      const x = hashToPointCandidate(sig.scope, member, later);
      let y = sqrt(rhs(x))!;
      if (y & 1n) y = P_FIELD - y;
      expect(isOnCurve(x, y)).to.equal(true);
      // roots for ctr..later-1: the true counter's f is a square, so offer its square root (the best a liar has)
      const { nonResidueRoots } = hashToPointHints(sig.scope, member);
      const skipped: bigint[] = [...nonResidueRoots];
      for (let k = ctr; k < later; k++) {
        const xk = hashToPointCandidate(sig.scope, member, k);
        skipped.push(xk >= P_FIELD ? 0n : (sqrt(rhs(xk)) ?? sqrt((P_FIELD - rhs(xk)) % P_FIELD) ?? 0n));
      }
      const args = clone(honest);
      const before = honest.hints.hashCounters.slice(0, 2).reduce((a, b) => a + b, 0);
      args.hints.nonResidueRoots.splice(before, nonResidueRoots.length, ...skipped);
      args.hints.hashCounters[2] = later;
      args.hints.hashPointY[2] = y;
      // and make R_3 consistent with the fake H so that only the H_p check can object
      const fakeH = Point.fromAffine({ x, y });
      args.hints.commitmentsR[2] = aff(fakeH.multiply(sig.e[2]).add(sig.keyImage.multiply(sig.c[2])));
      expect(await tryVerify(verifier, rebalance(sig, args))).to.deep.equal([false, Reason.HashPointHintInvalid]);
    });

    it("rejects a wrong non-residue root, and a missing one (LengthMismatch)", async () => {
      // find a scope where member 0 skips a counter with X < p
      let s: Mrs1Signature | undefined;
      for (let t = 0; t < 64 && !s; t++) {
        const candidate = randomRingSignature(2);
        const h = hashToPointHints(candidate.scope, candidate.ring[0]);
        if (h.ctr > 0 && hashToPointCandidate(candidate.scope, candidate.ring[0], 0) < P_FIELD) s = candidate;
      }
      expect(s, "a member with a skipped counter").to.not.equal(undefined);
      const args = toVerifierArgs(s!);
      expect(await tryVerify(verifier, args)).to.deep.equal([true, Reason.None]);
      const wrong = clone(args);
      wrong.hints.nonResidueRoots[0] = (wrong.hints.nonResidueRoots[0] + 1n) % P_FIELD;
      expect(await tryVerify(verifier, wrong)).to.deep.equal([false, Reason.HashPointHintInvalid]);
      const missing = clone(args);
      missing.hints.nonResidueRoots.pop();
      expect(await tryVerify(verifier, missing)).to.deep.equal([false, Reason.LengthMismatch]);
    });

    it("rejects H_p hints that are correct for a different scope", async () => {
      const other = ethers.getBytes(ethers.randomBytes(32));
      const args = clone(honest);
      const hints = sig.ring.map((m) => hashToPointHints(other, m));
      args.hints.hashPointY = hints.map((h) => h.y);
      args.hints.hashCounters = hints.map((h) => h.ctr);
      args.hints.nonResidueRoots = hints.flatMap((h) => h.nonResidueRoots);
      expect(await tryVerify(verifier, args)).to.deep.equal([false, Reason.HashPointHintInvalid]);
    });
  });

  describe("L / R hints", () => {
    it("rejects an off-curve L or R hint (CommitmentHintNotOnCurve)", async () => {
      for (const which of ["commitmentsL", "commitmentsR"] as const) {
        const args = clone(honest);
        args.hints[which][3] = { x: args.hints[which][3].x, y: (args.hints[which][3].y + 1n) % P_FIELD };
        expect(await tryVerify(verifier, args)).to.deep.equal([false, Reason.CommitmentHintNotOnCurve]);
        const zero = clone(honest);
        zero.hints[which][0] = { x: 0n, y: 0n }; // the point at infinity has no encoding
        expect(await tryVerify(verifier, zero)).to.deep.equal([false, Reason.CommitmentHintNotOnCurve]);
      }
    });

    it("rejects L_i + G with the challenge re-balanced (CommitmentMismatch), and without it (ChallengeMismatch)", async () => {
      // control: re-balancing honest hints changes nothing
      expect(await tryVerify(verifier, rebalance(sig, clone(honest)))).to.deep.equal([true, Reason.None]);
      const args = clone(honest);
      args.hints.commitmentsL[1] = aff(pt(args.hints.commitmentsL[1]).add(G));
      expect(await tryVerify(verifier, clone(args))).to.deep.equal([false, Reason.ChallengeMismatch]);
      expect(await tryVerify(verifier, rebalance(sig, args))).to.deep.equal([false, Reason.CommitmentMismatch]);
    });

    it("rejects R_i + G with the challenge re-balanced", async () => {
      const args = clone(honest);
      args.hints.commitmentsR[0] = aff(pt(args.hints.commitmentsR[0]).add(G));
      expect(await tryVerify(verifier, rebalance(sig, args))).to.deep.equal([false, Reason.CommitmentMismatch]);
    });

    it("rejects swapped L_i / R_i with the challenge re-balanced", async () => {
      const args = clone(honest);
      [args.hints.commitmentsL[2], args.hints.commitmentsR[2]] = [args.hints.commitmentsR[2], args.hints.commitmentsL[2]];
      expect(await tryVerify(verifier, rebalance(sig, args))).to.deep.equal([false, Reason.CommitmentMismatch]);
    });

    it("rejects errors that cancel in an unweighted sum (L_1 + D, L_2 - D; L_3 + D, R_3 - D)", async () => {
      const d = G.multiply(123456789n);
      const a = clone(honest);
      a.hints.commitmentsL[0] = aff(pt(a.hints.commitmentsL[0]).add(d));
      a.hints.commitmentsL[1] = aff(pt(a.hints.commitmentsL[1]).subtract(d));
      expect(await tryVerify(verifier, rebalance(sig, a))).to.deep.equal([false, Reason.CommitmentMismatch]);
      const b = clone(honest);
      b.hints.commitmentsL[2] = aff(pt(b.hints.commitmentsL[2]).add(d));
      b.hints.commitmentsR[2] = aff(pt(b.hints.commitmentsR[2]).subtract(d));
      expect(await tryVerify(verifier, rebalance(sig, b))).to.deep.equal([false, Reason.CommitmentMismatch]);
    });

    it("rejects L / R hints computed for a different scope with the challenge re-balanced", async () => {
      const moved = { ...sig, scope: ethers.getBytes(ethers.randomBytes(32)) };
      const foreign = toVerifierArgs(moved);
      const args = clone(honest);
      args.hints.commitmentsR = foreign.hints.commitmentsR; // R_i = e_i·H_p(other scope, P_i) + c_i·I
      expect(await tryVerify(verifier, rebalance(sig, args))).to.deep.equal([false, Reason.CommitmentMismatch]);
    });

    // The last member's L has weight 1: the verifier compares the sum of every other term with it instead of adding
    // -L_n as a term (docs/batch-verification.md, "The compared point"). Its lies must be caught all the same.
    it("rejects a lie about the weight-1 L_n: L_n + G, -L_n, L_n + D with L_1 - D (challenge re-balanced)", async () => {
      const last = honest.hints.commitmentsL.length - 1;
      const moved = clone(honest);
      moved.hints.commitmentsL[last] = aff(pt(moved.hints.commitmentsL[last]).add(G));
      expect(await tryVerify(verifier, rebalance(sig, moved))).to.deep.equal([false, Reason.CommitmentMismatch]);
      const negated = clone(honest); // same x, other y: only the Y coordinate of the comparison sees it
      negated.hints.commitmentsL[last] = aff(pt(negated.hints.commitmentsL[last]).negate());
      expect(await tryVerify(verifier, rebalance(sig, negated))).to.deep.equal([false, Reason.CommitmentMismatch]);
      const d = G.multiply(987654321n);
      const cancel = clone(honest);
      cancel.hints.commitmentsL[last] = aff(pt(cancel.hints.commitmentsL[last]).add(d));
      cancel.hints.commitmentsL[0] = aff(pt(cancel.hints.commitmentsL[0]).subtract(d));
      expect(await tryVerify(verifier, rebalance(sig, cancel))).to.deep.equal([false, Reason.CommitmentMismatch]);
    });

    it("rejects a lie about the only L of a ring of one (its weight is 1), and accepts the honest hints", async () => {
      const one = randomRingSignature(1);
      const args = toVerifierArgs(one);
      expect(await tryVerify(verifier, args)).to.deep.equal([true, Reason.None]);
      for (const lie of [G, G.negate(), pt(args.hints.commitmentsR[0]).subtract(pt(args.hints.commitmentsL[0]))]) {
        const bad = clone(args);
        bad.hints.commitmentsL[0] = aff(pt(bad.hints.commitmentsL[0]).add(lie));
        expect(await tryVerify(verifier, rebalance(one, bad))).to.deep.equal([false, Reason.CommitmentMismatch]);
      }
      const swapped = clone(args);
      [swapped.hints.commitmentsL[0], swapped.hints.commitmentsR[0]] = [swapped.hints.commitmentsR[0], swapped.hints.commitmentsL[0]];
      expect(await tryVerify(verifier, rebalance(one, swapped))).to.deep.equal([false, Reason.CommitmentMismatch]);
    });

    // The adversary: a signer who knows its secret key x can make the true L equal MINUS its hint. It picks a, hints
    // L' = a·G and R' = -a·H, hashes c over them and sets e = -a - c·x: then R = e·H + c·I = -a·H = R' holds, and
    // L = e·G + c·P = -L'. MRS-1 rejects (its challenge is over -L', not L'); a comparison of x coordinates alone
    // would accept, since -L' has the same x as L'. Only the Y = y·ZZZ half of the check stops it.
    it("rejects a signer's L hint that is minus the true L (same x), with R and the challenge consistent", async () => {
      const x = generateKeyPair();
      const scope = ethers.getBytes(ethers.randomBytes(32));
      const message = ethers.getBytes(ethers.randomBytes(32));
      const h = hashToPoint(scope, x.publicKey).point;
      const image = h.multiply(x.secretKey);
      const a = BigInt(ethers.hexlify(ethers.randomBytes(31))) + 1n;
      const lHint = G.multiply(a);
      const rHint = h.multiply(a).negate();
      const c = challenge(scope, message, [x.publicKey], image, [lHint], [rHint]);
      const e = (((-a - c * x.secretKey) % N_ORDER) + N_ORDER) % N_ORDER;
      const forged: Mrs1Signature = { scope, message, ring: [x.publicKey], keyImage: image, c: [c], e: [e] };
      const args = toVerifierArgs(forged); // honest hints: L = -L', R = R'
      expect(pt(args.hints.commitmentsL[0]).equals(lHint.negate())).to.equal(true);
      expect(pt(args.hints.commitmentsR[0]).equals(rHint)).to.equal(true);
      expect(await tryVerify(verifier, args)).to.deep.equal([false, Reason.ChallengeMismatch]); // MRS-1's verdict
      args.hints.commitmentsL[0] = aff(lHint);
      expect(await tryVerify(verifier, args)).to.deep.equal([false, Reason.CommitmentMismatch]);
    });

    it("verify reverts with RingVerifierInvalidSignature(reason) using the same verdict", async () => {
      const args = clone(honest);
      args.hints.commitmentsL[1] = aff(pt(args.hints.commitmentsL[1]).add(G));
      rebalance(sig, args);
      await expect(verifier.verify(args.scope, args.message, args.sig, args.hints))
        .to.be.revertedWithCustomError(verifier, "RingVerifierInvalidSignature")
        .withArgs(Reason.CommitmentMismatch);
      await verifier.verify(honest.scope, honest.message, honest.sig, honest.hints); // does not revert
    });
  });
});
