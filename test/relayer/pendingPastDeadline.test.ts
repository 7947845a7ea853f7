/**
 * A ring action whose transaction waits unmined until its deadline has passed: the relayer fills the nonce with a
 * 21,000-gas cancellation and ends the job expired. The wait is made by raising the next block's base fee above the
 * transaction's fee cap, which the Hardhat network answers by keeping it pending; Anvil refuses or mines it instead
 * (README "Choosing the devnet client"). So this file runs on the Hardhat network, while the other relayer tests run
 * on Anvil (scripts/testRunner.ts, docs/testing.md).
 */
import { expect } from "chai";
import { ethers, network } from "hardhat";
import {
  deployChain,
  FINAL_STATUSES,
  freshScope,
  post,
  ringCreateRecord,
  sharedChainHooks,
  startTestRelayer,
  waitFor,
  waitForStatus,
  waitInMempool,
  type Chain,
} from "./helpers/fixture";
import { attemptsOfJob } from "./helpers/submitterHelpers";

describe("relayer: deadline passing while the transaction waits unmined (Hardhat network)", function () {
  let chain: Chain;

  before(async function () {
    chain = await deployChain(10);
  });
  sharedChainHooks(() => chain);

  it("fills the nonce of an unmined action whose deadline passed with a 21,000-gas cancellation and ends it expired", async function () {
    // No margin here, so that a short deadline can be accepted and then pass while its transaction waits.
    const { relayer } = await startTestRelayer(chain, { MEDRING_RELAYER_DEADLINE_MARGIN_S: "0", MEDRING_RELAYER_BLOCK_INTERVAL_S: "0" });
    try {
      const signer = relayer.ctx.lanes[0].address;
      const nonceBefore = await ethers.provider.getTransactionCount(signer);
      await network.provider.send("evm_setAutomine", [false]);
      const latest = (await ethers.provider.getBlock("latest"))!.timestamp;
      const scope = freshScope();
      const anonymousBefore = await chain.registry.anonymousRecordCount();
      const res = await post(`${relayer.url}/v1/submissions`, await ringCreateRecord(chain, chain.patients[3], { scope, deadline: BigInt(latest) + 60n }));
      expect(res.status, res.text).to.equal(202);
      const original = await waitInMempool(relayer, res.json.id);

      // The base fee jumps above the action's fee cap, so a block passes the deadline without including it.
      await network.provider.send("hardhat_setNextBlockBaseFeePerGas", [ethers.toQuantity(ethers.parseUnits("50", "gwei"))]);
      await network.provider.send("evm_mine", [latest + 61]);
      expect(await ethers.provider.getTransactionReceipt(original)).to.equal(null);
      const cancel = await waitFor(async () => {
        const a = (await attemptsOfJob(relayer.ctx, res.json.id)).find((t) => t.purpose === "cancel");
        return a && (await ethers.provider.getTransaction(a.hash)) !== null ? a : undefined;
      });
      await network.provider.send("evm_mine", []);

      const job = await waitForStatus(relayer.url, res.json.id, FINAL_STATUSES);
      expect(job.status).to.equal("expired");
      expect(job.reason).to.match(/deadline passed while the transaction waited unmined/);
      expect(job.txHash).to.equal(cancel.hash);
      expect(job.gasUsed).to.equal("21000");
      const tx = await ethers.provider.getTransaction(cancel.hash);
      expect([tx!.to, tx!.nonce, tx!.value, tx!.data]).to.deep.equal([signer, nonceBefore, 0n, "0x"]);
      expect(await ethers.provider.getTransactionReceipt(original)).to.equal(null);
      expect(await chain.registry.anonymousRecordCount()).to.equal(anonymousBefore);
      expect(await ethers.provider.getTransactionCount(signer)).to.equal(nonceBefore + 1);
    } finally {
      await relayer.stop();
    }
  });
});
