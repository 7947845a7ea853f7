import type { Interface, JsonRpcProvider } from "ethers";
import { RevertDecoder } from "../../src/chain/revertDecoder";

/** The transaction that reverted, as the relayer sent it. */
export interface RevertedCall {
  from: string;
  to: string;
  data: string;
  gasLimit: bigint;
}

/**
 * Why a mined transaction reverted. A receipt carries no revert data, so the call is run again with `eth_call`
 * at the state after its own block (what was mined before it in that block is there, and the reverted
 * transaction itself changed nothing), then at the parent block's state. The first replay that reverts gives
 * the contract's custom error, decoded from the artifacts. For a forwarded (ERC-2771) request the forwarder
 * only says `FailedCall()`, so the inner call is replayed as the forwarder makes it to name the callee's error.
 */
export class OnChainRevertExplainer {
  constructor(
    private readonly provider: JsonRpcProvider,
    private readonly decoder: RevertDecoder,
    private readonly forwarder: { address: string; iface: Interface },
  ) {}

  async explain(tx: RevertedCall, receipt: { blockNumber: number; gasUsed: bigint }): Promise<string> {
    if (receipt.gasUsed >= tx.gasLimit) return `reverted on chain: out of gas (used the whole limit of ${tx.gasLimit})`;
    const outer = await this.replay(tx, receipt.blockNumber);
    if (outer === undefined) {
      return `reverted on chain at block ${receipt.blockNumber}; replaying the call at that block and its parent does not revert`;
    }
    const inner = tx.to.toLowerCase() === this.forwarder.address.toLowerCase() ? await this.innerReason(tx, receipt.blockNumber) : undefined;
    return `reverted on chain: ${outer}${inner ? ` (forwarded call: ${inner})` : ""}`;
  }

  /** The decoded revert of `tx` replayed at `block`, else at `block - 1`; undefined when neither reverts. */
  private async replay(tx: RevertedCall, block: number): Promise<string | undefined> {
    for (const blockTag of [block, block - 1]) {
      try {
        await this.provider.call({ from: tx.from, to: tx.to, data: tx.data, gasLimit: tx.gasLimit, blockTag });
      } catch (err) {
        const data = RevertDecoder.revertData(err);
        if (data === undefined) throw err; // transport failure: the monitor retries on its next tick
        return this.decoder.decode(data);
      }
    }
    return undefined;
  }

  /** ERC-2771: the forwarder calls `request.to` with `request.data ++ request.from` and `request.gas`. */
  private async innerReason(tx: RevertedCall, block: number): Promise<string | undefined> {
    let request: { from: string; to: string; gas: bigint; data: string };
    try {
      request = this.forwarder.iface.decodeFunctionData("execute", tx.data)[0];
    } catch {
      return undefined; // not an execute call
    }
    const inner = { from: this.forwarder.address, to: request.to, data: request.data + request.from.slice(2).toLowerCase(), gasLimit: request.gas };
    return this.replay(inner, block);
  }
}
