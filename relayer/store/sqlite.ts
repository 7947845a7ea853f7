import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { checkAttempt, checkBatchAttempt } from "./attemptRule";
import { MIGRATIONS } from "./migrations";
import { ATTEMPT_COLUMNS, BATCH_ATTEMPT_COLUMNS, BATCH_COLUMNS, SELECT_BATCH_ATTEMPT } from "./rows";
import { attemptValues, batchValues, patchColumns, toAttempt, toBatch, toJob, type AttemptRow, type BatchRow, type JobRow } from "./rows";
import { JOB_STATUSES, LaneLeaseLost } from "./types";
import type { Batch, InsertOutcome, Job, JobPatch, JobStatus, JobStore, LaneLease, NewBatch, NewJob, Penalty, TxAttempt } from "./types";

/** Database file name inside the data directory. */
export const SQLITE_FILE = "relayer.sqlite";

interface LaneRow {
  next_nonce: number | null;
  holder: string | null;
  lease_until: number;
  epoch: number;
}

/**
 * SQLite job store (better-sqlite3), the embedded default for one relayer instance. WAL mode with
 * `synchronous = FULL`: a commit is on disk when the call returns, so the 202 that follows `insertJob` never
 * announces a job a crash could lose. better-sqlite3 is synchronous, so each method runs its transaction to the end
 * before it yields: atomic within the process (leases and fencing then hold trivially, and keep one code path for
 * the lanes on every backend).
 */
export class SqliteJobStore implements JobStore {
  private readonly db: Database.Database;

  constructor(dataDir: string) {
    fs.mkdirSync(dataDir, { recursive: true });
    this.db = new Database(path.join(dataDir, SQLITE_FILE));
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("synchronous = FULL");
    this.db.pragma("foreign_keys = ON");
    this.db.pragma("busy_timeout = 5000");
    this.migrate();
  }

  /** Prepared statements by SQL text (a statement is compiled once, not per call). */
  private readonly statements = new Map<string, Database.Statement>();

