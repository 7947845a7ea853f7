import { expect } from "chai";
import { ethers, network } from "hardhat";
import { parseSignatureJson, toVerifierArgs } from "../../src/mrs1";
import type { RunningRelayer } from "../../relayer/server";
import { STALE_MARK } from "../../relayer/submitter/outcomes";
import {
  FINAL_STATUSES,
  deployChain,
  post,
  ringCreateRecord,
  sharedChainHooks,
  startTestRelayer,
  waitForStatus,
  waitInMempool,
  type Chain,
} from "./helpers/fixture";

/** What the attacker's own transactions offer: enough to be mined before the relayer's. */
const OUTBID = { gasLimit: 8_000_000n, maxFeePerGas: ethers.parseUnits("300", "gwei"), maxPriorityFeePerGas: ethers.parseUnits("200", "gwei") };

/** A node call may take long on a loaded machine: a slow answer is not an outage here. */
const PATIENT = { MEDRING_RELAYER_RPC_TIMEOUT_MS: "120000" };
/** The submitter ticks once at start-up and then only when the test calls tick(). */
const STEPPED = { ...PATIENT, MEDRING_RELAYER_POLL_MS: "60000" };

/**
 * The only failures a ring-job submitter can still choose (README "Security model: who can make the relayer pay"): a
 * state change between acceptance and mining, i.e. another valid ring-signed action on the same record mined first.
 * Its cost lands on whoever gets that action mined (a full verification); the relayer loses at most its reverted
 * transaction's checks, and in the common case, where the change is seen before a re-broadcast or a fee bump, only a
 * 21,000-gas cancellation. Each test is an attack that fails.
 */
