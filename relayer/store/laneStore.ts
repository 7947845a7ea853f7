import type { JobStatus } from "../../src/api";
import type { StoreHandle } from "./handle";
import type { Job, JobPatch, NewJob } from "./jobStore";

/**
 * The right of one relayer instance (`holder`) to use one signer key's nonce lane, until `until` (ms since the
 * epoch, by the store's clock). `epoch` is the fencing token: it grows every time the lane changes hands, and every
 * write a lane makes (nonce, attempt, job state) is refused unless the lane's epoch in the store is still this one.
 * An instance that lost its lane (its lease ran out and another took the lane over) can therefore no longer allocate
 * a nonce or record an attempt, even if it has not noticed yet.
 */
export interface LaneLease {
  signer: string;
  holder: string;
  epoch: number;
  until: number;
}

/** A fenced write found that `signer`'s lane is no longer held under the caller's lease: nothing was written. */
export class LaneLeaseLost extends Error {
  constructor(readonly signer: string) {
    super(`lane ${signer}: the lease was lost to another instance`);
    this.name = "LaneLeaseLost";
  }
}

/**
 * A send, the lane's unit of work: one call (`to`, `data`) under one nonce of one lane, carrying `jobIds`. A send of
 * one job is the job's own call; a send of several is their `IMedRingRegistry.executeRingActions` call, where member
 * `i` is `jobIds[i]` (its index in the call, and in RingActionSkipped). The membership and call are fixed when the
 * first attempt is recorded; replacements (fee bumps, a cancellation) re-sign with the same nonce.
 */
export interface NewSend {
  id: string;
  signer: string;
  to: string;
  data: string;
  jobIds: string[];
}

export interface Send extends NewSend {
  nonce: number;
  createdAt: number;
}

/**
 * What a signed transaction does: the send's call, or a cancellation (a zero-value transfer to the signer itself
 * with the send's nonce, sent when every member's deadline passed while it was unmined).
 */
export type AttemptPurpose = "action" | "cancel";

/** One signed transaction of a send. Its raw bytes are stored BEFORE broadcast, so a crash can re-send it. */
export interface TxAttempt {
  hash: string;
  purpose: AttemptPurpose;
  sendId: string;
  signer: string;
  nonce: number;
  raw: string;
  maxFeePerGas: bigint;
  maxPriorityFeePerGas: bigint;
  gasLimit: bigint;
  createdAt: number;
}

/**
 * The signer lanes: the instances alive, each lane's lease and next nonce, the jobs assigned to it and the sends
 * that carry them. Every write is fenced by a `LaneLease` (LaneLeaseLost, and nothing written, once the lane changed
 * hands). Shares the database of the JobStore it was opened with: a lane's writes to its jobs are atomic with its
 * nonce and attempts.
 */
export interface LaneStore extends StoreHandle {
  /**
   * Records that the instance `holder` is alive for `ttlMs` more, forgets instances not seen for longer, and returns
   * how many are alive (this one included): each instance holds about its share of the lanes.
   */
  heartbeat(holder: string, ttlMs: number): Promise<number>;
  /** Forgets `holder` at once (a clean stop). */
  leave(holder: string): Promise<void>;
  /**
   * Takes or renews `signer`'s lane for `holder` for `ttlMs`: granted when the lane is free, already `holder`'s, or
   * its lease ran out; a change of hands increments the epoch. Undefined while another holder's lease runs.
   */
  acquireLane(signer: string, holder: string, ttlMs: number): Promise<LaneLease | undefined>;
  /** Gives the lane up at once (a clean stop), if `lease` still holds it. */
  releaseLane(lease: LaneLease): Promise<void>;
  /** The next nonce this signer will use, as persisted; undefined before the first reconciliation. */
  getNextNonce(signer: string): Promise<number | undefined>;
  /** Fenced: sets the lane's next nonce. */
  setNextNonce(lease: LaneLease, next: number): Promise<void>;
  /** The lane's jobs in these states, oldest first. */
  laneJobs(signer: string, statuses: readonly JobStatus[]): Promise<Job[]>;
  /**
   * Fenced: up to `limit` queued jobs (of `authType`, when given) for the lane to send: the queued jobs already
   * assigned to it first (assigned by an earlier holder that stopped before sending them), then the oldest unassigned
   * ones, which are assigned to the lane. Oldest first within each. No queued job is ever given to two lanes.
   */
  claimQueued(lease: LaneLease, limit: number, authType?: NewJob["authType"]): Promise<Job[]>;
  /** Fenced: updates one of the lane's jobs (refused, with LaneLeaseLost, for a job of another lane). */
  updateLaneJob(lease: LaneLease, id: string, patch: JobPatch, now: number): Promise<void>;
  /**
   * Fenced and atomic; called before the raw transaction is broadcast. First attempt (`nextNonce` given): stores the
   * send, points every member at it (status `submitted`, the attempt's nonce and hash, its index in a batch), and
   * advances the lane's nonce; every member must be queued and assigned to this lane, and the lane's next nonce must
   * be `attempt.nonce`. Replacement (no `nextNonce`): the send's members must be `submitted` in it with the attempt's
   * nonce; they point at the new hash.
   */
  recordAttempt(lease: LaneLease, send: NewSend, attempt: TxAttempt, nextNonce: number | undefined, now: number): Promise<void>;
  /** The send and its members (the jobs it still carries, in their order in its call). */
  getSend(id: string): Promise<Send | undefined>;
  /** All attempts of a send, oldest first (replacements share the nonce). */
  attempts(sendId: string): Promise<TxAttempt[]>;
}
