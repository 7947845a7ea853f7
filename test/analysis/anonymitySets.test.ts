/**
 * `npm run analysis:anonymity` (src/analysis/anonymitySets.ts): the simulation runs the client's own decoy code,
 * so it must show what test/privacy/observer.test.ts shows on chain: with admitter cohorts, knowing the admitters
 * and the grantee leaves the whole ring; with uniform decoys it does not. Linking records only ever removes
 * candidates.
 */
import { expect } from "chai";
import { renderAnonymityTable, simulateAnonymity, type Population } from "../../src/analysis/anonymitySets";

const population: Population = { name: "test", admitterOf: Array.from({ length: 24 }, (_, i) => (i < 12 ? 0 : i < 18 ? 1 : i % 2 === 0 ? 2 : 3)) };
const options = { ks: [1, 2, 4], trials: 3, ringSize: 8, floor: 8, seed: 5 };

describe("analysis:anonymity", () => {
  it("cohort decoys keep the whole ring under the admitter- and grantee-aware observer; uniform decoys do not", () => {
    const cohort = simulateAnonymity(population, "cohort", options);
    const uniform = simulateAnonymity(population, "uniform", options);
    for (const r of cohort) expect([r.chain, r.admitters, r.grantee]).to.deep.equal([8, 8, 8]);
    for (const r of uniform) expect(r.grantee).to.be.below(8);
  });

  it("linking more records never adds candidates, and is reproducible for one seed", () => {
    const rows = simulateAnonymity(population, "cohort", options);
    for (let i = 1; i < rows.length; i++) expect(rows[i].timing).to.be.at.most(rows[i - 1].timing);
    expect(simulateAnonymity(population, "cohort", options)).to.deep.equal(rows);
    expect(renderAnonymityTable(rows).split("\n")).to.have.length(2 + rows.length);
  });
});
