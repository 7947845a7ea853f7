import { expect } from "chai";
import { ethers, network } from "hardhat";
import { generateKeyPair, parseSignatureJson } from "../../src/mrs1";
import { devnetWallet } from "../../src/devnet";
import type { RunningRelayer } from "../../relayer/server";
import {
  admit,
  deployChain,
  forwardAuthorization,
  freshScope,
  get,
  post,
  registration,
  ringCreateRecord,
  startTestRelayer,
  waitFor,
  type Chain,
} from "./helpers/fixture";
import { startRelayerChild } from "../../scripts/stack/processes";
import { ringJobPrincipal } from "../../relayer/pipeline/replay";
import { startTestPostgres, type TestPostgres } from "./helpers/postgresServer";

/** Two signer keys (two lanes), every instance configured with both. */
const KEYS = [devnetWallet(19), devnetWallet(18)];
const KEYS_ENV = KEYS.map((w) => w.privateKey).join(",");

async function statusOf(url: string): Promise<{ relayers: { address: string; held: boolean; nextNonce: number | null }[] }> {
  return (await get(`${url}/v1/status`)).json;
}

/** The addresses of the lanes `url` holds, once every lane is held by exactly one of `urls`. */
async function lanesSharedOut(urls: string[]): Promise<string[][]> {
  return waitFor(
    async () => {
      const held = await Promise.all(urls.map(async (u) => (await statusOf(u)).relayers.filter((r) => r.held).map((r) => r.address)));
      const all = held.flat();
      return all.length === KEYS.length && new Set(all).size === KEYS.length && held.every((h) => h.length > 0) ? held : undefined;
    },
    60_000,
    100,
  );
}

