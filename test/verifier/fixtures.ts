/**
 * Shared fixtures for the on-chain verifier tests: deployment, random MRS-1 signatures from the one TS
 * module (src/mrs1), and the mapping between the module's reject reasons and IRingVerifier.Reason.
 */
import { ethers } from "hardhat";
import {
  N_ORDER,
  Point,
  challenge,
  generateKeyPair,
  sign,
  sortRing,
  toVerifierArgs,
  type Mrs1Signature,
  type RejectReason,
  type VerifierArgs,
} from "../../src/mrs1";
import type { RingVerifier, Secp256k1Harness } from "../../typechain-types";

/** IRingVerifier.Reason, in declaration order (contracts/interfaces/IRingVerifier.sol). */
export enum Reason {
  None,
  RingEmpty,
  LengthMismatch,
  RingNotAscending,
  PointNotOnCurve,
  ScalarNotCanonical,
  HashPointHintInvalid,
  CommitmentHintNotOnCurve,
  CommitmentMismatch,
  ChallengeMismatch,
  BatchEmpty,
}

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

/** A valid signature by member `signer` (default: a random position) of a fresh random ring of size n. */
export function randomSignature(n: number, opts: { signer?: number; scope?: Uint8Array; message?: Uint8Array } = {}): Mrs1Signature {
  const keys = Array.from({ length: n }, () => generateKeyPair());
  const ring = sortRing(keys.map((k) => k.publicKey));
  const m = opts.signer ?? Math.floor(Math.random() * n);
  const signerKey = keys.find((k) => k.publicKey.equals(ring[m]))!;
  return sign({
    secretKey: signerKey.secretKey,
    ring,
    scope: opts.scope ?? ethers.getBytes(ethers.randomBytes(32)),
    message: opts.message ?? ethers.getBytes(ethers.randomBytes(32)),
  });
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
