import { JOB_STATUSES, type InsertOutcome, type Job, type JobPatch, type JobStatus, type JobStore, type NewJob, type Penalty, type TxAttempt } from "./types";

/** In-memory job store with the same semantics as the SQLite one. Loses everything on exit: tests only. */
export class MemoryJobStore implements JobStore {
  private readonly jobs = new Map<string, Job>();
  private readonly tx = new Map<string, TxAttempt[]>();
  private readonly nonces = new Map<string, number>();
  /** replay slot → ids of the jobs that hold it. */
  private readonly slots = new Map<string, string[]>();
  private readonly penalties = new Map<string, Penalty>();

  insertJob(newJob: NewJob, now: number): InsertOutcome {
    const existing = this.jobs.get(newJob.id);
    if (existing) return { outcome: "duplicate", job: { ...existing } };
    for (const key of newJob.replayKeys) {
      const holder = this.findLiveByReplayKey(key);
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
    };
    this.jobs.set(job.id, stored);
    return { outcome: "created", job: { ...stored } };
  }

  getJob(id: string): Job | undefined {
    const j = this.jobs.get(id);
    return j ? { ...j } : undefined;
  }

  findLiveByReplayKey(replayKey: string): Job | undefined {
    for (const id of this.slots.get(replayKey) ?? []) {
      const j = this.jobs.get(id)!;
      if (j.status !== "failed" && j.status !== "expired") return { ...j };
    }
    return undefined;
  }

  penalize(principal: string, until: number, reason: string): void {
    const current = this.penalties.get(principal);
    this.penalties.set(principal, { until: Math.max(until, current?.until ?? 0), reason });
  }

  penaltyOf(principal: string, now: number): Penalty | undefined {
    const p = this.penalties.get(principal);
    return p && p.until > now ? { ...p } : undefined;
  }

  listByStatus(statuses: readonly JobStatus[], limit = Number.MAX_SAFE_INTEGER): Job[] {
    return [...this.jobs.values()].filter((j) => statuses.includes(j.status)).slice(0, limit).map((j) => ({ ...j }));
  }

  countByStatus(): Record<JobStatus, number> {
    const out = Object.fromEntries(JOB_STATUSES.map((s) => [s, 0])) as Record<JobStatus, number>;
    for (const j of this.jobs.values()) out[j.status]++;
    return out;
  }

  updateJob(id: string, patch: JobPatch, now: number): void {
    const j = this.jobs.get(id);
    if (!j) throw new Error(`updateJob: no job ${id}`);
    this.jobs.set(id, { ...j, ...patch, updatedAt: now });
  }

  getNextNonce(signer: string): number | undefined {
    return this.nonces.get(signer.toLowerCase());
  }

  setNextNonce(signer: string, next: number): void {
    this.nonces.set(signer.toLowerCase(), next);
  }

  recordAttempt(a: TxAttempt, nextNonce: number | undefined, now: number): void {
    const j = this.jobs.get(a.jobId);
    if (!j) throw new Error(`recordAttempt: no job ${a.jobId}`);
    this.tx.set(a.jobId, [...(this.tx.get(a.jobId) ?? []), { ...a }]);
    this.jobs.set(a.jobId, {
      ...j,
      status: "submitted",
      signer: a.signer,
      nonce: a.nonce,
      txHash: a.hash,
      submittedAt: j.submittedAt ?? now,
      updatedAt: now,
    });
    if (nextNonce !== undefined) this.setNextNonce(a.signer, nextNonce);
  }

  attempts(jobId: string): TxAttempt[] {
    return (this.tx.get(jobId) ?? []).map((a) => ({ ...a }));
  }

  ping(): void {}

  close(): void {}
}
