/**
 * The relayer's stores, split by concern: the JobStore (jobs, replay slots, penalties) and the LaneStore (instances,
 * leases, nonces, sends). Each has three backends (memory for tests, SQLite by default, PostgreSQL for several
 * instances), opened together on one database (index.ts), so that the backend is a config change.
 */

/** A job's states are the API's submission states (src/api/jobStatus.ts); the backends import them from here. */
export { JOB_STATUSES, type JobStatus } from "../../src/api";
export * from "./handle";
export * from "./jobStore";
export * from "./laneStore";
