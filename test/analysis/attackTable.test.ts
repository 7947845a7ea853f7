import { expect } from "chai";
import { attackProbabilityRows, gamblersRuinRows } from "../../src/analysis/attackSeries";
import { formatProbability, renderAttackProbabilityTable } from "../../src/analysis/attackTable";

describe("attackProbabilityRows / gamblersRuinRows", () => {
  it("covers every (q, z) on the grid, grouped by q in the given order", () => {
    const rows = attackProbabilityRows([0.3, 0.1], 2);
    expect(rows.map((r) => [r.q, r.z])).to.deep.equal([
      [0.3, 0],
      [0.3, 1],
      [0.3, 2],
      [0.1, 0],
      [0.1, 1],
      [0.1, 2],
    ]);
    expect(gamblersRuinRows([0.1], 1)[1].p).to.be.closeTo(1 / 9, 1e-15);
  });

  it("throws a RangeError for a maximum deficit that is not a non-negative integer", () => {
    for (const bad of [-1, 2.5, Number.NaN]) {
      expect(() => attackProbabilityRows([0.1], bad)).to.throw(RangeError, /maxBlocksBehind must be a non-negative integer/);
    }
  });
});

describe("renderAttackProbabilityTable", () => {
  it("prints seven significant digits like the whitepaper's table", () => {
    expect(formatProbability(0.20458727394278248)).to.equal("0.2045873");
    expect(formatProbability(2.1171770333858314e-29)).to.equal("2.117177e-29");
  });

  it("has a header, an alignment row and one line per z", () => {
    const table = renderAttackProbabilityTable(attackProbabilityRows([0.1], 1), gamblersRuinRows([0.1], 1));
    expect(table.trimEnd().split("\n")).to.deep.equal([
      "| z | P_z (q = 0.1) | (q/p)^z (q = 0.1) |",
      "|---:|---:|---:|",
      "| 0 | 1.000000 | 1.000000 |",
      "| 1 | 0.2045873 | 0.1111111 |",
    ]);
  });

  it("throws a RangeError when the comparison rows miss a grid point", () => {
    expect(() => renderAttackProbabilityTable(attackProbabilityRows([0.1], 2), gamblersRuinRows([0.1], 1))).to.throw(RangeError, /no row for q = 0.1, z = 2/);
  });
});