describe("relayer: several instances on one PostgreSQL database", function () {
  let chain: Chain;
  let postgres: TestPostgres;

  before(async function () {
    chain = await deployChain(10);
    postgres = await startTestPostgres();
  });
  after(async function () {
    await network.provider.send("evm_setAutomine", [true]);
    await postgres?.stop();
    await chain?.close();
  });

  describe("two instances in one process", function () {
    let a: RunningRelayer;
    let b: RunningRelayer;

    before(async function () {
      const url = await postgres.database("shared_api");
      const env = { MEDRING_RELAYER_DATABASE_URL: url, MEDRING_RELAYER_KEYS: KEYS_ENV, MEDRING_RELAYER_LANE_LEASE_MS: "2000" };
      ({ relayer: a } = await startTestRelayer(chain, env));
      ({ relayer: b } = await startTestRelayer(chain, env));
    });
    after(async function () {
      await a?.stop();
      await b?.stop();
    });

    it("shares the lanes out, one instance per lane", async function () {
      const [heldByA, heldByB] = await lanesSharedOut([a.url, b.url]);
      expect(heldByA).to.have.length(1);
      expect(heldByB).to.have.length(1);
    });

    it("answers GET /v1/submissions/{id} on either instance for a job the other accepted, and confirms it once", async function () {
      const res = await post(`${a.url}/v1/submissions`, await ringCreateRecord(chain, chain.patients[0]));
      expect(res.status, res.text).to.equal(202);
      const fromB = await waitFor(async () => {
        const r = await get(`${b.url}/v1/submissions/${res.json.id}`);
        return r.json.status === "confirmed" ? r.json : undefined;
      });
      expect((await get(`${a.url}/v1/submissions/${res.json.id}`)).json).to.deep.equal(fromB);
    });

    it("makes one job of the same signed request sent to both instances at once", async function () {
      const body = await ringCreateRecord(chain, chain.patients[1]);
      const before = await a.ctx.store.countByStatus();
      const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => post(`${(i % 2 ? b : a).url}/v1/submissions`, body)));
      expect(answers.map((r) => r.status)).to.deep.equal(Array(8).fill(202));
      expect(new Set(answers.map((r) => r.json.id)).size).to.equal(1);
      const after = await b.ctx.store.countByStatus();
      const total = (c: Record<string, number>) => Object.values(c).reduce((x, y) => x + y, 0);
      expect(total(after) - total(before)).to.equal(1);
    });

    it("accepts one of several requests for the same record nonce sent to both instances at once, 409 replay to the rest", async function () {
      const scope = freshScope();
      const latest = BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
      const bodies = await Promise.all(
        Array.from({ length: 6 }, (_, i) => ringCreateRecord(chain, chain.patients[2], { scope, deadline: latest + 3600n + BigInt(i) })),
      );
      const answers = await Promise.all(bodies.map((body, i) => post(`${(i % 2 ? b : a).url}/v1/submissions`, body)));
      expect(answers.filter((r) => r.status === 202)).to.have.length(1);
      const refused = answers.filter((r) => r.status !== 202);
      expect(refused.map((r) => [r.status, r.json.error.code])).to.deep.equal(Array(5).fill([409, "replay"]));
    });

    it("accepts one registration of a ring key sent through both instances at once by two accounts", async function () {
      const [, regulator] = await ethers.getSigners();
      const keys = generateKeyPair();
      const ringKey = keys.publicKey.toAffine();
      const bodies = await Promise.all(
        [0, 1].map(async () => {
          const patient = ethers.Wallet.createRandom(ethers.provider);
          const admission = await admit(chain.registry, regulator, patient.address, ringKey);
          const { args, call } = await registration(chain, patient.address, keys, admission, ethers.hexlify(ethers.randomBytes(64)));
          return { action: { kind: "registerPatient", args }, authorization: await forwardAuthorization(chain, patient, call) };
        }),
      );
      const answers = await Promise.all([post(`${a.url}/v1/submissions`, bodies[0]), post(`${b.url}/v1/submissions`, bodies[1])]);
      expect(answers.map((r) => r.status).sort()).to.deep.equal([202, 409]);
      expect(answers.find((r) => r.status === 409)!.json.error.code).to.equal("replay");
    });

    it("refuses on every instance a signer suspended by one of them (penalties are shared)", async function () {
      const body = await ringCreateRecord(chain, chain.patients[3]);
      const parsed = parseSignatureJson(body.authorization.signature);
      if (!parsed.ok) throw new Error(parsed.detail);
      await a.ctx.store.penalize(ringJobPrincipal(parsed.signature.keyImage), Date.now() + 60_000, "it reverted on chain");
      for (const r of [a, b]) {
        const res = await post(`${r.url}/v1/submissions`, body);
        expect([res.status, res.json.error.code]).to.deep.equal([429, "suspended"]);
      }
    });

    it("hands a stopped instance's lane to the survivor, which then holds every lane", async function () {
      await b.stop();
      const held = await waitFor(async () => {
        const h = (await statusOf(a.url)).relayers.filter((r) => r.held);
        return h.length === KEYS.length ? h : undefined;
      });
      expect(held.map((r) => r.address).sort()).to.deep.equal(KEYS.map((w) => w.address).sort());
      const res = await post(`${a.url}/v1/submissions`, await ringCreateRecord(chain, chain.patients[4]));
      expect(res.status, res.text).to.equal(202);
      await waitFor(async () => ((await get(`${a.url}/v1/submissions/${res.json.id}`)).json.status === "confirmed" ? true : undefined));
    });
  });

  it("answers 503 store_unavailable while the database is down, keeps every job, and goes on when it is back", async function () {
    const own = await startTestPostgres(); // its own server, so that stopping it leaves the other tests alone
    const { relayer, logs } = await startTestRelayer(chain, { MEDRING_RELAYER_DATABASE_URL: own.url, MEDRING_RELAYER_LANE_LEASE_MS: "2000" });
    try {
      const before = await post(`${relayer.url}/v1/submissions`, await ringCreateRecord(chain, chain.patients[5]));
      expect(before.status, before.text).to.equal(202);
      await waitFor(async () => ((await get(`${relayer.url}/v1/submissions/${before.json.id}`)).json.status === "confirmed" ? true : undefined));

      await own.pause();
      const refused = await post(`${relayer.url}/v1/submissions`, await ringCreateRecord(chain, chain.patients[6]));
      expect([refused.status, refused.json.error.code]).to.deep.equal([503, "store_unavailable"]);
      const lookup = await get(`${relayer.url}/v1/submissions/${before.json.id}`);
      expect([lookup.status, lookup.json.error.code]).to.deep.equal([503, "store_unavailable"]);
      const ready = await get(`${relayer.url}/readyz`);
      expect([ready.status, ready.json.checks]).to.deep.equal([503, { rpc: true, store: false }]);
      expect(logs.text).to.not.include(own.url); // the URL carries the password

      await own.resume();
      await waitFor(async () => ((await get(`${relayer.url}/readyz`)).status === 200 ? true : undefined));
      expect((await get(`${relayer.url}/v1/submissions/${before.json.id}`)).json.status).to.equal("confirmed");
      const after = await post(`${relayer.url}/v1/submissions`, await ringCreateRecord(chain, chain.patients[6]));
      expect(after.status, after.text).to.equal(202);
      await waitFor(async () => ((await get(`${relayer.url}/v1/submissions/${after.json.id}`)).json.status === "confirmed" ? true : undefined));
    } finally {
      await relayer.stop();
      await own.stop();
    }
  });

  it("confirms each of 30 actions in flight exactly once when one of two instances is killed -9, the survivor taking its lane over", async function () {
    const url = await postgres.database("crash");
    const env = {
      MEDRING_RELAYER_RPC_URL: chain.rpcUrl,
      MEDRING_RELAYER_PORT: "0",
      MEDRING_RELAYER_DEPLOYMENT: chain.deploymentFile,
      MEDRING_RELAYER_DATABASE_URL: url,
      MEDRING_RELAYER_KEYS: KEYS_ENV,
      MEDRING_RELAYER_LANE_LEASE_MS: "3000",
      MEDRING_RELAYER_POLL_MS: "50",
      MEDRING_RELAYER_BATCH_MAX_ACTIONS: "1", // one transaction per job: the nonces below count them
      MEDRING_RELAYER_BUMP_AFTER_MS: "60000",
      MEDRING_RELAYER_LOG_LEVEL: "info",
      // The test polls all 30 jobs four times a second from one address: far past the per-client default (600 a minute),
      // which would answer it 429 and leave every status unknown.
      MEDRING_RELAYER_RATE_LIMIT: "1000000",
    };
    let lastOutput = "";
    const fromBlock = await ethers.provider.getBlockNumber();
    const noncesBefore = await Promise.all(KEYS.map((w) => ethers.provider.getTransactionCount(w.address)));
    const first = await startRelayerChild(env, { keepOutput: true });
    const second = await startRelayerChild(env, { keepOutput: true });
    try {
      const [heldByFirst] = await lanesSharedOut([first.url, second.url]);
      await network.provider.send("evm_setAutomine", [false]);
      const ids: string[] = [];
      for (let i = 0; i < 30; i++) {
        const res = await post(`${(i % 2 ? second : first).url}/v1/submissions`, await ringCreateRecord(chain, chain.patients[i % 10]));
        expect(res.status, res.text).to.equal(202);
        ids.push(res.json.id);
      }
      const statuses = async (u: string) => Promise.all(ids.map(async (i) => (await get(`${u}/v1/submissions/${i}`)).json.status as string));
      // Kill once both lanes have transactions out and the first instance still has work of its own left.
      await waitFor(async () => ((await statuses(second.url)).filter((s) => s === "submitted").length >= 12 ? true : undefined), 120_000, 100);
      const atKill = await statuses(second.url);
      first.child.kill("SIGKILL");
      await new Promise((r) => first.child.once("exit", r));
      const killedAt = Date.now();

      // The node loses half of the pending transactions (as after a node restart); the rest get mined.
      const pending = (await network.provider.send("eth_getBlockByNumber", ["pending", false])).transactions as string[];
      const dropped = pending.filter((_, i) => i % 2 === 1);
      for (const h of dropped) await network.provider.send("hardhat_dropTransaction", [h]);
      await network.provider.send("evm_mine", []);
      await network.provider.send("evm_setAutomine", [true]);

      // Generous: on a busy machine the takeover and the re-broadcast of the dropped transactions took up to minutes.
      await waitFor(async () => ((await statuses(second.url)).every((s) => s === "confirmed") ? true : undefined), 420_000, 250).catch(async (err: Error) => {
        // What each job ended as, and why, with the survivor's log: a timeout alone says nothing of the lane's state.
        const jobs = await Promise.all(ids.map(async (i) => (await get(`${second.url}/v1/submissions/${i}`)).json as { status: string; reason?: string }));
        const open = jobs
          .map((j, i) => `${i}: ${j.status ?? JSON.stringify(j)}${j.reason ? ` (${j.reason})` : ""}`)
          .filter((line) => !line.includes(": confirmed"));
        throw new Error(`${err.message}: not confirmed:\n${open.join("\n")}\n--- survivor's log (end)\n${second.output().slice(-6000)}`);
      });
      const held = (await statusOf(second.url)).relayers.filter((r) => r.held).map((r) => r.address);
      expect(held.sort()).to.deep.equal(KEYS.map((w) => w.address).sort()); // the dead instance's lane too
      expect(heldByFirst.every((lane) => held.includes(lane))).to.equal(true);
      expect(second.output()).to.match(/"msg":"lane taken"/);
      const count = (s: string) => atKill.filter((x) => x === s).length;
      console.log(
        `      two-instance crash test: at kill -9 ${count("queued")} queued, ${count("submitted")} submitted, ${count("mined") + count("confirmed")} mined; ` +
          `the node then dropped ${dropped.length} of ${pending.length} pending; all 30 confirmed ${((Date.now() - killedAt) / 1000).toFixed(1)} s after the kill`,
      );
    } finally {
      await network.provider.send("evm_setAutomine", [true]);
      lastOutput = `--- first\n${first.output()}\n--- second\n${second.output()}`;
      first.child.kill("SIGKILL");
      second.child.kill("SIGTERM");
    }
    const events = await chain.registry.queryFilter(chain.registry.filters.RingActionExecuted(), fromBlock + 1);
    expect(events.length).to.equal(30);
    expect(new Set(events.map((e) => e.args.id)).size).to.equal(30);
    // 30 transactions from the two signers together: nothing sent twice, nothing wasted on a duplicate that reverted.
    const noncesAfter = await Promise.all(KEYS.map((w) => ethers.provider.getTransactionCount(w.address)));
    if (noncesAfter[0] - noncesBefore[0] + (noncesAfter[1] - noncesBefore[1]) !== 30) console.log(await transactionsSince(fromBlock, url, lastOutput));
    expect(noncesAfter[0] - noncesBefore[0] + (noncesAfter[1] - noncesBefore[1])).to.equal(30);
    expect(noncesAfter.every((n, i) => n > noncesBefore[i])).to.equal(true); // both lanes sent some
  });
});

