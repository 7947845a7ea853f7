import { attackerSuccessProbability, gamblersRuinCatchUp } from "./catchUp";

/** One point of paper §4.2 / Figure 7: attacker share q, blocks behind z, success probability p (= P_z). */
export interface AttackProbabilityRow {
  q: number;
  z: number;
  p: number;
}

/** Throws unless maxBlocksBehind is a whole number (each z in 0..max is validated by catchUp). */
function zRange(maxBlocksBehind: number): number[] {
  if (!Number.isSafeInteger(maxBlocksBehind) || maxBlocksBehind < 0) {
    throw new RangeError(`attackSeries: maxBlocksBehind must be a non-negative integer, got ${String(maxBlocksBehind)}`);
  }
  return Array.from({ length: maxBlocksBehind + 1 }, (_, z) => z);
}

/** P_z (Nakamoto §11, Poisson-weighted) for every share in `shares` and z = 0..maxBlocksBehind, grouped by q. */
export function attackProbabilityRows(shares: readonly number[], maxBlocksBehind: number): AttackProbabilityRow[] {
  const zs = zRange(maxBlocksBehind);
  return shares.flatMap((q) => zs.map((z) => ({ q, z, p: attackerSuccessProbability(q, z) })));
}

/** The plain gambler's-ruin value (q/p)^z for the same grid, as a comparison curve. */
export function gamblersRuinRows(shares: readonly number[], maxBlocksBehind: number): AttackProbabilityRow[] {
  const zs = zRange(maxBlocksBehind);
  return shares.flatMap((q) => zs.map((z) => ({ q, z, p: gamblersRuinCatchUp(q, z) })));
}
