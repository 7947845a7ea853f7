/**
 * The job store: everything the relayer must not lose. Small on purpose, so that another backend
 * (memory for tests, SQLite by default, anything transactional elsewhere) is a config change.
 */

export const JOB_STATUSES = ["queued", "submitted", "mined", "confirmed", "failed", "expired"] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
/** States that will not change any more. `mined` is not final: a reorg can undo it. */
export const FINAL_STATUSES: readonly JobStatus[] = ["confirmed", "failed", "expired"];

export interface NewJob {
  /** Derived from the signed request (see pipeline/jobId.ts): the same request always gets the same id. */
  id: string;
  kind: string;
  authType: "ring" | "eip712";
  /** The call the relayer makes: `to`, `data` (public on chain anyway), with zero value. */
  to: string;
  data: string;
  /** From the accept-time simulation; the submitter estimates again right before signing. */
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
  Pick<Job, "status" | "reason" | "signer" | "nonce" | "txHash" | "blockNumber" | "blockHash" | "gasUsed" | "submittedAt" | "minedAt">
>;

/**
 * What `insertJob` did: stored it; found the same id already stored (an idempotent repeat); or found another live
 * job holding the same replay key (the same on-chain nonce), in which case nothing is stored.
 */
export type InsertOutcome =
  | { outcome: "created"; job: Job }
  | { outcome: "duplicate"; job: Job }
  | { outcome: "replay-conflict"; job: Job };

/** A principal refused until `until` (ms since the epoch) because `reason`. */
export interface Penalty {
  until: number;
  reason: string;
}

export interface JobStore {
  /**
   * Inserts `job` as `queued` unless its id exists or a live (not failed/expired) job already holds one of its
   * replay keys. The replay check and the insert are one atomic step, so two concurrent requests for the same slot
   * cannot both be stored (the pipeline's earlier check runs before awaits that let them interleave). Durable on
   * return.
   */
  insertJob(job: NewJob, now: number): InsertOutcome;
  getJob(id: string): Job | undefined;
  /** A job that is not failed/expired with this replay key, if any. */
  findLiveByReplayKey(replayKey: string): Job | undefined;
  /** Refuses `principal` until `until` (ms); a later call extends, never shortens, the penalty. */
  penalize(principal: string, until: number, reason: string): void;
  /** The penalty `principal` is under at `now` (ms), if any. */
  penaltyOf(principal: string, now: number): Penalty | undefined;
  /** Jobs in these states, oldest first. */
  listByStatus(statuses: readonly JobStatus[], limit?: number): Job[];
  countByStatus(): Record<JobStatus, number>;
  updateJob(id: string, patch: JobPatch, now: number): void;

  /** The next nonce this signer will use, as persisted; undefined before the first reconciliation. */
  getNextNonce(signer: string): number | undefined;
  setNextNonce(signer: string, next: number): void;
  /**
   * Atomically: store the signed attempt, point the job at it (status `submitted`), and when `nextNonce` is
   * given advance the signer's nonce. Called before the raw transaction is broadcast.
   */
  recordAttempt(attempt: TxAttempt, nextNonce: number | undefined, now: number): void;
  /** All attempts of a job, oldest first (replacements share the nonce). */
  attempts(jobId: string): TxAttempt[];
  /** Throws if the backend cannot be used (readiness probe). */
  ping(): void;
  close(): void;
}
