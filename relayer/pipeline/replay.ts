import { ApiError } from "../errors";
import type { PipelineDeps } from "./types";

/** Pipeline step 4: the deadline is still ahead in chain time (inclusive, as the contracts check it). */
export async function checkDeadline(deps: PipelineDeps, deadline: bigint): Promise<void> {
  const now = await deps.view.chainTime();
  // The transaction lands in a later block, whose timestamp is at least now + 1.
  if (deadline <= now) throw new ApiError("deadline_expired", `deadline ${deadline} is not after the chain's time ${now}`);
}

/**
 * Pipeline step 4: the nonce is the one the chain expects next, and no other live job holds the same nonce
 * slot (two valid requests for one slot would make the second transaction revert and waste gas).
 */
export function checkNonce(given: bigint, expected: bigint, what: string): void {
  if (given < expected) throw new ApiError("replay", `${what} nonce ${given} was already used (next is ${expected})`);
  if (given > expected) throw new ApiError("nonce_mismatch", `${what} nonce ${given} is ahead of the next nonce ${expected}`);
}

export function checkReplaySlot(deps: PipelineDeps, replayKey: string, id: string): void {
  const live = deps.store.findLiveByReplayKey(replayKey);
  if (live && live.id !== id) throw new ApiError("replay", `another submission (${live.id}) already uses this nonce`);
}
