import { LaneLeaseLost } from "../types";
import type { Job, JobPatch, JobStatus, LaneLease, LaneStore, NewJob, NewSend, Send, TxAttempt } from "../types";
import { batchIndexIn, checkAttempt } from "../attemptRule";
import type { MemoryLane, MemoryState } from "./state";

/**
 * In-memory LaneStore over the data of a MemoryJobStore (MemoryState), with the same semantics as the SQL ones. Every
 * method runs to completion without an await inside, so each is atomic in the one process that can use it.
 */
export class MemoryLaneStore implements LaneStore {
  constructor(private readonly state: MemoryState) {}

  async heartbeat(holder: string, ttlMs: number): Promise<number> {
    const now = Date.now();
    this.state.instances.set(holder, now + ttlMs);
    for (const [h, until] of this.state.instances) if (until < now) this.state.instances.delete(h);
    return this.state.instances.size;
  }

  async leave(holder: string): Promise<void> {
    this.state.instances.delete(holder);
  }

  async acquireLane(signer: string, holder: string, ttlMs: number): Promise<LaneLease | undefined> {
    const key = signer.toLowerCase();
    const now = Date.now();
    const row = this.state.lanes.get(key) ?? { nextNonce: undefined, holder: null, leaseUntil: 0, epoch: 0 };
    if (row.holder !== null && row.holder !== holder && row.leaseUntil >= now) return undefined;
    const epoch = row.holder === holder ? row.epoch : row.epoch + 1;
    this.state.lanes.set(key, { ...row, holder, leaseUntil: now + ttlMs, epoch });
    return { signer: key, holder, epoch, until: now + ttlMs };
  }

  async releaseLane(lease: LaneLease): Promise<void> {
    const row = this.state.lanes.get(lease.signer);
    if (row && row.epoch === lease.epoch && row.holder === lease.holder) this.state.lanes.set(lease.signer, { ...row, holder: null, leaseUntil: 0 });
  }

  /** The lane's row if `lease` still holds it; LaneLeaseLost otherwise. */
  private fence(lease: LaneLease): MemoryLane {
    const row = this.state.lanes.get(lease.signer);
    if (!row || row.epoch !== lease.epoch || row.holder !== lease.holder) throw new LaneLeaseLost(lease.signer);
    return row;
  }

  async getNextNonce(signer: string): Promise<number | undefined> {
    return this.state.lanes.get(signer.toLowerCase())?.nextNonce;
  }

  async setNextNonce(lease: LaneLease, next: number): Promise<void> {
    this.state.lanes.set(lease.signer, { ...this.fence(lease), nextNonce: next });
  }

  async laneJobs(signer: string, statuses: readonly JobStatus[]): Promise<Job[]> {
    const key = signer.toLowerCase();
    return this.state.oldestFirst((j) => j.signer === key && statuses.includes(j.status));
  }

  async claimQueued(lease: LaneLease, limit: number, authType?: NewJob["authType"]): Promise<Job[]> {
    this.fence(lease);
    const queued = this.state.oldestFirst((j) => j.status === "queued" && (authType === undefined || j.authType === authType));
    const picked = [...queued.filter((j) => j.signer === lease.signer), ...queued.filter((j) => j.signer === null)].slice(0, limit);
    return picked.map((job) => {
      const claimed = { ...job, signer: lease.signer };
      this.state.jobs.set(job.id, claimed);
      return { ...claimed };
    });
  }

  async updateLaneJob(lease: LaneLease, id: string, patch: JobPatch, now: number): Promise<void> {
    this.fence(lease);
    const j = this.state.jobs.get(id);
    if (!j) throw new Error(`updateLaneJob: no job ${id}`);
    if (j.signer !== lease.signer) throw new LaneLeaseLost(lease.signer);
    this.state.jobs.set(id, { ...j, ...patch, updatedAt: now });
  }

  async recordAttempt(lease: LaneLease, send: NewSend, a: TxAttempt, nextNonce: number | undefined, now: number): Promise<void> {
    const row = this.fence(lease);
    checkAttempt(
      a,
      send,
      nextNonce,
      lease.signer,
      send.jobIds.map((id) => this.state.jobs.get(id)),
      row.nextNonce,
    );
    if (nextNonce !== undefined) {
      this.state.sends.set(send.id, { id: send.id, signer: lease.signer, nonce: a.nonce, to: send.to, data: send.data, createdAt: now });
      this.state.lanes.set(lease.signer, { ...row, nextNonce });
    }
    this.state.attempts.set(send.id, [...(this.state.attempts.get(send.id) ?? []), { ...a }]);
    send.jobIds.forEach((id, i) => {
      const j = this.state.jobs.get(id)!;
      const sent = { status: "submitted" as const, nonce: a.nonce, txHash: a.hash, sendId: send.id, batchIndex: batchIndexIn(send, i) };
      this.state.jobs.set(id, { ...j, ...sent, submittedAt: j.submittedAt ?? now, updatedAt: now });
    });
  }

  async getSend(id: string): Promise<Send | undefined> {
    const s = this.state.sends.get(id);
    if (!s) return undefined;
    const members = [...this.state.jobs.values()].filter((j) => j.sendId === id).sort((x, y) => (x.batchIndex ?? 0) - (y.batchIndex ?? 0));
    return { ...s, jobIds: members.map((j) => j.id) };
  }

  async attempts(sendId: string): Promise<TxAttempt[]> {
    return (this.state.attempts.get(sendId) ?? []).map((a) => ({ ...a }));
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {}
}
