import { JOB_STATUSES, LaneLeaseLost } from "./types";
import type { Batch, InsertOutcome, Job, JobPatch, JobStatus, JobStore, LaneLease, NewBatch, NewJob, Penalty, TxAttempt } from "./types";
import { checkAttempt, checkBatchAttempt } from "./attemptRule";

interface LaneRow {
  nextNonce: number | undefined;
  holder: string | null;
  leaseUntil: number;
  epoch: number;
}

/**
 * In-memory job store with the same semantics as the SQLite one. Loses everything on exit: tests only. Every method
 * runs to completion without an await inside, so each is atomic in the one process that can use it.
 */
export class MemoryJobStore implements JobStore {
  private readonly jobs = new Map<string, Job>();
  private readonly tx = new Map<string, TxAttempt[]>();
  private readonly batches = new Map<string, Omit<Batch, "jobIds">>();
  private readonly batchTx = new Map<string, TxAttempt[]>();
  private readonly lanes = new Map<string, LaneRow>();
  /** replay slot → ids of the jobs that hold it. */
  private readonly slots = new Map<string, string[]>();
  private readonly penalties = new Map<string, Penalty>();
  /** instance → alive until (ms). */
  private readonly instances = new Map<string, number>();

  async insertJob(newJob: NewJob, now: number): Promise<InsertOutcome> {
    const existing = this.jobs.get(newJob.id);
    if (existing) return { outcome: "duplicate", job: { ...existing } };
    for (const key of newJob.replayKeys) {
      const holder = this.liveByReplayKey(key);
      if (holder) return { outcome: "replay-conflict", job: holder };
    }
    const { replayKeys, ...job } = newJob;
    for (const key of new Set(replayKeys)) this.slots.set(key, [...(this.slots.get(key) ?? []), job.id]);
    const stored: Job = {
      ...job,
      status: "queued",
      reason: null,
      signer: null,
      nonce: null,
      txHash: null,
      blockNumber: null,
      blockHash: null,
      gasUsed: null,
      createdAt: now,
      updatedAt: now,
      submittedAt: null,
      minedAt: null,
      batchId: null,
      batchIndex: null,
    };
    this.jobs.set(job.id, stored);
    return { outcome: "created", job: { ...stored } };
  }

  async getJob(id: string): Promise<Job | undefined> {
    const j = this.jobs.get(id);
    return j ? { ...j } : undefined;
  }

  async findLiveByReplayKey(replayKey: string): Promise<Job | undefined> {
    return this.liveByReplayKey(replayKey);
  }

  private liveByReplayKey(replayKey: string): Job | undefined {
    for (const id of this.slots.get(replayKey) ?? []) {
      const j = this.jobs.get(id)!;
      if (j.status !== "failed" && j.status !== "expired") return { ...j };
    }
    return undefined;
  }

  async penalize(principal: string, until: number, reason: string): Promise<void> {
    const current = this.penalties.get(principal);
    this.penalties.set(principal, { until: Math.max(until, current?.until ?? 0), reason });
  }

  async penaltyOf(principal: string, now: number): Promise<Penalty | undefined> {
    const p = this.penalties.get(principal);
    return p && p.until > now ? { ...p } : undefined;
  }

  async listByStatus(statuses: readonly JobStatus[], limit = Number.MAX_SAFE_INTEGER): Promise<Job[]> {
    return this.oldestFirst((j) => statuses.includes(j.status)).slice(0, limit);
  }

  /** Copies of the jobs that match, oldest first (insertion order among equal creation times, as the SQL stores). */
  private oldestFirst(match: (j: Job) => boolean): Job[] {
    return [...this.jobs.values()]
      .filter(match)
      .sort((a, b) => a.createdAt - b.createdAt)
      .map((j) => ({ ...j }));
  }

  async countByStatus(): Promise<Record<JobStatus, number>> {
    const out = Object.fromEntries(JOB_STATUSES.map((s) => [s, 0])) as Record<JobStatus, number>;
    for (const j of this.jobs.values()) out[j.status]++;
    return out;
  }

  async heartbeat(holder: string, ttlMs: number): Promise<number> {
    const now = Date.now();
    this.instances.set(holder, now + ttlMs);
    for (const [h, until] of this.instances) if (until < now) this.instances.delete(h);
    return this.instances.size;
  }

  async leave(holder: string): Promise<void> {
    this.instances.delete(holder);
  }

  async acquireLane(signer: string, holder: string, ttlMs: number): Promise<LaneLease | undefined> {
    const key = signer.toLowerCase();
    const now = Date.now();
    const row = this.lanes.get(key) ?? { nextNonce: undefined, holder: null, leaseUntil: 0, epoch: 0 };
    if (row.holder !== null && row.holder !== holder && row.leaseUntil >= now) return undefined;
    const epoch = row.holder === holder ? row.epoch : row.epoch + 1;
    this.lanes.set(key, { ...row, holder, leaseUntil: now + ttlMs, epoch });
    return { signer: key, holder, epoch, until: now + ttlMs };
  }

