/**
 * How many candidates an observer is left with after a patient's k actions (README "Security model"), for a
 * population of admitted patients, under four observers of increasing knowledge:
 * - chain: reads the rings from calldata; each record's ring is fixed and records are unlinkable, so a record
 *   leaves its ring;
 * - + admitters: also knows every member's admitter (`PatientRegistered`) and the client's decoy rule, so only
 *   the ring members who could have drawn this ring remain (src/client/ringPool.ts);
 * - + grantee: also sees the record granted to the patient's own admitter and keeps the ring members that
 *   admitter admitted (a grant the client refuses is never sent, so it narrows nothing);
 * - + timing: also links the patient's k records to one another (they were sent together, or go to the same
 *   grantee) and intersects what is left of each.
 * Two decoy rules are compared: "uniform" (decoys uniform over everyone, and every grant sent: the client before
 * admitter cohorts) and "cohort" (this client: src/client/ringPool.ts, with own-admitter grants below the floor refused).
 * The draws use the client's own pickDecoys with a seeded generator, so the figures are reproducible.
 */
import { candidatesAfterGrant, memberOf, pickDecoys, ringPool, type Member, type RandomIndex } from "../client";
import { publicKeyOf } from "../mrs1";

export type DecoyRule = "uniform" | "cohort";

export interface Population {
  name: string;
  /** Each member's admitter (an index), in registration order. */
  admitterOf: readonly number[];
}

export interface AnonymityRow {
  population: string;
  rule: DecoyRule;
  /** Records of one patient the observer has seen (each: create, then a grant to the patient's own admitter). */
  k: number;
  /** Mean candidates per record under each observer; `timing` is after intersecting the k linked records. */
  chain: number;
  admitters: number;
  grantee: number;
  timing: number;
  /** Share of (patient, trial) pairs the timing observer narrowed to the patient alone. */
  identified: number;
}

/** A small seeded generator (xorshift32) as a RandomIndex: reproducible figures, not for signing. */
export function seededIndex(seed: number): RandomIndex {
  let state = seed >>> 0 || 1;
  return (n) => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state % n;
  };
}

/** The members of `population`, with deterministic keys (only who was admitted by whom, and when, matters). */
export function populationMembers(population: Population): Member[] {
  return population.admitterOf.map((a, i) => memberOf(publicKeyOf(BigInt(i + 1)), `0x${a.toString(16).padStart(40, "0")}`));
}

function drawRing(members: readonly Member[], signer: Member, size: number, rule: DecoyRule, random: RandomIndex): Member[] {
  const pool = rule === "cohort" ? ringPool(members, signer, size).pool : [...members];
  const byHex = new Map(pool.map((m) => [m.hex, m]));
  const decoys = pickDecoys(
    pool.map((m) => m.key),
    signer.key,
    size - 1,
    random,
  );
  return [signer, ...decoys.map((k) => byHex.get(memberOf(k, "0x").hex)!)];
}

/** The ring members who could have drawn `ring` under `rule` (everyone in it, for uniform decoys). */
function couldHaveDrawn(members: readonly Member[], ring: readonly Member[], rule: DecoyRule): Member[] {
  if (rule === "uniform") return [...ring];
  return ring.filter((m) => {
    const pool = new Set(ringPool(members, m, ring.length).pool.map((p) => p.hex));
    return ring.every((r) => pool.has(r.hex));
  });
}

export function simulateAnonymity(
  population: Population,
  rule: DecoyRule,
  options: { ks: readonly number[]; trials: number; ringSize: number; floor: number; seed: number },
): AnonymityRow[] {
  const members = populationMembers(population);
  const random = seededIndex(options.seed);
  const maxK = Math.max(...options.ks);
  const sums = options.ks.map(() => ({ chain: 0, admitters: 0, grantee: 0, timing: 0, identified: 0 }));
  let samples = 0;
  for (let trial = 0; trial < options.trials; trial++) {
    for (const signer of members) {
      samples++;
      let linked: Set<string> | undefined;
      const perRecord: { chain: number; admitters: number; grantee: number }[] = [];
      const linkedAfter: number[] = [];
      for (let r = 0; r < maxK; r++) {
        const ring = drawRing(members, signer, options.ringSize, rule, random);
        const drawable = couldHaveDrawn(members, ring, rule);
        const refused = rule === "cohort" && candidatesAfterGrant(drawable, signer.admitter) < options.floor;
        const left = refused ? drawable : narrowToGrantee(drawable, signer.admitter);
        perRecord.push({ chain: ring.length, admitters: drawable.length, grantee: left.length });
        linked = linked === undefined ? new Set(left.map((m) => m.hex)) : new Set(left.map((m) => m.hex).filter((h) => linked!.has(h)));
        linkedAfter.push(linked.size);
      }
      options.ks.forEach((k, i) => {
        sums[i].chain += perRecord[0].chain;
        sums[i].admitters += perRecord[0].admitters;
        sums[i].grantee += perRecord[0].grantee;
        sums[i].timing += linkedAfter[k - 1];
        sums[i].identified += linkedAfter[k - 1] === 1 ? 1 : 0;
      });
    }
  }
  return options.ks.map((k, i) => ({
    population: population.name,
    rule,
    k,
    chain: sums[i].chain / samples,
    admitters: sums[i].admitters / samples,
    grantee: sums[i].grantee / samples,
    timing: sums[i].timing / samples,
    identified: sums[i].identified / samples,
  }));
}

/** The members the grantee admitted, or all of them when it admitted none (../client/ringPool.ts candidatesAfterGrant). */
function narrowToGrantee(candidates: readonly Member[], grantee: string): Member[] {
  const admitted = candidates.filter((m) => m.admitter === grantee);
  return admitted.length === 0 ? [...candidates] : admitted;
}

/** The markdown table of `rows` (one line per population, rule and k). */
export function renderAnonymityTable(rows: readonly AnonymityRow[]): string {
  const header = ["population", "decoys", "k", "chain", "+ admitters", "+ grantee", "+ timing", "identified (+ timing)"];
  const lines = [`| ${header.join(" | ")} |`, `|${header.map((_, i) => (i < 2 ? "---" : "---:")).join("|")}|`];
  for (const r of rows) {
    lines.push(
      `| ${[r.population, r.rule, String(r.k), r.chain.toFixed(2), r.admitters.toFixed(2), r.grantee.toFixed(2), r.timing.toFixed(2), `${(100 * r.identified).toFixed(1)} %`].join(" | ")} |`,
    );
  }
  return lines.join("\n");
}
