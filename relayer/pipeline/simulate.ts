import { ApiError } from "../errors";
import { RevertDecoder } from "../chain/revert";
import type { PipelineDeps } from "./types";

/** The gas limit the relayer signs with: the estimate plus the configured headroom. Used by the pipeline and the lanes. */
export function gasLimitFor(estimate: bigint, headroomPercent: number): bigint {
  return (estimate * BigInt(100 + headroomPercent)) / 100n;
}

/** Calldata lengths within one bucket count as the same call shape (ring size dominates both length and gas). */
const SHAPE_BUCKET_BYTES = 1024;

/**
 * The largest `estimateGas` seen per call shape (target, selector, calldata length bucket). Only a starting
 * point: a cached estimate is used for a call only after `eth_call` of that exact call at the resulting gas
 * limit succeeded, and a failure there sends the call through the full estimate (see `simulate`).
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
 * Pipeline step 5: the exact transaction the relayer would send, from the relayer's account, must not revert.
 * A revert refuses the request with the decoded custom error; there is no fallback gas limit.
 *
 * `eth_estimateGas` costs the node about a dozen executions of the call (a run at the cap, a run at the gas used,
 * then a binary search, because the 63/64 rule makes the gas used too little for a call into the verifier). So
 * when a call of the same shape was estimated before, the call is first simulated once with `eth_call` at exactly
 * the gas limit it would be signed with: success proves that this transaction, with that limit, does not revert
 * on the current state. Any revert there (out of gas, or a real one) falls through to the full estimate, whose
 * verdict decides.
 */
export async function simulate(deps: PipelineDeps, tx: { to: string; data: string; from?: string; gasLimit?: bigint }): Promise<bigint> {
  const from = tx.from ?? deps.simulationFrom();
  const known = tx.gasLimit === undefined ? deps.gasCache.get(tx.to, tx.data) : undefined;
  if (known !== undefined) {
    try {
      await deps.provider.call({ from, to: tx.to, data: tx.data, gasLimit: gasLimitFor(known, deps.gasHeadroomPercent) });
      return known;
    } catch (err) {
      if (RevertDecoder.revertData(err) === undefined) throw err; // the node is down, not a verdict
    }
  }
  try {
    const estimate = await deps.provider.estimateGas({ from, to: tx.to, data: tx.data, gasLimit: tx.gasLimit });
    deps.gasCache.record(tx.to, tx.data, estimate);
    return estimate;
  } catch (err) {
    throw revertToApiError(deps, err);
  }
}

/** eth_call of a call that must not revert (used for the inner call of a forwarded request). */
export async function callMustSucceed(deps: PipelineDeps, tx: { to: string; data: string; from: string; gasLimit: bigint }): Promise<void> {
  try {
    await deps.provider.call({ from: tx.from, to: tx.to, data: tx.data, gasLimit: tx.gasLimit });
  } catch (err) {
    throw revertToApiError(deps, err);
  }
}

function revertToApiError(deps: PipelineDeps, err: unknown): Error {
  const data = RevertDecoder.revertData(err);
  if (data !== undefined) return new ApiError("simulation_reverted", `the action would revert: ${deps.revert.decode(data)}`);
  return err as Error;
}
