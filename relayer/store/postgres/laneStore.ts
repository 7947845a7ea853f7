import type { PoolClient } from "pg";
import { batchIndexIn, checkAttempt } from "../attemptRule";
import { ATTEMPT_COLUMNS, SEND_COLUMNS, attemptValues, patchColumns, sendValues, toAttempt, toJob, toSend } from "../rows";
import type { AttemptRow, JobRow, SendRow } from "../rows";
import { LaneLeaseLost } from "../types";
import type { Job, JobPatch, JobStatus, LaneLease, LaneStore, NewJob, NewSend, Send, TxAttempt } from "../types";
import { NOW_MS, type PgDatabase } from "./database";

interface LaneRow {
  next_nonce: number | null;
  holder: string | null;
  epoch: number;
}

/**
 * The PostgreSQL LaneStore, on the database it shares with the PostgreSQL JobStore. Atomicity across instances:
 *  - lane writes run in a transaction that first locks the lane's row (`FOR UPDATE`) and compares its holder and
 *    epoch with the lease: a takeover (which increments the epoch) waits for a running lane write and makes every
 *    later write of the old holder fail with LaneLeaseLost.
 *  - `claimQueued` assigns unassigned queued jobs with `FOR UPDATE SKIP LOCKED`: no job goes to two lanes.
 */
export class PostgresLaneStore implements LaneStore {
  constructor(private readonly pg: PgDatabase) {}

  async heartbeat(holder: string, ttlMs: number): Promise<number> {
    return this.pg.tx(async (c) => {
      await c.query(
        `INSERT INTO instances (holder, alive_until) VALUES ($1, ${NOW_MS} + $2) ON CONFLICT (holder) DO UPDATE SET alive_until = excluded.alive_until`,
        [holder, ttlMs],
      );
      await c.query(`DELETE FROM instances WHERE alive_until < ${NOW_MS}`);
      return (await c.query<{ n: number }>("SELECT COUNT(*)::int AS n FROM instances")).rows[0].n;
    });
  }

  async leave(holder: string): Promise<void> {
    await this.pg.query("DELETE FROM instances WHERE holder = $1", [holder]);
  }

