import { anonymousRecordId, keyImageHash, ringHash } from "../../src/actions";
import { parseSignatureJson, type VerifierArgs } from "../../src/mrs1";
import type { RingActionCodec } from "../codecs/types";
import { nativePointDecoder } from "../mrs1Native/verifyForChain";
import type { RingAuthorizationJson } from "../../src/api";
import { ApiError, parseActionArgs } from "../errors";
import { ringJobGasBound } from "./actionGasBound";
import { TX_GAS_CAP, checkRingGas } from "./gasBound";
import { jobId } from "./jobId";
import { checkDeadline, checkPenalty, checkReplaySlots, ringJobPrincipal } from "./replay";
import { simulateRingAction } from "./simulate";
import { timeStep } from "./steps";
import type { Checked, PipelineDeps } from "./types";

/**
 * Checks of a ring-authorised (anonymous) action, cheapest first: arguments, ring size, scope and message
 * binding, deadline (with the margin), signature decoding (points), the signer's penalty, the ring (new: every
 * member registered; later action: exactly the record's creation ring), MRS-1 verification (worker thread),
 * idempotency, replay slots, simulation with the verifier stubbed (which also checks the record's nonce).
 */
export async function checkRingAction(
  deps: PipelineDeps,
  kind: string,
  codec: RingActionCodec<unknown>,
  rawArgs: unknown,
  auth: RingAuthorizationJson,
): Promise<Checked> {
  const args = parseActionArgs(codec.args, rawArgs);
  const nonce = BigInt(auth.nonce);
  const deadline = BigInt(auth.deadline);

  // Cheapest first: the ring size, scope, message and deadline are read from the JSON without decoding a point.
  const n = auth.signature.ring.length;
  // Before any node call: a ring whose verification cannot fit in one transaction never executes (gasBound.ts).
  checkRingGas(n);
  if (codec.createsRecord) {
    const policy = await deps.view.ringPolicy();
    if (n < policy.min || n > policy.max) {
      throw new ApiError("ring_size_out_of_policy", `the ring has ${n} members; the policy allows ${policy.min} to ${policy.max}`);
    }
  }
  const scope = codec.scope(args);
  if (auth.signature.scope.toLowerCase() !== scope.toLowerCase()) {
    throw new ApiError("scope_mismatch", "the signature's scope is not the record's scope");
  }
  const digest = codec.digest(args, nonce, deadline, deps.ctx);
  if (auth.signature.message.toLowerCase() !== digest.toLowerCase()) {
    throw new ApiError("message_mismatch", "the signature's message is not the EIP-712 digest of this action, nonce and deadline");
  }
  await checkDeadline(deps, deadline);
  if (codec.createsRecord) {
    // A member found unregistered a moment ago (the negative answer's lifetime) is refused before any decoding.
    const known = deps.view.knownNonMember(auth.signature.ring);
    if (known >= 0) throw new ApiError("ring_member_not_registered", `ring member ${known} is not a registered patient key`);
  }

  // MRS-1 §Interchange: decode points (off-curve points are refused here, before the chain is asked anything), with
  // libsecp256k1's decompression (the same decoder as the verify workers'; four times faster than noble's here).
  const parsed = await timeStep(deps.steps, "decode", () => parseSignatureJson(auth.signature, nativePointDecoder()));
  if (!parsed.ok) throw new ApiError("invalid_signature", `authorization.signature: ${parsed.detail}`);
  const sig = parsed.signature;
  const keyImage = keyImageHash(sig.keyImage);
  // The penalty is keyed on the key image, never on the ring, which honest patients share (./replay.ts).
  const principal = ringJobPrincipal(sig.keyImage);
  await timeStep(deps.steps, "penalty", () => checkPenalty(deps, principal));
  // Signer-bound record id (MedRingTypes.RecordId): only this key image's record in this scope.
  const recordId = anonymousRecordId(scope, keyImage);

  if (codec.createsRecord) {
    const outsider = await timeStep(deps.steps, "membership", () => deps.view.firstNonMember(sig.ring.map((p) => p.toAffine())));
    if (outsider >= 0) {
      deps.view.rememberNonMember(auth.signature.ring[outsider]);
      throw new ApiError("ring_member_not_registered", `ring member ${outsider} is not a registered patient key`);
    }
  } else {
    // One ring per record: later actions present exactly the creation ring (members were checked then).
    const expected = await timeStep(deps.steps, "record_ring", () => deps.ctx.registry.recordRingHash(recordId));
    if (BigInt(expected) === 0n) throw new ApiError("record_not_found", "this key image owns no anonymous record in this scope");
    if (expected.toLowerCase() !== ringHash(sig.ring).toLowerCase()) {
      throw new ApiError("ring_mismatch", "the ring is not the record's ring: every action on an anonymous record presents the ring it was created with");
    }
  }

  const outcome = await timeStep(deps.steps, "verify", () => deps.pool.verify(auth.signature));
  if (!outcome.valid) {
    if (outcome.reason === "internal") throw new Error(`verify worker: ${outcome.detail}`);
    throw new ApiError("invalid_signature", `MRS-1 verification failed (${outcome.reason}): ${outcome.detail}`);
  }
  const verifierArgs: VerifierArgs = outcome.verifierArgs;

  const id = jobId(deps.jobIdKey, deps.ctx.chainId, deps.ctx.registryAddress, digest, keyImage);
  const data = await timeStep(deps.steps, "calldata", () =>
    codec.calldata(args, { signature: verifierArgs.sig, hints: verifierArgs.hints, nonce, deadline }, deps.ctx),
  );
  // The whole action's honest gas (pipeline/actionGasBound.ts): a payload that pushes it over the cap never executes.
  const gasBound = ringJobGasBound(data)!;
  if (gasBound > TX_GAS_CAP) {
    throw new ApiError("ring_gas_over_cap", `this action needs about ${gasBound} gas (measured, plus the margin), above the ${TX_GAS_CAP} per transaction`);
  }
  const replayKeys = [`ring:${deps.ctx.registryAddress.toLowerCase()}:${recordId}:${nonce}`];
  const base = { id, kind, authType: "ring" as const, to: deps.ctx.registryAddress, data, deadline: Number(deadline), replayKeys, principal };

  const existing = await timeStep(deps.steps, "replay", async () => {
    const stored = await deps.store.getJob(id);
    if (!stored) await checkReplaySlots(deps, replayKeys, id);
    return stored;
  });
  if (existing) return { job: { ...base, gasEstimate: existing.gasEstimate }, existing };

  // The record's nonce is checked by the simulation (RegistryNonceMismatch → replay / nonce_mismatch), not read apart.
  const gasEstimate = await timeStep(deps.steps, "simulation", () => simulateRingAction(deps, { to: deps.ctx.registryAddress, data, bound: gasBound }));
  return { job: { ...base, gasEstimate }, existing: undefined };
}
