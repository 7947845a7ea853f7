import fs from "node:fs";
import { expect } from "chai";
import { ethers, network } from "hardhat";
import { encodeSignatureJson, parseSignatureJson, sign, sortRing, toVerifierArgs, type KeyPair } from "../../src/mrs1";
import type { RunningRelayer } from "../../relayer/server";
import { IMedicalRecord__factory } from "../../typechain-types";
import { deployChain, get, post, recordIdOfBody, ringCreateRecord, sharedChainHooks, startTestRelayer, waitFor, type Chain } from "./helpers/fixture";

/**
 * Batched ring actions through the relayer (IMedRingRegistry.executeRingActions), on the Hardhat devnet over JSON-RPC:
 * mixed batches with per-job outcomes read from the receipt, a member made stale after it was sent (skipped on chain,
 * failed with the skip's reason, the others confirmed), and restarts after a batch was stored, before and after its
 * broadcast, that finish every job exactly once.
 */
const WRAPPED_KEY = "0x" + "5a".repeat(48);
/**
 * Batches of exactly three: the tests send three jobs at once, and a lone job goes alone after the wait (long enough
 * for three acceptances at once under load, the first of a call shape costing a full eth_estimateGas).
 */
const BATCHING = { MEDRING_RELAYER_BATCH_MAX_ACTIONS: "3", MEDRING_RELAYER_BATCH_WAIT_MS: "12000" };

type Body = Awaited<ReturnType<typeof ringCreateRecord>>;

/** A ring-signed warrant or unwarrant of the record `create` made: its creation ring, nonce `nonce`. */
async function ringFollowUp(chain: Chain, signer: KeyPair, create: Body, kind: "warrant" | "unwarrant", institution: string, nonce: bigint) {
  const parsed = parseSignatureJson(create.authorization.signature);
  if (!parsed.ok) throw new Error(parsed.detail);
  const { scope } = create.action.args;
  const deadline = BigInt((await ethers.provider.getBlock("latest"))!.timestamp) + 3600n;
  const message =
    kind === "warrant"
      ? await chain.registry.hashWarrant(scope, institution, WRAPPED_KEY, nonce, deadline)
      : await chain.registry.hashUnwarrant(scope, institution, nonce, deadline);
  const sig = sign({ secretKey: signer.secretKey, ring: sortRing(parsed.signature.ring), scope: ethers.getBytes(scope), message: ethers.getBytes(message) });
  return {
    action: { kind, args: kind === "warrant" ? { scope, institution, wrappedKey: WRAPPED_KEY } : { scope, institution } },
    authorization: { type: "ring", signature: encodeSignatureJson(sig), nonce: nonce.toString(), deadline: deadline.toString() },
  };
}

async function submitAll(url: string, bodies: unknown[]): Promise<string[]> {
  const answers = await Promise.all(bodies.map((b) => post(`${url}/v1/submissions`, b)));
  for (const a of answers) expect(a.status, a.text).to.equal(202);
  return answers.map((a) => a.json.id as string);
}

async function views(url: string, ids: string[]) {
  return Promise.all(ids.map(async (id) => (await get(`${url}/v1/submissions/${id}`)).json));
}

async function waitAll(url: string, ids: string[], statuses: string[], timeoutMs = 120_000) {
  return waitFor(
    async () => {
      const v = await views(url, ids);
      return v.every((j) => statuses.includes(j.status)) ? v : undefined;
    },
    timeoutMs,
    100,
  );
}

/** The RingActionExecuted and RingActionSkipped events of transaction `hash`. */
async function registryEvents(chain: Chain, hash: string) {
  const receipt = (await ethers.provider.getTransactionReceipt(hash))!;
  const parsed = receipt.logs.map((l) => {
    try {
      return chain.registry.interface.parseLog(l);
    } catch {
      return null;
    }
  });
  return {
    executed: parsed.filter((p) => p?.name === "RingActionExecuted").map((p) => p!.args.id as string),
    skipped: parsed.filter((p) => p?.name === "RingActionSkipped").map((p) => Number(p!.args.index)),
  };
}

