import type { Request, Response } from "express";
import { bytes32 } from "../../../src/api";
import { ApiError } from "../../errors";
import type { Job } from "../../store/types";
import type { AppContext } from "../context";

/**
 * A ring job's times are shown to the minute: the client needs its status, not when its request arrived, and
 * anyone holding the id (which only the client knows: pipeline/jobId.ts) learns no more timing than that.
 */
const RING_TIME_MS = 60_000;

function shownTime(j: Job, ms: number): string {
  return new Date(j.authType === "ring" ? Math.floor(ms / RING_TIME_MS) * RING_TIME_MS : ms).toISOString();
}

export function jobView(j: Job) {
  return {
    id: j.id,
    kind: j.kind,
    status: j.status,
    txHash: j.txHash,
    blockNumber: j.blockNumber,
    gasUsed: j.gasUsed === null ? null : j.gasUsed.toString(),
    reason: j.reason,
    batchIndex: j.batchIndex,
    createdAt: shownTime(j, j.createdAt),
    updatedAt: shownTime(j, j.updatedAt),
  };
}

/** GET /v1/submissions/{id}: the job's status, current txHash (the latest replacement), block, gas and reason. */
export function submissionsGet(ctx: AppContext) {
  return async (req: Request, res: Response): Promise<void> => {
    const id = String(req.params.id);
    if (!bytes32.safeParse(id).success) throw new ApiError("invalid_request", "id: expected 0x followed by 64 hex digits");
    const job = await ctx.store.getJob(id.toLowerCase());
    if (!job) throw new ApiError("not_found", "no submission with this id");
    res.json(jobView(job));
  };
}
