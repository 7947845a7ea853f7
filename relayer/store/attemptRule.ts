import type { JobStatus, TxAttempt } from "./types";

/**
 * The state a job and its lane must be in for `JobStore.recordAttempt`, checked by every backend inside the same
 * atomic step as the write. A first attempt (`nextNonce` given) takes a queued job and exactly the lane's next nonce;
 * a replacement (fee bump or cancellation) reuses the nonce of a job already submitted. Anything else is a bug or a
 * race another instance won, and nothing is written.
 */
export function checkAttempt(
  a: TxAttempt,
  nextNonce: number | undefined,
  job: { status: JobStatus; nonce: number | null },
  laneNextNonce: number | undefined | null,
): void {
  const ok =
    nextNonce !== undefined
      ? job.status === "queued" && laneNextNonce === a.nonce && nextNonce === a.nonce + 1
      : job.status === "submitted" && job.nonce === a.nonce;
  if (!ok) {
    throw new Error(
      `recordAttempt: job ${a.jobId} is ${job.status} with nonce ${job.nonce}, the lane's next nonce is ${laneNextNonce}; ` +
        `refusing attempt ${a.hash} with nonce ${a.nonce}${nextNonce === undefined ? " (replacement)" : ` and next nonce ${nextNonce}`}`,
    );
  }
}
