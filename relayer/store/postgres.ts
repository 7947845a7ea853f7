import { Pool, types, type PoolClient, type QueryResult, type QueryResultRow } from "pg";
import { checkAttempt, checkBatchAttempt } from "./attemptRule";
import { POSTGRES_MIGRATIONS } from "./postgresMigrations";
import { ATTEMPT_COLUMNS, BATCH_ATTEMPT_COLUMNS, BATCH_COLUMNS, SELECT_BATCH_ATTEMPT } from "./rows";
import { attemptValues, batchValues, patchColumns, toAttempt, toBatch, toJob, type AttemptRow, type BatchRow, type JobRow } from "./rows";
import { JOB_STATUSES, LaneLeaseLost, StoreUnavailable } from "./types";
import type { Batch, InsertOutcome, Job, JobPatch, JobStatus, JobStore, LaneLease, NewBatch, NewJob, Penalty, TxAttempt } from "./types";

/** BIGINT columns (ms timestamps, nonces, block numbers, epochs) stay below 2^53: read them as numbers, not strings. */
const INT8_OID = 20;
const PG_TYPES = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === INT8_OID && format !== "binary" ? (v: string) => Number(v) : types.getTypeParser(oid, format as "text")) as typeof types.getTypeParser,
};

/** Lease times come from the database's clock, so that instances with skewed clocks agree on who holds a lane. */
const NOW_MS = "(extract(epoch from clock_timestamp()) * 1000)::bigint";

/** Key of the advisory lock that serialises migrations between instances starting at once. */
const MIGRATION_LOCK = 0x6d6564726e67; // "medrng"

/**
 * Errors that mean the database cannot be used now, rather than a bug or a refused write: connection failures
 * (SQLSTATE class 08, refused or reset sockets, pool connect timeouts) and a server shutting down or starting
 * (57P01-57P03).
 */
function asUnavailable(err: unknown): unknown {
  const e = err as { code?: unknown; message?: unknown };
  const code = typeof e.code === "string" ? e.code : "";
  const message = typeof e.message === "string" ? e.message : "";
  const lost =
    code.startsWith("08") ||
    ["57P01", "57P02", "57P03", "ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH"].includes(code) ||
    /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(message);
  return lost && err instanceof Error ? new StoreUnavailable(err) : err;
}

interface LaneRow {
  next_nonce: number | null;
  holder: string | null;
  epoch: number;
}

/**
 * PostgreSQL job store (node-postgres), shared by several relayer instances. Durability: every method commits before
 * it returns, and PostgreSQL's default `synchronous_commit = on` flushes the commit to the WAL first, so the 202 that
 * follows `insertJob` never announces a job a crash (of the instance or of the database) could lose; `open` refuses a
 * database where it is off. Atomicity across instances:
 *  - `insertJob` takes transaction-scoped advisory locks on the job id and each replay key (in one global order, so
 *    two inserts cannot deadlock) before it checks and inserts: two instances can never both store one slot.
 *  - lane writes run in a transaction that first locks the lane's row (`FOR UPDATE`) and compares its holder and
 *    epoch with the lease: a takeover (which increments the epoch) waits for a running lane write and makes every
 *    later write of the old holder fail with LaneLeaseLost.
 *  - `claimNext` assigns an unassigned queued job with `FOR UPDATE SKIP LOCKED`: no job goes to two lanes.
 */
export class PostgresJobStore implements JobStore {
  private closed = false;

  private constructor(private readonly pool: Pool) {}

  /** Connects, checks durability and applies missing migrations (one instance at a time). */
  static async open(connectionString: string, opts: { onPoolError?: (err: Error) => void; poolSize?: number } = {}): Promise<PostgresJobStore> {
    const pool = new Pool({
      connectionString,
      max: opts.poolSize ?? 8,
      types: PG_TYPES,
      connectionTimeoutMillis: 10_000,
      statement_timeout: 15_000,
      application_name: "medring-relayer",
    });
    // An idle client losing its connection emits 'error' on the pool; without a listener that would end the process.
    pool.on("error", (err) => opts.onPoolError?.(err));
    const store = new PostgresJobStore(pool);
    try {
      const { rows } = await pool.query<{ synchronous_commit: string }>("SHOW synchronous_commit");
      if (rows[0].synchronous_commit === "off") {
        throw new Error("PostgreSQL has synchronous_commit = off: an accepted job could be lost in a crash; turn it on for the relayer's database");
      }
      await store.migrate();
    } catch (err) {
      await pool.end();
      throw err;
    }
    return store;
  }

