import { expect } from "chai";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ethers, network } from "hardhat";
import { attemptsOfJob, resolveSignerKeys, testConfigDefaults } from "./helpers/submitterHelpers";
import { startRelayerChild } from "../../scripts/stack/processes";
import { deployChain, get, post, ringCreateRecord, startTestRelayer, waitFor, type Chain } from "./helpers/fixture";

async function statuses(url: string, ids: string[]): Promise<string[]> {
  return Promise.all(ids.map(async (id) => (await get(`${url}/v1/submissions/${id}`)).json.status as string));
}

describe("relayer submitter", function () {
  let chain: Chain;
  let relayerAddress: string;

  before(async function () {
    chain = await deployChain(10);
    relayerAddress = new ethers.Wallet(resolveSignerKeys()[0]).address;
  });
  after(async function () {
    await network.provider.send("evm_setAutomine", [true]);
    await chain?.close();
  });

  it("executes every accepted action exactly once across a kill -9 and restart mid-flight", async function () {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "medring-crash-"));
    const env = testConfigDefaults(chain, dataDir);
    const fromBlock = await ethers.provider.getBlockNumber();
    const nonceBefore = await ethers.provider.getTransactionCount(relayerAddress);
    await network.provider.send("evm_setAutomine", [false]);

    const first = await startRelayerChild(env);
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) {
      const res = await post(`${first.url}/v1/submissions`, await ringCreateRecord(chain, chain.patients[i % 10]));
      expect(res.status, res.text).to.equal(202);
      ids.push(res.json.id);
    }
    await waitFor(async () => ((await statuses(first.url, ids)).filter((s) => s === "submitted").length >= 10 ? true : undefined));
    const atKill = await statuses(first.url, ids);
    first.child.kill("SIGKILL");
    await new Promise((r) => first.child.once("exit", r));

    // The node loses half of the relayer's pending transactions (as after a node restart); the rest get mined.
    const pending = (await network.provider.send("eth_getBlockByNumber", ["pending", false])).transactions as string[];
    const dropped = pending.filter((_, i) => i % 2 === 1);
    for (const h of dropped) await network.provider.send("hardhat_dropTransaction", [h]);
    await network.provider.send("evm_mine", []);
    await network.provider.send("evm_setAutomine", [true]);

    const restartedAt = Date.now();
    const second = await startRelayerChild(env);
    try {
      await waitFor(async () => ((await statuses(second.url, ids)).every((s) => s === "confirmed") ? true : undefined), 120_000, 200);
      const count = (s: string) => atKill.filter((x) => x === s).length;
      console.log(
        `      crash test: at kill -9 ${count("queued")} queued, ${count("submitted")} submitted; the node then dropped ${dropped.length} of ` +
          `${pending.length} pending; all 30 confirmed ${((Date.now() - restartedAt) / 1000).toFixed(1)} s after the restart`,
      );
    } finally {
      second.child.kill("SIGTERM");
    }
    const events = await chain.registry.queryFilter(chain.registry.filters.RingActionExecuted(), fromBlock + 1);
    expect(events.length).to.equal(30);
    expect(new Set(events.map((e) => e.args.id)).size).to.equal(30);
    // 30 transactions from the relayer: nothing sent twice, nothing wasted on a duplicate that reverted.
    expect(await ethers.provider.getTransactionCount(relayerAddress)).to.equal(nonceBefore + 30);
  });

  it("recovers from 'nonce too low' when the key was used outside the relayer", async function () {
    const { relayer, logs } = await startTestRelayer(chain);
    try {
      const wallet = new ethers.Wallet(resolveSignerKeys()[0], ethers.provider);
      const stored = (await relayer.ctx.laneStore.getNextNonce(relayerAddress))!;
      await (await wallet.sendTransaction({ to: wallet.address, value: 0n, nonce: stored })).wait();
      const res = await post(`${relayer.url}/v1/submissions`, await ringCreateRecord(chain, chain.patients[1]));
      expect(res.status, res.text).to.equal(202);
      const job = await waitFor(async () => {
        const r = await get(`${relayer.url}/v1/submissions/${res.json.id}`);
        return r.json.status === "confirmed" ? r.json : undefined;
      });
      const tx = await ethers.provider.getTransaction(job.txHash);
      expect(tx!.nonce).to.equal(stored + 1);
      expect(logs.text).to.include("nonce consumed outside the relayer");
      // The lane is not stuck: the next action goes through too.
      const next = await post(`${relayer.url}/v1/submissions`, await ringCreateRecord(chain, chain.patients[2]));
      await waitFor(async () => ((await get(`${relayer.url}/v1/submissions/${next.json.id}`)).json.status === "confirmed" ? true : undefined));
    } finally {
      await relayer.stop();
    }
  });

  it("bumps the fee of a stuck transaction by at least 10 % and keeps the job id", async function () {
    const { relayer } = await startTestRelayer(chain, { MEDRING_RELAYER_BUMP_AFTER_MS: "300", MEDRING_RELAYER_BUMP_PERCENT: "12" });
    try {
      await network.provider.send("evm_setAutomine", [false]);
      const res = await post(`${relayer.url}/v1/submissions`, await ringCreateRecord(chain, chain.patients[3]));
      expect(res.status, res.text).to.equal(202);
      const attempts = await waitFor(async () => {
        const a = await attemptsOfJob(relayer.ctx, res.json.id);
        // The attempt is stored before it is broadcast: wait until the node has the replacement too.
        return a.length >= 2 && (await ethers.provider.getTransaction(a[1].hash)) !== null ? a : undefined;
      });
      expect(attempts[1].nonce).to.equal(attempts[0].nonce);
      expect(attempts[1].maxFeePerGas * 100n >= attempts[0].maxFeePerGas * 110n).to.equal(true);
      expect(attempts[1].maxPriorityFeePerGas * 100n >= attempts[0].maxPriorityFeePerGas * 110n).to.equal(true);
      await network.provider.send("evm_setAutomine", [true]);
      await network.provider.send("evm_mine", []);
      const job = await waitFor(async () => {
        const r = await get(`${relayer.url}/v1/submissions/${res.json.id}`);
        return r.json.status === "confirmed" ? r.json : undefined;
      });
      const all = await attemptsOfJob(relayer.ctx, res.json.id);
      expect(job.id).to.equal(res.json.id);
      expect(job.txHash).to.not.equal(attempts[0].hash);
      expect(job.txHash).to.equal(all[all.length - 1].hash);
      expect(await ethers.provider.getTransactionReceipt(attempts[0].hash)).to.equal(null);
    } finally {
      await network.provider.send("evm_setAutomine", [true]);
      await relayer.stop();
    }
  });
});
