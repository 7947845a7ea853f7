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

/**
 * The batch form of `checkAttempt`, for `JobStore.recordBatchAttempt`: a first attempt takes members that are all
 * queued on this lane and exactly the lane's next nonce; a replacement reuses the nonce of members all submitted in
 * this batch. `members` are the jobs named by the batch, in its order (undefined: no such job).
 */
export function checkBatchAttempt(
  a: TxAttempt,
  nextNonce: number | undefined,
  signer: string,
  members: ({ id: string; status: JobStatus; nonce: number | null; signer: string | null; batchId: string | null } | undefined)[],
  laneNextNonce: number | undefined | null,
): void {
  const first = nextNonce !== undefined;
  const bad = members.findIndex((j) =>
    j === undefined ? true : j.signer !== signer || (first ? j.status !== "queued" : j.status !== "submitted" || j.nonce !== a.nonce || j.batchId !== a.jobId),
  );
  const laneOk = !first || (laneNextNonce === a.nonce && nextNonce === a.nonce + 1);
  if (bad >= 0 || !laneOk || members.length < 2) {
    const member = bad >= 0 ? members[bad] : undefined;
    throw new Error(
      `recordBatchAttempt: batch ${a.jobId} of ${members.length} jobs, member ${bad} is ${member ? `${member.status} on ${member.signer} with nonce ${member.nonce}` : bad >= 0 ? "missing" : "fine"}, ` +
        `the lane's next nonce is ${laneNextNonce}; refusing attempt ${a.hash} with nonce ${a.nonce}${first ? ` and next nonce ${nextNonce}` : " (replacement)"}`,
    );
  }
}
