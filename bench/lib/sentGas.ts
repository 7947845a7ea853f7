/**
 * gasUsed of a real transaction that may revert, for the benchmarks: the Hardhat network rejects a reverting
 * transaction at submission (it still mines it), so its receipt is read from the block that holds it.
 */
import { ethers } from "hardhat";
import type { Signer } from "ethers";

export interface SentGas {
  gas: number;
  ok: boolean;
  /** The error message of a reverted transaction. */
  error?: string;
}

/** Sends `data` to `to` from `sender` with `gasLimit` (no estimate) and measures it, whether it succeeds or reverts. */
export async function sentGas(sender: Signer, to: string, data: string, gasLimit: number): Promise<SentGas> {
  const from = await sender.getAddress();
  try {
    const receipt = await (await sender.sendTransaction({ to, data, gasLimit })).wait();
    return { gas: Number(receipt!.gasUsed), ok: receipt!.status === 1 };
  } catch (err) {
    const error = (err as Error).message;
    const block = await ethers.provider.getBlock("latest", true);
    const tx = block?.prefetchedTransactions.at(-1);
    if (tx === undefined || tx.from.toLowerCase() !== from.toLowerCase() || tx.data !== data) throw err; // not mined: a real error
    const receipt = await ethers.provider.getTransactionReceipt(tx.hash);
    if (receipt === null || receipt.status !== 0) throw err;
    return { gas: Number(receipt.gasUsed), ok: false, error };
  }
}
