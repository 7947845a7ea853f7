import type { JsonRpcProvider } from "ethers";
import { ApiError } from "../errors";
import type { Logger } from "../logger";
import { RevertDecoder } from "../../src/chain/revertDecoder";
import { acceptingVerifierOverride, isRpcErrorAnswer, overridesUnsupported } from "../chain/verifierStub";
import { checkNonce } from "./replay";
import type { PipelineDeps } from "./types";

/**
 * The gas limit the relayer signs with: the estimate plus the configured headroom, never above `bound` (a ring job's
 * honest gas bound, pipeline/actionGasBound.ts: what the relayer can be made to pay for it at most). Used by the
 * pipeline and the lanes. An estimate within the bound succeeds at any limit from the estimate up, so the cut costs nothing.
 */
export function gasLimitFor(estimate: bigint, headroomPercent: number, bound?: bigint): bigint {
  const limit = (estimate * BigInt(100 + headroomPercent)) / 100n;
  return bound !== undefined && limit > bound ? bound : limit;
}

/**
 * A ring job's gas estimate above its honest bound (pipeline/actionGasBound.ts): refused at acceptance with 422
 * `gas_over_bound`, or failed unsent before signing; counted in medring_relayer_gas_over_bound_total{stage}.
 */
export class GasOverBound extends ApiError {
  constructor(
    readonly estimate: bigint,
    readonly bound: bigint,
  ) {
    super("gas_over_bound", `the action needs ${estimate} gas, above ${bound}, what honest inputs of its shape cost (measured, plus the margin)`);
  }
}

/** Calldata lengths within one bucket count as the same call shape (ring size dominates both length and gas). */
const SHAPE_BUCKET_BYTES = 1024;

/**
 * The largest `estimateGas` seen per call shape (target, selector, calldata length bucket). Only a starting
 * point: before a transaction is signed, `eth_call` of that exact transaction at the resulting gas limit must
 * succeed, and a failure there sends it through the full estimate (see `simulate` and `checkBeforeSending`).
 */
export class GasEstimateCache {
  private readonly byShape = new Map<string, bigint>();

  private static key(to: string, data: string): string {
    return `${to.toLowerCase()}:${data.slice(0, 10).toLowerCase()}:${Math.floor((data.length - 2) / 2 / SHAPE_BUCKET_BYTES)}`;
  }

  get(to: string, data: string): bigint | undefined {
    return this.byShape.get(GasEstimateCache.key(to, data));
  }

  record(to: string, data: string, estimate: bigint): void {
    const key = GasEstimateCache.key(to, data);
    const old = this.byShape.get(key);
    if (old === undefined || estimate > old) this.byShape.set(key, estimate);
  }
}

/**
 * Whether acceptance simulations of ring actions put the accepting stub at the verifier's address
 * (chain/verifierStub.ts). On when the start-up probe saw the node apply state overrides; switched off for good,
 * with a warning, only when the node answers that it does not support them (`overridesUnsupported`): every simulation
 * then runs in full. Any other error answer is counted (`onTransientError`: medring_relayer_verifier_stub_errors_total)
 * and the stubbed call retried, so that a provider's passing rate limit cannot switch the stub off.
 */
export class VerifierStubMode {
  private on: boolean;

  constructor(
    readonly verifier: string,
    enabled: boolean,
    private readonly log: Logger,
    readonly onTransientError: (err: Error) => void = () => undefined,
  ) {
    this.on = enabled;
  }

  get active(): boolean {
    return this.on;
  }

  disable(why: string): void {
    if (!this.on) return;
    this.on = false;
    this.log.warn({ why }, "the node refused an eth_call state override; acceptance simulations run the verifier from now on");
  }
}

