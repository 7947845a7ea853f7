import type { Request, Response } from "express";
import { checkSubmission } from "../../pipeline/pipeline";
import type { AppContext } from "../context";

/** POST /v1/submissions: every check, then durable storage, then 202 `{id, status}` (idempotent by id). */
export function submissionsPost(ctx: AppContext) {
  return async (req: Request, res: Response): Promise<void> => {
    const { job, existing } = await checkSubmission(ctx.pipeline, req.body);
    // insertJob commits (WAL, synchronous=FULL) before it returns: the 202 below never announces a job a crash can lose.
    const stored = existing ?? ctx.store.insertJob(job, Date.now()).job;
    const created = existing === undefined;
    ctx.metrics.submissions.inc({ outcome: created ? "accepted" : "duplicate" });
    ctx.log.info({ job: stored.id, kind: stored.kind, auth: stored.authType, created }, "submission accepted");
    res.status(202).json({ id: stored.id, status: stored.status });
  };
}
