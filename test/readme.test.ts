import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, syncReadmeTables } from "../scripts/readmeTables";

describe("README", () => {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const read = (path: string) => readFileSync(join(ROOT, path), "utf8");

  it("has the generated tables exactly as bench/results has them (run npm run docs:tables)", () => {
    expect(readme.match(/<!-- BEGIN /g)?.length ?? 0).to.be.greaterThan(0);
    expect(syncReadmeTables(readme, read)).to.equal(readme);
  });

  it("gives the quick start as exactly the two commands", () => {
    expect(readme).to.include("npm ci && npm start");
    expect(readme).to.include("npm ci && npm test");
  });
});
