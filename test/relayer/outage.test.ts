import { expect } from "chai";
import { ethers, network } from "hardhat";
import { deployChain, get, post, ringCreateRecord, startTestRelayer, waitFor, waitForStatus, type Chain } from "./helpers/fixture";
import { TcpProxy } from "./helpers/tcpProxy";

describe("relayer RPC outage", function () {
  let chain: Chain;
  let proxy: TcpProxy;

  before(async function () {
    chain = await deployChain(10);
    proxy = TcpProxy.forUrl(chain.rpcUrl);
    await proxy.start();
  });
  after(async function () {
    await network.provider.send("evm_setAutomine", [true]);
    await proxy?.close();
    await chain?.close();
  });

  it("keeps every accepted job through the node going away and hanging, reports it on /readyz, and executes each exactly once after", async function () {
    // At most 3 transactions in flight: when the node goes, 3 jobs are in its mempool and 3 are still queued.
    const { relayer, logs } = await startTestRelayer(chain, { MEDRING_RELAYER_RPC_URL: proxy.url, MEDRING_RELAYER_MAX_IN_FLIGHT: "3" });
    try {
      const signer = relayer.ctx.lanes[0].address;
      const nonceBefore = await ethers.provider.getTransactionCount(signer);
      const fromBlock = await ethers.provider.getBlockNumber();
      await network.provider.send("evm_setAutomine", [false]);
      const ids: string[] = [];
      for (let i = 0; i < 6; i++) {
        const res = await post(`${relayer.url}/v1/submissions`, await ringCreateRecord(chain, chain.patients[i]));
        expect(res.status, res.text).to.equal(202);
        ids.push(res.json.id);
      }
      const inMempool = () =>
        (network.provider.send("eth_getBlockByNumber", ["pending", false]) as Promise<{ transactions: string[] }>).then((b) => b.transactions);
      await waitFor(async () => ((await inMempool()).length === 3 ? true : undefined));
      const statuses = async () => (await Promise.all(ids.map((id) => get(`${relayer.url}/v1/submissions/${id}`)))).map((r) => r.json.status);
      expect((await statuses()).sort()).to.deep.equal(["queued", "queued", "queued", "submitted", "submitted", "submitted"]);

      // The node goes away: connections refused.
      await proxy.cut();
      const down = await get(`${relayer.url}/readyz`);
      expect(down.status).to.equal(503);
      expect(down.json).to.deep.equal({ status: "not_ready", checks: { rpc: false, store: true } });
      expect((await get(`${relayer.url}/healthz`)).status).to.equal(200);
      expect((await get(`${relayer.url}/v1/submissions/${ids[0]}`)).status).to.equal(200); // answered from the store
      const jobsBefore = await relayer.ctx.store.countByStatus();
      const refused = await post(`${relayer.url}/v1/submissions`, await ringCreateRecord(chain, chain.patients[7]));
      expect(refused.status, refused.text).to.equal(503);
      expect(refused.json.error.code).to.equal("chain_unavailable");
      expect(await relayer.ctx.store.countByStatus()).to.deep.equal(jobsBefore); // nothing accepted that cannot be checked
      await waitFor(async () => (relayer.submitter.lastError !== undefined ? true : undefined));

      // Meanwhile the chain goes on without the relayer: the three transactions in the mempool are mined.
      await network.provider.send("evm_mine", []);
      expect(await inMempool()).to.have.length(0);

      // The node hangs (accepts, never answers): /readyz still answers, within its own 2 s bound. The request would
      // wait forever without that bound, so 30 s tells the two apart and still holds on a machine three times slower.
      await proxy.stall();
      const t0 = Date.now();
      const hung = await get(`${relayer.url}/readyz`);
      expect(hung.status).to.equal(503);
      expect(Date.now() - t0).to.be.lessThan(30_000);

      // The node is back with the same state.
      await proxy.restore();
      await network.provider.send("evm_setAutomine", [true]);
      await waitFor(async () => ((await get(`${relayer.url}/readyz`)).status === 200 ? true : undefined));
      const jobs = await Promise.all(ids.map((id) => waitForStatus(relayer.url, id, ["confirmed", "failed", "expired"])));
      expect(jobs.map((j) => j.status)).to.deep.equal(Array(6).fill("confirmed"));
      expect(logs.text).to.include("submitter tick failed; retrying");

      const events = await chain.registry.queryFilter(chain.registry.filters.RingActionExecuted(), fromBlock + 1);
      expect(events).to.have.length(6);
      expect(new Set(events.map((e) => e.transactionHash))).to.deep.equal(new Set(jobs.map((j) => j.txHash)));
      expect(await ethers.provider.getTransactionCount(signer)).to.equal(nonceBefore + 6);
    } finally {
      await relayer.stop();
    }
  });
});
