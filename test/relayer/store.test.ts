import { expect } from "chai";
import { createHash } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { Client } from "pg";
import { openStores, type Stores } from "../../relayer/store";
import { MIGRATIONS } from "../../relayer/store/migrations";
import { PgDatabase } from "../../relayer/store/postgres/database";
import { POSTGRES_MIGRATIONS } from "../../relayer/store/postgresMigrations";
import { SQLITE_FILE, SqliteDatabase } from "../../relayer/store/sqlite/database";
import { SqliteJobStore } from "../../relayer/store/sqlite/jobStore";
import { SqliteLaneStore } from "../../relayer/store/sqlite/laneStore";
import { LaneLeaseLost, type LaneLease, type NewJob, type NewSend, type TxAttempt } from "../../relayer/store/types";
import { startTestPostgres, type TestPostgres } from "./helpers/postgresServer";

/**
 * The contract of the JobStore and the LaneStore, run on every backend: memory, SQLite and PostgreSQL (a real server, started here). Each test
 * gets an empty store and a second handle on the same data (`twin`: another connection pool for PostgreSQL, another
 * connection to the same file for SQLite, the same object for memory), through which "another instance" acts.
 */
const id = (n: number) => "0x" + n.toString(16).padStart(64, "0");
const newJob = (n: number, ...replayKeys: string[]): NewJob => ({
  id: id(n),
  kind: "createRecord",
  authType: "ring",
  to: "0x" + "11".repeat(20),
  data: "0x",
  gasEstimate: 1n,
  deadline: 2 ** 62, // beyond 2^53 and beyond BIGINT's half range, as a uint64 deadline may be
  replayKeys,
  principal: "p",
});
const attempt = (sendId: string, signer: string, nonce: number, tag: number): TxAttempt => ({
  hash: "0x" + tag.toString(16).padStart(64, "0"),
  purpose: "action",
  sendId,
  signer,
  nonce,
  raw: "0x02",
  maxFeePerGas: 2n * 10n ** 18n * 1000n, // above 2^64: kept as a decimal string
  maxPriorityFeePerGas: 1n,
  gasLimit: 3_000_000n,
  createdAt: 1,
});
const SIGNER_A = "0xAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAa";
/** A send of one job (its own call), on lane A. */
const alone = (jobId: string): NewSend => ({ id: `send:${jobId}`, signer: SIGNER_A.toLowerCase(), to: "0x" + "11".repeat(20), data: "0x", jobIds: [jobId] });
const SIGNER_B = "0xBbBbBbBbBbBbBbBbBbBbBbBbBbBbBbBbBbBbBbBb";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Backend {
  name: string;
  open(): Promise<{ store: Stores; twin: Stores }>;
}

let postgres: TestPostgres | undefined;
let databases = 0;

const BACKENDS: Backend[] = [
  {
    name: "memory",
    open: async () => {
      const store = await openStores({ kind: "memory" });
      return { store, twin: store };
    },
  },
  {
    name: "sqlite",
    open: async () => {
      const dir = mkdtempSync(join(tmpdir(), "medring-store-"));
      return { store: await openStores({ kind: "sqlite", dataDir: dir }), twin: await openStores({ kind: "sqlite", dataDir: dir }) };
    },
  },
  {
    name: "postgres",
    open: async () => {
      postgres ??= await startTestPostgres();
      const url = await postgres.database(`contract_${++databases}`);
      return { store: await openStores({ kind: "postgres", url }), twin: await openStores({ kind: "postgres", url }) };
    },
  },
];

