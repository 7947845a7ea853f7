import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { MIGRATIONS } from "./migrations";
import { JOB_STATUSES, type InsertOutcome, type Job, type JobPatch, type JobStatus, type JobStore, type NewJob, type Penalty, type TxAttempt } from "./types";

/** Database file name inside the data directory. */
export const SQLITE_FILE = "relayer.sqlite";

interface JobRow {
  id: string;
  kind: string;
  auth_type: "ring" | "eip712";
  to_address: string;
  data: string;
  gas_estimate: string;
  deadline: number;
  principal: string;
  status: JobStatus;
  reason: string | null;
  signer: string | null;
  nonce: number | null;
  tx_hash: string | null;
  block_number: number | null;
  block_hash: string | null;
  gas_used: string | null;
  created_at: number;
  updated_at: number;
  submitted_at: number | null;
  mined_at: number | null;
}

interface AttemptRow {
  hash: string;
  purpose: "action" | "cancel";
  job_id: string;
  signer: string;
  nonce: number;
  raw: string;
  max_fee_per_gas: string;
  max_priority_fee_per_gas: string;
  gas_limit: string;
  created_at: number;
}

function toJob(r: JobRow): Job {
  return {
    id: r.id,
    kind: r.kind,
    authType: r.auth_type,
    to: r.to_address,
    data: r.data,
    gasEstimate: BigInt(r.gas_estimate),
    deadline: r.deadline,
    principal: r.principal,
    status: r.status,
    reason: r.reason,
    signer: r.signer,
    nonce: r.nonce,
    txHash: r.tx_hash,
    blockNumber: r.block_number,
    blockHash: r.block_hash,
    gasUsed: r.gas_used === null ? null : BigInt(r.gas_used),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    submittedAt: r.submitted_at,
    minedAt: r.mined_at,
  };
}

function toAttempt(r: AttemptRow): TxAttempt {
  return {
    hash: r.hash,
    purpose: r.purpose,
    jobId: r.job_id,
    signer: r.signer,
    nonce: r.nonce,
    raw: r.raw,
    maxFeePerGas: BigInt(r.max_fee_per_gas),
    maxPriorityFeePerGas: BigInt(r.max_priority_fee_per_gas),
    gasLimit: BigInt(r.gas_limit),
    createdAt: r.created_at,
  };
}

/** JobPatch field → column. Only these columns can be patched. */
const PATCH_COLUMNS: Record<keyof JobPatch, string> = {
  status: "status",
  reason: "reason",
  signer: "signer",
  nonce: "nonce",
  txHash: "tx_hash",
  blockNumber: "block_number",
  blockHash: "block_hash",
  gasUsed: "gas_used",
  submittedAt: "submitted_at",
  minedAt: "mined_at",
};

