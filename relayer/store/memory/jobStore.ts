import { statusCounts } from "../rows";
import { RELEASED_STATUSES } from "../types";
import type { InsertOutcome, Job, JobStatus, JobStore, NewJob, Penalty } from "../types";
import type { MemoryState } from "./state";

/**
 * In-memory JobStore with the same semantics as the SQL ones. Every method runs to completion without an await
 * inside, so each is atomic in the one process that can use it.
 */
export class MemoryJobStore implements JobStore {
  constructor(private readonly state: MemoryState) {}

  async insertJob(newJob: NewJob, now: number): Promise<InsertOutcome> {
    const existing = this.state.jobs.get(newJob.id);
    if (existing) return { outcome: "duplicate", job: { ...existing } };
    for (const key of newJob.replayKeys) {
      const holder = this.liveByReplayKey(key);
      if (holder) return { outcome: "replay-conflict", job: holder };
    }
    const { replayKeys, ...job } = newJob;
    for (const key of new Set(replayKeys)) this.state.slots.set(key, [...(this.state.slots.get(key) ?? []), job.id]);
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
      sendId: null,
      batchIndex: null,
    };
    this.state.jobs.set(job.id, stored);
    return { outcome: "created", job: { ...stored } };
  }

  async getJob(id: string): Promise<Job | undefined> {
    const j = this.state.jobs.get(id);
    return j ? { ...j } : undefined;
  }

  async findLiveByReplayKey(replayKey: string): Promise<Job | undefined> {
    return this.liveByReplayKey(replayKey);
  }

  private liveByReplayKey(replayKey: string): Job | undefined {
    for (const id of this.state.slots.get(replayKey) ?? []) {
      const j = this.state.jobs.get(id)!;
      if (!(RELEASED_STATUSES as readonly JobStatus[]).includes(j.status)) return { ...j };
    }
    return undefined;
  }

  async penalize(principal: string, until: number, reason: string): Promise<void> {
    const current = this.state.penalties.get(principal);
    this.state.penalties.set(principal, { until: Math.max(until, current?.until ?? 0), reason });
  }

  async penaltyOf(principal: string, now: number): Promise<Penalty | undefined> {
    const p = this.state.penalties.get(principal);
    return p && p.until > now ? { ...p } : undefined;
  }

  async listByStatus(statuses: readonly JobStatus[], limit = Number.MAX_SAFE_INTEGER): Promise<Job[]> {
    return this.state.oldestFirst((j) => statuses.includes(j.status)).slice(0, limit);
  }

  async countByStatus(): Promise<Record<JobStatus, number>> {
    return statusCounts([...this.state.jobs.values()].map((j) => ({ status: j.status, n: 1 })));
  }

  async sharedSecret(name: string, candidate: string): Promise<string> {
    if (!this.state.secrets.has(name)) this.state.secrets.set(name, candidate);
    return this.state.secrets.get(name)!;
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {}
}
