import { expect } from "chai";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseSignatureJson, verify } from "../../src/mrs1";
import { CLI_BIN, ensureBuilt } from "../builtOutput";
import { runCli } from "./run";

const SCOPE = "0x" + "11".repeat(32);
const MESSAGE = "0x" + "ab".repeat(32);

describe("medring CLI: MRS-1 commands", () => {
  const dir = mkdtempSync(join(tmpdir(), "medring-cli-"));
  const file = (name: string) => join(dir, name);

  before(async () => {
    for (const name of ["a", "b", "c"]) expect((await runCli("keygen", "--out", file(`${name}.json`))).code).to.equal(0);
    const publicKeys = ["c", "a", "b"].map((n) => JSON.parse(readFileSync(file(`${n}.json`), "utf8")).publicKey);
    writeFileSync(file("ring.json"), JSON.stringify(publicKeys));
  });

  describe("keygen", () => {
    it("writes the key file with mode 0600", () => {
      expect(statSync(file("a.json")).mode & 0o777).to.equal(0o600);
      const key = JSON.parse(readFileSync(file("a.json"), "utf8"));
      expect(key.secretKey).to.match(/^0x[0-9a-f]{64}$/);
      expect(key.publicKey).to.match(/^0x0[23][0-9a-f]{64}$/);
    });
    it("prints a key pair when --out is absent", async () => {
      const r = await runCli("keygen");
      expect(r.code).to.equal(0);
      expect(Object.keys(JSON.parse(r.stdout))).to.deep.equal(["secretKey", "publicKey"]);
    });
  });

  describe("sign and verify", () => {
    it("signs with an unsorted ring file and the signature verifies", async () => {
      const r = await runCli("sign", "--key", file("b.json"), "--ring", file("ring.json"), "--scope", SCOPE, "--message", MESSAGE);
      expect(r.code, r.stderr).to.equal(0);
      writeFileSync(file("sig.json"), r.stdout);
      const parsed = parseSignatureJson(JSON.parse(r.stdout));
      expect(parsed.ok && verify(parsed.signature).valid).to.equal(true);
      expect(await runCli("verify", file("sig.json"))).to.deep.include({ code: 0, stdout: "valid\n" });
    });
    it("prints invalid with the reason and exits 1 for a tampered signature", async () => {
      const sig = JSON.parse(readFileSync(file("sig.json"), "utf8"));
      sig.message = "0x" + "ac".repeat(32);
      writeFileSync(file("bad.json"), JSON.stringify(sig));
      const r = await runCli("verify", file("bad.json"));
      expect(r.code).to.equal(1);
      expect(r.stdout).to.match(/^invalid: challenge-mismatch/);
    });
    it("refuses a ring that lacks the signer's key, exit 2", async () => {
      writeFileSync(file("ring2.json"), JSON.stringify([JSON.parse(readFileSync(file("a.json"), "utf8")).publicKey]));
      const r = await runCli("sign", "--key", file("b.json"), "--ring", file("ring2.json"), "--scope", SCOPE, "--message", MESSAGE);
      expect(r.code).to.equal(2);
      expect(r.stderr).to.match(/does not contain the signer's public key/);
    });
  });

  describe("key-image and hash-to-point", () => {
    it("prints the same key image as the signature's in that scope", async () => {
      const r = await runCli("key-image", "--key", file("b.json"), "--scope", SCOPE);
      expect(r.stdout.trim()).to.equal(JSON.parse(readFileSync(file("sig.json"), "utf8")).keyImage);
    });
    it("prints x, y and ctr", async () => {
      const publicKey = JSON.parse(readFileSync(file("a.json"), "utf8")).publicKey;
      const r = await runCli("hash-to-point", "--public-key", publicKey, "--scope", SCOPE);
      expect(Object.keys(JSON.parse(r.stdout))).to.deep.equal(["x", "y", "ctr"]);
    });
  });

  describe("malformed input exits 2 with one line and no stack trace", () => {
    const cases: Array<[string, () => string[]]> = [
      ["a short scope", () => ["sign", "--key", file("a.json"), "--ring", file("ring.json"), "--scope", "0x12", "--message", MESSAGE]],
      ["a missing key file", () => ["key-image", "--key", file("nope.json"), "--scope", SCOPE]],
      ["a key file that is not JSON", () => ["key-image", "--key", file("ring.json") + "x", "--scope", SCOPE]],
      ["a ring file that is not an array", () => ["sign", "--key", file("a.json"), "--ring", file("a.json"), "--scope", SCOPE, "--message", MESSAGE]],
      ["a signature file with bad hex", () => (writeFileSync(file("junk.json"), '{"scheme":"MRS-1","scope":"0xzz"}'), ["verify", file("junk.json")])],
      ["a public key with a bad prefix", () => ["hash-to-point", "--public-key", "0x05" + "11".repeat(32), "--scope", SCOPE]],
      ["an unknown option", () => ["keygen", "--bogus"]],
      ["a missing required option", () => ["key-image", "--scope", SCOPE]],
      ["an unknown command", () => ["frobnicate"]],
    ];
    for (const [what, args] of cases) {
      it(`for ${what}`, async () => {
        const r = await runCli(...args());
        expect(r.code).to.equal(2);
        expect(r.stderr.trim().split("\n")).to.have.length(1);
        expect(r.stderr).to.not.match(/\n\s+at /);
      });
    }
  });

  it("runs as `npx medring` through the package bin, with --help on every command", function () {
    this.timeout(120_000);
    ensureBuilt();
    const bin = CLI_BIN;
    for (const command of ["keygen", "sign", "verify", "key-image", "hash-to-point"]) {
      expect(execFileSync(process.execPath, [bin, command, "--help"], { encoding: "utf8" })).to.match(/^Usage: medring /);
    }
  });
});
