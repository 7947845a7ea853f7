import type { Request, Response } from "express";
import { ApiError } from "../../errors";
import { MAX_ADMISSIONS_IN_FLIGHT, isAdmissionSlotKey } from "../../pipeline/admissionQuota";
import { checkSubmission } from "../../pipeline/pipeline";
import { timeStep } from "../../pipeline/steps";
import type { AppContext } from "../context";

/** POST /v1/submissions: every check, then durable storage, then 202 `{id, status}` (idempotent by id). */
export function submissionsPost(ctx: AppContext) {
  return (req: Request, res: Response): Promise<void> => timeStep(ctx.metrics.acceptanceStepSeconds, "total", () => submit(ctx, req, res));
}

/**
 * How often a registration is checked again after losing its admission quota slot to a concurrent one
 * (pipeline/admissionQuota.ts): the next check takes the next free slot, or finds a real replay and says so. Each
 * loss means another registration of the same admitter took a slot, so at most as many retries as registrations can
 * be in flight at once: a clinic registering a few patients at once is served, not refused as a replay.
 */
const ADMISSION_SLOT_RETRIES = MAX_ADMISSIONS_IN_FLIGHT;

async function submit(ctx: AppContext, req: Request, res: Response): Promise<void> {
  let inserted;
  for (let attempt = 0; ; attempt++) {
    const { job, existing } = await checkSubmission(ctx.pipeline, req.body);
    // insertJob commits durably (SQLite: WAL, synchronous=FULL; PostgreSQL: synchronous_commit) before it returns:
    // the 202 below never announces a job a crash can lose. It also re-checks the replay slots atomically, across
    // instances too: concurrent requests for one nonce passed the pipeline's check together, and only one of them may
    // be stored (the others would be paid for and revert on chain).
    inserted = existing
      ? { outcome: "duplicate" as const, job: existing }
      : await timeStep(ctx.metrics.acceptanceStepSeconds, "insert", () => ctx.store.insertJob(job, Date.now()));
    if (inserted.outcome !== "replay-conflict") break;
    const holdsQuotaSlot = job.replayKeys.some(isAdmissionSlotKey);
    if (!holdsQuotaSlot || attempt >= ADMISSION_SLOT_RETRIES) {
      throw new ApiError("replay", `another submission (${inserted.job.id}) already uses this nonce or slot`);
    }
  }
  const stored = inserted.job;
  const created = inserted.outcome === "created";
  ctx.metrics.submissions.inc({ outcome: created ? "accepted" : "duplicate" });
  // A ring job's id is not logged at its acceptance: the log's timestamps would tie it to the moment it arrived.
  ctx.log.info({ job: stored.authType === "ring" ? undefined : stored.id, kind: stored.kind, auth: stored.authType, created }, "submission accepted");
  res.status(202).json({ id: stored.id, status: stored.status });
}
