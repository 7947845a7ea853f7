import type { Job, Penalty, Send, TxAttempt } from "../types";

export interface MemoryLane {
  nextNonce: number | undefined;
  holder: string | null;
  leaseUntil: number;
  epoch: number;
}

/**
 * The data of the in-memory stores, shared by the MemoryJobStore and the MemoryLaneStore opened together (as the SQL
 * backends share one database). Loses everything on exit: tests only.
 */
export class MemoryState {
  readonly jobs = new Map<string, Job>();
  /** replay slot → ids of the jobs that hold it. */
  readonly slots = new Map<string, string[]>();
  readonly penalties = new Map<string, Penalty>();
  readonly secrets = new Map<string, string>();
  readonly sends = new Map<string, Omit<Send, "jobIds">>();
  readonly attempts = new Map<string, TxAttempt[]>();
  readonly lanes = new Map<string, MemoryLane>();
  /** instance → alive until (ms). */
  readonly instances = new Map<string, number>();

  /** Copies of the jobs that match, oldest first (insertion order among equal creation times, as the SQL stores). */
  oldestFirst(match: (j: Job) => boolean): Job[] {
    return [...this.jobs.values()]
      .filter(match)
      .sort((a, b) => a.createdAt - b.createdAt)
      .map((j) => ({ ...j }));
  }
}
