import { ACTIONS } from "../codecs/registry";
import { submissionRequest } from "../../src/api";
import { ApiError, formatIssue } from "../errors";
import { checkIdentifiedAction } from "./identifiedChecks";
import { checkRingAction } from "./ringChecks";
import type { Checked, PipelineDeps } from "./types";

/**
 * The relayer pays gas only for a request that passes every step (DESIGN §Relayer invariants):
 * 1 schema and size limits, 2 ring membership, 3 off-chain MRS-1 verification, 4 replay and deadline,
 * 5 simulation. Used by POST /v1/submissions and, without storing, by POST /v1/verify.
 */
export async function checkSubmission(deps: PipelineDeps, body: unknown): Promise<Checked> {
  const parsed = submissionRequest.safeParse(body);
  if (!parsed.success) throw new ApiError("invalid_request", formatIssue(parsed.error.issues[0]));
  const { action, authorization } = parsed.data;
  const codec = ACTIONS.get(action.kind);
  if (!codec) throw new ApiError("unknown_action", `unknown action kind "${action.kind}"; known: ${[...ACTIONS.keys()].join(", ")}`);
  if (authorization.type === "ring") {
    if (!codec.ring) throw new ApiError("unknown_action", `action "${action.kind}" cannot be ring-authorised`);
    return checkRingAction(deps, action.kind, codec.ring, action.args, authorization);
  }
  if (!codec.identified) throw new ApiError("unknown_action", `action "${action.kind}" cannot be EIP-712 authorised`);
  return checkIdentifiedAction(deps, action.kind, codec.identified, action.args, authorization);
}
