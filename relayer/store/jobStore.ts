import type { JobStatus } from "../../src/api";
import type { StoreHandle } from "./handle";

export interface NewJob {
  /** Derived from the signed request under the relayer's secret (pipeline/jobId.ts): the same request always gets the same id. */
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
   * Who answers for the job, as an opaque key chosen by the pipeline (pipeline/replay.ts). A principal whose accepted
   * jobs fail through its own doing is refused for a while (JobStore.penalize).
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
  /** The send (laneStore.ts) that carries the job, from its first attempt on; null while unsent. */
  sendId: string | null;
  /** The job's index in its send's `executeRingActions` call when the send carries several jobs; null for a send of one. */
  batchIndex: number | null;
}

export type JobPatch = Partial<
  Pick<Job, "status" | "reason" | "signer" | "nonce" | "txHash" | "blockNumber" | "blockHash" | "gasUsed" | "submittedAt" | "minedAt" | "sendId" | "batchIndex">
>;

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

/** The statuses in which a job no longer holds its replay slots. */
export const RELEASED_STATUSES = ["failed", "expired"] as const satisfies readonly JobStatus[];

/**
 * The jobs the relayer accepted, the on-chain slots they hold, and the penalties of the principals that answer for
 * them. What the lanes do with a job (claim, send, outcome) is the LaneStore's.
 */
export interface JobStore extends StoreHandle {
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
  /** Refuses `principal` (an opaque key) until `until` (ms); a later call extends, never shortens, the penalty. */
  penalize(principal: string, until: number, reason: string): Promise<void>;
  /** The penalty `principal` is under at `now` (ms), if any. */
  penaltyOf(principal: string, now: number): Promise<Penalty | undefined>;
  /** Jobs in these states, oldest first. */
  listByStatus(statuses: readonly JobStatus[], limit?: number): Promise<Job[]>;
  countByStatus(): Promise<Record<JobStatus, number>>;
  /**
   * The secret stored under `name`, storing `candidate` first when there is none: every instance sharing the store
   * gets the same secret, whichever stored it first (atomic). Used for the job ids' key (pipeline/jobId.ts).
   */
  sharedSecret(name: string, candidate: string): Promise<string>;
}
