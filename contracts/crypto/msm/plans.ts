/**
 * The planner's measured table (MultiScalarMul.plan): for the term counts that `bench/msmPlans.ts` measured, the plan
 * (algorithm and window) that cost least, packed into one word that build.ts writes into the generated Solidity file
 * (MSM_MEASURED_PLANS). Above the largest measured count the planner falls back to its operation-count model.
 * The measurements are in MEASURED_PLANS_FILE (written by `npx hardhat run bench/msmPlans.ts`; docs/verifier-gas.md,
 * "Choice of algorithm").
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PIPPENGER, PIPPENGER_WINDOWS, STRAUS, STRAUS_WINDOWS } from "./constants";

export const MEASURED_PLANS_FILE = "contracts/crypto/msm/measuredPlans.json";

/** One measured size: the term count and the cheapest plan there. */
export interface MeasuredPlan {
  terms: number;
  algorithm: number;
  window: number;
}

/** A planner entry: plan (algorithm, window) for every term count up to maxTerms (and above the previous entry's). */
export interface PlanEntry {
  maxTerms: number;
  algorithm: number;
  window: number;
}

/** Entries of 32 bits, [maxTerms: 16][algorithm: 8][window: 8], the first in the low bits; a zero entry ends the table. */
export const PLAN_ENTRY_BITS = 32;
const MAX_ENTRIES = 256 / PLAN_ENTRY_BITS;

export function readMeasuredPlans(root = "."): MeasuredPlan[] {
  return JSON.parse(readFileSync(join(root, MEASURED_PLANS_FILE), "utf8")) as MeasuredPlan[];
}

/**
 * The measured sizes as planner entries: consecutive sizes with the same plan merge; between two sizes with different
 * plans the boundary is the midpoint of their term counts (neither side was measured there).
 */
export function planEntries(measured: MeasuredPlan[]): PlanEntry[] {
  const sorted = [...measured].sort((a, b) => a.terms - b.terms);
  sorted.forEach((m) => {
    const [lo, hi] = m.algorithm === STRAUS ? STRAUS_WINDOWS : m.algorithm === PIPPENGER ? PIPPENGER_WINDOWS : [1, 0];
    if (m.window < lo || m.window > hi || m.terms < 1 || m.terms > 0xffff) throw new Error(`measured plan out of range: ${JSON.stringify(m)}`);
  });
  const entries: PlanEntry[] = [];
  sorted.forEach((m, i) => {
    const next = sorted[i + 1];
    const same = next && next.algorithm === m.algorithm && next.window === m.window;
    if (same) return;
    const maxTerms = next ? Math.floor((m.terms + next.terms) / 2) : m.terms;
    entries.push({ maxTerms, algorithm: m.algorithm, window: m.window });
  });
  if (entries.length > MAX_ENTRIES) throw new Error(`${entries.length} planner entries, one word holds ${MAX_ENTRIES}`);
  return entries;
}

/** The entries packed into one uint256 (PLAN_ENTRY_BITS). */
export function packPlans(entries: PlanEntry[]): bigint {
  return entries.reduce(
    (word, e, i) => word | (((BigInt(e.maxTerms) << 16n) | (BigInt(e.algorithm) << 8n) | BigInt(e.window)) << BigInt(PLAN_ENTRY_BITS * i)),
    0n,
  );
}
