/**
 * The verifier calls no precompile (0x01..0x11: ecrecover, sha256, ripemd160, identity, modexp, bn254 add/mul/pairing,
 * blake2f, point evaluation, BLS12-381; nor anything else below 0x100, where future precompiles would go). Its only
 * callee is its own multi-scalar multiplication contract (IRingVerifier.multiScalarMulCore), an ordinary contract
 * it created. Proven on real transactions by tracing them: a precompile runs no EVM code, so a call to one shows in
 * the struct logs as a call op with no step one level deeper, while a call to a contract is followed by its steps.
 * The logs are taken without stacks: with them a traced verification is about 4 GB of trace in this process
 * (docs/testing.md); the call's target address is read from geth's callTracer on Anvil in noPrecompile.anvil.test.ts.
 */
import { expect } from "chai";
import { ethers, network } from "hardhat";
import { deployVerifier, ringCheck, toVerifierArgs } from "./helpers/fixtures";
import { randomRingSignature } from "../../scripts/lib/randomRing";
import type { RingVerifier } from "../../typechain-types";

interface StructLog {
  op: string;
  depth: number;
}

const CALL_OPS = new Set(["CALL", "STATICCALL", "DELEGATECALL", "CALLCODE"]);

/** Runtime STATICCALL(gas, 0x04, 0, 0, 0, 0); STOP, behind creation code that returns it (as noPrecompile.anvil.test.ts). */
const IDENTITY_PROBE = "0x600d80600b6000396000f3" + "600060006000600060045afa00";

/** Sends `data` to `to` as a real transaction; its receipt, its call ops (each: did the callee run code?) and op counts. */
async function traceCalls(to: string, data: string) {
  const [sender] = await ethers.getSigners();
  const tx = await sender.sendTransaction({ to, data, gasLimit: 16_000_000 });
  const receipt = (await tx.wait())!;
  expect(receipt.status).to.equal(1);
  const trace = (await network.provider.send("debug_traceTransaction", [tx.hash, { disableMemory: true, disableStorage: true, disableStack: true }])) as {
    failed: boolean;
    structLogs: StructLog[];
  };
  expect(trace.failed).to.equal(false);
  const calls: Array<{ op: string; runsCode: boolean }> = [];
  const counts = new Map<string, number>();
  trace.structLogs.forEach((log, i) => {
    counts.set(log.op, (counts.get(log.op) ?? 0) + 1);
    // the callee's own steps follow one level deeper; a precompile (or an account without code) has none
    if (CALL_OPS.has(log.op)) calls.push({ op: log.op, runsCode: trace.structLogs[i + 1]?.depth === log.depth + 1 });
  });
  return { receipt, calls, counts };
}

describe("RingVerifier uses no precompile", () => {
  let verifier: RingVerifier;
  let core: bigint;
  before(async () => {
    verifier = await deployVerifier();
    core = BigInt(await verifier.multiScalarMulCore());
  });

  it("a call to a precompile shows as a call that runs no code (positive control: a probe that STATICCALLs 0x04)", async () => {
    const [sender] = await ethers.getSigners();
    const deployed = await (await sender.sendTransaction({ data: IDENTITY_PROBE })).wait();
    const { calls } = await traceCalls(deployed!.contractAddress!, "0x");
    expect(calls).to.deep.equal([{ op: "STATICCALL", runsCode: false }]);
  });

  it("a traced verify (ring of 4) makes one STATICCALL, to a contract (its MSM core, at or above 0x100), and does real field work", async () => {
    const args = toVerifierArgs(randomRingSignature(4));
    const data = verifier.interface.encodeFunctionData("verify", [args.scope, args.message, args.sig, args.hints]);
    const { receipt, calls, counts } = await traceCalls(await verifier.getAddress(), data);
    // coarse regression bound (bench/gas.ts measures)
    expect(receipt.gasUsed).to.be.lessThan(1_200_000n);
    expect(core).to.be.greaterThanOrEqual(0x100n);
    expect(calls).to.deep.equal([{ op: "STATICCALL", runsCode: true }]);
    // non-trivial: thousands of field multiplications and the hashes of H_p / challenge / weights
    expect(counts.get("MULMOD") ?? 0).to.be.greaterThan(5_000);
    expect(counts.get("KECCAK256") ?? 0).to.be.greaterThan(4);
  });

  it("a traced verifyBatch of three signatures makes one STATICCALL, to a contract", async () => {
    const batch = [randomRingSignature(2), randomRingSignature(3), randomRingSignature(1)].map((s) => ringCheck(toVerifierArgs(s)));
    const { calls } = await traceCalls(await verifier.getAddress(), verifier.interface.encodeFunctionData("verifyBatch", [batch]));
    expect(calls).to.deep.equal([{ op: "STATICCALL", runsCode: true }]);
  });

  it("the core has code and serves only its creator (MultiScalarMulNotCreator for anyone else)", async () => {
    const address = await verifier.multiScalarMulCore();
    expect(await ethers.provider.getCode(address)).to.not.equal("0x");
    const [sender] = await ethers.getSigners();
    const harness = await ethers.getContractAt("Secp256k1Harness", address); // only for its error ABI
    await expect(sender.call({ to: address, data: "0x" }))
      .to.be.revertedWithCustomError(harness, "MultiScalarMulNotCreator")
      .withArgs(sender.address);
  });
});
