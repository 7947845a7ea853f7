import type { Request, Response } from "express";
import { bytes32 } from "../../../src/api";
import { ApiError } from "../../errors";
import type { Job } from "../../store/types";
import type { AppContext } from "../context";

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
    createdAt: new Date(j.createdAt).toISOString(),
    updatedAt: new Date(j.updatedAt).toISOString(),
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