/**
 * Pipeline step 6, full: the exact transaction the relayer would send, from the relayer's account, must not revert.
 * A revert refuses the request with the decoded custom error; there is no fallback gas limit.
 *
 * `eth_estimateGas` costs the node about a dozen executions of the call (a run at the cap, a run at the gas used,
 * then a binary search, because the 63/64 rule makes the gas used too little for a call into the verifier). So
 * when a call of the same shape was estimated before, the call is first simulated once with `eth_call` at exactly
 * the gas limit it would be signed with: success proves that this transaction, with that limit, does not revert
 * on the current state. Any revert there (out of gas, or a real one) falls through to the full estimate, whose
 * verdict decides.
 */
export async function simulate(deps: PipelineDeps, tx: { to: string; data: string; from?: string; gasLimit?: bigint; bound?: bigint }): Promise<bigint> {
  const from = tx.from ?? deps.simulationFrom();
  const known = tx.gasLimit === undefined ? deps.gasCache.get(tx.to, tx.data) : undefined;
  if (known !== undefined && (tx.bound === undefined || known <= tx.bound)) {
    try {
      await deps.provider.call({ from, to: tx.to, data: tx.data, gasLimit: gasLimitFor(known, deps.gasHeadroomPercent, tx.bound) });
      return known;
    } catch (err) {
      if (RevertDecoder.revertData(err) === undefined) throw err; // the node is down, not a verdict
    }
  }
  return estimate(deps, { from, to: tx.to, data: tx.data, gasLimit: tx.gasLimit }, tx.bound);
}

/** Retries of a stubbed call that got an error answer other than "overrides unsupported", and the base pause between them. */
const STUB_RETRIES = 2;
const STUB_RETRY_MS = 100;

/**
 * Pipeline step 6 for a ring action, whose MRS-1 signature step 4 has verified off chain: one `eth_call` of the exact
 * transaction with the accepting stub in place of the verifier (chain/verifierStub.ts). Everything else the
 * registry checks runs on the node as it would on chain: deadline, ring policy and membership or the record's fixed
 * ring, the record's nonce, the record's state. The gas limit cannot come from that call (the real verification
 * costs about 2.5 M gas more for a ring of 16), so the job keeps a real estimate: the per-shape one (what the lane
 * signs with, after its own full `eth_call` at that limit: `checkBeforeSending`), and for the first call of a shape
 * one full `eth_estimateGas`. Without state overrides on the node this is the full `simulate`.
 */
export async function simulateRingAction(deps: PipelineDeps, tx: { to: string; data: string; bound: bigint }): Promise<bigint> {
  const stub = deps.verifierStub;
  if (!stub.active) return simulate(deps, tx);
  const from = deps.simulationFrom();
  for (let attempt = 1; ; attempt++) {
    try {
      await deps.provider.send("eth_call", [{ from, to: tx.to, data: tx.data }, "latest", acceptingVerifierOverride(stub.verifier)]);
      break;
    } catch (err) {
      if (!isRpcErrorAnswer(err)) throw revertToApiError(deps, err);
      if (overridesUnsupported(err)) {
        stub.disable((err as Error).message);
        return simulate(deps, tx);
      }
      stub.onTransientError(err as Error);
      // Still failing after the retries: this one request is simulated in full; the stub stays on for the next.
      if (attempt > STUB_RETRIES) return simulate(deps, tx);
      await new Promise((resolve) => setTimeout(resolve, STUB_RETRY_MS * attempt));
    }
  }
  // The shape's estimate may come from a larger call of the same calldata size bucket: above this call's bound, this
  // call's own estimate decides.
  const known = deps.gasCache.get(tx.to, tx.data);
  return known !== undefined && known <= tx.bound ? known : estimate(deps, { from, to: tx.to, data: tx.data }, tx.bound);
}

/**
 * The full `eth_estimateGas` (real verifier included); recorded for the call's shape. Above `bound` the request is
 * refused (GasOverBound, counted) and the estimate not recorded, so that it cannot raise the shape's estimate for others.
 */
