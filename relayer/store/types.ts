/**
 * The job store: everything the relayer must not lose. Small on purpose, so that the backend (memory for tests,
 * SQLite by default, PostgreSQL for several instances) is a config change.
 */

import type { JobStatus } from "../../src/api";

/** A job's states are the API's submission states (src/api/jobStatus.ts); the backends import them from here. */
export { JOB_STATUSES, type JobStatus } from "../../src/api";

export interface NewJob {
  /** Derived from the signed request (see pipeline/jobId.ts): the same request always gets the same id. */
  id: string;
  kind: string;
  authType: "ring" | "eip712";
  /** The call the relayer makes: `to`, `data` (public on chain anyway), with zero value. */
  to: string;
  data: string;
  /** The real gas estimate (verifier included) from acceptance; the lane checks it by a full eth_call before signing. */
  gasEstimate: bigint;
  /** Unix seconds after which the contract refuses the action. */
  deadline: number;
  /**
   * The on-chain slots the action consumes (its nonce; for a registration also its ring key and its account); at
   * most one live job per slot, so two accepted jobs can never race for one slot and make one revert at our cost.
   */
  replayKeys: string[];
  /**
   * Who answers for the job: the key image hash of a ring-authorised action, the signing account of an identified
   * one. A principal whose accepted jobs fail through its own doing is refused for a while (JobStore.penalize).
   */
  principal: string;
}

export interface Job extends Omit<NewJob, "replayKeys"> {
  status: JobStatus;
  reason: string | null;
  /** The lane (signer address, lower case) the job is assigned to from its claim on; null while unassigned. */
  signer: string | null;
  nonce: number | null;
  /** The current transaction: the latest replacement when fees were bumped. */
  txHash: string | null;
  blockNumber: number | null;
  blockHash: string | null;
  gasUsed: bigint | null;
  createdAt: number;
  updatedAt: number;
  submittedAt: number | null;
  minedAt: number | null;
  /** The batch (one `executeRingActions` transaction) the job was sent in, and its index there; null for a single. */
  batchId: string | null;
  batchIndex: number | null;
}

/**
 * What a signed transaction does: the job's action, or a cancellation (a zero-value transfer to the signer
 * itself with the action's nonce, sent when the action's deadline passed while it was unmined).
 */
export type AttemptPurpose = "action" | "cancel";

/** One signed transaction for a job. Its raw bytes are stored BEFORE broadcast, so a crash can re-send it. */
export interface TxAttempt {
  hash: string;
  purpose: AttemptPurpose;
  jobId: string;
  signer: string;
  nonce: number;
  raw: string;
  maxFeePerGas: bigint;
  maxPriorityFeePerGas: bigint;
  gasLimit: bigint;
  createdAt: number;
}

export type JobPatch = Partial<
  Pick<
    Job,
    "status" | "reason" | "signer" | "nonce" | "txHash" | "blockNumber" | "blockHash" | "gasUsed" | "submittedAt" | "minedAt" | "batchId" | "batchIndex"
  >
>;

/**
 * Several queued ring jobs of one lane sent as one `IMedRingRegistry.executeRingActions` transaction: `data` is that
 * call, member `i` is `jobIds[i]` (its index in the call, and in RingActionSkipped). The membership is fixed when the
 * first attempt is recorded; replacements re-sign the same `data` with the same nonce.
 */
export interface NewBatch {
  id: string;
  signer: string;
  to: string;
  data: string;
  jobIds: string[];
}

export interface Batch extends NewBatch {
  nonce: number;
  createdAt: number;
}

/**
 * What `insertJob` did: stored it; found the same id already stored (an idempotent repeat); or found another live
 * job holding the same replay key (the same on-chain nonce), in which case nothing is stored.
 */
export type InsertOutcome = { outcome: "created"; job: Job } | { outcome: "duplicate"; job: Job } | { outcome: "replay-conflict"; job: Job };

/** A principal refused until `until` (ms since the epoch) because `reason`. */
export interface Penalty {
  until: number;
  reason: string;
}

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

/** The store cannot be reached now (a database outage): the request may be retried later; nothing was written. */
export class StoreUnavailable extends Error {
  constructor(cause: Error) {
    super(`job store unavailable: ${cause.message}`);
    this.name = "StoreUnavailable";
  }
}

