/**
 * Start-up of the built CLI (bin/medring.js → dist/): declaring the commands loads no heavy library, so `--help`
 * and usage errors answer without reading ethers, noble, zod, medplum or the contract types from disk (each command
 * loads what it needs when it runs). What a process loaded is read from `require.cache` at exit: a count of
 * modules, not a timing, so the test is as reliable on a loaded machine as on an idle one.
 */
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CLI_BIN, ensureBuilt } from "../builtOutput";

const HEAVY = ["/node_modules/ethers/", "/node_modules/@noble/", "/node_modules/zod/", "/node_modules/@medplum/", "/typechain-types/"];

/** Runs the built CLI with `args` and returns its exit status and every file it required. */
function loadedBy(args: string[]): { status: number | null; stdout: string; modules: string[] } {
  const dir = mkdtempSync(join(tmpdir(), "medring-startup-"));
  const out = join(dir, "modules.json");
  const record = `process.on("exit", () => require("node:fs").writeFileSync(${JSON.stringify(out)}, JSON.stringify(Object.keys(require.cache))));`;
  try {
    const run = spawnSync(
      process.execPath,
      ["-e", `${record} process.argv.splice(1, 0, ${JSON.stringify(CLI_BIN)}); require(${JSON.stringify(CLI_BIN)});`, "--", ...args],
      {
        encoding: "utf8",
      },
    );
    return { status: run.status, stdout: run.stdout, modules: JSON.parse(readFileSync(out, "utf8")) as string[] };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("CLI start-up (built output)", () => {
  before(function () {
    this.timeout(120_000);
    ensureBuilt();
  });

  const cases: Array<[string, string[], number]> = [
    ["medring --help", ["--help"], 0],
    ["medring record create --help", ["record", "create", "--help"], 0],
    ["a usage error", ["record", "grant", "--bogus"], 2],
  ];
  for (const [what, args, status] of cases) {
    it(`${what} runs dist/ and loads none of ethers, noble, zod, medplum or the contract types`, () => {
      const run = loadedBy(args);
      expect(run.status).to.equal(status);
      expect(
        run.modules.some((m) => m.includes("/dist/src/cli/main.js")),
        "runs the compiled CLI",
      ).to.equal(true);
      expect(run.modules.filter((m) => HEAVY.some((h) => m.includes(h)))).to.deep.equal([]);
    });
  }

  it("a command loads its libraries when it runs (medring verify reads noble)", () => {
    const run = loadedBy(["verify", "/nonexistent/sig.json"]);
    expect(run.status).to.equal(2);
    expect(run.modules.some((m) => m.includes("/node_modules/@noble/curves/"))).to.equal(true);
  });
});
