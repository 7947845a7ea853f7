/**
 * The states of a submission as the relayer's API reports them (GET /v1/submissions/{id}), in lifecycle order. The
 * relayer's job store keeps jobs in exactly these states; the client waits for a final one. `done_elsewhere`: the
 * action took effect, but through another transaction that carried the same call (a copy of the relayer's, mined
 * first), so the relayer's own reverted or skipped it; not the signer's failure.
 */
export const JOB_STATUSES = ["queued", "submitted", "mined", "confirmed", "failed", "expired", "done_elsewhere"] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
/** States that will not change any more. `mined` is not final: a reorg can undo it. */
export const FINAL_STATUSES: readonly JobStatus[] = ["confirmed", "failed", "expired", "done_elsewhere"];
