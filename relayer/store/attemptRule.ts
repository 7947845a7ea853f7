import type { JobStatus, NewSend, TxAttempt } from "./types";

/** What the rule reads of each member job. */
export interface MemberState {
  id: string;
  status: JobStatus;
  nonce: number | null;
  signer: string | null;
  sendId: string | null;
}

/**
 * The state a send's members and its lane must be in for `LaneStore.recordAttempt`, checked by every backend inside
 * the same atomic step as the write. A first attempt (`nextNonce` given) takes members that are all queued on this
 * lane and exactly the lane's next nonce; a replacement (fee bump or cancellation) reuses the nonce of members all
 * submitted in this send. `members` are the jobs the send names, in its order (undefined: no such job). Anything else
 * is a bug or a race another instance won, and nothing is written.
 */
export function checkAttempt(
  a: TxAttempt,
  send: NewSend,
  nextNonce: number | undefined,
  signer: string,
  members: (MemberState | undefined)[],
  laneNextNonce: number | undefined | null,
): void {
  const first = nextNonce !== undefined;
  const bad = members.findIndex((j) =>
    j === undefined ? true : j.signer !== signer || (first ? j.status !== "queued" : j.status !== "submitted" || j.nonce !== a.nonce || j.sendId !== send.id),
  );
  const laneOk = !first || (laneNextNonce === a.nonce && nextNonce === a.nonce + 1);
  if (bad >= 0 || !laneOk || members.length === 0 || a.sendId !== send.id) {
    const member = bad >= 0 ? members[bad] : undefined;
    throw new Error(
      `recordAttempt: send ${send.id} of ${members.length} jobs, member ${bad} is ${member ? `${member.status} on ${member.signer} with nonce ${member.nonce}` : bad >= 0 ? "missing" : "fine"}, ` +
        `the lane's next nonce is ${laneNextNonce}; refusing attempt ${a.hash} of ${a.sendId} with nonce ${a.nonce}${first ? ` and next nonce ${nextNonce}` : " (replacement)"}`,
    );
  }
}

/** A member's index in its send's call: its position when the send is a batch, null for a send of one. */
export function batchIndexIn(send: NewSend, i: number): number | null {
  return send.jobIds.length > 1 ? i : null;
}
