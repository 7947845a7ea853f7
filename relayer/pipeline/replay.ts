import { keyImageHash } from "../../src/actions";
import type { Point } from "../../src/mrs1";
import { ApiError } from "../errors";
import type { PipelineDeps } from "./types";

/**
 * The deadline rule shared by acceptance and sending (docs/design.md#relayer-invariants: deadlines with a margin): a
 * deadline must lie at least one block interval plus the margin beyond chain time. A deadline a few seconds ahead
 * would pass every check and then revert on chain at the relayer's cost.
 */
export interface DeadlinePolicy {
  marginSeconds: number;
  blockIntervalSeconds: number;
}

/** Whether `deadline` still leaves the policy's room at chain time `now`. */
export function deadlineLeavesMargin(deadline: bigint, now: bigint, policy: DeadlinePolicy): boolean {
  return deadline >= now + BigInt(policy.blockIntervalSeconds + policy.marginSeconds);
}

/** Pipeline step 4: the deadline (inclusive, as the contracts check it) leaves the margin in chain time. */
export async function checkDeadline(deps: PipelineDeps, deadline: bigint, what = "deadline"): Promise<void> {
  const now = await deps.view.chainTime();
  if (deadline <= now) throw new ApiError("deadline_expired", `${what} ${deadline} is not after the chain's time ${now}`);
  if (!deadlineLeavesMargin(deadline, now, deps.deadlinePolicy)) {
    const room = deps.deadlinePolicy.blockIntervalSeconds + deps.deadlinePolicy.marginSeconds;
    throw new ApiError("deadline_too_soon", `${what} ${deadline} is less than ${room} s after the chain's time ${now}; sign with a later one`);
  }
}

/**
 * Pipeline step 4: the nonce is the one the chain expects next, and no other live job holds the same nonce
 * slot (two valid requests for one slot would make the second transaction revert and waste gas).
 */
export function checkNonce(given: bigint, expected: bigint, what: string): void {
  if (given < expected) throw new ApiError("replay", `${what} nonce ${given} was already used (next is ${expected})`);
  if (given > expected) throw new ApiError("nonce_mismatch", `${what} nonce ${given} is ahead of the next nonce ${expected}`);
}

/** No other live job holds any of `replayKeys` (the store repeats this check atomically with the insert). */
export async function checkReplaySlots(deps: PipelineDeps, replayKeys: readonly string[], id: string): Promise<void> {
  for (const key of replayKeys) {
    const live = await deps.store.findLiveByReplayKey(key);
    if (live && live.id !== id) throw new ApiError("replay", `another submission (${live.id}) already uses this nonce or slot`);
  }
}

/**
 * A principal (a ring, an account or an admitter) whose accepted jobs failed through its own doing is refused for a
 * while (docs/design.md#relayer-invariants: "no second chance for a requester whose jobs keep failing").
 */
export async function checkPenalty(deps: PipelineDeps, principal: string): Promise<void> {
  const now = Date.now();
  const penalty = await deps.store.penaltyOf(principal, now);
  if (penalty) {
    const seconds = Math.ceil((penalty.until - now) / 1000);
    throw new ApiError("suspended", `an earlier submission of this signer failed on chain (${penalty.reason}); refused for ${seconds} s more`, seconds);
  }
}

/**
 * The penalty key of a ring-authorised job: its key image, the one thing only its signer can produce. Not its ring:
 * other patients sign with the very same ring (every action on a record presents its fixed ring, and a small cohort
 * yields identical rings), so a ring penalty would lock honest patients out (docs/design.md#relayer-invariants,
 * "a penalty falls only on its culprit"). The cost: a new scope gives a new key image (README, "Security model").
 */
export function ringJobPrincipal(keyImage: Point): string {
  return keyImageHash(keyImage);
}