  private async migrate(): Promise<void> {
    await this.withClient(async (c) => {
      await c.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK]);
      try {
        await c.query("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)");
        const current = (await c.query<{ v: number | null }>("SELECT MAX(version) AS v FROM schema_migrations")).rows[0].v ?? 0;
        if (current > POSTGRES_MIGRATIONS.length) {
          throw new Error(`job store schema version ${current} is newer than this relayer (${POSTGRES_MIGRATIONS.length})`);
        }
        for (let v = current + 1; v <= POSTGRES_MIGRATIONS.length; v++) {
          await c.query("BEGIN");
          try {
            await c.query(POSTGRES_MIGRATIONS[v - 1]);
            await c.query("INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)", [v, Date.now()]);
            await c.query("COMMIT");
          } catch (err) {
            await c.query("ROLLBACK");
            throw err;
          }
        }
      } finally {
        await c.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK]);
      }
    });
  }

  async schemaVersion(): Promise<number> {
    return (await this.query<{ v: number }>("SELECT MAX(version) AS v FROM schema_migrations")).rows[0].v;
  }

  /** One statement outside a transaction; a lost database connection becomes StoreUnavailable. */
  private async query<R extends QueryResultRow = QueryResultRow>(sql: string, values?: unknown[]): Promise<QueryResult<R>> {
    try {
      return await this.pool.query<R>(sql, values);
    } catch (err) {
      throw asUnavailable(err);
    }
  }

  /** Runs `fn` in one transaction (READ COMMITTED) on one connection; rolls back on any error. */
  private async tx<T>(fn: (c: PoolClient) => Promise<T>): Promise<T> {
    try {
      return await this.transaction(fn);
    } catch (err) {
      throw asUnavailable(err);
    }
  }

  private transaction<T>(fn: (c: PoolClient) => Promise<T>): Promise<T> {
    return this.withClient(async (c, broken) => {
      await c.query("BEGIN");
      try {
        const result = await fn(c);
        await c.query("COMMIT");
        return result;
      } catch (err) {
        if (!broken()) await c.query("ROLLBACK").catch(() => undefined);
        throw err;
      }
    });
  }

  /**
   * Runs `fn` on a client checked out of the pool. A client that loses its connection while checked out emits
   * 'error' (besides failing its queries); the pool listens only to idle clients, so without a listener here the event
   * would end the process. A broken client is destroyed on release, not returned to the pool.
   */
  private async withClient<T>(fn: (c: PoolClient, broken: () => boolean) => Promise<T>): Promise<T> {
    const c = await this.pool.connect();
    let lost: Error | undefined;
    const onError = (err: Error) => (lost = err);
    c.on("error", onError);
    try {
      return await fn(c, () => lost !== undefined);
    } finally {
      c.removeListener("error", onError);
      c.release(lost);
    }
  }

  async insertJob(job: NewJob, now: number): Promise<InsertOutcome> {
    return this.tx(async (c) => {
      // One advisory lock per key, taken in ascending order of the lock keys: concurrent inserts sharing a key wait
      // for each other (and then see each other's committed rows), and no two can wait in a cycle.
      const { rows: locks } = await c.query<{ h: string }>(
        "SELECT h::text AS h FROM (SELECT DISTINCT hashtextextended(k, 0) AS h FROM unnest($1::text[]) AS k) AS keys ORDER BY keys.h",
        [[job.id, ...job.replayKeys]],
      );
      for (const { h } of locks) await c.query("SELECT pg_advisory_xact_lock($1::bigint)", [h]);
      const existing = await c.query<JobRow>("SELECT * FROM jobs WHERE id = $1", [job.id]);
      if (existing.rows[0]) return { outcome: "duplicate", job: toJob(existing.rows[0]) };
      const holder = await c.query<JobRow>(
        `SELECT jobs.* FROM replay_slots JOIN jobs ON jobs.id = replay_slots.job_id
         WHERE replay_slots.slot = ANY($1::text[]) AND jobs.status NOT IN ('failed', 'expired') ORDER BY jobs.created_at, jobs.seq LIMIT 1`,
        [job.replayKeys],
      );
      if (holder.rows[0]) return { outcome: "replay-conflict", job: toJob(holder.rows[0]) };
      const inserted = await c.query<JobRow>(
        `INSERT INTO jobs (id, kind, auth_type, to_address, data, gas_estimate, deadline, principal, status, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'queued', $9, $9) RETURNING *`,
        [job.id, job.kind, job.authType, job.to, job.data, job.gasEstimate.toString(), job.deadline, job.principal, now],
      );
      await c.query("INSERT INTO replay_slots (slot, job_id) SELECT DISTINCT s, $2 FROM unnest($1::text[]) AS s", [job.replayKeys, job.id]);
      return { outcome: "created", job: toJob(inserted.rows[0]) };
    });
  }

  async getJob(id: string): Promise<Job | undefined> {
    const { rows } = await this.query<JobRow>("SELECT * FROM jobs WHERE id = $1", [id]);
    return rows[0] ? toJob(rows[0]) : undefined;
  }

  async findLiveByReplayKey(replayKey: string): Promise<Job | undefined> {
    const { rows } = await this.query<JobRow>(
      `SELECT jobs.* FROM replay_slots JOIN jobs ON jobs.id = replay_slots.job_id
       WHERE replay_slots.slot = $1 AND jobs.status NOT IN ('failed', 'expired') ORDER BY jobs.created_at, jobs.seq LIMIT 1`,
      [replayKey],
    );
    return rows[0] ? toJob(rows[0]) : undefined;
  }

  async penalize(principal: string, until: number, reason: string): Promise<void> {
    await this.query(
      `INSERT INTO penalties (principal, until, reason) VALUES ($1, $2, $3)
       ON CONFLICT (principal) DO UPDATE SET until = GREATEST(penalties.until, excluded.until), reason = excluded.reason`,
      [principal, until, reason],
    );
  }

  async penaltyOf(principal: string, now: number): Promise<Penalty | undefined> {
    const { rows } = await this.query<Penalty>("SELECT until, reason FROM penalties WHERE principal = $1 AND until > $2", [principal, now]);
    return rows[0] ? { until: rows[0].until, reason: rows[0].reason } : undefined;
  }

  async listByStatus(statuses: readonly JobStatus[], limit = 1_000_000): Promise<Job[]> {
    const { rows } = await this.query<JobRow>("SELECT * FROM jobs WHERE status = ANY($1::text[]) ORDER BY created_at, seq LIMIT $2", [statuses, limit]);
    return rows.map(toJob);
  }

  async countByStatus(): Promise<Record<JobStatus, number>> {
    const out = Object.fromEntries(JOB_STATUSES.map((s) => [s, 0])) as Record<JobStatus, number>;
    const { rows } = await this.query<{ status: JobStatus; n: number }>("SELECT status, COUNT(*)::int AS n FROM jobs GROUP BY status");
    for (const r of rows) out[r.status] = r.n;
    return out;
  }

  async heartbeat(holder: string, ttlMs: number): Promise<number> {
    return this.tx(async (c) => {
      await c.query(
        `INSERT INTO instances (holder, alive_until) VALUES ($1, ${NOW_MS} + $2) ON CONFLICT (holder) DO UPDATE SET alive_until = excluded.alive_until`,
        [holder, ttlMs],
      );
      await c.query(`DELETE FROM instances WHERE alive_until < ${NOW_MS}`);
      return (await c.query<{ n: number }>("SELECT COUNT(*)::int AS n FROM instances")).rows[0].n;
    });
  }

  async leave(holder: string): Promise<void> {
    await this.query("DELETE FROM instances WHERE holder = $1", [holder]);
  }

  async acquireLane(signer: string, holder: string, ttlMs: number): Promise<LaneLease | undefined> {
    const key = signer.toLowerCase();
    const { rows } = await this.query<{ epoch: number; lease_until: number }>(
      `INSERT INTO lanes (signer, holder, lease_until, epoch) VALUES ($1, $2, ${NOW_MS} + $3, 1)
       ON CONFLICT (signer) DO UPDATE SET
         epoch = CASE WHEN lanes.holder IS NOT DISTINCT FROM excluded.holder THEN lanes.epoch ELSE lanes.epoch + 1 END,
         holder = excluded.holder,
         lease_until = excluded.lease_until
       WHERE lanes.holder IS NULL OR lanes.holder = excluded.holder OR lanes.lease_until < ${NOW_MS}
       RETURNING epoch, lease_until`,
      [key, holder, ttlMs],
    );
    return rows[0] ? { signer: key, holder, epoch: rows[0].epoch, until: rows[0].lease_until } : undefined;
  }

  async releaseLane(lease: LaneLease): Promise<void> {
    await this.query("UPDATE lanes SET holder = NULL, lease_until = 0 WHERE signer = $1 AND epoch = $2 AND holder = $3", [
      lease.signer,
      lease.epoch,
      lease.holder,
    ]);
  }

  /** Runs `fn` in one transaction that holds the lane's row lock, if `lease` still holds the lane; else LaneLeaseLost. */
  private fenced<T>(lease: LaneLease, fn: (c: PoolClient, lane: LaneRow) => Promise<T>): Promise<T> {
    return this.tx(async (c) => {
      const { rows } = await c.query<LaneRow>("SELECT next_nonce, holder, epoch FROM lanes WHERE signer = $1 FOR UPDATE", [lease.signer]);
      const lane = rows[0];
      if (!lane || lane.epoch !== lease.epoch || lane.holder !== lease.holder) throw new LaneLeaseLost(lease.signer);
      return fn(c, lane);
    });
  }

  async getNextNonce(signer: string): Promise<number | undefined> {
    const { rows } = await this.query<{ next_nonce: number | null }>("SELECT next_nonce FROM lanes WHERE signer = $1", [signer.toLowerCase()]);
    return rows[0]?.next_nonce ?? undefined;
  }

  async setNextNonce(lease: LaneLease, next: number): Promise<void> {
    await this.fenced(lease, (c) => c.query("UPDATE lanes SET next_nonce = $1 WHERE signer = $2", [next, lease.signer]));
  }

  async laneJobs(signer: string, statuses: readonly JobStatus[]): Promise<Job[]> {
    const { rows } = await this.query<JobRow>("SELECT * FROM jobs WHERE signer = $1 AND status = ANY($2::text[]) ORDER BY created_at, seq", [
      signer.toLowerCase(),
      statuses,
    ]);
    return rows.map(toJob);
  }

  async claimNext(lease: LaneLease): Promise<Job | undefined> {
    return this.fenced(lease, async (c) => {
      const assigned = await c.query<JobRow>("SELECT * FROM jobs WHERE status = 'queued' AND signer = $1 ORDER BY created_at, seq LIMIT 1", [lease.signer]);
      if (assigned.rows[0]) return toJob(assigned.rows[0]);
      const claimed = await c.query<JobRow>(
        `UPDATE jobs SET signer = $1
         WHERE id = (SELECT id FROM jobs WHERE status = 'queued' AND signer IS NULL ORDER BY created_at, seq LIMIT 1 FOR UPDATE SKIP LOCKED)
           AND status = 'queued' AND signer IS NULL
         RETURNING *`,
        [lease.signer],
      );
      return claimed.rows[0] ? toJob(claimed.rows[0]) : undefined;
    });
  }

  async claimQueued(lease: LaneLease, authType: NewJob["authType"], limit: number): Promise<Job[]> {
    return this.fenced(lease, async (c) => {
      const assigned = await c.query<JobRow>(
        "SELECT * FROM jobs WHERE status = 'queued' AND auth_type = $1 AND signer = $2 ORDER BY created_at, seq LIMIT $3",
        [authType, lease.signer, limit],
      );
      const jobs = assigned.rows.map(toJob);
      if (jobs.length >= limit) return jobs;
      const claimed = await c.query<JobRow>(
        // MATERIALIZED: the locking, limited pick runs once (as a plain IN subquery the planner may re-run it).
        `WITH picked AS MATERIALIZED (
           SELECT id FROM jobs WHERE status = 'queued' AND auth_type = $2 AND signer IS NULL ORDER BY created_at, seq LIMIT $3 FOR UPDATE SKIP LOCKED),
         taken AS (
           UPDATE jobs SET signer = $1 FROM picked
           WHERE jobs.id = picked.id AND jobs.status = 'queued' AND jobs.signer IS NULL
           RETURNING jobs.*)
         SELECT * FROM taken ORDER BY created_at, seq`,
        [lease.signer, authType, limit - jobs.length],
      );
      return [...jobs, ...claimed.rows.map(toJob)];
    });
  }

  async updateLaneJob(lease: LaneLease, id: string, patch: JobPatch, now: number): Promise<void> {
    await this.fenced(lease, async (c) => {
      const columns = patchColumns(patch);
      const sets = [...columns.map(([col], i) => `${col} = $${i + 1}`), `updated_at = $${columns.length + 1}`];
      const { rowCount } = await c.query(`UPDATE jobs SET ${sets.join(", ")} WHERE id = $${columns.length + 2} AND signer = $${columns.length + 3}`, [
        ...columns.map(([, v]) => v),
        now,
        id,
        lease.signer,
      ]);
      if (rowCount !== 1) throw new LaneLeaseLost(lease.signer);
    });
  }

  async recordAttempt(lease: LaneLease, a: TxAttempt, nextNonce: number | undefined, now: number): Promise<void> {
    await this.fenced(lease, async (c, lane) => {
      const { rows } = await c.query<{ status: JobStatus; nonce: number | null; signer: string | null }>(
        "SELECT status, nonce, signer FROM jobs WHERE id = $1 FOR UPDATE",
        [a.jobId],
      );
      const job = rows[0];
      if (!job) throw new Error(`recordAttempt: no job ${a.jobId}`);
      if (job.signer !== lease.signer) throw new LaneLeaseLost(lease.signer);
      checkAttempt(a, nextNonce, job, lane.next_nonce);
      await c.query(`INSERT INTO tx_attempts (${ATTEMPT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, attemptValues(a));
      await c.query(
        `UPDATE jobs SET status = 'submitted', nonce = $1, tx_hash = $2, submitted_at = COALESCE(submitted_at, $3), updated_at = $3 WHERE id = $4`,
        [a.nonce, a.hash, now, a.jobId],
      );
      if (nextNonce !== undefined) await c.query("UPDATE lanes SET next_nonce = $1 WHERE signer = $2", [nextNonce, lease.signer]);
    });
  }

  async attempts(jobId: string): Promise<TxAttempt[]> {
    const { rows } = await this.query<AttemptRow>("SELECT * FROM tx_attempts WHERE job_id = $1 ORDER BY seq", [jobId]);
    return rows.map(toAttempt);
  }

  async recordBatchAttempt(lease: LaneLease, batch: NewBatch, a: TxAttempt, nextNonce: number | undefined, now: number): Promise<void> {
    await this.fenced(lease, async (c, lane) => {
      const { rows } = await c.query<{ id: string; status: JobStatus; nonce: number | null; signer: string | null; batch_id: string | null }>(
        "SELECT id, status, nonce, signer, batch_id FROM jobs WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE",
        [batch.jobIds],
      );
      const byId = new Map(rows.map((r) => [r.id, { id: r.id, status: r.status, nonce: r.nonce, signer: r.signer, batchId: r.batch_id }]));
      checkBatchAttempt(
        a,
        nextNonce,
        lease.signer,
        batch.jobIds.map((id) => byId.get(id)),
        lane.next_nonce,
      );
      if (nextNonce !== undefined) {
        await c.query(`INSERT INTO batches (${BATCH_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)`, batchValues(batch, lease.signer, a.nonce, now));
      }
      await c.query(`INSERT INTO batch_attempts (${BATCH_ATTEMPT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, attemptValues(a));
      await c.query(
        `UPDATE jobs SET status = 'submitted', nonce = $1, tx_hash = $2, batch_id = $3, batch_index = m.i - 1,
           submitted_at = COALESCE(submitted_at, $4), updated_at = $4
         FROM unnest($5::text[]) WITH ORDINALITY AS m(id, i) WHERE jobs.id = m.id`,
        [a.nonce, a.hash, batch.id, now, batch.jobIds],
      );
      if (nextNonce !== undefined) await c.query("UPDATE lanes SET next_nonce = $1 WHERE signer = $2", [nextNonce, lease.signer]);
    });
  }

  async getBatch(id: string): Promise<Batch | undefined> {
    const { rows } = await this.query<BatchRow>("SELECT * FROM batches WHERE id = $1", [id]);
    if (!rows[0]) return undefined;
    const members = await this.query<{ id: string }>("SELECT id FROM jobs WHERE batch_id = $1 ORDER BY batch_index", [id]);
    return toBatch(
      rows[0],
      members.rows.map((j) => j.id),
    );
  }

  async batchAttempts(batchId: string): Promise<TxAttempt[]> {
    const { rows } = await this.query<AttemptRow>(`${SELECT_BATCH_ATTEMPT} WHERE batch_id = $1 ORDER BY seq`, [batchId]);
    return rows.map(toAttempt);
  }

  async ping(): Promise<void> {
    await this.query("SELECT 1");
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}
