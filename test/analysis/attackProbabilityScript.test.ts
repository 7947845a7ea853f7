import { expect } from "chai";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { main } from "../../scripts/attack-probability";
import { attackerSuccessProbability } from "../../src/analysis/catchUp";
import { xmlProblems } from "./helpers/xmlWellFormed";

describe("scripts/attack-probability main", () => {
  let root: string;
  let printed: string[];
  let outputs: ReturnType<typeof main>;

  before(() => {
    root = mkdtempSync(path.join(tmpdir(), "medring-analysis-"));
    printed = [];
    outputs = main(root, (line) => printed.push(line));
  });

  after(() => rmSync(root, { recursive: true, force: true }));

  it("writes the three outputs under the given root, not the current directory", () => {
    expect(outputs.files).to.deep.equal({
      markdown: path.join(root, "bench", "results", "attack-probability.md"),
      json: path.join(root, "bench", "results", "attack-probability.json"),
      svg: path.join(root, "docs", "attack-probability.svg"),
    });
  });

  it("writes JSON as 102 {q, z, p} entries: q = 0.1 and 0.3, z = 0..50, p = P_z", () => {
    const rows: unknown = JSON.parse(readFileSync(outputs.files.json, "utf8"));
    expect(rows).to.be.an("array").with.lengthOf(102);
    const expected = [0.1, 0.3].flatMap((q) => Array.from({ length: 51 }, (_, z) => ({ q, z })));
    (rows as Array<Record<string, unknown>>).forEach((row, i) => {
      expect(Object.keys(row).sort(), `row ${i}`).to.deep.equal(["p", "q", "z"]);
      expect({ q: row.q, z: row.z }, `row ${i}`).to.deep.equal(expected[i]);
      expect(row.p, `row ${i}`).to.equal(attackerSuccessProbability(expected[i].q, expected[i].z));
    });
  });

  it("writes and prints a markdown table with one line per z, including the whitepaper's values", () => {
    const markdown = readFileSync(outputs.files.markdown, "utf8");
    const tableLines = markdown.split("\n").filter((line) => /^\| \d+ \|/.test(line));
    expect(tableLines).to.have.lengthOf(51);
    expect(tableLines[1]).to.match(/^\| 1 \| 0\.2045873 \| 0\.1111111 \| 0\.6277491 \| 0\.4285714 \|$/);
    expect(tableLines[5]).to.contain("| 0.1773523 |");
    expect(printed[0]).to.equal(outputs.table);
    expect(markdown).to.contain(outputs.table);
  });

  it("draws a well-formed SVG with a log axis and both shares, solid P_z and dashed (q/p)^z", () => {
    const svg = readFileSync(outputs.files.svg, "utf8");
    expect(svg.startsWith("<svg ")).to.equal(true);
    expect(xmlProblems(svg)).to.deep.equal([]);
    for (const label of ["P_z, q = 0.1", "P_z, q = 0.3", "(q/p)^z, q = 0.1", "(q/p)^z, q = 0.3"]) {
      expect(svg, label).to.contain(`data-label="${label}"`);
    }
    expect(svg).to.contain("probability (log scale)");
    expect(svg.match(/<circle /g)).to.have.lengthOf(2 * 51 + 2); // markers of both P_z series + 2 legend markers
  });
});

describe("xmlProblems (test helper)", () => {
  it("accepts a well-formed document and reports mismatched, unclosed and unescaped ones", () => {
    expect(xmlProblems('<svg a="1"><g><text>1 &amp; 2</text></g><rect/></svg>')).to.deep.equal([]);
    expect(xmlProblems("<svg><g></svg>")).to.not.deep.equal([]);
    expect(xmlProblems("<svg><text>a & b</text></svg>")).to.not.deep.equal([]);
    expect(xmlProblems("<svg>")).to.not.deep.equal([]);
    expect(xmlProblems("<svg x=1></svg>")).to.not.deep.equal([]);
  });
});