  async releaseLane(lease: LaneLease): Promise<void> {
    const row = this.lanes.get(lease.signer);
    if (row && row.epoch === lease.epoch && row.holder === lease.holder) this.lanes.set(lease.signer, { ...row, holder: null, leaseUntil: 0 });
  }

  /** The lane's row if `lease` still holds it; LaneLeaseLost otherwise. */
  private fence(lease: LaneLease): LaneRow {
    const row = this.lanes.get(lease.signer);
    if (!row || row.epoch !== lease.epoch || row.holder !== lease.holder) throw new LaneLeaseLost(lease.signer);
    return row;
  }

  async getNextNonce(signer: string): Promise<number | undefined> {
    return this.lanes.get(signer.toLowerCase())?.nextNonce;
  }

  async setNextNonce(lease: LaneLease, next: number): Promise<void> {
    this.lanes.set(lease.signer, { ...this.fence(lease), nextNonce: next });
  }

  async laneJobs(signer: string, statuses: readonly JobStatus[]): Promise<Job[]> {
    const key = signer.toLowerCase();
    return this.oldestFirst((j) => j.signer === key && statuses.includes(j.status));
  }

  async claimNext(lease: LaneLease): Promise<Job | undefined> {
    this.fence(lease);
    const queued = this.oldestFirst((j) => j.status === "queued");
    const job = queued.find((j) => j.signer === lease.signer) ?? queued.find((j) => j.signer === null);
    if (!job) return undefined;
    const claimed = { ...job, signer: lease.signer };
    this.jobs.set(job.id, claimed);
    return { ...claimed };
  }

  async claimQueued(lease: LaneLease, authType: NewJob["authType"], limit: number): Promise<Job[]> {
    this.fence(lease);
    const queued = this.oldestFirst((j) => j.status === "queued" && j.authType === authType);
    const picked = [...queued.filter((j) => j.signer === lease.signer), ...queued.filter((j) => j.signer === null)].slice(0, limit);
    return picked.map((job) => {
      const claimed = { ...job, signer: lease.signer };
      this.jobs.set(job.id, claimed);
      return { ...claimed };
    });
  }

  async updateLaneJob(lease: LaneLease, id: string, patch: JobPatch, now: number): Promise<void> {
    this.fence(lease);
    const j = this.jobs.get(id);
    if (!j) throw new Error(`updateLaneJob: no job ${id}`);
    if (j.signer !== lease.signer) throw new LaneLeaseLost(lease.signer);
    this.jobs.set(id, { ...j, ...patch, updatedAt: now });
  }

  async recordAttempt(lease: LaneLease, a: TxAttempt, nextNonce: number | undefined, now: number): Promise<void> {
    const row = this.fence(lease);
    const j = this.jobs.get(a.jobId);
    if (!j) throw new Error(`recordAttempt: no job ${a.jobId}`);
    if (j.signer !== lease.signer) throw new LaneLeaseLost(lease.signer);
    checkAttempt(a, nextNonce, { status: j.status, nonce: j.nonce }, row.nextNonce);
    this.tx.set(a.jobId, [...(this.tx.get(a.jobId) ?? []), { ...a }]);
    this.jobs.set(a.jobId, { ...j, status: "submitted", nonce: a.nonce, txHash: a.hash, submittedAt: j.submittedAt ?? now, updatedAt: now });
    if (nextNonce !== undefined) this.lanes.set(lease.signer, { ...row, nextNonce });
  }

  async attempts(jobId: string): Promise<TxAttempt[]> {
    return (this.tx.get(jobId) ?? []).map((a) => ({ ...a }));
  }

  async recordBatchAttempt(lease: LaneLease, batch: NewBatch, a: TxAttempt, nextNonce: number | undefined, now: number): Promise<void> {
    const row = this.fence(lease);
    checkBatchAttempt(
      a,
      nextNonce,
      lease.signer,
      batch.jobIds.map((id) => this.jobs.get(id)),
      row.nextNonce,
    );
    if (nextNonce !== undefined)
      this.batches.set(batch.id, { id: batch.id, signer: lease.signer, nonce: a.nonce, to: batch.to, data: batch.data, createdAt: now });
    this.batchTx.set(batch.id, [...(this.batchTx.get(batch.id) ?? []), { ...a }]);
    batch.jobIds.forEach((id, i) => {
      const j = this.jobs.get(id)!;
      this.jobs.set(id, {
        ...j,
        status: "submitted",
        nonce: a.nonce,
        txHash: a.hash,
        batchId: batch.id,
        batchIndex: i,
        submittedAt: j.submittedAt ?? now,
        updatedAt: now,
      });
    });
    if (nextNonce !== undefined) this.lanes.set(lease.signer, { ...row, nextNonce });
  }

  async getBatch(id: string): Promise<Batch | undefined> {
    const b = this.batches.get(id);
    if (!b) return undefined;
    const members = [...this.jobs.values()].filter((j) => j.batchId === id).sort((x, y) => x.batchIndex! - y.batchIndex!);
    return { ...b, jobIds: members.map((j) => j.id) };
  }

  async batchAttempts(batchId: string): Promise<TxAttempt[]> {
    return (this.batchTx.get(batchId) ?? []).map((a) => ({ ...a }));
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {}
}
