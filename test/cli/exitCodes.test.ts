/**
 * ExitCode (src/cli/errors.ts) lists every exit the CLI uses: the codes its header documents, and the one exit of
 * bin/medring.js, which is plain JavaScript that must work before the TypeScript is built.
 */
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ExitCode } from "../../src/cli/errors";
import { ROOT } from "../../scripts/readmeTables";

const codes = Object.values(ExitCode).filter((v): v is number => typeof v === "number");

describe("CLI exit codes", () => {
  it("bin/medring.js exits only with ExitCode.Internal", () => {
    const bin = readFileSync(join(ROOT, "bin/medring.js"), "utf8");
    expect(/const EXIT_INTERNAL = (\d+);/.exec(bin)?.[1]).to.equal(String(ExitCode.Internal));
    expect([...bin.matchAll(/process\.exit(?:Code\s*=\s*|\()\s*(\w+)/g)].map((m) => m[1])).to.deep.equal(["EXIT_INTERNAL", "code", "EXIT_INTERNAL"]);
  });

  it("the documented codes are exactly ExitCode's values", () => {
    const header = readFileSync(join(ROOT, "src/cli/errors.ts"), "utf8").split("*/")[0];
    const documented = [...header.matchAll(/^ \*\s+(\d+)\s{2}/gm)].map((m) => Number(m[1]));
    expect(documented).to.deep.equal(codes);
  });
});
