/**
 * Shared fixtures for the on-chain verifier tests: deployment, verifier calls with arguments from the one TS
 * module (src/mrs1), and the mapping between the module's reject reasons and IRingVerifier.Reason.
 */
import fc from "fast-check";
import { ethers } from "hardhat";
import {
  N_ORDER,
  Point,
  VerifierReason as Reason,
  challenge,
  toVerifierArgs,
  type Mrs1Signature,
  type RejectReason,
  type VerifierArgs,
} from "../../../src/mrs1";
import { randomRingSignature } from "../../../scripts/lib/randomRing";
import type { RingVerifier, Secp256k1Harness } from "../../../typechain-types";

/** fast-check's seed for the verifier properties, printed in the test names; MEDRING_FC_SEED overrides it. */
export const FC_SEED = Number(process.env.MEDRING_FC_SEED ?? 20240611);
/** fast-check runs per property: `fallback` unless MEDRING_FC_RUNS says otherwise. */
export const fcRuns = (fallback: number): number => Number(process.env.MEDRING_FC_RUNS ?? fallback);

const bytes32 = fc.uint8Array({ minLength: 32, maxLength: 32 });
/** A canonical nonzero scalar, 1 <= k < n. */
export const scalarArb = fc.bigInt({ min: 1n, max: N_ORDER - 1n });
/** A valid signature: ring size (1..maxRingSize), signer position, scope and message all drawn by fast-check. */
export const signatureArb = (maxRingSize: number): fc.Arbitrary<Mrs1Signature> =>
  fc
    .record({ n: fc.integer({ min: 1, max: maxRingSize }), signer: fc.nat(), scope: bytes32, message: bytes32 })
    .map(({ n, signer, scope, message }) => randomRingSignature(n, { signer: signer % n, scope, message }));

/** The on-chain reason for each TS reject reason when the hints come from `toVerifierArgs` (honest hints). */
export const REASON_FOR: Record<Exclude<RejectReason, "malformed">, Reason> = {
  "ring-empty": Reason.RingEmpty,
  "length-mismatch": Reason.LengthMismatch,
  "ring-not-ascending": Reason.RingNotAscending,
  "point-not-on-curve": Reason.PointNotOnCurve,
  "scalar-not-canonical": Reason.ScalarNotCanonical,
  // O has no encoding: the honest hint for L_i = O is the off-curve sentinel (0, 0).
  "commitment-at-infinity": Reason.CommitmentHintNotOnCurve,
  "challenge-mismatch": Reason.ChallengeMismatch,
};

export async function deployVerifier(): Promise<RingVerifier> {
  const verifier = await ethers.deployContract("RingVerifier");
  await verifier.waitForDeployment();
  return verifier as unknown as RingVerifier;
}

export async function deployCurveHarness(): Promise<Secp256k1Harness> {
  const harness = await ethers.deployContract("Secp256k1Harness");
  await harness.waitForDeployment();
  return harness as unknown as Secp256k1Harness;
}

/** tryVerify as [ok, reason number]. */
export async function tryVerify(verifier: RingVerifier, args: VerifierArgs): Promise<[boolean, Reason]> {
  const [ok, reason] = await verifier.tryVerify(args.scope, args.message, args.sig, args.hints);
  return [ok, Number(reason) as Reason];
}

export { toVerifierArgs };

/**
 * Sets c_1 so that sum c_i = challenge over the (possibly lying) hinted L, R: only the commitment (batch) check is
 * left to catch the lie, as a forger who controls the hints could arrange. Mutates and returns `args`.
 */
export function rebalance(sig: Mrs1Signature, args: VerifierArgs): VerifierArgs {
  const pt = (a: { x: bigint; y: bigint }) => Point.fromAffine({ x: a.x, y: a.y });
  const c = challenge(sig.scope, sig.message, sig.ring, sig.keyImage, args.hints.commitmentsL.map(pt), args.hints.commitmentsR.map(pt));
  const others = args.sig.c.slice(1).reduce((a, b) => a + b, 0n);
  args.sig.c[0] = (((c - others) % N_ORDER) + N_ORDER) % N_ORDER;
  return args;
}

/** A batch entry (IRingVerifier.RingCheck) from verifier arguments. */
export function ringCheck(args: VerifierArgs) {
  return { scope: args.scope, message: args.message, sig: args.sig, hints: args.hints };
}

/** tryVerifyBatch as [ok, failedIndex, reason number]. */
export async function tryVerifyBatch(verifier: RingVerifier, batch: VerifierArgs[]): Promise<[boolean, number, Reason]> {
  const [ok, index, reason] = await verifier.tryVerifyBatch(batch.map(ringCheck));
  return [ok, Number(index), Number(reason) as Reason];
}
