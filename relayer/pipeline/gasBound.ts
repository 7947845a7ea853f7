import measured from "../../bench/results/gas.json";
import { RING_SIZE_LIMIT } from "../../src/api/ringSizeLimit";
import { ApiError } from "../errors";

/**
 * Gas bounded at acceptance (README "Security model: who can make the relayer pay"): a ring whose verification alone
 * cannot fit in one transaction is refused before any node call, with 400: no signature over it can ever execute,
 * and the relayer would otherwise pay for the eth_call and the estimate of every such request.
 *
 * The bound derives from one measured table, `npm run bench:gas` (bench/results/gas.json: the transaction gas of
 * `RingVerifier.verify` for honest signatures, calldata included, by ring size), so a change to the verifier's gas
 * is followed by re-running the benchmark; test/relayer/gasBound.test.ts checks the table against the real verifier.
 */

/** EIP-7825: the most gas one transaction may use. */
export const TX_GAS_CAP = 16_777_216n;

/**
 * What the bound adds to the measured gas: a signature's c_i, e_i and hints vary a little in size and in the
 * verifier's work (bench/results/gas.md: a few thousand gas from run to run), and the action around the
 * verification (the record's storage, its event) costs at least this much too.
 */
export const VERIFY_GAS_MARGIN_PERCENT = 5n;

/** (ring size, transaction gas) points of the measured table, by ring size. */
const POINTS: readonly (readonly [bigint, bigint])[] = [...measured.rows, measured.largest]
  .map((r) => [BigInt(r.n), BigInt(r.gas)] as const)
  .sort((a, b) => (a[0] < b[0] ? -1 : 1));

/**
 * The value at `x` of the piecewise linear function through `points` (sorted by x): linear between them, along the last
 * segment beyond them, the first point's value below them; rounded up.
 */
export function chordAt(points: readonly (readonly [bigint, bigint])[], x: bigint): bigint {
  if (points.length === 1) return points[0][1];
  let i = points.findIndex(([m]) => m >= x);
  if (i === 0) return points[0][1];
  if (i < 0) i = points.length - 1;
  const [x0, y0] = points[i - 1];
  const [x1, y1] = points[i];
  // y0 + (y1 - y0)·(x - x0)/(x1 - x0), rounded up
  const span = x1 - x0;
  const rise = (y1 - y0) * (x - x0);
  return y0 + (rise >= 0n ? (rise + span - 1n) / span : rise / span);
}

/**
 * Honest verification gas of a ring of `n` members, from the table, without the margin: linear between the measured
 * sizes, along the last measured segment beyond them.
 */
export function verifyGas(n: number): bigint {
  return chordAt(POINTS, BigInt(n));
}

/** Honest verification gas of a ring of `n` members (`verifyGas`) plus the margin. */
export function verifyGasBound(n: number): bigint {
  return withMargin(verifyGas(n));
}

/** `gas` plus VERIFY_GAS_MARGIN_PERCENT, rounded up. */
export function withMargin(gas: bigint): bigint {
  return (gas * (100n + VERIFY_GAS_MARGIN_PERCENT) + 99n) / 100n;
}

/** The largest ring whose bound fits under the cap (what the acceptance check lets through). */
export function largestRingUnderCap(limit = RING_SIZE_LIMIT): number {
  let n = 1;
  while (n < limit && verifyGasBound(n + 1) <= TX_GAS_CAP) n++;
  return n;
}

/** Refuses (400 ring_gas_over_cap) a ring of `n` members whose verification cannot fit in one transaction. */
export function checkRingGas(n: number): void {
  const bound = verifyGasBound(n);
  if (bound > TX_GAS_CAP) {
    throw new ApiError(
      "ring_gas_over_cap",
      `a ring of ${n} members needs about ${bound} gas to verify (measured, plus ${VERIFY_GAS_MARGIN_PERCENT}%), above the ${TX_GAS_CAP} per transaction; at most ${largestRingUnderCap()} members`,
    );
  }
}