  private stmt(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) this.statements.set(sql, (statement = this.db.prepare(sql)));
    return statement;
  }

  private migrate(): void {
    this.db.exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)");
    const row = this.stmt("SELECT MAX(version) AS v FROM schema_migrations").get() as { v: number | null };
    const current = row.v ?? 0;
    if (current > MIGRATIONS.length) {
      throw new Error(`job store schema version ${current} is newer than this relayer (${MIGRATIONS.length})`);
    }
    for (let v = current + 1; v <= MIGRATIONS.length; v++) {
      this.db.transaction(() => {
        this.db.exec(MIGRATIONS[v - 1]);
        this.stmt("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)").run(v, Date.now());
      })();
    }
  }

  schemaVersion(): number {
    return (this.stmt("SELECT MAX(version) AS v FROM schema_migrations").get() as { v: number }).v;
  }

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
      this.db.transaction(() => {
        for (const p of batch) {
          try {
            results.push({ ok: true, outcome: this.db.transaction(() => this.insertOne(p.job, p.now))() });
          } catch (error) {
            results.push({ ok: false, error }); // rolled back to its savepoint; the others stand
          }
        }
      })();
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
    this.stmt(
      `INSERT INTO jobs (id, kind, auth_type, to_address, data, gas_estimate, deadline, principal, status, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?)`,
    ).run(job.id, job.kind, job.authType, job.to, job.data, job.gasEstimate.toString(), job.deadline, job.principal, now, now);
    const slot = this.stmt("INSERT INTO replay_slots (slot, job_id) VALUES (?, ?)");
    for (const key of new Set(job.replayKeys)) slot.run(key, job.id);
    return { outcome: "created", job: this.job(job.id)! };
  }

  async getJob(id: string): Promise<Job | undefined> {
    return this.job(id);
  }

  private job(id: string): Job | undefined {
    const r = this.stmt("SELECT * FROM jobs WHERE id = ?").get(id) as JobRow | undefined;
    return r ? toJob(r) : undefined;
  }

  async findLiveByReplayKey(replayKey: string): Promise<Job | undefined> {
    return this.liveByReplayKey(replayKey);
  }

  private liveByReplayKey(replayKey: string): Job | undefined {
    const r = this.stmt(
      `SELECT jobs.* FROM replay_slots JOIN jobs ON jobs.id = replay_slots.job_id
         WHERE replay_slots.slot = ? AND jobs.status NOT IN ('failed', 'expired') ORDER BY jobs.created_at LIMIT 1`,
    ).get(replayKey) as JobRow | undefined;
    return r ? toJob(r) : undefined;
  }

  async penalize(principal: string, until: number, reason: string): Promise<void> {
    this.stmt(
      `INSERT INTO penalties (principal, until, reason) VALUES (?, ?, ?)
         ON CONFLICT (principal) DO UPDATE SET until = MAX(until, excluded.until), reason = excluded.reason`,
    ).run(principal, until, reason);
  }

  async penaltyOf(principal: string, now: number): Promise<Penalty | undefined> {
    const r = this.stmt("SELECT until, reason FROM penalties WHERE principal = ? AND until > ?").get(principal, now) as Penalty | undefined;
    return r ? { until: r.until, reason: r.reason } : undefined;
  }

  async listByStatus(statuses: readonly JobStatus[], limit = 1_000_000): Promise<Job[]> {
    if (statuses.length === 0) return [];
    const marks = statuses.map(() => "?").join(", ");
    const rows = this.stmt(`SELECT * FROM jobs WHERE status IN (${marks}) ORDER BY created_at, rowid LIMIT ?`).all(...statuses, limit) as JobRow[];
    return rows.map(toJob);
  }

  async countByStatus(): Promise<Record<JobStatus, number>> {
    const out = Object.fromEntries(JOB_STATUSES.map((s) => [s, 0])) as Record<JobStatus, number>;
    const rows = this.stmt("SELECT status, COUNT(*) AS n FROM jobs GROUP BY status").all() as { status: JobStatus; n: number }[];
    for (const r of rows) out[r.status] = r.n;
    return out;
  }

  async heartbeat(holder: string, ttlMs: number): Promise<number> {
    const now = Date.now();
    return this.db.transaction(() => {
      this.stmt("INSERT INTO instances (holder, alive_until) VALUES (?, ?) ON CONFLICT (holder) DO UPDATE SET alive_until = excluded.alive_until").run(
        holder,
        now + ttlMs,
      );
      this.stmt("DELETE FROM instances WHERE alive_until < ?").run(now);
      return (this.stmt("SELECT COUNT(*) AS n FROM instances").get() as { n: number }).n;
    })();
  }

  async leave(holder: string): Promise<void> {
    this.stmt("DELETE FROM instances WHERE holder = ?").run(holder);
  }

  async acquireLane(signer: string, holder: string, ttlMs: number): Promise<LaneLease | undefined> {
    const key = signer.toLowerCase();
    const now = Date.now();
    const r = this.stmt(
      `INSERT INTO lanes (signer, holder, lease_until, epoch) VALUES (?, ?, ?, 1)
         ON CONFLICT (signer) DO UPDATE SET
           epoch = CASE WHEN lanes.holder IS excluded.holder THEN lanes.epoch ELSE lanes.epoch + 1 END,
           holder = excluded.holder,
           lease_until = excluded.lease_until
         WHERE lanes.holder IS NULL OR lanes.holder = excluded.holder OR lanes.lease_until < ?
         RETURNING epoch, lease_until`,
    ).get(key, holder, now + ttlMs, now) as { epoch: number; lease_until: number } | undefined;
    return r ? { signer: key, holder, epoch: r.epoch, until: r.lease_until } : undefined;
  }

  async releaseLane(lease: LaneLease): Promise<void> {
    this.stmt("UPDATE lanes SET holder = NULL, lease_until = 0 WHERE signer = ? AND epoch = ? AND holder = ?").run(lease.signer, lease.epoch, lease.holder);
  }

  /** Runs `fn` in one transaction if `lease` still holds its lane; LaneLeaseLost (and nothing written) otherwise. */
  private fenced<T>(lease: LaneLease, fn: (lane: LaneRow) => T): T {
    return this.db.transaction(() => {
      const lane = this.stmt("SELECT next_nonce, holder, lease_until, epoch FROM lanes WHERE signer = ?").get(lease.signer) as LaneRow | undefined;
      if (!lane || lane.epoch !== lease.epoch || lane.holder !== lease.holder) throw new LaneLeaseLost(lease.signer);
      return fn(lane);
    })();
  }

  async getNextNonce(signer: string): Promise<number | undefined> {
    const r = this.stmt("SELECT next_nonce FROM lanes WHERE signer = ?").get(signer.toLowerCase()) as { next_nonce: number | null } | undefined;
    return r?.next_nonce ?? undefined;
  }

  async setNextNonce(lease: LaneLease, next: number): Promise<void> {
    this.fenced(lease, () => this.stmt("UPDATE lanes SET next_nonce = ? WHERE signer = ?").run(next, lease.signer));
  }

  async laneJobs(signer: string, statuses: readonly JobStatus[]): Promise<Job[]> {
    if (statuses.length === 0) return [];
    const marks = statuses.map(() => "?").join(", ");
    const rows = this.stmt(`SELECT * FROM jobs WHERE signer = ? AND status IN (${marks}) ORDER BY created_at, rowid`).all(
      signer.toLowerCase(),
      ...statuses,
    ) as JobRow[];
    return rows.map(toJob);
  }

  async claimNext(lease: LaneLease): Promise<Job | undefined> {
    return this.fenced(lease, () => {
      const r = this.stmt(
        `SELECT * FROM jobs WHERE status = 'queued' AND (signer = ? OR signer IS NULL)
           ORDER BY signer IS NULL, created_at, rowid LIMIT 1`,
      ).get(lease.signer) as JobRow | undefined;
      if (!r) return undefined;
      if (r.signer === null) this.stmt("UPDATE jobs SET signer = ? WHERE id = ?").run(lease.signer, r.id);
      return toJob({ ...r, signer: lease.signer });
    });
  }

  async claimQueued(lease: LaneLease, authType: NewJob["authType"], limit: number): Promise<Job[]> {
    return this.fenced(lease, () => {
      const rows = this.stmt(
        `SELECT * FROM jobs WHERE status = 'queued' AND auth_type = ? AND (signer = ? OR signer IS NULL)
           ORDER BY signer IS NULL, created_at, rowid LIMIT ?`,
      ).all(authType, lease.signer, limit) as JobRow[];
      const assign = this.stmt("UPDATE jobs SET signer = ? WHERE id = ?");
      for (const r of rows) if (r.signer === null) assign.run(lease.signer, r.id);
      return rows.map((r) => toJob({ ...r, signer: lease.signer }));
    });
  }

  async updateLaneJob(lease: LaneLease, id: string, patch: JobPatch, now: number): Promise<void> {
    this.fenced(lease, () => {
      const columns = patchColumns(patch);
      const info = this.stmt(`UPDATE jobs SET ${[...columns.map(([c]) => `${c} = ?`), "updated_at = ?"].join(", ")} WHERE id = ? AND signer = ?`).run(
        ...columns.map(([, v]) => v),
        now,
        id,
        lease.signer,
      );
      if (info.changes !== 1) throw new LaneLeaseLost(lease.signer);
    });
  }

  async recordAttempt(lease: LaneLease, a: TxAttempt, nextNonce: number | undefined, now: number): Promise<void> {
    this.fenced(lease, (lane) => {
      const job = this.stmt("SELECT status, nonce, signer FROM jobs WHERE id = ?").get(a.jobId) as
        { status: JobStatus; nonce: number | null; signer: string | null } | undefined;
      if (!job) throw new Error(`recordAttempt: no job ${a.jobId}`);
      if (job.signer !== lease.signer) throw new LaneLeaseLost(lease.signer);
      checkAttempt(a, nextNonce, job, lane.next_nonce);
      this.stmt(`INSERT INTO tx_attempts (${ATTEMPT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(...attemptValues(a));
      this.stmt(
        `UPDATE jobs SET status = 'submitted', nonce = ?, tx_hash = ?, submitted_at = COALESCE(submitted_at, ?), updated_at = ?
           WHERE id = ?`,
      ).run(a.nonce, a.hash, now, now, a.jobId);
      if (nextNonce !== undefined) this.stmt("UPDATE lanes SET next_nonce = ? WHERE signer = ?").run(nextNonce, lease.signer);
    });
  }

  async attempts(jobId: string): Promise<TxAttempt[]> {
    const rows = this.stmt("SELECT * FROM tx_attempts WHERE job_id = ? ORDER BY rowid").all(jobId) as AttemptRow[];
    return rows.map(toAttempt);
  }

  async recordBatchAttempt(lease: LaneLease, batch: NewBatch, a: TxAttempt, nextNonce: number | undefined, now: number): Promise<void> {
    this.fenced(lease, (lane) => {
      const get = this.stmt("SELECT id, status, nonce, signer, batch_id FROM jobs WHERE id = ?");
      const members = batch.jobIds.map((id) => {
        const r = get.get(id) as { id: string; status: JobStatus; nonce: number | null; signer: string | null; batch_id: string | null } | undefined;
        return r && { id: r.id, status: r.status, nonce: r.nonce, signer: r.signer, batchId: r.batch_id };
      });
      checkBatchAttempt(a, nextNonce, lease.signer, members, lane.next_nonce);
      if (nextNonce !== undefined) {
        this.stmt(`INSERT INTO batches (${BATCH_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)`).run(...batchValues(batch, lease.signer, a.nonce, now));
      }
      this.stmt(`INSERT INTO batch_attempts (${BATCH_ATTEMPT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(...attemptValues(a));
      const point = this.stmt(
        `UPDATE jobs SET status = 'submitted', nonce = ?, tx_hash = ?, batch_id = ?, batch_index = ?, submitted_at = COALESCE(submitted_at, ?), updated_at = ?
         WHERE id = ?`,
      );
      batch.jobIds.forEach((id, i) => point.run(a.nonce, a.hash, batch.id, i, now, now, id));
      if (nextNonce !== undefined) this.stmt("UPDATE lanes SET next_nonce = ? WHERE signer = ?").run(nextNonce, lease.signer);
    });
  }

  async getBatch(id: string): Promise<Batch | undefined> {
    const r = this.stmt("SELECT * FROM batches WHERE id = ?").get(id) as BatchRow | undefined;
    if (!r) return undefined;
    const ids = this.stmt("SELECT id FROM jobs WHERE batch_id = ? ORDER BY batch_index").all(id) as { id: string }[];
    return toBatch(
      r,
      ids.map((j) => j.id),
    );
  }

  async batchAttempts(batchId: string): Promise<TxAttempt[]> {
    const rows = this.stmt(`${SELECT_BATCH_ATTEMPT} WHERE batch_id = ? ORDER BY rowid`).all(batchId) as AttemptRow[];
    return rows.map(toAttempt);
  }

  async ping(): Promise<void> {
    this.stmt("SELECT 1").get();
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
