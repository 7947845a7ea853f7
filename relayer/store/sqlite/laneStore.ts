import { batchIndexIn, checkAttempt, type MemberState } from "../attemptRule";
import { ATTEMPT_COLUMNS, SEND_COLUMNS, attemptValues, patchColumns, sendValues, toAttempt, toJob, toSend } from "../rows";
import type { AttemptRow, JobRow, SendRow } from "../rows";
import { LaneLeaseLost } from "../types";
import type { Job, JobPatch, JobStatus, LaneLease, LaneStore, NewJob, NewSend, Send, TxAttempt } from "../types";
import type { SqliteDatabase } from "./database";

interface LaneRow {
  next_nonce: number | null;
  holder: string | null;
  lease_until: number;
  epoch: number;
}

/** The SQLite LaneStore, on the database it shares with the SQLite JobStore (database.ts says why it is atomic). */
export class SqliteLaneStore implements LaneStore {
  constructor(private readonly sql: SqliteDatabase) {}

  async heartbeat(holder: string, ttlMs: number): Promise<number> {
    const now = Date.now();
    return this.sql.transaction(() => {
      this.sql
        .stmt("INSERT INTO instances (holder, alive_until) VALUES (?, ?) ON CONFLICT (holder) DO UPDATE SET alive_until = excluded.alive_until")
        .run(holder, now + ttlMs);
      this.sql.stmt("DELETE FROM instances WHERE alive_until < ?").run(now);
      return (this.sql.stmt("SELECT COUNT(*) AS n FROM instances").get() as { n: number }).n;
    });
  }

  async leave(holder: string): Promise<void> {
    this.sql.stmt("DELETE FROM instances WHERE holder = ?").run(holder);
  }

  async acquireLane(signer: string, holder: string, ttlMs: number): Promise<LaneLease | undefined> {
    const key = signer.toLowerCase();
    const now = Date.now();
    const r = this.sql
      .stmt(
        `INSERT INTO lanes (signer, holder, lease_until, epoch) VALUES (?, ?, ?, 1)
         ON CONFLICT (signer) DO UPDATE SET
           epoch = CASE WHEN lanes.holder IS excluded.holder THEN lanes.epoch ELSE lanes.epoch + 1 END,
           holder = excluded.holder,
           lease_until = excluded.lease_until
         WHERE lanes.holder IS NULL OR lanes.holder = excluded.holder OR lanes.lease_until < ?
         RETURNING epoch, lease_until`,
      )
      .get(key, holder, now + ttlMs, now) as { epoch: number; lease_until: number } | undefined;
    return r ? { signer: key, holder, epoch: r.epoch, until: r.lease_until } : undefined;
  }

  async releaseLane(lease: LaneLease): Promise<void> {
    this.sql.stmt("UPDATE lanes SET holder = NULL, lease_until = 0 WHERE signer = ? AND epoch = ? AND holder = ?").run(lease.signer, lease.epoch, lease.holder);
  }

  /** Runs `fn` in one transaction if `lease` still holds its lane; LaneLeaseLost (and nothing written) otherwise. */
  private fenced<T>(lease: LaneLease, fn: (lane: LaneRow) => T): T {
    return this.sql.transaction(() => {
      const lane = this.sql.stmt("SELECT next_nonce, holder, lease_until, epoch FROM lanes WHERE signer = ?").get(lease.signer) as LaneRow | undefined;
      if (!lane || lane.epoch !== lease.epoch || lane.holder !== lease.holder) throw new LaneLeaseLost(lease.signer);
      return fn(lane);
    });
  }

  async getNextNonce(signer: string): Promise<number | undefined> {
    const r = this.sql.stmt("SELECT next_nonce FROM lanes WHERE signer = ?").get(signer.toLowerCase()) as { next_nonce: number | null } | undefined;
    return r?.next_nonce ?? undefined;
  }

  async setNextNonce(lease: LaneLease, next: number): Promise<void> {
    this.fenced(lease, () => this.sql.stmt("UPDATE lanes SET next_nonce = ? WHERE signer = ?").run(next, lease.signer));
  }

