import { TypedDataEncoder, recoverAddress, zeroPadValue } from "ethers";
import { FORWARD_REQUEST_TYPES } from "../../src/actions";
import type { IdentifiedActionCodec } from "../codecs/types";
import type { Eip712AuthorizationJson } from "../../src/api";
import { ApiError, parseActionArgs } from "../errors";
import { admitterPrincipal, claimAdmissionSlot } from "./admissionQuota";
import { jobId } from "./jobId";
import { checkDeadline, checkNonce, checkPenalty, checkReplaySlots } from "./replay";
import { callMustSucceed, simulate } from "./simulate";
import type { Checked, PipelineDeps } from "./types";

/** Upper bound on `request.gas`: EIP-7825 caps one transaction at 2^24 gas. */
const MAX_REQUEST_GAS = 16_777_216n;

/**
 * Checks of an identified action (the owner's EIP-712 ForwardRequest for the ERC2771Forwarder): arguments,
 * that the request's call is exactly this action on a MedRing contract, zero value, deadline, the owner's
 * ECDSA signature, idempotency, forwarder nonce and replay, then two simulations: the inner call as the
 * forwarder makes it (to decode the callee's custom error, which `execute` would hide behind FailedCall) and
 * `execute` itself from the relayer.
 */
export async function checkIdentifiedAction(
  deps: PipelineDeps,
  kind: string,
  codec: IdentifiedActionCodec<unknown>,
  rawArgs: unknown,
  auth: Eip712AuthorizationJson,
): Promise<Checked> {
  const args = parseActionArgs(codec.args, rawArgs);
  const req = auth.request;
  if (req.value !== "0") throw new ApiError("invalid_request", "authorization.request.value: the relayer forwards no ETH");
  const gas = BigInt(req.gas);
  if (gas === 0n || gas > MAX_REQUEST_GAS) throw new ApiError("invalid_request", `authorization.request.gas: must be in [1, ${MAX_REQUEST_GAS}]`);
  const deadline = BigInt(req.deadline); // below 2^48 by the schema (uint48)

  const call = await codec.call(args, deps.ctx);
  if (call.to.toLowerCase() !== req.to.toLowerCase() || call.data.toLowerCase() !== req.data.toLowerCase()) {
    throw new ApiError("message_mismatch", "authorization.request does not call this action with these arguments");
  }
  await checkDeadline(deps, deadline, "authorization.request.deadline");
  for (const inner of codec.deadlines?.(args) ?? []) await checkDeadline(deps, inner, "the deadline in action.args");

  const digest = TypedDataEncoder.hash(deps.forwarderDomain, FORWARD_REQUEST_TYPES, { ...req, value: 0n, gas, nonce: BigInt(req.nonce), deadline });
  let signer: string;
  try {
    signer = recoverAddress(digest, auth.signature);
  } catch {
    throw new ApiError("invalid_signature", "authorization.signature is not a valid ECDSA signature");
  }
  if (signer.toLowerCase() !== req.from.toLowerCase()) {
    throw new ApiError("invalid_signature", "authorization.signature was not made by authorization.request.from");
  }
  // A registration's failure on chain is its admitter's doing (it vouched for the patient): the penalty is keyed on
  // the admitter, whom a fresh account does not shed (README "Security model: who can make the relayer pay").
  const admitter = codec.admitter?.(args)?.toLowerCase();
  const principal = admitter === undefined ? req.from.toLowerCase() : admitterPrincipal(admitter);
  await checkPenalty(deps, req.from.toLowerCase());
  if (admitter !== undefined) await checkPenalty(deps, principal);

  const forwarderAddress = deps.ctx.forwarderAddress;
  const id = jobId(deps.jobIdKey, deps.ctx.chainId, forwarderAddress, digest, zeroPadValue(req.from, 32));
  const data = deps.forwarder.interface.encodeFunctionData("execute", [
    { from: req.from, to: req.to, value: 0n, gas, deadline, data: req.data, signature: auth.signature },
  ]);
  const replayKeys = [`fwd:${forwarderAddress.toLowerCase()}:${req.from.toLowerCase()}:${req.nonce}`, ...(codec.replayKeys?.(args, req.from, deps.ctx) ?? [])];
  const base = { id, kind, authType: "eip712" as const, to: forwarderAddress, data, deadline: Number(deadline), replayKeys, principal };

  const existing = await deps.store.getJob(id);
  if (existing) return { job: { ...base, gasEstimate: existing.gasEstimate }, existing };

  checkNonce(BigInt(req.nonce), (await deps.forwarder.nonces(req.from)) as bigint, "forwarder");
  await checkReplaySlots(deps, replayKeys, id);
  if (admitter !== undefined) replayKeys.push(await claimAdmissionSlot(deps, admitter, id));
  // ERC-2771: the forwarder appends the 20-byte sender to the calldata; the callee reads it as _msgSender().
  const inner = req.data + req.from.slice(2).toLowerCase();
  await callMustSucceed(deps, { from: forwarderAddress, to: req.to, data: inner, gasLimit: gas });
  const gasEstimate = await simulate(deps, { to: forwarderAddress, data });
  return { job: { ...base, gasEstimate }, existing: undefined };
}