  async acquireLane(signer: string, holder: string, ttlMs: number): Promise<LaneLease | undefined> {
    const key = signer.toLowerCase();
    const { rows } = await this.pg.query<{ epoch: number; lease_until: number }>(
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
    await this.pg.query("UPDATE lanes SET holder = NULL, lease_until = 0 WHERE signer = $1 AND epoch = $2 AND holder = $3", [
      lease.signer,
      lease.epoch,
      lease.holder,
    ]);
  }

  /** Runs `fn` in one transaction that holds the lane's row lock, if `lease` still holds the lane; else LaneLeaseLost. */
  private fenced<T>(lease: LaneLease, fn: (c: PoolClient, lane: LaneRow) => Promise<T>): Promise<T> {
    return this.pg.tx(async (c) => {
      const { rows } = await c.query<LaneRow>("SELECT next_nonce, holder, epoch FROM lanes WHERE signer = $1 FOR UPDATE", [lease.signer]);
      const lane = rows[0];
      if (!lane || lane.epoch !== lease.epoch || lane.holder !== lease.holder) throw new LaneLeaseLost(lease.signer);
      return fn(c, lane);
    });
  }

  async getNextNonce(signer: string): Promise<number | undefined> {
    const { rows } = await this.pg.query<{ next_nonce: number | null }>("SELECT next_nonce FROM lanes WHERE signer = $1", [signer.toLowerCase()]);
    return rows[0]?.next_nonce ?? undefined;
  }

  async setNextNonce(lease: LaneLease, next: number): Promise<void> {
    await this.fenced(lease, (c) => c.query("UPDATE lanes SET next_nonce = $1 WHERE signer = $2", [next, lease.signer]));
  }

  async laneJobs(signer: string, statuses: readonly JobStatus[]): Promise<Job[]> {
    const { rows } = await this.pg.query<JobRow>("SELECT * FROM jobs WHERE signer = $1 AND status = ANY($2::text[]) ORDER BY created_at, seq", [
      signer.toLowerCase(),
      statuses,
    ]);
    return rows.map(toJob);
  }

  async claimQueued(lease: LaneLease, limit: number, authType?: NewJob["authType"]): Promise<Job[]> {
    return this.fenced(lease, async (c) => {
      const assigned = await c.query<JobRow>(
        "SELECT * FROM jobs WHERE status = 'queued' AND ($1::text IS NULL OR auth_type = $1) AND signer = $2 ORDER BY created_at, seq LIMIT $3",
        [authType ?? null, lease.signer, limit],
      );
      const jobs = assigned.rows.map(toJob);
      if (jobs.length >= limit) return jobs;
      const claimed = await c.query<JobRow>(
        // MATERIALIZED: the locking, limited pick runs once (as a plain IN subquery the planner may re-run it).
        `WITH picked AS MATERIALIZED (
           SELECT id FROM jobs WHERE status = 'queued' AND ($2::text IS NULL OR auth_type = $2) AND signer IS NULL
           ORDER BY created_at, seq LIMIT $3 FOR UPDATE SKIP LOCKED),
         taken AS (
           UPDATE jobs SET signer = $1 FROM picked
           WHERE jobs.id = picked.id AND jobs.status = 'queued' AND jobs.signer IS NULL
           RETURNING jobs.*)
         SELECT * FROM taken ORDER BY created_at, seq`,
        [lease.signer, authType ?? null, limit - jobs.length],
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

  async recordAttempt(lease: LaneLease, send: NewSend, a: TxAttempt, nextNonce: number | undefined, now: number): Promise<void> {
    await this.fenced(lease, async (c, lane) => {
      const { rows } = await c.query<{ id: string; status: JobStatus; nonce: number | null; signer: string | null; send_id: string | null }>(
        "SELECT id, status, nonce, signer, send_id FROM jobs WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE",
        [send.jobIds],
      );
      const byId = new Map(rows.map((r) => [r.id, { id: r.id, status: r.status, nonce: r.nonce, signer: r.signer, sendId: r.send_id }]));
      checkAttempt(
        a,
        send,
        nextNonce,
        lease.signer,
        send.jobIds.map((id) => byId.get(id)),
        lane.next_nonce,
      );
      if (nextNonce !== undefined) {
        await c.query(`INSERT INTO sends (${SEND_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)`, sendValues(send, lease.signer, a.nonce, now));
        await c.query("UPDATE lanes SET next_nonce = $1 WHERE signer = $2", [nextNonce, lease.signer]);
      }
      await c.query(`INSERT INTO send_attempts (${ATTEMPT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, attemptValues(a));
      await c.query(
        `UPDATE jobs SET status = 'submitted', nonce = $1, tx_hash = $2, send_id = $3, batch_index = m.i,
           submitted_at = COALESCE(submitted_at, $4), updated_at = $4
         FROM unnest($5::text[], $6::int[]) AS m(id, i) WHERE jobs.id = m.id`,
        [a.nonce, a.hash, send.id, now, send.jobIds, send.jobIds.map((_, i) => batchIndexIn(send, i))],
      );
    });
  }

  async getSend(id: string): Promise<Send | undefined> {
    const { rows } = await this.pg.query<SendRow>("SELECT * FROM sends WHERE id = $1", [id]);
    if (!rows[0]) return undefined;
    const members = await this.pg.query<{ id: string }>("SELECT id FROM jobs WHERE send_id = $1 ORDER BY batch_index", [id]);
    return toSend(
      rows[0],
      members.rows.map((j) => j.id),
    );
  }

  async attempts(sendId: string): Promise<TxAttempt[]> {
    const { rows } = await this.pg.query<AttemptRow>("SELECT * FROM send_attempts WHERE send_id = $1 ORDER BY seq", [sendId]);
    return rows.map(toAttempt);
  }

  ping(): Promise<void> {
    return this.pg.ping();
  }

  close(): Promise<void> {
    return this.pg.close();
  }
}
