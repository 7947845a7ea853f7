import { statusCounts, toJob, type JobRow } from "../rows";
import type { InsertOutcome, Job, JobStatus, JobStore, NewJob, Penalty } from "../types";
import type { SqliteDatabase } from "./database";

/** The SQLite JobStore, on the database it shares with the SQLite LaneStore (database.ts says how it is durable). */
export class SqliteJobStore implements JobStore {
  constructor(private readonly sql: SqliteDatabase) {}

  /**
   * Group commit: the inserts requested in one turn of the event loop are committed together, one transaction and one
   * fsync for all of them (each still checked and inserted in order, inside its own savepoint, so one insert's error
   * fails only that one). A request is answered only after the commit that holds its job: durable on return, as one
   * insert per transaction would be, with the fsync (milliseconds, and it blocks the event loop) shared.
   */
  async insertJob(job: NewJob, now: number): Promise<InsertOutcome> {
    return new Promise((resolve, reject) => {
      this.pendingInserts.push({ job, now, resolve, reject });
      if (this.pendingInserts.length === 1) setImmediate(() => this.commitInserts());
    });
  }

  private readonly pendingInserts: { job: NewJob; now: number; resolve: (o: InsertOutcome) => void; reject: (e: unknown) => void }[] = [];

  private commitInserts(): void {
    const batch = this.pendingInserts.splice(0);
    const results: ({ ok: true; outcome: InsertOutcome } | { ok: false; error: unknown })[] = [];
    try {
      this.sql.transaction(() => {
        for (const p of batch) {
          try {
            results.push({ ok: true, outcome: this.sql.transaction(() => this.insertOne(p.job, p.now)) });
          } catch (error) {
            results.push({ ok: false, error }); // rolled back to its savepoint; the others stand
          }
        }
      });
    } catch (error) {
      for (const p of batch) p.reject(error); // the commit failed: nothing of the batch is stored
      return;
    }
    batch.forEach((p, i) => {
      const r = results[i];
      if (r.ok) p.resolve(r.outcome);
      else p.reject(r.error);
    });
  }

  /** The replay check and the insert of one job; runs inside a transaction. */
  private insertOne(job: NewJob, now: number): InsertOutcome {
    const existing = this.job(job.id);
    if (existing) return { outcome: "duplicate", job: existing };
    for (const key of job.replayKeys) {
      const holder = this.liveByReplayKey(key);
      if (holder) return { outcome: "replay-conflict", job: holder };
    }
    this.sql
      .stmt(
        `INSERT INTO jobs (id, kind, auth_type, to_address, data, gas_estimate, deadline, principal, status, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?)`,
      )
      .run(job.id, job.kind, job.authType, job.to, job.data, job.gasEstimate.toString(), job.deadline, job.principal, now, now);
    const slot = this.sql.stmt("INSERT INTO replay_slots (slot, job_id) VALUES (?, ?)");
    for (const key of new Set(job.replayKeys)) slot.run(key, job.id);
    return { outcome: "created", job: this.job(job.id)! };
  }

  async getJob(id: string): Promise<Job | undefined> {
    return this.job(id);
  }

  private job(id: string): Job | undefined {
    const r = this.sql.stmt("SELECT * FROM jobs WHERE id = ?").get(id) as JobRow | undefined;
    return r ? toJob(r) : undefined;
  }

  async findLiveByReplayKey(replayKey: string): Promise<Job | undefined> {
    return this.liveByReplayKey(replayKey);
  }

  private liveByReplayKey(replayKey: string): Job | undefined {
    const r = this.sql
      .stmt(
        `SELECT jobs.* FROM replay_slots JOIN jobs ON jobs.id = replay_slots.job_id
         WHERE replay_slots.slot = ? AND jobs.status NOT IN ('failed', 'expired') ORDER BY jobs.created_at LIMIT 1`,
      )
      .get(replayKey) as JobRow | undefined;
    return r ? toJob(r) : undefined;
  }

  async penalize(principal: string, until: number, reason: string): Promise<void> {
    this.sql
      .stmt(
        `INSERT INTO penalties (principal, until, reason) VALUES (?, ?, ?)
         ON CONFLICT (principal) DO UPDATE SET until = MAX(until, excluded.until), reason = excluded.reason`,
      )
      .run(principal, until, reason);
  }

  async penaltyOf(principal: string, now: number): Promise<Penalty | undefined> {
    const r = this.sql.stmt("SELECT until, reason FROM penalties WHERE principal = ? AND until > ?").get(principal, now) as Penalty | undefined;
    return r ? { until: r.until, reason: r.reason } : undefined;
  }

  async listByStatus(statuses: readonly JobStatus[], limit = 1_000_000): Promise<Job[]> {
    if (statuses.length === 0) return [];
    const marks = statuses.map(() => "?").join(", ");
    const rows = this.sql.stmt(`SELECT * FROM jobs WHERE status IN (${marks}) ORDER BY created_at, rowid LIMIT ?`).all(...statuses, limit) as JobRow[];
    return rows.map(toJob);
  }

  async countByStatus(): Promise<Record<JobStatus, number>> {
    return statusCounts(this.sql.stmt("SELECT status, COUNT(*) AS n FROM jobs GROUP BY status").all() as { status: JobStatus; n: number }[]);
  }

  async sharedSecret(name: string, candidate: string): Promise<string> {
    return this.sql.transaction(() => {
      this.sql.stmt("INSERT INTO secrets (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING").run(name, candidate);
      return (this.sql.stmt("SELECT value FROM secrets WHERE name = ?").get(name) as { value: string }).value;
    });
  }

  ping(): Promise<void> {
    return this.sql.ping();
  }

  close(): Promise<void> {
    return this.sql.close();
  }
}