describe("relayer stores, jobs and lanes (memory, SQLite, PostgreSQL)", function () {
  after(async function () {
    await postgres?.stop();
  });

  for (const backend of BACKENDS) {
    describe(backend.name, function () {
      let store: Stores;
      let twin: Stores;
      beforeEach(async function () {
        ({ store, twin } = await backend.open());
      });
      afterEach(async function () {
        await store.close();
        if (twin !== store) await twin.close();
      });

      /** Holds lane `signer` for `holder` and claims the job, so that the lane may write to it. */
      async function claimed(signer: string, holder = "h"): Promise<LaneLease> {
        const lease = (await store.lanes.acquireLane(signer, holder, 60_000))!;
        await store.lanes.setNextNonce(lease, 0);
        return lease;
      }

      it("refuses a second live job for the same replay key, and allows it once the first failed", async function () {
        expect((await store.jobs.insertJob(newJob(1, "k"), 1)).outcome).to.equal("created");
        expect((await store.jobs.insertJob(newJob(1, "k"), 2)).outcome).to.equal("duplicate");
        const conflict = await store.jobs.insertJob(newJob(2, "k"), 3);
        expect(conflict.outcome).to.equal("replay-conflict");
        expect(conflict.job.id).to.equal(id(1));
        expect(await store.jobs.getJob(id(2))).to.equal(undefined);
        const lease = await claimed(SIGNER_A);
        expect((await store.lanes.claimQueued(lease, 1))[0]?.id).to.equal(id(1));
        await store.lanes.updateLaneJob(lease, id(1), { status: "failed", reason: "r" }, 4);
        expect((await store.jobs.insertJob(newJob(2, "k"), 5)).outcome).to.equal("created");
      });

      it("a job with several replay keys (a registration's nonce, ring key, account) conflicts on any of them", async function () {
        expect((await store.jobs.insertJob(newJob(1, "nonce:1", "ringkey:A", "account:X"), 1)).outcome).to.equal("created");
        for (const keys of [
          ["nonce:2", "ringkey:A", "account:Y"],
          ["nonce:3", "ringkey:B", "account:X"],
        ]) {
          const r = await store.jobs.insertJob(newJob(9, ...keys), 2);
          expect(r.outcome).to.equal("replay-conflict");
          expect(r.job.id).to.equal(id(1));
        }
        expect((await store.jobs.findLiveByReplayKey("account:X"))?.id).to.equal(id(1));
        expect((await store.jobs.insertJob(newJob(2, "nonce:4", "ringkey:C", "account:Z"), 3)).outcome).to.equal("created");
      });

      it("stores one job of many concurrent inserts for one slot, through two handles (two instances)", async function () {
        const results = await Promise.all(Array.from({ length: 24 }, (_, i) => (i % 2 ? twin : store).jobs.insertJob(newJob(100 + i, "slot"), i)));
        expect(results.filter((r) => r.outcome === "created")).to.have.length(1);
        const winner = results.find((r) => r.outcome === "created")!.job.id;
        expect(results.filter((r) => r.outcome === "replay-conflict").every((r) => r.job.id === winner)).to.equal(true);
        const same = await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? twin : store).jobs.insertJob(newJob(7, "other"), i)));
        expect(same.filter((r) => r.outcome === "created")).to.have.length(1);
        expect(same.filter((r) => r.outcome === "duplicate")).to.have.length(11);
        expect((await twin.jobs.countByStatus()).queued).to.equal(2);
      });

      it("keeps a uint64 deadline, amounts above 2^64 and the order of jobs", async function () {
        for (let n = 1; n <= 3; n++) await store.jobs.insertJob(newJob(n, `k${n}`), 10 - n);
        expect((await twin.jobs.getJob(id(1)))?.deadline).to.equal(2 ** 62);
        expect((await store.jobs.listByStatus(["queued"])).map((j) => j.id)).to.deep.equal([id(3), id(2), id(1)]);
        expect((await store.jobs.listByStatus(["queued"], 2)).map((j) => j.id)).to.deep.equal([id(3), id(2)]);
        const lease = await claimed(SIGNER_A);
        const job = (await store.lanes.claimQueued(lease, 1))[0]!;
        await store.lanes.recordAttempt(lease, alone(job.id), attempt(alone(job.id).id, SIGNER_A, 0, 1), 1, 20);
        expect((await twin.lanes.attempts(alone(job.id).id))[0].maxFeePerGas).to.equal(2n * 10n ** 21n);
        expect(await twin.jobs.countByStatus()).to.deep.equal({ queued: 2, submitted: 1, mined: 0, confirmed: 0, failed: 0, expired: 0, done_elsewhere: 0 });
      });

      it("penalize refuses a principal until the time given, and a later call extends but never shortens it", async function () {
        expect(await store.jobs.penaltyOf("ki", 0)).to.equal(undefined);
        await store.jobs.penalize("ki", 1_000, "deadline");
        expect(await twin.jobs.penaltyOf("ki", 999)).to.deep.equal({ until: 1_000, reason: "deadline" });
        expect(await store.jobs.penaltyOf("ki", 1_000)).to.equal(undefined);
        await twin.jobs.penalize("ki", 500, "nonce spent elsewhere");
        expect((await store.jobs.penaltyOf("ki", 999))?.until).to.equal(1_000);
        await store.jobs.penalize("ki", 2_000, "again");
        expect(await store.jobs.penaltyOf("ki", 1_500)).to.deep.equal({ until: 2_000, reason: "again" });
        expect(await store.jobs.penaltyOf("other", 0)).to.equal(undefined);
      });

      it("keeps the first secret stored under a name, for every instance sharing the store", async function () {
        const [a, b] = await Promise.all([store.jobs.sharedSecret("job-id", "0xaa"), twin.jobs.sharedSecret("job-id", "0xbb")]);
        expect(a).to.equal(b);
        expect(["0xaa", "0xbb"]).to.include(a);
        expect(await store.jobs.sharedSecret("job-id", "0xcc")).to.equal(a);
        expect(await twin.jobs.sharedSecret("other", "0xdd")).to.equal("0xdd");
      });

      it("grants a lane to one holder at a time; it changes hands (a new epoch) only when released or run out", async function () {
        const first = (await store.lanes.acquireLane(SIGNER_A, "one", 60_000))!;
        expect([first.signer, first.holder, first.epoch]).to.deep.equal([SIGNER_A.toLowerCase(), "one", 1]);
        expect(await twin.lanes.acquireLane(SIGNER_A, "two", 60_000)).to.equal(undefined);
        expect((await store.lanes.acquireLane(SIGNER_A, "one", 60_000))?.epoch).to.equal(1); // renewed, same epoch
        expect((await twin.lanes.acquireLane(SIGNER_B, "two", 60_000))?.epoch).to.equal(1); // another lane is free
        await store.lanes.releaseLane(first);
        // a lease of 2 s, not less: a loaded machine must not let it run out before "one" is refused
        const second = (await twin.lanes.acquireLane(SIGNER_A, "two", 2_000))!;
        expect(second.epoch).to.equal(2);
        expect(await store.lanes.acquireLane(SIGNER_A, "one", 60_000)).to.equal(undefined);
        await sleep(2_200);
        expect((await store.lanes.acquireLane(SIGNER_A, "one", 60_000))?.epoch).to.equal(3); // run out: taken over
        expect(await twin.lanes.acquireLane(SIGNER_A, "two", 60_000)).to.equal(undefined);
      });

      it("counts the instances alive, forgets one that stopped or went silent", async function () {
        expect(await store.lanes.heartbeat("one", 60_000)).to.equal(1);
        expect(await twin.lanes.heartbeat("two", 3_000)).to.equal(2);
        expect(await store.lanes.heartbeat("three", 60_000)).to.equal(3);
        await store.lanes.leave("three");
        expect(await store.lanes.heartbeat("one", 60_000)).to.equal(2);
        await sleep(3_500); // a ttl of seconds: a loaded machine must not make "two" silent before the counts above
        expect(await store.lanes.heartbeat("one", 60_000)).to.equal(1);
      });

      it("refuses every lane write under a lease that was taken over (fencing), and writes nothing", async function () {
        await store.jobs.insertJob(newJob(1, "k1"), 1);
        await store.jobs.insertJob(newJob(2, "k2"), 2);
        const old = (await store.lanes.acquireLane(SIGNER_A, "old", 100))!;
        await store.lanes.setNextNonce(old, 5);
        const job = (await store.lanes.claimQueued(old, 1))[0]!;
        await store.lanes.recordAttempt(old, alone(job.id), attempt(alone(job.id).id, SIGNER_A, 5, 1), 6, 3);
        await sleep(250);
        const taker = (await twin.lanes.acquireLane(SIGNER_A, "new", 60_000))!;
        expect(taker.epoch).to.equal(old.epoch + 1);
        const refused = async (write: () => Promise<unknown>) => {
          let error: unknown;
          await write().catch((e: unknown) => (error = e));
          expect(error).to.be.instanceOf(LaneLeaseLost);
        };
        await refused(() => store.lanes.setNextNonce(old, 100));
        await refused(() => store.lanes.claimQueued(old, 1));
        await refused(() => store.lanes.updateLaneJob(old, job.id, { status: "confirmed" }, 4));
        await refused(() => store.lanes.recordAttempt(old, alone(job.id), { ...attempt(alone(job.id).id, SIGNER_A, 5, 2) }, undefined, 4));
        expect(await twin.lanes.getNextNonce(SIGNER_A)).to.equal(6);
        expect((await twin.jobs.getJob(job.id))?.status).to.equal("submitted");
        expect(await twin.lanes.attempts(alone(job.id).id)).to.have.length(1);
        expect((await twin.jobs.getJob(id(2)))?.signer).to.equal(null);
        // The new holder continues where the old one stopped.
        await twin.lanes.recordAttempt(taker, alone(job.id), attempt(alone(job.id).id, SIGNER_A, 5, 3), undefined, 5);
        expect((await twin.lanes.claimQueued(taker, 1))[0]?.id).to.equal(id(2));
      });

      it("gives each queued job to one lane: a lane's own assigned job first, then the oldest unassigned", async function () {
        for (let n = 1; n <= 10; n++) await store.jobs.insertJob(newJob(n, `k${n}`), n);
        const a = (await store.lanes.acquireLane(SIGNER_A, "one", 60_000))!;
        const b = (await twin.lanes.acquireLane(SIGNER_B, "two", 60_000))!;
        expect((await store.lanes.claimQueued(a, 1))[0]?.id).to.equal(id(1));
        expect((await store.lanes.claimQueued(a, 1))[0]?.id).to.equal(id(1)); // still queued, still A's: A gets it again
        expect((await twin.lanes.claimQueued(b, 1))[0]?.id).to.equal(id(2));
        expect((await store.lanes.laneJobs(SIGNER_A, ["queued"])).map((j) => j.id)).to.deep.equal([id(1)]);
        // A and B claim concurrently until nothing is left; each job goes to exactly one of them.
        await store.lanes.updateLaneJob(a, id(1), { status: "expired" }, 11);
        await twin.lanes.updateLaneJob(b, id(2), { status: "expired" }, 11);
        const drain = async (s: Stores, lease: LaneLease) => {
          const got: string[] = [];
          for (;;) {
            const job = (await s.lanes.claimQueued(lease, 1))[0];
            if (!job) return got;
            got.push(job.id);
            await s.lanes.updateLaneJob(lease, job.id, { status: "expired" }, 12);
          }
        };
        const [fromA, fromB] = await Promise.all([drain(store, a), drain(twin, b)]);
        expect([...fromA, ...fromB].sort()).to.deep.equal([3, 4, 5, 6, 7, 8, 9, 10].map(id));
        expect(fromA.filter((j) => fromB.includes(j))).to.deep.equal([]);
        let error: unknown;
        await store.lanes.updateLaneJob(a, fromB[0] ?? id(2), { status: "queued" }, 13).catch((e: unknown) => (error = e));
        expect(error, "a lane may not write another lane's job").to.be.instanceOf(LaneLeaseLost);
      });

      it("records an attempt atomically with the lane's nonce, and refuses an attempt the job or lane is not ready for", async function () {
        await store.jobs.insertJob(newJob(1, "k1"), 1);
        await store.jobs.insertJob(newJob(2, "k2"), 2);
        const lease = await claimed(SIGNER_A);
        expect(await store.lanes.getNextNonce(SIGNER_A.toLowerCase())).to.equal(0);
        const job = (await store.lanes.claimQueued(lease, 1))[0]!;
        await store.lanes.recordAttempt(lease, alone(job.id), attempt(alone(job.id).id, SIGNER_A, 0, 1), 1, 5);
        const stored = (await twin.jobs.getJob(job.id))!;
        expect([stored.status, stored.nonce, stored.txHash, stored.submittedAt, stored.signer]).to.deep.equal([
          "submitted",
          0,
          attempt(alone(job.id).id, SIGNER_A, 0, 1).hash,
          5,
          SIGNER_A.toLowerCase(),
        ]);
        expect(await twin.lanes.getNextNonce(SIGNER_A)).to.equal(1);
        expect((await store.lanes.laneJobs(SIGNER_A, ["submitted", "mined"])).map((j) => j.id)).to.deep.equal([job.id]);
        const next = (await store.lanes.claimQueued(lease, 1))[0]!;
        // The nonce is 1 now: a first attempt with nonce 0 (or a first attempt for a submitted job) is refused.
        for (const [send, a, nextNonce] of [
          [alone(next.id), attempt(alone(next.id).id, SIGNER_A, 0, 2), 1],
          [alone(job.id), attempt(alone(job.id).id, SIGNER_A, 1, 3), 2],
          [alone(next.id), attempt(alone(next.id).id, SIGNER_A, 1, 4), undefined],
          [alone(next.id), attempt(alone(job.id).id, SIGNER_A, 1, 6), 2], // an attempt of another send
        ] as const) {
          let error: unknown;
          await store.lanes.recordAttempt(lease, send, a, nextNonce, 6).catch((e: unknown) => (error = e));
          expect(error, `attempt ${a.hash}`).to.be.instanceOf(Error);
        }
        expect(await store.lanes.attempts(alone(next.id).id)).to.deep.equal([]);
        // A replacement (fee bump) reuses the job's nonce and becomes its current transaction.
        await store.lanes.recordAttempt(lease, alone(job.id), { ...attempt(alone(job.id).id, SIGNER_A, 0, 5), maxFeePerGas: 7n }, undefined, 7);
        expect((await twin.lanes.attempts(alone(job.id).id)).map((a) => a.hash)).to.deep.equal([
          attempt(alone(job.id).id, SIGNER_A, 0, 1).hash,
          attempt(alone(job.id).id, SIGNER_A, 0, 5).hash,
        ]);
        expect((await twin.jobs.getJob(job.id))?.txHash).to.equal(attempt(alone(job.id).id, SIGNER_A, 0, 5).hash);
        expect(await twin.lanes.getNextNonce(SIGNER_A)).to.equal(1);
      });

      it("claims queued jobs of one kind for a batch: the lane's own first, then the oldest unassigned, each to one lane", async function () {
        for (let n = 1; n <= 8; n++) await store.jobs.insertJob({ ...newJob(n, `k${n}`), authType: n % 4 === 0 ? "eip712" : "ring" }, n);
        const a = (await store.lanes.acquireLane(SIGNER_A, "one", 60_000))!;
        const b = (await twin.lanes.acquireLane(SIGNER_B, "two", 60_000))!;
        expect((await twin.lanes.claimQueued(b, 1))[0]?.id).to.equal(id(1)); // B's own from now on
        expect((await store.lanes.claimQueued(a, 3, "ring")).map((j) => j.id)).to.deep.equal([id(2), id(3), id(5)]);
        // A's claimed jobs stay A's and come first; B gets its own, then what nobody holds.
        expect((await store.lanes.claimQueued(a, 2, "ring")).map((j) => j.id)).to.deep.equal([id(2), id(3)]);
        expect((await twin.lanes.claimQueued(b, 8, "ring")).map((j) => j.id)).to.deep.equal([id(1), id(6), id(7)]);
        expect((await store.lanes.claimQueued(a, 8, "eip712")).map((j) => j.id)).to.deep.equal([id(4), id(8)]);
        expect((await store.lanes.laneJobs(SIGNER_A, ["queued"])).map((j) => j.id)).to.deep.equal([2, 3, 4, 5, 8].map(id));
        const [fromA, fromB] = await Promise.all([store.lanes.claimQueued(a, 8, "ring"), twin.lanes.claimQueued(b, 8, "ring")]);
        expect(fromA.filter((j) => fromB.some((k) => k.id === j.id))).to.deep.equal([]);
      });

      it("records a send of several jobs (a batch) atomically with its members, their indices and the lane's nonce; a replacement keeps the membership", async function () {
        for (let n = 1; n <= 4; n++) await store.jobs.insertJob(newJob(n, `k${n}`), n);
        const lease = await claimed(SIGNER_A);
        const members = (await store.lanes.claimQueued(lease, 3, "ring")).map((j) => j.id);
        const batch = { id: id(100), signer: SIGNER_A.toLowerCase(), to: "0x" + "11".repeat(20), data: "0xabcd", jobIds: [members[2], members[0], members[1]] };
        const first = attempt(batch.id, SIGNER_A, 0, 1);
        // Not ready: a member not queued on this lane (job 4 is unassigned), or the wrong nonce; nothing is written.
        const refusals: [NewSend, TxAttempt, number][] = [
          [{ ...batch, jobIds: [...batch.jobIds, id(4)] }, first, 1],
          [batch, attempt(batch.id, SIGNER_A, 1, 2), 2],
          [batch, attempt(id(999), SIGNER_A, 0, 3), 1],
        ];
        for (const [bad, a, nextNonce] of refusals) {
          let error: unknown;
          await store.lanes.recordAttempt(lease, bad, a, nextNonce, 5).catch((e: unknown) => (error = e));
          expect(error).to.be.instanceOf(Error);
        }
        expect(await twin.lanes.getSend(batch.id)).to.equal(undefined);
        expect(await twin.lanes.attempts(batch.id)).to.deep.equal([]);
        await store.lanes.recordAttempt(lease, batch, first, 1, 5);
        expect(await twin.lanes.getNextNonce(SIGNER_A)).to.equal(1);
        const stored = await twin.lanes.getSend(batch.id);
        expect(stored).to.deep.include({ id: batch.id, signer: SIGNER_A.toLowerCase(), nonce: 0, to: batch.to, data: "0xabcd", createdAt: 5 });
        expect(stored?.jobIds).to.deep.equal(batch.jobIds);
        for (const [i, jobId] of batch.jobIds.entries()) {
          const j = (await twin.jobs.getJob(jobId))!;
          expect([j.status, j.nonce, j.txHash, j.sendId, j.batchIndex, j.submittedAt]).to.deep.equal(["submitted", 0, first.hash, batch.id, i, 5]);
        }
        // The members are no longer queued: a second first attempt of the same jobs is refused.
        let again: unknown;
        await store.lanes.recordAttempt(lease, { ...batch, id: id(101) }, attempt(id(101), SIGNER_A, 1, 3), 2, 6).catch((e: unknown) => (again = e));
        expect(again).to.be.instanceOf(Error);
        // A replacement reuses the nonce, keeps the members and indices, and becomes their current transaction.
        const bump = { ...attempt(batch.id, SIGNER_A, 0, 4), maxFeePerGas: 9n };
        await store.lanes.recordAttempt(lease, batch, bump, undefined, 7);
        expect((await twin.lanes.attempts(batch.id)).map((a) => [a.hash, a.sendId, a.maxFeePerGas])).to.deep.equal([
          [first.hash, batch.id, first.maxFeePerGas],
          [bump.hash, batch.id, 9n],
        ]);
        expect((await twin.jobs.getJob(members[1]))?.txHash).to.equal(bump.hash);
        expect(await twin.lanes.getNextNonce(SIGNER_A)).to.equal(1);
        // Fenced: once the lane is taken over, the old holder can record nothing for the batch.
        await store.lanes.releaseLane(lease);
        await twin.lanes.acquireLane(SIGNER_A, "other", 60_000);
        let fenced: unknown;
        await store.lanes.recordAttempt(lease, batch, attempt(batch.id, SIGNER_A, 0, 5), undefined, 8).catch((e: unknown) => (fenced = e));
        expect(fenced).to.be.instanceOf(LaneLeaseLost);
        expect(await twin.lanes.attempts(batch.id)).to.have.length(2);
      });
    });
  }

  describe("migrations are append-only", function () {
    // The SHA-256 of every shipped migration's text. A database that applied one must not meet another text under the
    // same version: a new migration appends a line here, an old line never changes (both lists share sharedSchema.ts).
    const SHIPPED = {
      sqlite: [
        "2fda1b44f9fd55f3a4aadda72b78fc1de567637ae6035f90632749e80e355860",
        "07c4406779ba3b96dcd6e7935c320d65fd1d716b3a07ed23cadc621420e3ef21",
        "e6da007665029052165dbbd2cb072e8debb3df39a8253a54a86034fc071a898a",
        "45dada772964d2cf596680477621122b57eafa9f6bb98f72a34d474542d9ea0f",
        "d5011e95fe5c3fa6a779689232d47ad4e3769d169a6e8eddb348618739bba05e",
        "9124adde56d3addb8b6a0a6e18878ac85ca4f07813c5a752f206408cef67ace5",
        "5b3a766de94b4b23e8fa219f25c4d51452ec0b59b30480aac639a507069eba1e",
      ],
      postgres: [
        "10e6ef345756ad317962dac4d261e50c46829ab8a5b5a49a45f0373e7cba9db4",
        "421b85197ea6535e952bda61277bfc72df6d96048df8f7cc5a15dd55f875ff76",
        "7f643967b5cc5f2b0006ff1ea5dd3a91967bef4301955324033f99cb602ce355",
        "5b3a766de94b4b23e8fa219f25c4d51452ec0b59b30480aac639a507069eba1e",
      ],
    };
    const sha256 = (sql: string) => createHash("sha256").update(sql).digest("hex");

    it("keeps every shipped SQLite and PostgreSQL migration to the byte", function () {
      expect(MIGRATIONS.slice(0, SHIPPED.sqlite.length).map(sha256)).to.deep.equal(SHIPPED.sqlite);
      expect(POSTGRES_MIGRATIONS.slice(0, SHIPPED.postgres.length).map(sha256)).to.deep.equal(SHIPPED.postgres);
    });
  });

  describe("sqlite migrations", function () {
    function databaseAt(version: number) {
      const dir = mkdtempSync(join(tmpdir(), "medring-store-"));
      const db = new Database(join(dir, SQLITE_FILE));
      db.exec("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)");
      for (const [i, sql] of MIGRATIONS.slice(0, version).entries()) {
        db.exec(sql);
        db.prepare("INSERT INTO schema_migrations (version, applied_at) VALUES (?, 0)").run(i + 1);
      }
      return { dir, db };
    }

    function open(dir: string) {
      const sql = new SqliteDatabase(dir);
      return { sql, jobs: new SqliteJobStore(sql), lanes: new SqliteLaneStore(sql), close: () => sql.close() };
    }

    it("migration 3 moves an existing job's replay key into replay_slots", async function () {
      const { dir, db } = databaseAt(2);
      const jobId = "0x" + "ab".repeat(32);
      db.prepare(
        "INSERT INTO jobs (id, kind, auth_type, to_address, data, gas_estimate, deadline, replay_key, status, created_at, updated_at) VALUES (?, 'warrant', 'ring', ?, '0x', '1', 0, 'ring:k', 'queued', 1, 1)",
      ).run(jobId, "0x" + "11".repeat(20));
      db.close();
      const store = open(dir);
      expect(store.sql.schemaVersion()).to.equal(MIGRATIONS.length);
      expect((await store.jobs.findLiveByReplayKey("ring:k"))?.id).to.equal(jobId);
      expect((await store.jobs.getJob(jobId))?.principal).to.equal("");
      await store.close();
    });

    it("migration 4 carries each signer's next nonce into its lane and the jobs' signers in lower case", async function () {
      const { dir, db } = databaseAt(3);
      db.prepare("INSERT INTO nonces (signer, next_nonce) VALUES (?, 41)").run(SIGNER_A.toLowerCase());
      const jobId = "0x" + "cd".repeat(32);
      db.prepare(
        "INSERT INTO jobs (id, kind, auth_type, to_address, data, gas_estimate, deadline, status, signer, nonce, created_at, updated_at) VALUES (?, 'warrant', 'ring', ?, '0x', '1', 0, 'submitted', ?, 40, 1, 1)",
      ).run(jobId, "0x" + "11".repeat(20), SIGNER_A);
      db.close();
      const store = open(dir);
      expect(await store.lanes.getNextNonce(SIGNER_A)).to.equal(41);
      expect((await store.lanes.laneJobs(SIGNER_A, ["submitted"])).map((j) => j.id)).to.deep.equal([jobId]);
      expect((await store.lanes.acquireLane(SIGNER_A, "h", 1000))?.epoch).to.equal(1);
      await store.close();
    });

    it("migration 5 keeps a job sent before batching, as a single (no batch, no index); migration 6 gives it no send, having no attempt", async function () {
      const { dir, db } = databaseAt(4);
      const jobId = "0x" + "ef".repeat(32);
      db.prepare(
        "INSERT INTO jobs (id, kind, auth_type, to_address, data, gas_estimate, deadline, status, signer, nonce, created_at, updated_at) VALUES (?, 'warrant', 'ring', ?, '0x', '1', 0, 'submitted', ?, 3, 1, 1)",
      ).run(jobId, "0x" + "11".repeat(20), SIGNER_A.toLowerCase());
      db.close();
      const store = open(dir);
      expect(store.sql.schemaVersion()).to.equal(MIGRATIONS.length);
      expect(await store.jobs.getJob(jobId)).to.deep.include({ status: "submitted", nonce: 3, sendId: null, batchIndex: null });
      await store.close();
    });
    it("migration 6 makes each job sent alone a send of one with the attempts of its nonce, and each batch a send", async function () {
      const { dir, db } = databaseAt(5);
      const [single, requeued, member] = ["a1", "a2", "a3"].map((b) => "0x" + b.repeat(32));
      const insertJob = db.prepare(
        "INSERT INTO jobs (id, kind, auth_type, to_address, data, gas_estimate, deadline, status, signer, nonce, batch_id, batch_index, created_at, updated_at) VALUES (?, 'warrant', 'ring', ?, '0xdd', '1', 0, ?, ?, ?, ?, ?, 1, 1)",
      );
      const insertAttempt = db.prepare(
        "INSERT INTO tx_attempts (hash, job_id, signer, nonce, raw, max_fee_per_gas, max_priority_fee_per_gas, gas_limit, created_at) VALUES (?, ?, ?, ?, '0x02', '1', '1', '1', ?)",
      );
      const to = "0x" + "11".repeat(20);
      const lane = SIGNER_A.toLowerCase();
      insertJob.run(single, to, "submitted", lane, 7, null, null);
      insertAttempt.run(id(1), single, SIGNER_A, 6, 1); // of a nonce spent elsewhere before the job was re-queued
      insertAttempt.run(id(2), single, SIGNER_A, 7, 2);
      insertAttempt.run(id(3), single, SIGNER_A, 7, 3);
      insertJob.run(requeued, to, "queued", null, null, null, null);
      insertAttempt.run(id(4), requeued, SIGNER_A, 5, 4);
      const batch = id(50);
      db.prepare("INSERT INTO batches (id, signer, nonce, to_address, data, created_at) VALUES (?, ?, 8, ?, '0xbb', 9)").run(batch, lane, to);
      db.prepare(
        "INSERT INTO batch_attempts (hash, purpose, batch_id, signer, nonce, raw, max_fee_per_gas, max_priority_fee_per_gas, gas_limit, created_at) VALUES (?, 'action', ?, ?, 8, '0x02', '1', '1', '1', 9)",
      ).run(id(5), batch, SIGNER_A);
      insertJob.run(member, to, "submitted", lane, 8, batch, 0);
      db.close();
      const store = open(dir);
      expect(store.sql.schemaVersion()).to.equal(MIGRATIONS.length);
      expect(await store.jobs.getJob(single)).to.deep.include({ sendId: single, batchIndex: null, nonce: 7 });
      expect(await store.lanes.getSend(single)).to.deep.include({ nonce: 7, to, data: "0xdd", jobIds: [single] });
      expect((await store.lanes.attempts(single)).map((a) => [a.hash, a.sendId])).to.deep.equal([
        [id(2), single],
        [id(3), single],
      ]);
      expect(await store.jobs.getJob(requeued)).to.deep.include({ sendId: null, status: "queued" });
      expect(await store.lanes.getSend(requeued)).to.equal(undefined);
      expect(await store.lanes.getSend(batch)).to.deep.include({ nonce: 8, data: "0xbb", jobIds: [member] });
      expect((await store.lanes.attempts(batch)).map((a) => a.hash)).to.deep.equal([id(5)]);
      expect(await store.jobs.getJob(member)).to.deep.include({ sendId: batch, batchIndex: 0 });
      await store.close();
    });
  });

  describe("postgres", function () {
    it("refuses a database where synchronous_commit is off (an accepted job could be lost)", async function () {
      postgres ??= await startTestPostgres();
      const url = await postgres.database("async_commit");
      const admin = new Client({ connectionString: url });
      await admin.connect();
      await admin.query("ALTER DATABASE async_commit SET synchronous_commit = off");
      await admin.end();
      let error: unknown;
      await PgDatabase.open(url).catch((e: unknown) => (error = e));
      expect((error as Error)?.message).to.match(/synchronous_commit = off/);
    });

    it("migrates once when several instances start at the same time", async function () {
      postgres ??= await startTestPostgres();
      const url = await postgres.database("migrate_race");
      const stores = await Promise.all(Array.from({ length: 4 }, () => PgDatabase.open(url)));
      const latest = POSTGRES_MIGRATIONS.length;
      expect(await Promise.all(stores.map((s) => s.schemaVersion()))).to.deep.equal([latest, latest, latest, latest]);
      await Promise.all(stores.map((s) => s.close()));
    });
  });
});
