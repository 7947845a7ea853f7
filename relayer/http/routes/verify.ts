import type { Request, Response } from "express";
import { checkSubmission } from "../../pipeline/pipeline";
import type { AppContext } from "../context";

/** POST /v1/verify: the same checks and simulation as a submission; stores and sends nothing. */
export function verifyRoute(ctx: AppContext) {
  return async (req: Request, res: Response): Promise<void> => {
    const { job } = await checkSubmission(ctx.pipeline, req.body);
    ctx.metrics.submissions.inc({ outcome: "verified" });
    res.json({ valid: true, id: job.id, kind: job.kind, gasEstimate: job.gasEstimate.toString() });
  };
}
