import { anonymousRecordId, keyImageHash } from "../../src/actions";
import { parseSignatureJson, type VerifierArgs } from "../../src/mrs1";
import type { RingActionCodec } from "../actions/types";
import type { RingAuthorizationJson } from "../api/schemas";
import { ApiError } from "../errors";
import { jobId } from "./jobId";
import { checkDeadline, checkNonce, checkReplaySlot } from "./replay";
import { simulate } from "./simulate";
import type { Checked, PipelineDeps } from "./types";

/**
 * Checks of a ring-authorised (anonymous) action, cheapest first: arguments, ring size, scope and message
 * binding, deadline, signature decoding (points), ring membership, MRS-1 verification (worker thread),
 * idempotency, nonce and replay, simulation.
 */
export async function checkRingAction(
  deps: PipelineDeps,
  kind: string,
  codec: RingActionCodec<unknown>,
  rawArgs: unknown,
  auth: RingAuthorizationJson,
): Promise<Checked> {
  const argsResult = codec.args.safeParse(rawArgs);
  if (!argsResult.success) throw new ApiError("invalid_request", `action.args: ${formatIssue(argsResult.error.issues[0])}`);
  const args = argsResult.data;
  const nonce = BigInt(auth.nonce);
  const deadline = BigInt(auth.deadline);
  if (deadline >= 1n << 64n) throw new ApiError("invalid_request", "authorization.deadline: above 2^64");

  // Cheapest first: the ring size, scope, message and deadline are read from the JSON without decoding a point.
  const policy = await deps.view.ringPolicy();
  const n = auth.signature.ring.length;
  if (n < policy.min || n > policy.max) {
    throw new ApiError("ring_size_out_of_policy", `the ring has ${n} members; the policy allows ${policy.min} to ${policy.max}`);
  }
  if (auth.signature.scope.toLowerCase() !== codec.scope(args).toLowerCase()) {
    throw new ApiError("scope_mismatch", "the signature's scope is not the record's scope");
  }
  const digest = codec.digest(args, nonce, deadline, deps.ctx);
  if (auth.signature.message.toLowerCase() !== digest.toLowerCase()) {
    throw new ApiError("message_mismatch", "the signature's message is not the EIP-712 digest of this action, nonce and deadline");
  }
  await checkDeadline(deps, deadline);

  // MRS-1 §Interchange: decode points (off-curve points are refused here, before ring membership is read).
  const parsed = parseSignatureJson(auth.signature);
  if (!parsed.ok) throw new ApiError("invalid_signature", `authorization.signature: ${parsed.detail}`);
  const sig = parsed.signature;

  const affine = sig.ring.map((p) => p.toAffine());
  const outsider = await deps.view.firstNonMember(affine);
  if (outsider >= 0) throw new ApiError("ring_member_not_registered", `ring member ${outsider} is not a registered patient key`);

  const outcome = await deps.pool.verify(auth.signature);
  if (!outcome.valid) {
    if (outcome.reason === "internal") throw new Error(`verify worker: ${outcome.detail}`);
    throw new ApiError("invalid_signature", `MRS-1 verification failed (${outcome.reason}): ${outcome.detail}`);
  }
  const verifierArgs: VerifierArgs = outcome.verifierArgs;

  const id = jobId(deps.ctx.chainId, deps.ctx.registryAddress, digest, keyImageHash(sig.keyImage));
  const data = codec.calldata(args, { signature: verifierArgs.sig, hints: verifierArgs.hints, nonce, deadline }, deps.ctx);
  const recordId = anonymousRecordId(codec.scope(args));
  const replayKey = `ring:${deps.ctx.registryAddress.toLowerCase()}:${recordId}:${nonce}`;
  const base = { id, kind, authType: "ring" as const, to: deps.ctx.registryAddress, data, deadline: Number(deadline), replayKey };

  const existing = deps.store.getJob(id);
  if (existing) return { job: { ...base, gasEstimate: existing.gasEstimate }, existing };

  checkNonce(nonce, await deps.ctx.registry.ringNonce(recordId), "record");
  checkReplaySlot(deps, replayKey, id);
  const gasEstimate = await simulate(deps, { to: deps.ctx.registryAddress, data });
  return { job: { ...base, gasEstimate }, existing: undefined };
}

export function formatIssue(issue: { path: PropertyKey[]; message: string } | undefined): string {
  if (!issue) return "invalid";
  const where = issue.path.map(String).join(".");
  return where ? `${where}: ${issue.message}` : issue.message;
}
