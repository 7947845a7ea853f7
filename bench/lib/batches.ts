/**
 * Batch rows for `npm run bench:gas`: k actions in one transaction against the same kind of actions sent one by
 * one, measured in the same process. Used for the verifier's verifyBatch and the registry's executeRingActions.
 */

/** One batch row: `k` actions of ring size `ringSize` in one transaction, against the same actions one by one. */
export interface BatchRow {
  k: number;
  ringSize: number;
  gasTotal: number;
  gasPerAction: number;
  singleGasPerAction: number;
  /** gasTotal / (k · singleGasPerAction) */
  ratio: number;
}

/**
 * Measures batch rows with the caller's two transactions: `batchGas` sends all of `items` in one transaction,
 * `singleGas` sends one item in its own. Stateless items (signatures for the verifier) are sent both ways; items
 * that can execute only once (registry actions consume a nonce) need `freshSingles`: the singles then get k new
 * items made the same way.
 */
export async function measureBatches<Item>(
  ks: number[],
  ringSize: number,
  makeItem: (index: number) => Item | Promise<Item>,
  batchGas: (items: Item[]) => Promise<number>,
  singleGas: (item: Item) => Promise<number>,
  options: { freshSingles?: boolean; label?: string } = {},
): Promise<BatchRow[]> {
  const make = async (k: number, offset: number) => {
    const items: Item[] = [];
    for (let i = 0; i < k; i++) items.push(await makeItem(offset + i));
    return items;
  };
  const rows: BatchRow[] = [];
  for (const k of ks) {
    const items = await make(k, 0);
    const gasTotal = await batchGas(items);
    let singles = 0;
    for (const item of options.freshSingles ? await make(k, k) : items) singles += await singleGas(item);
    const singleGasPerAction = Math.round(singles / k);
    rows.push({ k, ringSize, gasTotal, gasPerAction: Math.round(gasTotal / k), singleGasPerAction, ratio: +(gasTotal / singles).toFixed(3) });
    console.log(`${options.label ?? "batch"} k=${k} (ring ${ringSize}): ${gasTotal} gas, ${Math.round(gasTotal / k)} per action; alone ${singleGasPerAction}`);
  }
  return rows;
}
