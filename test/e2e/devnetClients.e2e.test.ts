/**
 * The two devnet clients of `npm start -- --chain hardhat|anvil` (scripts/stack/devnet.ts), side by side on what the
 * relayer and the client need of a node, each started as the stack starts it, with interval blocks
 * (`--block-time 1`): the chain they share (chain id, accounts, block gas limit, EIP-7825's cap per transaction),
 * `eth_call` state overrides (the relayer's stubbed acceptance simulation, relayer/chain/verifierStub.ts), a custom
 * error's revert data, and the EIP-1559 fee fields. Where they differ, the difference is pinned here and explained in
 * README.md ("Choosing the devnet client"): `eth_estimateGas` and `eth_call` of a call that needs more gas than the
 * cap, and a transaction whose fee cap is below the base fee. A change of either client's behaviour fails this test.
 */
import { expect } from "chai";
import { JsonRpcProvider, id, type HDNodeWallet } from "ethers";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEVNET_CHAIN_ID, devnetWallet } from "../../src/devnet";
import { RevertDecoder } from "../../src/chain/revertDecoder";
import { nodeAppliesStateOverrides } from "../../relayer/chain/verifierStub";
import { DEVNET_BLOCK_GAS_LIMIT, DEVNET_CLIENTS, devnetCommand, devnetReady, type DevnetClient } from "../../scripts/stack/devnet";
import { freePort, startLogged, stop, waitFor, type Supervised } from "../../scripts/stack/processes";
import { RingVerifier__factory, type RingVerifier } from "../../typechain-types";

/** EIP-7825: most gas one transaction may have from Osaka on. */
const TX_GAS_CAP = 2n ** 24n;

/**
 * Runtime that reads the balance of 6,500 (0x1964) cold addresses, one per round (the address is the gas left, so a new
 * one each time): 2,630 gas a round, about 17.1 M gas in all, above the cap, in few steps for a node to interpret.
 * Behind creation code that returns it (11 + 16 bytes).
 *   61 1964 PUSH2 n | 5b JUMPDEST  5a GAS  31 BALANCE  50 POP  60 01 PUSH1 1  90 SWAP1  03 SUB  80 DUP1  60 03 PUSH1 3
 *   57 JUMPI | 00 STOP
 */
const GAS_BURNER = "0x601080600b6000396000f3" + "6119645b5a3150600190038060035700";

/** What each client does where they differ (README.md, "Choosing the devnet client"). */
const DIFFERENCES: Record<
  DevnetClient,
  { estimateAboveCap: "reverts without data" | "answers above the cap"; feeCapBelowBaseFee: "stays pending" | "refused" }
> = {
  // EDR runs eth_estimateGas and eth_call at most at the cap, and keeps an underpriced transaction in its mempool.
  hardhat: { estimateAboveCap: "reverts without data", feeCapBelowBaseFee: "stays pending" },
  // Anvil estimates and calls up to the block gas limit (only a transaction is capped), and refuses an underpriced one.
  anvil: { estimateAboveCap: "answers above the cap", feeCapBelowBaseFee: "refused" },
};

/** What `promise` rejects with; undefined when it resolves. */
const rejection = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => undefined,
    (e: unknown) => e,
  );

