import type { AttackProbabilityRow } from "./attackSeries";

/**
 * Seven significant digits: Nakamoto §11 prints seven decimals ("0.2045873"), which
 * toPrecision(7) reproduces for values ≥ 0.1 and keeps meaningful for 1e-29.
 */
export function formatProbability(value: number): string {
  return value.toPrecision(7);
}

/** Looks up the row for (q, z); throws if the grid is incomplete (a programming error). */
function valueAt(rows: readonly AttackProbabilityRow[], q: number, z: number): number {
  const row = rows.find((r) => r.q === q && r.z === z);
  if (row === undefined) throw new RangeError(`attackTable: no row for q = ${q}, z = ${z}`);
  return row.p;
}

/**
 * Markdown table with one line per z: P_z (Poisson-weighted) and the plain gambler's
 * ruin (q/p)^z for each share q, in the order the shares first appear in `rows`.
 */
export function renderAttackProbabilityTable(rows: readonly AttackProbabilityRow[], ruinRows: readonly AttackProbabilityRow[]): string {
  const shares = [...new Set(rows.map((r) => r.q))];
  const zs = [...new Set(rows.map((r) => r.z))].sort((a, b) => a - b);
  const header = ["z", ...shares.flatMap((q) => [`P_z (q = ${q})`, `(q/p)^z (q = ${q})`])];
  const lines = [`| ${header.join(" | ")} |`, `|${header.map(() => "---:").join("|")}|`];
  for (const z of zs) {
    const cells = shares.flatMap((q) => [formatProbability(valueAt(rows, q, z)), formatProbability(valueAt(ruinRows, q, z))]);
    lines.push(`| ${[String(z), ...cells].join(" | ")} |`);
  }
  return lines.join("\n") + "\n";
}
