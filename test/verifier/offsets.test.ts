/**
 * The MSM core's offset points against a signer who aims at them (docs/verifier-gas.md, "Offset points"). They used
 * to be public multiples t·G, so a valid signature with a decoy c_i = 0, e_i = ±t made L_i = ±T and sent the core
 * to its exact path (1.7× the gas at ring 16, over the per-transaction cap from ring 31). Now they are hashed to
 * the curve: that signature costs what an honest one of its shape costs, and an invalid one whose commitment hints
 * are the offsets themselves is rejected at the fast path's cost, never by the exact path.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { N_ORDER, toAffineStruct, verify, VerifierReason as Reason, type VerifierArgs } from "../../src/mrs1";
import { OFFSET_T, OFFSET_TAG, OFFSET_U, OFFSET_V } from "../../contracts/crypto/msm/constants";
import { deployVerifier, rebalance, toVerifierArgs, tryVerify } from "./helpers/fixtures";
import { signWithDecoy } from "./helpers/craftedDecoy";
import { randomRingSignature } from "../../scripts/lib/randomRing";
import type { RingVerifier } from "../../typechain-types";

/** The former T's discrete log: keccak256(OFFSET_TAG || 0) mod n. */
const FORMER_T = BigInt("0x" + Buffer.from(keccak_256(Uint8Array.from([...new TextEncoder().encode(OFFSET_TAG), 0]))).toString("hex")) % N_ORDER;

/** |a - b| <= 1% of b. */
function expectWithinOnePercent(gas: bigint, honest: bigint, what: string): void {
  const diff = gas > honest ? gas - honest : honest - gas;
  expect(Number(diff), `${what}: ${gas} vs honest ${honest}`).to.be.at.most(Number(honest) / 100);
}

describe("RingVerifier: offset points nobody can aim at", () => {
  let verifier: RingVerifier;
  before(async () => {
    verifier = await deployVerifier();
  });
  /** gasUsed of a real transaction calling `verify` or `tryVerify` (calldata included, as bench:gas measures). */
  async function txGas(fn: "verify" | "tryVerify", args: VerifierArgs): Promise<bigint> {
    const [sender] = await ethers.getSigners();
    const data =
      fn === "verify"
        ? verifier.interface.encodeFunctionData("verify", [args.scope, args.message, args.sig, args.hints])
        : verifier.interface.encodeFunctionData("tryVerify", [args.scope, args.message, args.sig, args.hints]);
    const receipt = await (await sender.sendTransaction({ to: await verifier.getAddress(), data })).wait();
    return receipt!.gasUsed;
  }
  const verifyGas = (args: VerifierArgs) => txGas("verify", args);
  const tryVerifyGas = (args: VerifierArgs) => txGas("tryVerify", args);
  // ring 2 runs Straus, ring 16 Pippenger (MultiScalarMul.plan)
  for (const size of [2, 16]) {
    it(`a valid ring-${size} signature with a decoy c_i = 0, e_i = ±t (the former T = t·G) costs what an honest one costs (within 1%)`, async () => {
      for (const e of [FORMER_T, N_ORDER - FORMER_T]) {
        // Against the same signer's honest signature over the same ring and scope: a fresh ring's hash-to-point
        // counters alone can move a ring-2 verification by more than 1% (one more candidate, one more hash and root).
        const { crafted, honest } = signWithDecoy(size, size - 1, e);
        expect(verify(crafted).valid).to.equal(true);
        const args = toVerifierArgs(crafted);
        expect(await tryVerify(verifier, args)).to.deep.equal([true, Reason.None]);
        expectWithinOnePercent(await verifyGas(args), await verifyGas(toVerifierArgs(honest)), "crafted decoy");
      }
    });

    it(`an invalid ring-${size} signature whose commitment hints are ±T, U or V (the challenge computed over them) is rejected at an honest signature's gas`, async () => {
      for (const offset of [OFFSET_T, OFFSET_T.negate(), OFFSET_U, OFFSET_V]) {
        const sig = randomRingSignature(size);
        const honest = await tryVerifyGas(toVerifierArgs(sig)); // the same ring and scope, as signed: the same shape
        const args = toVerifierArgs(sig);
        for (let i = 0; i < size; i++) args.hints.commitmentsL[i] = toAffineStruct(offset); // every -L_i term is -offset
        args.hints.commitmentsR[0] = toAffineStruct(offset.negate());
        rebalance(sig, args);
        expect(await tryVerify(verifier, args)).to.deep.equal([false, Reason.CommitmentMismatch]);
        expectWithinOnePercent(await tryVerifyGas(args), honest, "offsets as hints");
      }
    });
  }
});