  async laneJobs(signer: string, statuses: readonly JobStatus[]): Promise<Job[]> {
    if (statuses.length === 0) return [];
    const marks = statuses.map(() => "?").join(", ");
    const rows = this.sql
      .stmt(`SELECT * FROM jobs WHERE signer = ? AND status IN (${marks}) ORDER BY created_at, rowid`)
      .all(signer.toLowerCase(), ...statuses) as JobRow[];
    return rows.map(toJob);
  }

  async claimQueued(lease: LaneLease, limit: number, authType?: NewJob["authType"]): Promise<Job[]> {
    return this.fenced(lease, () => {
      const rows = this.sql
        .stmt(
          `SELECT * FROM jobs WHERE status = 'queued' AND (? IS NULL OR auth_type = ?) AND (signer = ? OR signer IS NULL)
           ORDER BY signer IS NULL, created_at, rowid LIMIT ?`,
        )
        .all(authType ?? null, authType ?? null, lease.signer, limit) as JobRow[];
      const assign = this.sql.stmt("UPDATE jobs SET signer = ? WHERE id = ?");
      for (const r of rows) if (r.signer === null) assign.run(lease.signer, r.id);
      return rows.map((r) => toJob({ ...r, signer: lease.signer }));
    });
  }

  async updateLaneJob(lease: LaneLease, id: string, patch: JobPatch, now: number): Promise<void> {
    this.fenced(lease, () => {
      const columns = patchColumns(patch);
      const info = this.sql
        .stmt(`UPDATE jobs SET ${[...columns.map(([c]) => `${c} = ?`), "updated_at = ?"].join(", ")} WHERE id = ? AND signer = ?`)
        .run(...columns.map(([, v]) => v), now, id, lease.signer);
      if (info.changes !== 1) throw new LaneLeaseLost(lease.signer);
    });
  }

  async recordAttempt(lease: LaneLease, send: NewSend, a: TxAttempt, nextNonce: number | undefined, now: number): Promise<void> {
    this.fenced(lease, (lane) => {
      const get = this.sql.stmt("SELECT id, status, nonce, signer, send_id FROM jobs WHERE id = ?");
      const members = send.jobIds.map((id) => {
        const r = get.get(id) as (Omit<MemberState, "sendId"> & { send_id: string | null }) | undefined;
        return r && { id: r.id, status: r.status, nonce: r.nonce, signer: r.signer, sendId: r.send_id };
      });
      checkAttempt(a, send, nextNonce, lease.signer, members, lane.next_nonce);
      if (nextNonce !== undefined) {
        this.sql.stmt(`INSERT INTO sends (${SEND_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)`).run(...sendValues(send, lease.signer, a.nonce, now));
        this.sql.stmt("UPDATE lanes SET next_nonce = ? WHERE signer = ?").run(nextNonce, lease.signer);
      }
      this.sql.stmt(`INSERT INTO send_attempts (${ATTEMPT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(...attemptValues(a));
      const point = this.sql.stmt(
        `UPDATE jobs SET status = 'submitted', nonce = ?, tx_hash = ?, send_id = ?, batch_index = ?, submitted_at = COALESCE(submitted_at, ?), updated_at = ?
         WHERE id = ?`,
      );
      send.jobIds.forEach((id, i) => point.run(a.nonce, a.hash, send.id, batchIndexIn(send, i), now, now, id));
    });
  }

  async getSend(id: string): Promise<Send | undefined> {
    const r = this.sql.stmt("SELECT * FROM sends WHERE id = ?").get(id) as SendRow | undefined;
    if (!r) return undefined;
    const ids = this.sql.stmt("SELECT id FROM jobs WHERE send_id = ? ORDER BY batch_index").all(id) as { id: string }[];
    return toSend(
      r,
      ids.map((j) => j.id),
    );
  }

  async attempts(sendId: string): Promise<TxAttempt[]> {
    const rows = this.sql.stmt("SELECT * FROM send_attempts WHERE send_id = ? ORDER BY rowid").all(sendId) as AttemptRow[];
    return rows.map(toAttempt);
  }

  ping(): Promise<void> {
    return this.sql.ping();
  }

  close(): Promise<void> {
    return this.sql.close();
  }
}