describe("relayer: the cost of a submitter-chosen failure lands on the submitter", function () {
  this.timeout(300_000);
  let chain: Chain;

  before(async function () {
    chain = await deployChain(17);
  });
  sharedChainHooks(() => chain);

  /** Patient `signer`'s second creation of its record of `scope` (other content, same nonce 0), sent directly with a higher tip. */
  async function conflictingCreation(scope: string, signer: number, ringSize = 8) {
    const theirs = await ringCreateRecord(chain, chain.patients[signer], { scope, ringSize });
    const parsed = parseSignatureJson(theirs.authorization.signature);
    if (!parsed.ok) throw new Error(parsed.detail);
    const v = toVerifierArgs(parsed.signature);
    const a = theirs.action.args;
    const [, , attacker] = await ethers.getSigners();
    const auth = { signature: v.sig, hints: v.hints, nonce: 0n, deadline: BigInt(theirs.authorization.deadline) };
    return chain.registry.connect(attacker).createRecordAnonymous(a.scope, a.contentHash, a.locator, a.ciphertext, auth, OUTBID);
  }

  for (const [ringSize, signer, k] of [
    [8, 0, 8],
    [16, 9, 5],
  ] as const) {
    it(`a conflicting action mined in the same block (ring ${ringSize}): the relayer's revert costs it under 1/${k} of what the attacker paid, and the key image is suspended`, async function () {
      const { relayer } = await startTestRelayer(chain, PATIENT);
      try {
        await network.provider.send("evm_setAutomine", [false]);
        const body = await ringCreateRecord(chain, chain.patients[signer], { ringSize });
        const res = await post(`${relayer.url}/v1/submissions`, body);
        expect(res.status, res.text).to.equal(202);
        await waitInMempool(relayer, res.json.id);
        const conflict = await conflictingCreation(body.action.args.scope, signer, ringSize);
        await network.provider.send("evm_mine", []);

        const job = await waitForStatus(relayer.url, res.json.id, FINAL_STATUSES);
        expect(job.status, job.reason).to.equal("failed");
        expect(job.reason).to.match(/^reverted on chain: RegistryNonceMismatch/);
        const lost = (await ethers.provider.getTransactionReceipt(job.txHash))!;
        const paid = (await ethers.provider.getTransactionReceipt(conflict.hash))!;
        expect([lost.status, paid.status]).to.deep.equal([0, 1]);
        // The registry checks the record's nonce before it verifies (MedRingRegistry._newRecordFailure): the relayer
        // pays base, calldata and checks; the attacker paid a whole verified creation.
        const ratio = Number(paid.gasUsed) / Number(lost.gasUsed);
        console.log(`      ring ${ringSize}: the attacker paid ${paid.gasUsed} gas, the relayer lost ${lost.gasUsed}: ${ratio.toFixed(1)}x`);
        expect(ratio).to.be.greaterThan(k);
        const stored = (await relayer.ctx.store.getJob(res.json.id))!;
        expect(await relayer.ctx.store.penaltyOf(stored.principal, Date.now())).to.not.equal(undefined);
      } finally {
        await network.provider.send("evm_setAutomine", [true]);
        await relayer.stop();
      }
    });
  }

  /**
   * The relayer's transaction waits in the mempool; the node drops it (as a busy node does); meanwhile `mineFirst`
   * gets an action on the same record mined. Before it offers the transaction again, the relayer sees that it would
   * revert and fills its nonce with a 21,000-gas self-transfer instead. Returns the job once final.
   */
  async function staleBeforeResend(relayer: RunningRelayer, signer: number, mineFirst: (pending: { data: string; scope: string }) => Promise<string>) {
    await network.provider.send("evm_setAutomine", [false]);
    const body = await ringCreateRecord(chain, chain.patients[signer]);
    const res = await post(`${relayer.url}/v1/submissions`, body);
    expect(res.status, res.text).to.equal(202);
    await relayer.submitter.tick(); // checked (the full eth_call), signed, broadcast
    const hash = await waitInMempool(relayer, res.json.id);
    const pending = (await ethers.provider.getTransaction(hash))!;
    const nonceBefore = await ethers.provider.getTransactionCount(relayer.ctx.lanes[0].address);
    await network.provider.send("hardhat_dropTransaction", [hash]);
    const first = await mineFirst({ data: pending.data, scope: body.action.args.scope });
    await network.provider.send("evm_mine", []);
    expect((await ethers.provider.getTransactionReceipt(first))!.status).to.equal(1);
    // The lane finds its transaction gone from the mempool: before offering it again, it asks whether it would still run.
    await relayer.submitter.tick();
    const stale = (await relayer.ctx.store.getJob(res.json.id))!;
    expect(stale.reason).to.match(new RegExp(`^${STALE_MARK}`));
    const cancel = stale.txHash!;
    expect(cancel).to.not.equal(hash);
    await network.provider.send("evm_mine", []);
    await relayer.submitter.tick();
    const job = await waitForStatus(relayer.url, res.json.id, FINAL_STATUSES);
    const receipt = (await ethers.provider.getTransactionReceipt(cancel))!;
    expect([receipt.status, receipt.gasUsed, receipt.to]).to.deep.equal([1, 21_000n, relayer.ctx.lanes[0].address]);
    expect(await ethers.provider.getTransactionReceipt(hash)).to.equal(null); // the action itself never ran, never paid
    expect(await ethers.provider.getTransactionCount(relayer.ctx.lanes[0].address)).to.equal(nonceBefore + 1);
    expect((await relayer.ctx.metrics.staleSends.get()).values[0].value).to.equal(1);
    return { job, stored: (await relayer.ctx.store.getJob(res.json.id))!, first };
  }

  it("a conflicting action mined before the relayer re-sends: cancelled for 21,000 gas instead of a revert, failed, its key image suspended", async function () {
    const { relayer } = await startTestRelayer(chain, STEPPED);
    try {
      const { job, stored } = await staleBeforeResend(relayer, 1, async ({ scope }) => (await conflictingCreation(scope, 1)).hash);
      expect(job.status, job.reason).to.equal("failed");
      expect(job.reason).to.include("RegistryNonceMismatch");
      expect(await relayer.ctx.store.penaltyOf(stored.principal, Date.now())).to.not.equal(undefined);
    } finally {
      await network.provider.send("evm_setAutomine", [true]);
      await relayer.stop();
    }
  });

  it("the same signed request mined elsewhere before the relayer re-sends: cancelled for 21,000 gas, done_elsewhere, no penalty", async function () {
    const { relayer } = await startTestRelayer(chain, STEPPED);
    try {
      const [, , , copier] = await ethers.getSigners();
      const to = await chain.registry.getAddress();
      const { job, stored, first } = await staleBeforeResend(relayer, 2, async ({ data }) => (await copier.sendTransaction({ to, data, ...OUTBID })).hash);
      expect(job.status, job.reason).to.equal("done_elsewhere");
      expect(job.reason).to.include(first);
      expect(await relayer.ctx.store.penaltyOf(stored.principal, Date.now())).to.equal(undefined);
    } finally {
      await network.provider.send("evm_setAutomine", [true]);
      await relayer.stop();
    }
  });
});