describe("relayer batches of ring actions (executeRingActions)", function () {
  let chain: Chain;
  let institution: string;
  let signer: string;

  before(async function () {
    chain = await deployChain(10);
    const signers = await ethers.getSigners();
    institution = signers[15].address;
    const regulator = signers[1];
    await (
      await chain.registry.connect(regulator).certifyInstitution(institution, ethers.SigningKey.computePublicKey(ethers.Wallet.createRandom().privateKey, true))
    ).wait();
  });
  sharedChainHooks(() => chain);

  describe("one relayer", function () {
    let relayer: RunningRelayer;
    before(async function () {
      ({ relayer } = await startTestRelayer(chain, BATCHING));
      signer = relayer.ctx.lanes[0].address;
    });
    after(async function () {
      await relayer?.stop();
    });

    it("sends create, warrant and unwarrant in one transaction, each job confirmed with its index; a lone job goes alone", async function () {
      const [p1, p2, p3, p4, p5, p6] = chain.patients;
      const nonce0 = await ethers.provider.getTransactionCount(signer);
      // A lone creation waits for company, then goes alone: a batch of one costs more than the single call.
      const [lone] = await submitAll(relayer.url, [await ringCreateRecord(chain, p4)]);
      const [alone] = await waitAll(relayer.url, [lone], ["confirmed", "failed"]);
      expect([alone.status, alone.batchIndex]).to.deep.equal(["confirmed", null]);
      expect((await ethers.provider.getTransaction(alone.txHash))!.data.slice(0, 10)).to.equal(
        chain.registry.interface.getFunction("createRecordAnonymous").selector,
      );
      // Three creations at once: one batch of three.
      const creates = [await ringCreateRecord(chain, p1), await ringCreateRecord(chain, p2), await ringCreateRecord(chain, p3)];
      const created = await waitAll(relayer.url, await submitAll(relayer.url, creates), ["confirmed", "failed"]);
      expect(created.map((j) => j.status)).to.deep.equal(["confirmed", "confirmed", "confirmed"]);
      expect(new Set(created.map((j) => j.txHash)).size).to.equal(1);
      expect(created.map((j) => j.batchIndex).sort()).to.deep.equal([0, 1, 2]);
      expect((await registryEvents(chain, created[0].txHash)).executed.sort()).to.deep.equal(creates.map(recordIdOfBody).sort());
      // Warrants of records 1 and 2 with a creation; then unwarrant record 1, warrant record 3, create one more.
      const batches = [
        [
          await ringFollowUp(chain, p1, creates[0], "warrant", institution, 1n),
          await ringFollowUp(chain, p2, creates[1], "warrant", institution, 1n),
          await ringCreateRecord(chain, p5),
        ],
        [
          await ringFollowUp(chain, p1, creates[0], "unwarrant", institution, 2n),
          await ringFollowUp(chain, p3, creates[2], "warrant", institution, 1n),
          await ringCreateRecord(chain, p6),
        ],
      ];
      for (const mixed of batches) {
        const done = await waitAll(relayer.url, await submitAll(relayer.url, mixed), ["confirmed", "failed"]);
        expect(done.map((j) => [j.kind, j.status, j.reason])).to.deep.equal(mixed.map((b) => [b.action.kind, "confirmed", null]));
        expect(new Set(done.map((j) => j.txHash)).size).to.equal(1);
        expect(done.map((j) => j.batchIndex).sort()).to.deep.equal([0, 1, 2]);
        const tx = (await ethers.provider.getTransaction(done[0].txHash))!;
        expect(tx.data.slice(0, 10)).to.equal(chain.registry.interface.getFunction("executeRingActions").selector);
        const events = await registryEvents(chain, done[0].txHash);
        expect(events.skipped).to.deep.equal([]);
        expect(events.executed).to.have.length(3);
      }
      // Their effects: record 1 warranted then unwarranted, records 2 and 3 warranted, the creations there.
      const mrc = async (body: Body) => IMedicalRecord__factory.connect(await chain.registry.recordOf(recordIdOfBody(body)), ethers.provider);
      expect(await (await mrc(creates[0])).isWarranted(institution)).to.equal(false);
      expect(await (await mrc(creates[1])).isWarranted(institution)).to.equal(true);
      expect(await (await mrc(creates[2])).isWarranted(institution)).to.equal(true);
      for (const b of [batches[0][2], batches[1][2]]) expect(await chain.registry.recordOf(recordIdOfBody(b))).to.not.equal(ethers.ZeroAddress);
      // Four transactions for ten jobs.
      expect(await ethers.provider.getTransactionCount(signer)).to.equal(nonce0 + 4);
    });

    it("ends a member whose signed request ran elsewhere first done_elsewhere (skipped on chain, with the reason), and confirms the others", async function () {
      const [, , , , , , p7, p8, p9] = chain.patients;
      const setup = [await ringCreateRecord(chain, p7), await ringCreateRecord(chain, p8), await ringCreateRecord(chain, p9)];
      await waitAll(relayer.url, await submitAll(relayer.url, setup), ["confirmed"]);
      const bodies = [
        await ringFollowUp(chain, p7, setup[0], "warrant", institution, 1n),
        await ringFollowUp(chain, p8, setup[1], "warrant", institution, 1n),
        await ringFollowUp(chain, p9, setup[2], "warrant", institution, 1n),
      ];
      await network.provider.send("evm_setAutomine", [false]);
      const ids = await submitAll(relayer.url, bodies);
      const sent = await waitAll(relayer.url, ids, ["submitted"]);
      // Another route spends the second member's nonce first: the patient sends the same signed warrant itself, with
      // a higher tip, so it is mined before the batch in the same block.
      const parsed = parseSignatureJson(bodies[1].authorization.signature);
      if (!parsed.ok) throw new Error(parsed.detail);
      const { sig, hints } = toVerifierArgs(parsed.signature);
      const auth = { signature: sig, hints, nonce: 1n, deadline: BigInt(bodies[1].authorization.deadline) };
      const [, , , self] = await ethers.getSigners();
      const direct = await chain.registry.connect(self).warrantAnonymous(setup[1].action.args.scope, institution, WRAPPED_KEY, auth, {
        gasLimit: 6_000_000,
        maxPriorityFeePerGas: ethers.parseUnits("50", "gwei"),
        maxFeePerGas: ethers.parseUnits("100", "gwei"),
      });
      await network.provider.send("evm_mine", []);
      await network.provider.send("evm_setAutomine", [true]);
      expect((await direct.wait())!.status).to.equal(1);
      const done = await waitAll(relayer.url, ids, ["confirmed", "failed", "done_elsewhere"]);
      const staleIndex = sent[1].batchIndex as number;
      // The same signed request, executed by another transaction: its action took effect, and nobody is penalised.
      expect(done.map((j) => j.status)).to.deep.equal(["confirmed", "done_elsewhere", "confirmed"]);
      expect(done[1].reason).to.match(
        /^executed by transaction 0x[0-9a-f]{64}, a copy of this call mined first; skipped on chain in its batch: RegistryNonceMismatch\(0x[0-9a-f]{64}, 2, 1\)$/,
      );
      expect(done[1].reason).to.include(direct.hash);
      expect((await registryEvents(chain, done[1].txHash)).skipped).to.deep.equal([staleIndex]);
      expect((await registryEvents(chain, done[0].txHash)).executed).to.have.length(2);
    });
  });

  /**
   * The batch is stored (membership, signed transaction, nonce) before its broadcast; the relayer then stops with the
   * batch unmined. Before its broadcast: the node loses the transaction (as if it never got it). After: it is mined
   * while no relayer runs. Either way a relayer started on the same data directory finishes the batch with its stored
   * transaction: every job confirmed, one transaction for the three, one execution per record nonce.
   */
  for (const when of ["before", "after"] as const) {
    it(`finishes a stored batch exactly once after a restart ${when} its broadcast`, async function () {
      const dataDir = fs.mkdtempSync("/tmp/medring-batch-restart-");
      const env = { ...BATCHING, MEDRING_RELAYER_DATA_DIR: dataDir };
      const first = (await startTestRelayer(chain, env)).relayer;
      const lane = first.ctx.lanes[0].address;
      const nonce0 = await ethers.provider.getTransactionCount(lane);
      const bodies = [
        await ringCreateRecord(chain, chain.patients[7]),
        await ringCreateRecord(chain, chain.patients[8]),
        await ringCreateRecord(chain, chain.patients[9]),
      ];
      let ids: string[];
      let stored: string;
      await network.provider.send("evm_setAutomine", [false]);
      try {
        ids = await submitAll(first.url, bodies);
        const sent = await waitAll(first.url, ids, ["submitted"]);
        stored = sent[0].txHash;
        expect(sent.every((j) => j.txHash === stored)).to.equal(true);
        await waitFor(async () => ((await ethers.provider.getTransaction(stored)) !== null ? true : undefined));
      } finally {
        await first.stop();
      }
      if (when === "before") await network.provider.send("hardhat_dropTransaction", [stored]);
      else await network.provider.send("evm_mine", []);
      await network.provider.send("evm_setAutomine", [true]);
      const second = (await startTestRelayer(chain, env)).relayer;
      try {
        const done = await waitAll(second.url, ids, ["confirmed", "failed"]);
        expect(done.map((j) => [j.status, j.txHash])).to.deep.equal(ids.map(() => ["confirmed", stored]));
        expect(await ethers.provider.getTransactionCount(lane)).to.equal(nonce0 + 1);
        expect((await registryEvents(chain, stored)).executed.sort()).to.deep.equal(bodies.map(recordIdOfBody).sort());
        // One execution per record nonce: each record's ring nonce is 1 (its creation), spent once.
        for (const body of bodies) expect(await chain.registry.ringNonce(recordIdOfBody(body))).to.equal(1n);
      } finally {
        await second.stop();
      }
    });
  }
});