async function estimate(deps: PipelineDeps, tx: { from: string; to: string; data: string; gasLimit?: bigint }, bound?: bigint): Promise<bigint> {
  let gas: bigint;
  try {
    gas = await deps.provider.estimateGas(tx);
  } catch (err) {
    throw revertToApiError(deps, err);
  }
  if (bound !== undefined && gas > bound) {
    deps.gasOverBound.inc({ stage: "acceptance" });
    throw new GasOverBound(gas, bound);
  }
  deps.gasCache.record(tx.to, tx.data, gas);
  return gas;
}

/** eth_call of a call that must not revert (used for the inner call of a forwarded request). */
export async function callMustSucceed(deps: PipelineDeps, tx: { to: string; data: string; from: string; gasLimit: bigint }): Promise<void> {
  try {
    await deps.provider.call({ from: tx.from, to: tx.to, data: tx.data, gasLimit: tx.gasLimit });
  } catch (err) {
    throw revertToApiError(deps, err);
  }
}

/**
 * A simulation's revert as the API error it stands for. The record's nonce is checked by the simulation itself
 * (IMedRingRegistry: RegistryNonceMismatch), not by a separate read, and answered with the same codes as the
 * forwarder's nonce (`checkNonce`). Anything that is not a revert (the node is down) is passed through.
 */
function revertToApiError(deps: PipelineDeps, err: unknown): Error {
  const data = RevertDecoder.revertData(err);
  if (data === undefined) return err as Error;
  const parsed = deps.revert.parse(data);
  if (parsed?.name === "RegistryNonceMismatch") {
    try {
      checkNonce(parsed.args.given as bigint, parsed.args.expected as bigint, "record");
    } catch (nonceError) {
      return nonceError as Error;
    }
  }
  return new ApiError("simulation_reverted", `the action would revert: ${deps.revert.decode(data)}`);
}

/** What the lane's last check before signing found; `overBound`: the call needs more gas than its honest bound. */
export type SendCheck = { ok: true; gasLimit: bigint; returnData?: string } | { ok: false; reason: string; overBound?: true };

/**
 * The last check before a transaction is signed and its nonce allocated (not on the acceptance path): one full
 * `eth_call` of the exact transaction, real verifier included, at the gas limit it will be signed with, on the
 * current state. If that reverts, a full `eth_estimateGas` decides: a revert there is the action's own (the job fails
 * unsent with the decoded reason); success means the call needs more gas than its shape's estimate gave (the job is
 * signed with the new estimate plus headroom, and the shape's estimate grows). `returnData` is the call's result when
 * the first call succeeded. With a `bound` (a ring job's honest gas, pipeline/actionGasBound.ts) the limit never
 * exceeds it, and a new estimate above it is `overBound`: nothing is signed, so nothing is paid.
 */
export async function checkBeforeSending(
  p: { provider: JsonRpcProvider; revert: RevertDecoder; gasCache: GasEstimateCache; gasHeadroomPercent: number },
  tx: { from: string; to: string; data: string },
  gasEstimate: bigint,
  bound?: bigint,
): Promise<SendCheck> {
  const gasLimit = gasLimitFor(gasEstimate, p.gasHeadroomPercent, bound);
  try {
    const returnData = await p.provider.call({ ...tx, gasLimit });
    return { ok: true, gasLimit, returnData };
  } catch (err) {
    if (RevertDecoder.revertData(err) === undefined) throw err;
  }
  let gas: bigint;
  try {
    gas = await p.provider.estimateGas(tx);
  } catch (err) {
    const data = RevertDecoder.revertData(err);
    if (data === undefined) throw err;
    return { ok: false, reason: p.revert.decode(data) };
  }
  if (bound !== undefined && gas > bound) return { ok: false, reason: new GasOverBound(gas, bound).message, overBound: true };
  p.gasCache.record(tx.to, tx.data, gas);
  return { ok: true, gasLimit: gasLimitFor(gas, p.gasHeadroomPercent, bound) };
}
