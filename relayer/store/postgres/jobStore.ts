import { statusCounts, toJob, type JobRow } from "../rows";
import type { InsertOutcome, Job, JobStatus, JobStore, NewJob, Penalty } from "../types";
import type { PgDatabase } from "./database";

/**
 * The PostgreSQL JobStore, on the database it shares with the PostgreSQL LaneStore (database.ts says how it is
 * durable). `insertJob` takes transaction-scoped advisory locks on the job id and each replay key (in one global
 * order, so two inserts cannot deadlock) before it checks and inserts: two instances can never both store one slot.
 */
export class PostgresJobStore implements JobStore {
  constructor(private readonly pg: PgDatabase) {}

  async insertJob(job: NewJob, now: number): Promise<InsertOutcome> {
    return this.pg.tx(async (c) => {
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
    const { rows } = await this.pg.query<JobRow>("SELECT * FROM jobs WHERE id = $1", [id]);
    return rows[0] ? toJob(rows[0]) : undefined;
  }

  async findLiveByReplayKey(replayKey: string): Promise<Job | undefined> {
    const { rows } = await this.pg.query<JobRow>(
      `SELECT jobs.* FROM replay_slots JOIN jobs ON jobs.id = replay_slots.job_id
       WHERE replay_slots.slot = $1 AND jobs.status NOT IN ('failed', 'expired') ORDER BY jobs.created_at, jobs.seq LIMIT 1`,
      [replayKey],
    );
    return rows[0] ? toJob(rows[0]) : undefined;
  }

  async penalize(principal: string, until: number, reason: string): Promise<void> {
    await this.pg.query(
      `INSERT INTO penalties (principal, until, reason) VALUES ($1, $2, $3)
       ON CONFLICT (principal) DO UPDATE SET until = GREATEST(penalties.until, excluded.until), reason = excluded.reason`,
      [principal, until, reason],
    );
  }

  async penaltyOf(principal: string, now: number): Promise<Penalty | undefined> {
    const { rows } = await this.pg.query<Penalty>("SELECT until, reason FROM penalties WHERE principal = $1 AND until > $2", [principal, now]);
    return rows[0] ? { until: rows[0].until, reason: rows[0].reason } : undefined;
  }

  async listByStatus(statuses: readonly JobStatus[], limit = 1_000_000): Promise<Job[]> {
    const { rows } = await this.pg.query<JobRow>("SELECT * FROM jobs WHERE status = ANY($1::text[]) ORDER BY created_at, seq LIMIT $2", [statuses, limit]);
    return rows.map(toJob);
  }

  async countByStatus(): Promise<Record<JobStatus, number>> {
    return statusCounts((await this.pg.query<{ status: JobStatus; n: number }>("SELECT status, COUNT(*)::int AS n FROM jobs GROUP BY status")).rows);
  }

  async sharedSecret(name: string, candidate: string): Promise<string> {
    // Insert if absent, then read: the row is whichever instance's insert committed first. (The read is a statement of
    // its own: one statement's snapshot would not see a row another instance committed while this insert waited.)
    await this.pg.query("INSERT INTO secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING", [name, candidate]);
    const { rows } = await this.pg.query<{ value: string }>("SELECT value FROM secrets WHERE name = $1", [name]);
    return rows[0].value;
  }

  ping(): Promise<void> {
    return this.pg.ping();
  }

  close(): Promise<void> {
    return this.pg.close();
  }
}