/** A fenced write found that `signer`'s lane is no longer held under the caller's lease: nothing was written. */
export class LaneLeaseLost extends Error {
  constructor(readonly signer: string) {
    super(`lane ${signer}: the lease was lost to another instance`);
    this.name = "LaneLeaseLost";
  }
}

/**
 * Everything the relayer must not lose, behind one interface with three backends: memory (tests), SQLite (the
 * embedded default, one instance) and PostgreSQL (several instances sharing one database). Every method is atomic
 * and durable on return (each backend says how). Lane writes are fenced by a `LaneLease`.
 */
export interface JobStore {
  /**
   * Inserts `job` as `queued` unless its id exists or a live (not failed/expired) job already holds one of its
   * replay keys. The replay check and the insert are one atomic step, also across instances sharing the store, so
   * two concurrent requests for the same slot cannot both be stored (the pipeline's earlier check runs before
   * awaits that let them interleave). Durable on return.
   */
  insertJob(job: NewJob, now: number): Promise<InsertOutcome>;
  getJob(id: string): Promise<Job | undefined>;
  /** A job that is not failed/expired with this replay key, if any. */
  findLiveByReplayKey(replayKey: string): Promise<Job | undefined>;
  /** Refuses `principal` until `until` (ms); a later call extends, never shortens, the penalty. */
  penalize(principal: string, until: number, reason: string): Promise<void>;
  /** The penalty `principal` is under at `now` (ms), if any. */
  penaltyOf(principal: string, now: number): Promise<Penalty | undefined>;
  /** Jobs in these states, oldest first. */
  listByStatus(statuses: readonly JobStatus[], limit?: number): Promise<Job[]>;
  countByStatus(): Promise<Record<JobStatus, number>>;

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
   * Fenced: the lane's next queued job to send. A queued job already assigned to this lane comes first (assigned
   * by an earlier holder that stopped before sending it); otherwise the oldest unassigned queued job is assigned to
   * the lane. No queued job is ever given to two lanes.
   */
  claimNext(lease: LaneLease): Promise<Job | undefined>;
  /**
   * Fenced: up to `limit` queued jobs of `authType` to send, by the rule of `claimNext` (the lane's own queued jobs
   * first, oldest first, then the oldest unassigned ones, which are assigned to the lane). Used to fill a batch.
   */
  claimQueued(lease: LaneLease, authType: NewJob["authType"], limit: number): Promise<Job[]>;
  /** Fenced: updates one of the lane's jobs (refused, with LaneLeaseLost, for a job of another lane). */
  updateLaneJob(lease: LaneLease, id: string, patch: JobPatch, now: number): Promise<void>;
  /**
   * Fenced and atomic: store the signed attempt, point the job at it (status `submitted`), and when `nextNonce` is
   * given advance the lane's nonce from `attempt.nonce` (the job's first attempt: the job must still be queued and
   * the lane's next nonce still `attempt.nonce`). Called before the raw transaction is broadcast.
   */
  recordAttempt(lease: LaneLease, attempt: TxAttempt, nextNonce: number | undefined, now: number): Promise<void>;
  /** All attempts of a job, oldest first (replacements share the nonce). */
  attempts(jobId: string): Promise<TxAttempt[]>;
  /**
   * Fenced and atomic, the batch form of `recordAttempt` (`attempt.jobId` is the batch id). First attempt
   * (`nextNonce` given): stores the batch and its membership, and sends every member from queued to `submitted` with
   * the attempt's nonce, hash and its index in the batch; every member must be queued and assigned to this lane, and
   * the lane's next nonce must be `attempt.nonce`. Replacement (no `nextNonce`): the batch must exist, its members be
   * `submitted` with the attempt's nonce; they point at the new hash. Called before the raw transaction is broadcast.
   */
  recordBatchAttempt(lease: LaneLease, batch: NewBatch, attempt: TxAttempt, nextNonce: number | undefined, now: number): Promise<void>;
  getBatch(id: string): Promise<Batch | undefined>;
  /** All attempts of a batch, oldest first (replacements share the nonce). */
  batchAttempts(batchId: string): Promise<TxAttempt[]>;
  /** Throws if the backend cannot be used (readiness probe). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
