import type { Provider } from "ethers";

/** EIP-1559 fees for one transaction. */
export interface Fees {
  maxFeePerGas: bigint;
  maxPriorityFeePerGas: bigint;
}

/** Current suggestion: ethers' `getFeeData` (maxFee = 2·baseFee + tip, the tip from eth_maxPriorityFeePerGas), capped. */
export async function suggestFees(provider: Provider, cap: bigint): Promise<Fees> {
  const fd = await provider.getFeeData();
  if (fd.maxFeePerGas === null || fd.maxPriorityFeePerGas === null) throw new Error("the chain does not report EIP-1559 fees");
  const maxFeePerGas = fd.maxFeePerGas < cap ? fd.maxFeePerGas : cap;
  const maxPriorityFeePerGas = fd.maxPriorityFeePerGas < maxFeePerGas ? fd.maxPriorityFeePerGas : maxFeePerGas;
  return { maxFeePerGas, maxPriorityFeePerGas };
}

/** `ceil(v · (100 + percent) / 100)`: rounding up keeps a 10 % bump at least 10 % (nodes reject less). */
function raise(v: bigint, percent: number): bigint {
  return (v * BigInt(100 + percent) + 99n) / 100n;
}

/**
 * Fees for a replacement of a stuck transaction: both fields at least `percent` above the previous attempt's
 * (the node's replacement rule) and at least the current suggestion. Undefined when the cap leaves no room
 * for a valid replacement; the caller then re-broadcasts the last attempt instead.
 */
export function bumpFees(previous: Fees, suggested: Fees, percent: number, cap: bigint): Fees | undefined {
  const tip = max(raise(previous.maxPriorityFeePerGas, percent), suggested.maxPriorityFeePerGas);
  const fee = max(raise(previous.maxFeePerGas, percent), suggested.maxFeePerGas, tip);
  if (fee > cap) return undefined;
  return { maxFeePerGas: fee, maxPriorityFeePerGas: tip };
}

function max(...v: bigint[]): bigint {
  return v.reduce((a, b) => (a > b ? a : b));
}
