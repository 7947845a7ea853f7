/**
 * The block-forgery (double-spend) model of paper §4.2, which the paper takes from
 * Nakamoto's "Bitcoin: A Peer-to-Peer Electronic Cash System" §11 (Calculations).
 *
 * An attacker holds share q of the hash power, the honest nodes hold p = 1 - q.
 * The paper's printed formula has typesetting errors; docs/attack-probability.md
 * quotes it and explains the correction implemented here.
 */

/**
 * Largest deficit accepted. Both functions below cost O(z) steps; a million blocks
 * is 19 years of Bitcoin blocks and far past anything the analysis plots (z ≤ 50).
 */
export const MAX_BLOCKS_BEHIND = 1_000_000;

/** Shows a rejected argument unambiguously: the string "5" must not read as the number 5. */
function describeValue(value: unknown): string {
  if (typeof value === "string") return `string ${JSON.stringify(value)}`;
  if (typeof value === "number" || value === undefined || value === null) return String(value);
  return `${typeof value} ${String(value)}`;
}

/** Throws unless q is a hash-power share strictly between 0 and 1. */
function assertShare(q: number): void {
  if (typeof q !== "number" || !Number.isFinite(q) || q <= 0 || q >= 1) {
    throw new RangeError(`catchUp: attacker share q must be a number in (0, 1), got ${describeValue(q)}`);
  }
}

/** Throws unless z is a whole number of blocks in [0, MAX_BLOCKS_BEHIND]. */
function assertBlocksBehind(z: number): void {
  if (typeof z !== "number" || !Number.isSafeInteger(z) || z < 0 || z > MAX_BLOCKS_BEHIND) {
    throw new RangeError(`catchUp: blocks behind z must be an integer in [0, ${MAX_BLOCKS_BEHIND}], got ${describeValue(z)}`);
  }
}

/**
 * Gambler's ruin: the probability q_z that an attacker ever catches up from z blocks
 * behind, given unlimited time (Nakamoto §11: q_z = 1 if p ≤ q, else (q/p)^z).
 */
export function gamblersRuinCatchUp(q: number, z: number): number {
  assertShare(q);
  assertBlocksBehind(z);
  const p = 1 - q;
  if (q >= p) return 1;
  return Math.pow(q / p, z);
}

/**
 * Nakamoto §11: the probability that the attacker succeeds once the recipient has
 * waited for z honest blocks. During those blocks the attacker's progress k is
 * Poisson with mean λ = z·q/p; from there he still needs z - k blocks (gambler's ruin):
 *
 *   P = 1 - Σ_{k=0..z} (λ^k e^{-λ} / k!) · (1 - (q/p)^(z-k))
 *
 * Evaluated here in the algebraically equal form that has no cancellation:
 *
 *   P = Σ_{k=0..z} Pois(k; λ) · (q/p)^(z-k)  +  Σ_{k>z} Pois(k; λ)
 *
 * (expand the product and use Σ_{k≥0} Pois(k; λ) = 1). Every term is positive, so a
 * tiny P (1e-40 at q = 0.1, z = 50) keeps full relative precision, whereas "1 - Σ"
 * would round it to 0 below about 1e-16. Poisson terms are built iteratively in log
 * space, log Pois(k) = log Pois(k-1) + ln(λ/k), so no k! or λ^k can overflow.
 */
export function attackerSuccessProbability(q: number, z: number): number {
  assertShare(q);
  assertBlocksBehind(z);
  const p = 1 - q;
  if (q >= p) return 1; // q_z = 1 for every deficit: the attacker always catches up.
  if (z === 0) return 1; // Nothing to catch up: λ = 0 and the single term is Pois(0)·(q/p)^0 = 1.

  const lambda = (z * q) / p;
  const logLambda = Math.log(lambda);
  const logRatio = Math.log(q / p); // < 0 because q < p

  // First sum: k = 0..z, log term = log Pois(k; λ) + (z - k)·ln(q/p).
  let logPois = -lambda; // log Pois(0; λ) = -λ
  let sum = Math.exp(logPois + z * logRatio);
  for (let k = 1; k <= z; k++) {
    logPois += logLambda - Math.log(k);
    sum += Math.exp(logPois + (z - k) * logRatio);
  }

  // Upper tail Σ_{k>z} Pois(k; λ). Consecutive terms shrink by λ/k < λ/z = q/p < 1, so
  // after the term at k the rest is at most term · r/(1 - r) with r = λ/(k+1) (geometric
  // bound); stop once that bound cannot change the sum in double precision.
  for (let k = z + 1; ; k++) {
    logPois += logLambda - Math.log(k);
    const term = Math.exp(logPois);
    sum += term;
    const r = lambda / (k + 1);
    if (term === 0 || (term * r) / (1 - r) <= sum * Number.EPSILON) break;
  }
  return Math.min(sum, 1);
}
