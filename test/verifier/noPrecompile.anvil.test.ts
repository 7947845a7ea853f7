/**
 * The verifier calls no precompile, on Anvil (Foundry's node, revm): the counterpart of noPrecompile.test.ts, which
 * proves it on the Hardhat network (EDR) from struct logs. Here the trace is geth's `callTracer` (every call frame,
 * precompile calls included), read from an Anvil child process as `npm start -- --chain anvil` runs it
 * (scripts/stack/devnet.ts). A probe contract that STATICCALLs the identity precompile (0x04) is the positive control:
 * the same tracer does report a precompile call, so an empty result is not the tracer's blind spot.
 */
import { expect } from "chai";
import { JsonRpcProvider, Wallet, type HDNodeWallet, type TransactionReceipt } from "ethers";
import { DEVNET_MNEMONIC } from "../../src/devnet";
import { devnetCommand } from "../../scripts/stack/devnet";
import { freePort, startUntilReady, stop, type ReadyChild } from "../../scripts/stack/processes";
import { randomRingSignature } from "../../scripts/lib/randomRing";
import { RingVerifier__factory, type RingVerifier } from "../../typechain-types";
import { ringCheck, toVerifierArgs } from "./helpers/fixtures";

interface CallFrame {
  type: string;
  to: string;
  calls?: CallFrame[];
}

/** Runtime STATICCALL(gas, 0x04, 0, 0, 0, 0); STOP, behind creation code that returns it (11 + 13 bytes). */
const IDENTITY_PROBE = "0x600d80600b6000396000f3" + "600060006000600060045afa00";

describe("RingVerifier uses no precompile (Anvil, callTracer)", function () {
  this.timeout(180_000);
  let anvil: ReadyChild | undefined;
  let provider: JsonRpcProvider;
  let sender: HDNodeWallet;
  let verifier: RingVerifier;
  let core: bigint;

  before(async function () {
    const port = await freePort();
    const how = devnetCommand({ client: "anvil" }, "127.0.0.1", port);
    anvil = await startUntilReady(how.command, how.args, { ready: /Listening on/, timeoutMs: 60_000 });
    provider = new JsonRpcProvider(`http://127.0.0.1:${port}`, undefined, { staticNetwork: true, cacheTimeout: -1 });
    sender = Wallet.fromPhrase(DEVNET_MNEMONIC, provider);
    verifier = await new RingVerifier__factory(sender).deploy();
    await verifier.waitForDeployment();
    core = BigInt(await verifier.multiScalarMulCore());
  });

  after(async function () {
    provider?.destroy();
    if (anvil) await stop({ name: "anvil", child: anvil.child, logFile: "" });
  });

  /** Sends `data` to `to` as a real transaction; its receipt and every call frame below the top one. */
  async function traceCalls(to: string, data: string): Promise<{ receipt: TransactionReceipt; calls: Array<{ op: string; target: bigint }> }> {
    const tx = await sender.sendTransaction({ to, data, gasLimit: 16_000_000 });
    const receipt = (await tx.wait())!;
    expect(receipt.status).to.equal(1);
    const top = (await provider.send("debug_traceTransaction", [tx.hash, { tracer: "callTracer" }])) as CallFrame;
    const calls: Array<{ op: string; target: bigint }> = [];
    const walk = (frame: CallFrame) => {
      for (const c of frame.calls ?? []) {
        calls.push({ op: c.type, target: BigInt(c.to) });
        walk(c);
      }
    };
    walk(top);
    return { receipt, calls };
  }

  it("the tracer reports a precompile call (positive control: a probe that STATICCALLs 0x04)", async () => {
    const deployed = await (await sender.sendTransaction({ data: IDENTITY_PROBE })).wait();
    const { calls } = await traceCalls(deployed!.contractAddress!, "0x");
    expect(calls).to.deep.equal([{ op: "STATICCALL", target: 4n }]);
  });

  it("a traced verify (ring of 4) makes one STATICCALL, to its MSM core, none below 0x100", async () => {
    const args = toVerifierArgs(randomRingSignature(4));
    const data = verifier.interface.encodeFunctionData("verify", [args.scope, args.message, args.sig, args.hints]);
    const { receipt, calls } = await traceCalls(await verifier.getAddress(), data);
    expect(receipt.gasUsed).to.be.lessThan(1_200_000n); // coarse regression bound, as on the Hardhat network
    expect(core).to.be.greaterThanOrEqual(0x100n);
    expect(calls).to.deep.equal([{ op: "STATICCALL", target: core }]);
  });

  it("a traced verifyBatch of three signatures makes one STATICCALL, to the same core", async () => {
    const batch = [randomRingSignature(2), randomRingSignature(3), randomRingSignature(1)].map((s) => ringCheck(toVerifierArgs(s)));
    const { calls } = await traceCalls(await verifier.getAddress(), verifier.interface.encodeFunctionData("verifyBatch", [batch]));
    expect(calls).to.deep.equal([{ op: "STATICCALL", target: core }]);
  });
});