/** Diagnostics for a failed count: every transaction of the two signers since `fromBlock`, with the job it belongs to. */
async function transactionsSince(fromBlock: number, databaseUrl: string, output: string): Promise<string> {
  const { Client } = await import("pg");
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  const attempts = new Map((await db.query("SELECT hash, job_id, purpose, nonce, signer FROM tx_attempts")).rows.map((r) => [r.hash, r]));
  await db.end();
  const lines: string[] = [];
  for (let b = fromBlock + 1; b <= (await ethers.provider.getBlockNumber()); b++) {
    const block = await ethers.provider.getBlock(b, true);
    for (const tx of block!.prefetchedTransactions) {
      if (!KEYS.some((w) => w.address === tx.from)) continue;
      const receipt = await ethers.provider.getTransactionReceipt(tx.hash);
      const a = attempts.get(tx.hash);
      lines.push(`block ${b} from ${tx.from} nonce ${tx.nonce} status ${receipt!.status} ${a ? `job ${a.job_id} ${a.purpose}` : "NOT AN ATTEMPT"}`);
    }
  }
  return (
    lines.join("\n") +
    "\n" +
    output
      .split("\n")
      .filter((l) => /lane|nonce|requeue|re-queue|re-broadcast|reconcil|warn/i.test(l))
      .join("\n")
  );
}
