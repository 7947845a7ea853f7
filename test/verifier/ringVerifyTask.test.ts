/**
 * The `ring:verify` Hardhat task (tasks/ringVerify.ts), run in-process through hre.run.
 */
import { expect } from "chai";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run } from "hardhat";
import { encodeSignatureJson } from "../../src/mrs1";
import { randomRingSignature } from "../../scripts/lib/randomRing";

async function capture(fn: () => Promise<unknown>): Promise<{ out: string; err: string; exitCode: number | undefined }> {
  const out: string[] = [];
  const err: string[] = [];
  const [log, error, exitCode] = [console.log, console.error, process.exitCode];
  console.log = (...a: unknown[]) => void out.push(a.join(" "));
  console.error = (...a: unknown[]) => void err.push(a.join(" "));
  process.exitCode = undefined;
  try {
    await fn();
    return { out: out.join("\n"), err: err.join("\n"), exitCode: process.exitCode };
  } finally {
    [console.log, console.error] = [log, error];
    process.exitCode = exitCode;
  }
}

describe("ring:verify task", () => {
  const dir = mkdtempSync(join(tmpdir(), "ring-verify-"));
  const write = (name: string, content: string) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };

  it("prints valid and the gas of a real transaction for a valid signature", async () => {
    const file = write("valid.json", JSON.stringify(encodeSignatureJson(randomRingSignature(3))));
    const { out } = await capture(() => run("ring:verify", { file }));
    const [verdict, gas] = out.split("\n");
    expect(verdict).to.equal("valid");
    expect(gas).to.match(/^gas: \d+$/);
    const used = Number(gas.slice(5));
    expect(used).to.be.greaterThan(21_000).and.lessThan(2_000_000);
  });

  it("prints invalid: challenge-mismatch for a changed message", async () => {
    const json = encodeSignatureJson(randomRingSignature(2));
    json.message = "0x" + "11".repeat(32);
    const { out } = await capture(() => run("ring:verify", { file: write("bad.json", JSON.stringify(json)) }));
    expect(out.split("\n")[0]).to.equal("invalid: challenge-mismatch");
  });

  it("reports a file that is not JSON, or not a signature, in one line with exit code 2", async () => {
    for (const [name, content, pattern] of [
      ["garbage.json", "not json", /is not JSON/],
      ["object.json", JSON.stringify({ scheme: "MRS-1" }), /field "scope"/],
      ["badhex.json", JSON.stringify({ ...encodeSignatureJson(randomRingSignature(1)), scope: "0x12" }), /scope/],
    ] as const) {
      const { out, err, exitCode } = await capture(() => run("ring:verify", { file: write(name, content) }));
      expect(out).to.equal("");
      expect(err).to.match(pattern);
      expect(err.split("\n")).to.have.length(1);
      expect(exitCode).to.equal(2);
    }
    const missing = await capture(() => run("ring:verify", { file: join(dir, "missing.json") }));
    expect(missing.err).to.match(/cannot read .*ENOENT/);
  });
});