/**
 * SQLite job store (better-sqlite3). WAL mode with `synchronous = FULL`: a commit is on disk when the call
 * returns, so the 202 that follows `insertJob` never announces a job a crash could lose.
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

  private migrate(): void {
    this.db.exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)");
    const row = this.db.prepare("SELECT MAX(version) AS v FROM schema_migrations").get() as { v: number | null };
    const current = row.v ?? 0;
    if (current > MIGRATIONS.length) {
      throw new Error(`job store schema version ${current} is newer than this relayer (${MIGRATIONS.length})`);
    }
    for (let v = current + 1; v <= MIGRATIONS.length; v++) {
      this.db.transaction(() => {
        this.db.exec(MIGRATIONS[v - 1]);
        this.db.prepare("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)").run(v, Date.now());
      })();
    }
  }

  schemaVersion(): number {
    return (this.db.prepare("SELECT MAX(version) AS v FROM schema_migrations").get() as { v: number }).v;
  }

  insertJob(job: NewJob, now: number): InsertOutcome {
    return this.db.transaction((): InsertOutcome => {
      const existing = this.getJob(job.id);
      if (existing) return { outcome: "duplicate", job: existing };
      for (const key of job.replayKeys) {
        const holder = this.findLiveByReplayKey(key);
        if (holder) return { outcome: "replay-conflict", job: holder };
      }
      this.db
        .prepare(
          `INSERT INTO jobs (id, kind, auth_type, to_address, data, gas_estimate, deadline, principal, status, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?)`,
        )
        .run(job.id, job.kind, job.authType, job.to, job.data, job.gasEstimate.toString(), job.deadline, job.principal, now, now);
      const slot = this.db.prepare("INSERT INTO replay_slots (slot, job_id) VALUES (?, ?)");
      for (const key of new Set(job.replayKeys)) slot.run(key, job.id);
      return { outcome: "created", job: this.getJob(job.id)! };
    })();
  }

  getJob(id: string): Job | undefined {
    const r = this.db.prepare("SELECT * FROM jobs WHERE id = ?").get(id) as JobRow | undefined;
    return r ? toJob(r) : undefined;
  }

  findLiveByReplayKey(replayKey: string): Job | undefined {
    const r = this.db
      .prepare(
        `SELECT jobs.* FROM replay_slots JOIN jobs ON jobs.id = replay_slots.job_id
         WHERE replay_slots.slot = ? AND jobs.status NOT IN ('failed', 'expired') ORDER BY jobs.created_at LIMIT 1`,
      )
      .get(replayKey) as JobRow | undefined;
    return r ? toJob(r) : undefined;
  }

  penalize(principal: string, until: number, reason: string): void {
    this.db
      .prepare(
        `INSERT INTO penalties (principal, until, reason) VALUES (?, ?, ?)
         ON CONFLICT (principal) DO UPDATE SET until = MAX(until, excluded.until), reason = excluded.reason`,
      )
      .run(principal, until, reason);
  }

  penaltyOf(principal: string, now: number): Penalty | undefined {
    const r = this.db.prepare("SELECT until, reason FROM penalties WHERE principal = ? AND until > ?").get(principal, now) as Penalty | undefined;
    return r ? { until: r.until, reason: r.reason } : undefined;
  }

  listByStatus(statuses: readonly JobStatus[], limit = 1_000_000): Job[] {
    if (statuses.length === 0) return [];
    const marks = statuses.map(() => "?").join(", ");
    const rows = this.db
      .prepare(`SELECT * FROM jobs WHERE status IN (${marks}) ORDER BY created_at, rowid LIMIT ?`)
      .all(...statuses, limit) as JobRow[];
    return rows.map(toJob);
  }

  countByStatus(): Record<JobStatus, number> {
    const out = Object.fromEntries(JOB_STATUSES.map((s) => [s, 0])) as Record<JobStatus, number>;
    const rows = this.db.prepare("SELECT status, COUNT(*) AS n FROM jobs GROUP BY status").all() as { status: JobStatus; n: number }[];
    for (const r of rows) out[r.status] = r.n;
    return out;
  }

  updateJob(id: string, patch: JobPatch, now: number): void {
    const keys = Object.keys(patch) as (keyof JobPatch)[];
    const sets = keys.map((k) => `${PATCH_COLUMNS[k]} = ?`);
    const values = keys.map((k) => {
      const v = patch[k];
      return typeof v === "bigint" ? v.toString() : v;
    });
    const info = this.db
      .prepare(`UPDATE jobs SET ${[...sets, "updated_at = ?"].join(", ")} WHERE id = ?`)
      .run(...values, now, id);
    if (info.changes !== 1) throw new Error(`updateJob: no job ${id}`);
  }

  getNextNonce(signer: string): number | undefined {
    const r = this.db.prepare("SELECT next_nonce FROM nonces WHERE signer = ?").get(signer.toLowerCase()) as
      | { next_nonce: number }
      | undefined;
    return r?.next_nonce;
  }

  setNextNonce(signer: string, next: number): void {
    this.db
      .prepare("INSERT INTO nonces (signer, next_nonce) VALUES (?, ?) ON CONFLICT (signer) DO UPDATE SET next_nonce = excluded.next_nonce")
      .run(signer.toLowerCase(), next);
  }

  recordAttempt(a: TxAttempt, nextNonce: number | undefined, now: number): void {
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO tx_attempts (hash, purpose, job_id, signer, nonce, raw, max_fee_per_gas, max_priority_fee_per_gas, gas_limit, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(a.hash, a.purpose, a.jobId, a.signer, a.nonce, a.raw, a.maxFeePerGas.toString(), a.maxPriorityFeePerGas.toString(), a.gasLimit.toString(), a.createdAt);
      this.db
        .prepare(
          `UPDATE jobs SET status = 'submitted', signer = ?, nonce = ?, tx_hash = ?, submitted_at = COALESCE(submitted_at, ?), updated_at = ?
           WHERE id = ?`,
        )
        .run(a.signer, a.nonce, a.hash, now, now, a.jobId);
      if (nextNonce !== undefined) this.setNextNonce(a.signer, nextNonce);
    })();
  }

  attempts(jobId: string): TxAttempt[] {
    const rows = this.db.prepare("SELECT * FROM tx_attempts WHERE job_id = ? ORDER BY rowid").all(jobId) as AttemptRow[];
    return rows.map(toAttempt);
  }

  ping(): void {
    this.db.prepare("SELECT 1").get();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