for (const client of DEVNET_CLIENTS)
  describe(`devnet client ${client}: what the stack needs of a node`, function () {
    this.timeout(240_000);
    let node: Supervised | undefined;
    let logDir: string;
    let provider: JsonRpcProvider;
    let sender: HDNodeWallet;
    let verifier: RingVerifier;

    before(async function () {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      logDir = mkdtempSync(join(tmpdir(), "medring-devnet-"));
      const how = devnetCommand({ client, blockTime: 1 }, "127.0.0.1", port);
      node = startLogged("devnet", how.command, how.args, join(logDir, "devnet.log"), { ...process.env, ...how.env });
      await waitFor(
        "devnet",
        () => devnetReady(url),
        120_000,
        () => node!.child.exitCode !== null,
      );
      await how.afterReady?.(url);
      provider = new JsonRpcProvider(url, undefined, { staticNetwork: true, cacheTimeout: -1, pollingInterval: 200 });
      sender = devnetWallet(3).connect(provider);
      verifier = await new RingVerifier__factory(sender).deploy();
      await verifier.waitForDeployment();
    });

    after(async function () {
      provider?.destroy();
      if (node) await stop(node);
      rmSync(logDir, { recursive: true, force: true });
    });

    it("runs the stack's chain: chain id 31337, the 20 funded devnet accounts, a 60 M block gas limit, a block every second", async () => {
      expect(BigInt(await provider.send("eth_chainId", []))).to.equal(DEVNET_CHAIN_ID);
      for (const i of [0, 1, 19]) expect(await provider.getBalance(devnetWallet(i).address)).to.be.greaterThan(10n ** 21n);
      const latest = (await provider.getBlock("latest"))!;
      expect(latest.gasLimit).to.equal(BigInt(DEVNET_BLOCK_GAS_LIMIT));
      // Interval blocks: the chain moves on with nothing sent (waited for, not timed: a loaded machine is slower).
      const deadline = Date.now() + 60_000;
      while ((await provider.getBlockNumber()) < latest.number + 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
      expect(await provider.getBlockNumber()).to.be.greaterThanOrEqual(latest.number + 2);
    });

    it("applies eth_call state overrides (the relayer's stubbed acceptance simulation)", async () => {
      expect(await nodeAppliesStateOverrides(provider, await verifier.getAddress())).to.equal(true);
    });

    it("returns a custom error's revert data from eth_call", async () => {
      const core = await verifier.multiScalarMulCore();
      const err = await rejection(provider.call({ from: sender.address, to: core, data: "0x" }));
      // MultiScalarMulNotCreator(address caller): only the verifier that created the core may call it.
      const selector = id("MultiScalarMulNotCreator(address)").slice(0, 10);
      expect(RevertDecoder.revertData(err)).to.equal(selector + sender.address.slice(2).toLowerCase().padStart(64, "0"));
    });

    it("EIP-7825: refuses a transaction above 2^24 gas, mines one at 2^24", async () => {
      expect(await rejection(sender.sendTransaction({ to: sender.address, gasLimit: TX_GAS_CAP + 1n }))).to.be.instanceOf(Error);
      const receipt = await (await sender.sendTransaction({ to: sender.address, gasLimit: TX_GAS_CAP })).wait();
      expect(receipt!.status).to.equal(1);
    });

    it("EIP-1559 fee fields: a base fee, feeData's caps, an effective gas price within them", async () => {
      const fees = await provider.getFeeData();
      const base = (await provider.getBlock("latest"))!.baseFeePerGas!;
      expect(base > 0n).to.equal(true);
      expect(fees.maxFeePerGas! >= base).to.equal(true);
      const receipt = (await (
        await sender.sendTransaction({ to: sender.address, maxFeePerGas: fees.maxFeePerGas, maxPriorityFeePerGas: fees.maxPriorityFeePerGas })
      ).wait())!;
      expect(receipt.gasPrice <= fees.maxFeePerGas!).to.equal(true);
    });

    it(`a call that needs more gas than the cap: eth_estimateGas ${DIFFERENCES[client].estimateAboveCap}`, async () => {
      const burner = (await (await sender.sendTransaction({ data: GAS_BURNER })).wait())!.contractAddress!;
      const tx = { from: sender.address, to: burner, data: "0x" };
      const estimate = await provider.estimateGas(tx).then(
        (gas) => gas,
        (e: unknown) => e,
      );
      if (DIFFERENCES[client].estimateAboveCap === "answers above the cap") {
        expect(typeof estimate).to.equal("bigint");
        expect((estimate as bigint) > TX_GAS_CAP).to.equal(true);
      } else {
        expect(estimate).to.be.instanceOf(Error);
        expect(RevertDecoder.revertData(estimate) ?? "0x").to.equal("0x");
      }
    });

    it(`a transaction whose fee cap is below the base fee ${DIFFERENCES[client].feeCapBelowBaseFee}`, async () => {
      const base = (await provider.getBlock("latest"))!.baseFeePerGas!;
      const underpriced = {
        to: sender.address,
        maxFeePerGas: base / 2n,
        maxPriorityFeePerGas: 1n,
        nonce: await provider.getTransactionCount(sender.address, "pending"),
      };
      if (DIFFERENCES[client].feeCapBelowBaseFee === "refused") {
        expect(String(await rejection(sender.sendTransaction(underpriced)))).to.match(/max fee per gas less than block base fee/);
        return;
      }
      const sent = await sender.sendTransaction(underpriced);
      const from = await provider.getBlockNumber();
      while ((await provider.getBlockNumber()) < from + 2) await new Promise((r) => setTimeout(r, 250));
      expect(await provider.getTransactionReceipt(sent.hash)).to.equal(null);
      expect(await provider.getTransaction(sent.hash)).to.not.equal(null);
    });
  });
