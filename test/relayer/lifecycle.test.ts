import { expect } from "chai";
import { ethers, network } from "hardhat";
import { generateKeyPair, parseSignatureJson, toVerifierArgs } from "../../src/mrs1";
import type { RunningRelayer } from "../../relayer/server";
import { IMedicalRecord__factory } from "../../typechain-types";
import {
  FINAL_STATUSES,
  admit,
  deployChain,
  forwardAuthorization,
  freshScope,
  get,
  post,
  registration,
  ringCreateRecord,
  sharedChainHooks,
  startTestRelayer,
  waitFor,
  waitForStatus,
  waitInMempool,
  type Chain,
} from "./helpers/fixture";
import { anonymousRecordId, keyImageHash } from "../../src/actions";
import { attemptsOfJob } from "./helpers/submitterHelpers";

describe("relayer job lifecycle", function () {
  let chain: Chain;

  before(async function () {
    chain = await deployChain(10);
  });
  sharedChainHooks(() => chain);

  describe("identified (EIP-712 ForwardRequest through the ERC2771Forwarder)", function () {
    let relayer: RunningRelayer;
    before(async function () {
      ({ relayer } = await startTestRelayer(chain));
    });
    after(async function () {
      await relayer?.stop();
    });

    it("registers a patient, creates its record, warrants and unwarrants an institution, the patient holding no ETH", async function () {
      const patient = ethers.Wallet.createRandom(ethers.provider);
      const registryAddress = await chain.registry.getAddress();
      const submit = async (kind: string, args: object, call: { to: string; data: string }) => {
        const body = { action: { kind, args }, authorization: await forwardAuthorization(chain, patient, call) };
        const res = await post(`${relayer.url}/v1/submissions`, body);
        expect(res.status, res.text).to.equal(202);
        const job = await waitForStatus(relayer.url, res.json.id, FINAL_STATUSES);
        expect(job.status, job.reason).to.equal("confirmed");
        const receipt = await ethers.provider.getTransactionReceipt(job.txHash);
        expect(receipt!.to).to.equal(chain.forwarder); // sent to the forwarder, not from the patient
        return job;
      };

      const keys = generateKeyPair();
      const ringKey = keys.publicKey.toAffine();
      const [, regulator] = await ethers.getSigners();
      const admission = await admit(chain.registry, regulator, patient.address, ringKey);
      const { args, call } = await registration(chain, patient.address, keys, admission, ethers.hexlify(ethers.randomBytes(64)));
      await submit("registerPatient", args, call);
      expect(await chain.registry.isRingMember(ringKey.x, ringKey.y)).to.equal(true);
      expect(await chain.registry.registerOf(patient.address)).to.not.equal(ethers.ZeroAddress);

      const scope = freshScope();
      const ciphertext = ethers.hexlify(ethers.randomBytes(48));
      const contentHash = ethers.keccak256(ciphertext);
      await submit(
        "createRecord",
        { scope, contentHash, locator: "0x", ciphertext },
        {
          to: registryAddress,
          data: chain.registry.interface.encodeFunctionData("createRecord", [scope, contentHash, "0x", ciphertext]),
        },
      );
      const record = await chain.registry.recordOf(await chain.registry.identifiedRecordIdOf(patient.address, scope));
      expect(record).to.not.equal(ethers.ZeroAddress);
      const mrc = IMedicalRecord__factory.connect(record, ethers.provider);
      expect((await mrc.owner()).account).to.equal(patient.address);

      const institution = ethers.Wallet.createRandom().address;
      await (
        await chain.registry
          .connect(regulator)
          .certifyInstitution(institution, ethers.SigningKey.computePublicKey(ethers.Wallet.createRandom().privateKey, true))
      ).wait();
      const wrappedKey = ethers.hexlify(ethers.randomBytes(80));
      await submit(
        "warrant",
        { record, institution, wrappedKey },
        { to: record, data: mrc.interface.encodeFunctionData("warrant", [institution, wrappedKey]) },
      );
      expect(await mrc.isWarranted(institution)).to.equal(true);

      await submit("unwarrant", { record, institution }, { to: record, data: mrc.interface.encodeFunctionData("unwarrant", [institution]) });
      expect(await mrc.isWarranted(institution)).to.equal(false);
      expect(await ethers.provider.getBalance(patient.address)).to.equal(0n);
    });
  });

  it("ends a job whose transaction was copied from the mempool and mined first as done_elsewhere, with no penalty", async function () {
    const { relayer } = await startTestRelayer(chain);
    try {
      await network.provider.send("evm_setAutomine", [false]);
      const res = await post(`${relayer.url}/v1/submissions`, await ringCreateRecord(chain, chain.patients[6]));
      expect(res.status, res.text).to.equal(202);
      const hash = await waitInMempool(relayer, res.json.id);
      // The attacker copies the pending transaction's call and outbids it: the copy runs the action, ours reverts.
      const pending = (await ethers.provider.getTransaction(hash))!;
      const [, , , copier] = await ethers.getSigners();
      const copy = await copier.sendTransaction({
        to: pending.to,
        data: pending.data,
        gasLimit: 8_000_000n,
        maxFeePerGas: ethers.parseUnits("300", "gwei"),
        maxPriorityFeePerGas: ethers.parseUnits("200", "gwei"),
      });
      await network.provider.send("evm_mine", []);
      expect((await ethers.provider.getTransactionReceipt(copy.hash))!.status).to.equal(1);

      const job = await waitForStatus(relayer.url, res.json.id, FINAL_STATUSES);
      expect(job.status, job.reason).to.equal("done_elsewhere");
      expect(job.reason).to.include(copy.hash);
      expect((await ethers.provider.getTransactionReceipt(job.txHash))!.status).to.equal(0);
      const stored = (await relayer.ctx.store.getJob(res.json.id))!;
      expect(await relayer.ctx.store.penaltyOf(stored.principal, Date.now())).to.equal(undefined);
    } finally {
      await network.provider.send("evm_setAutomine", [true]);
      await relayer.stop();
    }
  });

  it("decodes the custom error of a transaction that reverts on chain (replayed at its block) into `reason`, and suspends the signer", async function () {
    const { relayer } = await startTestRelayer(chain);
    try {
      await network.provider.send("evm_setAutomine", [false]);
      const scope = freshScope();
      const mine = await ringCreateRecord(chain, chain.patients[0], { scope });
      const res = await post(`${relayer.url}/v1/submissions`, mine);
      expect(res.status, res.text).to.equal(202);
      await waitInMempool(relayer, res.json.id);

      // The requester spends the same nonce elsewhere: another signed creation of the same record (other content),
      // sent directly with a higher tip, is mined first in the same block, so the relayer's transaction (simulated fine
      // before it was sent) reverts. Not a copy of the relayer's call: the signer's doing.
      const theirs = await ringCreateRecord(chain, chain.patients[0], { scope });
      const parsed = parseSignatureJson(theirs.authorization.signature);
      if (!parsed.ok) throw new Error(parsed.detail);
      const v = toVerifierArgs(parsed.signature);
      const a = theirs.action.args;
      const [, , front] = await ethers.getSigners();
      await chain.registry.connect(front).createRecordAnonymous(
        a.scope,
        a.contentHash,
        a.locator,
        a.ciphertext,
        { signature: v.sig, hints: v.hints, nonce: 0n, deadline: BigInt(theirs.authorization.deadline) },
        {
          gasLimit: 8_000_000n,
          maxFeePerGas: ethers.parseUnits("300", "gwei"),
          maxPriorityFeePerGas: ethers.parseUnits("200", "gwei"),
        },
      );
      await network.provider.send("evm_mine", []);

      const job = await waitForStatus(relayer.url, res.json.id, FINAL_STATUSES);
      const id = anonymousRecordId(scope, keyImageHash(parsed.signature.keyImage));
      expect(job.status).to.equal("failed");
      expect(job.reason).to.equal(`reverted on chain: RegistryNonceMismatch(${id}, 1, 0)`);
      expect((await ethers.provider.getTransactionReceipt(job.txHash))!.status).to.equal(0);

      // The signer's ring is suspended: the same request cannot make the relayer pay again.
      await network.provider.send("evm_setAutomine", [true]);
      const again = await post(`${relayer.url}/v1/submissions`, mine);
      expect(again.status, again.text).to.equal(429);
      expect(again.json.error.code).to.equal("suspended");
      expect(Number(again.headers.get("retry-after"))).to.be.greaterThan(500);
    } finally {
      await relayer.stop();
    }
  });

  describe("deadline passing before the action is mined", function () {
    it("ends a queued job whose deadline came closer than a block interval plus the margin as expired without sending anything", async function () {
      // The submitter ticks once at start-up and then only when the test calls tick().
      const { relayer } = await startTestRelayer(chain, {
        MEDRING_RELAYER_POLL_MS: "60000",
        MEDRING_RELAYER_DEADLINE_MARGIN_S: "120",
        MEDRING_RELAYER_BLOCK_INTERVAL_S: "12",
      });
      try {
        const signer = relayer.ctx.lanes[0].address;
        const nonceBefore = await ethers.provider.getTransactionCount(signer);
        const latest = (await ethers.provider.getBlock("latest"))!.timestamp;
        const res = await post(`${relayer.url}/v1/submissions`, await ringCreateRecord(chain, chain.patients[2], { deadline: BigInt(latest) + 200n }));
        expect(res.status, res.text).to.equal(202);
        expect(res.json.status).to.equal("queued");
        // 199 s of room left at acceptance; 100 s later only 99 s, less than 12 + 120, though the deadline has not passed.
        await network.provider.send("evm_mine", [latest + 101]);
        await relayer.submitter.tick();
        const job = (await get(`${relayer.url}/v1/submissions/${res.json.id}`)).json;
        expect(job.status).to.equal("expired");
        expect(job.txHash).to.equal(null);
        expect(await attemptsOfJob(relayer.ctx, res.json.id)).to.have.length(0);
        expect(await ethers.provider.getTransactionCount(signer)).to.equal(nonceBefore);
      } finally {
        await relayer.stop();
      }
    });
  });

  it("spreads jobs over several signer keys, each with its own gap-free nonce lane, executing each once", async function () {
    const wallets = [0, 1, 2].map(() => ethers.Wallet.createRandom());
    for (const w of wallets) await network.provider.send("hardhat_setBalance", [w.address, ethers.toQuantity(ethers.parseEther("10"))]);
    const { relayer } = await startTestRelayer(chain, { MEDRING_RELAYER_KEYS: wallets.map((w) => w.privateKey).join(",") });
    try {
      const status = (await get(`${relayer.url}/v1/status`)).json;
      expect(status.relayers.map((r: { address: string }) => r.address)).to.deep.equal(wallets.map((w) => w.address));
      const fromBlock = await ethers.provider.getBlockNumber();
      const ids: string[] = [];
      for (let i = 0; i < 9; i++) {
        const res = await post(`${relayer.url}/v1/submissions`, await ringCreateRecord(chain, chain.patients[i]));
        expect(res.status, res.text).to.equal(202);
        ids.push(res.json.id);
      }
      const jobs = await Promise.all(ids.map((id) => waitForStatus(relayer.url, id, FINAL_STATUSES)));
      expect(jobs.map((j) => j.status)).to.deep.equal(Array(9).fill("confirmed"));
      const senders = await Promise.all(jobs.map(async (j) => (await ethers.provider.getTransaction(j.txHash))!.from));
      for (const w of wallets) {
        const sent = senders.filter((s) => s === w.address).length;
        expect(sent, `transactions from ${w.address}`).to.be.greaterThan(0);
        expect(await ethers.provider.getTransactionCount(w.address)).to.equal(sent); // nonces 0..sent-1, no gap, no extra
      }
      const events = await chain.registry.queryFilter(chain.registry.filters.RingActionExecuted(), fromBlock + 1);
      expect(events).to.have.length(9);
    } finally {
      await relayer.stop();
    }
  });

  it("sends a mined job whose block is reorganised away back to submitted and has it mined again exactly once", async function () {
    const { relayer, logs } = await startTestRelayer(chain, { MEDRING_RELAYER_CONFIRMATIONS: "3" });
    try {
      const signer = relayer.ctx.lanes[0].address;
      const nonceBefore = await ethers.provider.getTransactionCount(signer);
      const fromBlock = await ethers.provider.getBlockNumber();
      await network.provider.send("evm_setAutomine", [false]);
      const scope = freshScope();
      const res = await post(`${relayer.url}/v1/submissions`, await ringCreateRecord(chain, chain.patients[4], { scope }));
      expect(res.status, res.text).to.equal(202);
      const hash = await waitInMempool(relayer, res.json.id);

      const snapshot = await network.provider.send("evm_snapshot", []);
      await network.provider.send("evm_mine", []);
      const mined = await waitForStatus(relayer.url, res.json.id, ["mined"]);
      expect(mined.blockNumber).to.equal(fromBlock + 1);

      // The block holding the transaction leaves the chain.
      await network.provider.send("evm_revert", [snapshot]);
      expect(await ethers.provider.getTransactionReceipt(hash)).to.equal(null);
      await waitForStatus(relayer.url, res.json.id, ["submitted"]);
      expect(logs.text).to.include("reorg: the mined transaction left the chain");
      await waitFor(async () => ((await ethers.provider.getTransaction(hash)) !== null ? true : undefined));

      for (let i = 0; i < 3; i++) await network.provider.send("evm_mine", []);
      const job = await waitForStatus(relayer.url, res.json.id, FINAL_STATUSES);
      expect(job.status, job.reason).to.equal("confirmed");
      expect(job.txHash).to.equal(hash); // the same signed transaction, re-broadcast: no second nonce
      expect(await attemptsOfJob(relayer.ctx, res.json.id)).to.have.length(1);
      const events = await chain.registry.queryFilter(chain.registry.filters.RingActionExecuted(), fromBlock + 1);
      expect(events).to.have.length(1);
      expect(await ethers.provider.getTransactionCount(signer)).to.equal(nonceBefore + 1);
    } finally {
      await relayer.stop();
    }
  });
});
