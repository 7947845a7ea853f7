import { ApiError } from "../errors";
import type { PipelineDeps } from "./types";

/**
 * The relayer stops paying for an admitter past its quota (IMedRingRegistry.admissionQuota; README "Security model:
 * who can make the relayer pay"). The chain counts only mined registrations, so registrations accepted but not yet
 * mined each hold one numbered quota slot, a replay slot of the job store (`admission:<registry>:<admitter>:<k>`,
 * k from the admitted count up to the quota): the store allows one live job per slot, atomically with the insert,
 * so neither one instance nor several on one database accept more registrations than the quota has room for.
 */

/** The penalty key of an admitter (pipeline/replay.ts checkPenalty): its registrations' failures on chain suspend it. */
export function admitterPrincipal(admitter: string): string {
  return `admitter:${admitter.toLowerCase()}`;
}

/** At most this many registrations of one admitter in flight: each acceptance looks at most this many slots. */
export const MAX_ADMISSIONS_IN_FLIGHT = 32;

const SLOT_PREFIX = "admission:";

export function admissionSlotKey(registry: string, admitter: string, k: bigint): string {
  return `${SLOT_PREFIX}${registry.toLowerCase()}:${admitter.toLowerCase()}:${k}`;
}

export function isAdmissionSlotKey(key: string): boolean {
  return key.startsWith(SLOT_PREFIX);
}

/** The first free quota slot of `admitter` for job `id` (its own slot when it already holds one); ApiError when none is left. */
export async function claimAdmissionSlot(deps: PipelineDeps, admitter: string, id: string): Promise<string> {
  const [quota, admitted] = await deps.ctx.registry.admissionQuota(admitter);
  const end = quota < admitted + BigInt(MAX_ADMISSIONS_IN_FLIGHT) ? quota : admitted + BigInt(MAX_ADMISSIONS_IN_FLIGHT);
  for (let k = admitted; k < end; k++) {
    const key = admissionSlotKey(deps.ctx.registryAddress, admitter, k);
    const live = await deps.store.findLiveByReplayKey(key);
    if (!live || live.id === id) return key;
  }
  if (end === quota) {
    throw new ApiError(
      "admission_quota_exceeded",
      `admitter ${admitter} has admitted ${admitted} of its quota of ${quota} patients, and registrations in flight hold the rest`,
    );
  }
  throw new ApiError("busy", `admitter ${admitter} has ${MAX_ADMISSIONS_IN_FLIGHT} registrations in flight; retry once they are mined`, 30);
}
