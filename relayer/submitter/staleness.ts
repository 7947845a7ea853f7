import type { JsonRpcProvider } from "ethers";
import { RevertDecoder } from "../../src/chain/revertDecoder";
import { executedCount } from "./batch";

/**
 * Whether a send in flight would still do anything, asked before the relayer pays more for it (a fee bump) or offers it
 * again (a re-broadcast): one `eth_call` of its exact call, from its signer, at the gas limit it was signed with, on the
 * latest state (README "Security model: who can make the relayer pay"). The decoded revert when it would revert; for a
 * batch (`members` > 1), a reason when none of its actions would execute (a batch with some actions left still goes:
 * the registry skips a stale member at its checks, before the batch's verification). Undefined while it would still run.
 * A node error that is no revert is thrown: the next tick asks again.
 */
export async function staleReason(
  provider: JsonRpcProvider,
  revert: RevertDecoder,
  call: { from: string; to: string; data: string; gasLimit: bigint },
  members: number,
): Promise<string | undefined> {
  let returnData: string;
  try {
    returnData = await provider.call(call);
  } catch (err) {
    const data = RevertDecoder.revertData(err);
    if (data === undefined) throw err;
    return revert.decode(data);
  }
  if (members > 1 && executedCount(returnData) === 0) return `none of the batch's ${members} actions would execute`;
  return undefined;
}
