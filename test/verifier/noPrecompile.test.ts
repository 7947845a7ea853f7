/**
 * The verifier calls no precompile (0x01..0x11: ecrecover, sha256, ripemd160, identity, modexp, bn254 add/mul/pairing,
 * blake2f, point evaluation, BLS12-381; nor anything else below 0x100, where future precompiles would go). Its only
 * callee is its own multi-scalar multiplication contract (IRingVerifier.multiScalarMulCore), an ordinary contract
 * it created. Proven on real transactions by tracing them.
 */
import { expect } from "chai";
import { ethers, network } from "hardhat";
import { deployVerifier, randomSignature, ringCheck, toVerifierArgs } from "./fixtures";
import type { RingVerifier } from "../../typechain-types";

interface StructLog {
  op: string;
  depth: number;
  stack?: string[];
}

const CALL_OPS = new Set(["CALL", "STATICCALL", "DELEGATECALL", "CALLCODE"]);

/** Sends `data` to the verifier as a real transaction and returns the receipt and the traced call targets. */
async function traceCalls(verifier: RingVerifier, data: string) {
  const [sender] = await ethers.getSigners();
  const tx = await sender.sendTransaction({ to: await verifier.getAddress(), data, gasLimit: 16_000_000 });
  const receipt = (await tx.wait())!;
  expect(receipt.status).to.equal(1);
  const trace = (await network.provider.send("debug_traceTransaction", [tx.hash, { disableMemory: true, disableStorage: true }])) as {
    failed: boolean;
    structLogs: StructLog[];
  };
  expect(trace.failed).to.equal(false);
  const calls: Array<{ op: string; target: bigint }> = [];
  const counts = new Map<string, number>();
  for (const log of trace.structLogs) {
    counts.set(log.op, (counts.get(log.op) ?? 0) + 1);
    if (!CALL_OPS.has(log.op)) continue;
    const stack = log.stack ?? [];
    calls.push({ op: log.op, target: BigInt("0x" + stack[stack.length - 2].replace(/^0x/, "")) }); // address: 2nd item
  }
  return { receipt, calls, counts };
}

describe("RingVerifier uses no precompile", () => {
  let verifier: RingVerifier;
  let core: bigint;
  before(async () => {
    verifier = await deployVerifier();
    core = BigInt(await verifier.multiScalarMulCore());
  });

  it("a traced verify (ring of 4) makes one STATICCALL, to its MSM core, none below 0x100, and does real field work", async () => {
    const args = toVerifierArgs(randomSignature(4));
    const data = verifier.interface.encodeFunctionData("verify", [args.scope, args.message, args.sig, args.hints]);
    const { receipt, calls, counts } = await traceCalls(verifier, data);
    // coarse regression bound (bench/gas.ts measures)
    expect(receipt.gasUsed).to.be.lessThan(1_200_000n);
    expect(core).to.be.greaterThanOrEqual(0x100n);
    expect(calls).to.deep.equal([{ op: "STATICCALL", target: core }]);
    expect(calls.filter((c) => c.target < 0x100n)).to.deep.equal([]);
    // non-trivial: thousands of field multiplications and the hashes of H_p / challenge / weights
    expect(counts.get("MULMOD") ?? 0).to.be.greaterThan(5_000);
    expect(counts.get("KECCAK256") ?? 0).to.be.greaterThan(4);
  });

  it("a traced verifyBatch of three signatures makes one STATICCALL, to the same core", async () => {
    const batch = [randomSignature(2), randomSignature(3), randomSignature(1)].map((s) => ringCheck(toVerifierArgs(s)));
    const { calls } = await traceCalls(verifier, verifier.interface.encodeFunctionData("verifyBatch", [batch]));
    expect(calls).to.deep.equal([{ op: "STATICCALL", target: core }]);
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
