import { ApiError } from "../errors";
import { RevertDecoder } from "../chain/revert";
import type { PipelineDeps } from "./types";

/**
 * Pipeline step 5: estimateGas of the exact transaction the relayer would send, from the relayer's account.
 * A revert refuses the request with the decoded custom error; there is no fallback gas limit.
 */
export async function simulate(deps: PipelineDeps, tx: { to: string; data: string; from?: string; gasLimit?: bigint }): Promise<bigint> {
  try {
    return await deps.provider.estimateGas({ from: tx.from ?? deps.simulationFrom(), to: tx.to, data: tx.data, gasLimit: tx.gasLimit });
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
