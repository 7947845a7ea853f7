import { expect } from "chai";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { hexToBytes } from "@noble/hashes/utils.js";
import { N_ORDER, keyImage, parseSignatureJson, pointToHex, verify } from "../../src/mrs1";
import { CLI_BIN, ensureBuilt } from "../helpers/builtOutput";
import { runCli } from "./helpers/run";

const SCOPE = "0x" + "11".repeat(32);
/** The MRS-1 ring public key in a key file's public part. */
const ringPublicKeyOf = (path: string): string => JSON.parse(readFileSync(path, "utf8")).publicKeys.ring;
const MESSAGE = "0x" + "ab".repeat(32);

describe("medring CLI: MRS-1 commands", () => {
  const dir = mkdtempSync(join(tmpdir(), "medring-cli-"));
  const file = (name: string) => join(dir, name);

  before(async () => {
    for (const name of ["a", "b", "c"]) expect((await runCli("keys", "new", "--role", "patient", "--out", file(`${name}.json`))).code).to.equal(0);
    const publicKeys = ["c", "a", "b"].map((n) => ringPublicKeyOf(file(`${n}.json`)));
    writeFileSync(file("ring.json"), JSON.stringify(publicKeys));
  });

  describe("keys new --role patient (the MRS-1 tools' key file)", () => {
    it("writes a patient key file (the project's one key file format) with mode 0600", () => {
      expect(statSync(file("a.json")).mode & 0o777).to.equal(0o600);
      const key = JSON.parse(readFileSync(file("a.json"), "utf8"));
      expect(key).to.include({ format: "medring-keyfile", role: "patient" });
      expect(key.publicKeys.ring).to.match(/^0x0[23][0-9a-f]{64}$/);
    });
    it("prints a patient key file when --out is absent", async () => {
      const r = await runCli("keys", "new", "--role", "patient");
      expect(r.code).to.equal(0);
      expect(JSON.parse(r.stdout)).to.include({ format: "medring-keyfile", role: "patient" });
    });
    it("refuses to overwrite an existing file, exit 2", async () => {
      const r = await runCli("keys", "new", "--role", "patient", "--out", file("a.json"));
      expect(r.code).to.equal(2);
      expect(r.stderr).to.include("already exists (or is a symbolic link); refusing to overwrite it");
    });
  });

  describe("sign and verify", () => {
    it("signs with a patient's `keys new` key file, passphrase-encrypted, as well", async () => {
      writeFileSync(file("pass.txt"), "secret words\n");
      expect((await runCli("keys", "new", "--role", "patient", "--out", file("patient.json"), "--passphrase-file", file("pass.txt"))).code).to.equal(0);
      writeFileSync(file("ring3.json"), JSON.stringify([ringPublicKeyOf(file("patient.json")), ringPublicKeyOf(file("a.json"))]));
      const r = await runCli(
        "sign",
        "--key",
        file("patient.json"),
        "--passphrase-file",
        file("pass.txt"),
        "--ring",
        file("ring3.json"),
        "--scope",
        SCOPE,
        "--message",
        MESSAGE,
      );
      expect(r.code, r.stderr).to.equal(0);
      const parsed = parseSignatureJson(JSON.parse(r.stdout));
      expect(parsed.ok && verify(parsed.signature).valid).to.equal(true);
      const image = await runCli("key-image", "--key", file("patient.json"), "--passphrase-file", file("pass.txt"), "--scope", SCOPE);
      expect(image.stdout.trim()).to.equal(JSON.parse(r.stdout).keyImage);
    });
    it("refuses an institution's key file (no ring key), exit 2", async () => {
      expect((await runCli("keys", "new", "--role", "institution", "--out", file("inst.json"))).code).to.equal(0);
      const r = await runCli("key-image", "--key", file("inst.json"), "--scope", SCOPE);
      expect(r.code).to.equal(2);
      expect(r.stderr).to.include("this command needs a patient key file");
    });
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
      writeFileSync(file("ring2.json"), JSON.stringify([ringPublicKeyOf(file("a.json"))]));
      const r = await runCli("sign", "--key", file("b.json"), "--ring", file("ring2.json"), "--scope", SCOPE, "--message", MESSAGE);
      expect(r.code).to.equal(2);
      expect(r.stderr).to.match(/does not contain the signer's public key/);
    });
  });

  describe("a bare MRS-1 key, as another implementation writes it (MRS-1 §Keys)", () => {
    // Made with @noble/curves directly, not with MedRing's key code: x in [1, n-1], P = x·G.
    const secretKey = BigInt("0x" + Buffer.from(secp256k1.utils.randomSecretKey()).toString("hex"));
    const secretHex = "0x" + secretKey.toString(16).padStart(64, "0");
    const publicHex = "0x" + Buffer.from(secp256k1.getPublicKey(hexToBytes(secretHex.slice(2)), true)).toString("hex");
    const scope = hexToBytes(SCOPE.slice(2));

    before(() => {
      // Secret keys are private files (0600); a readable one is refused like a readable key file.
      writeFileSync(file("bare.json"), JSON.stringify({ secretKey: secretHex, comment: "made elsewhere" }), { mode: 0o600 });
      writeFileSync(file("bare.hex"), secretHex + "\n", { mode: 0o600 });
      writeFileSync(file("bare-readable.json"), JSON.stringify({ secretKey: secretHex }), { mode: 0o644 });
      writeFileSync(file("bare-ring.json"), JSON.stringify([ringPublicKeyOf(file("a.json")), publicHex]));
    });

    it("key-image takes it through --key or --secret-key-file, JSON or hex alone, and gives the spec's I = x·H_p(scope, P)", async () => {
      const expected = pointToHex(keyImage(secretKey, scope));
      for (const args of [
        ["--key", file("bare.json")],
        ["--secret-key-file", file("bare.json")],
        ["--secret-key-file", file("bare.hex")],
      ]) {
        const r = await runCli("key-image", ...args, "--scope", SCOPE);
        expect(r.code, r.stderr).to.equal(0);
        expect(r.stdout.trim()).to.equal(expected);
      }
    });

    it("sign takes it, and the signature verifies with its key image", async () => {
      const r = await runCli("sign", "--secret-key-file", file("bare.json"), "--ring", file("bare-ring.json"), "--scope", SCOPE, "--message", MESSAGE);
      expect(r.code, r.stderr).to.equal(0);
      const parsed = parseSignatureJson(JSON.parse(r.stdout));
      expect(parsed.ok && verify(parsed.signature).valid).to.equal(true);
      expect(JSON.parse(r.stdout).keyImage).to.equal(pointToHex(keyImage(secretKey, scope)));
    });

    it("refuses a key outside [1, n-1], a malformed one, and both or neither of --key and --secret-key-file, exit 2", async () => {
      const n = "0x" + N_ORDER.toString(16);
      for (const [name, content] of [
        ["zero.json", JSON.stringify({ secretKey: "0x" + "00".repeat(32) })],
        ["n.json", JSON.stringify({ secretKey: n })],
        ["short.json", JSON.stringify({ secretKey: "0x1234" })],
        ["nokey.json", JSON.stringify({ secret: secretHex })],
      ]) {
        writeFileSync(file(name), content, { mode: 0o600 });
        const r = await runCli("key-image", "--secret-key-file", file(name), "--scope", SCOPE);
        expect(r.code, name).to.equal(2);
        expect(r.stderr.trim().split("\n"), name).to.have.length(1);
      }
      const readable = await runCli("key-image", "--secret-key-file", file("bare-readable.json"), "--scope", SCOPE);
      expect(readable.code).to.equal(2);
      expect(readable.stderr).to.include("readable by others");
      const allowed = await runCli("key-image", "--secret-key-file", file("bare-readable.json"), "--allow-readable-key", "--scope", SCOPE);
      expect(allowed.code, allowed.stderr).to.equal(0);
      const both = await runCli("key-image", "--key", file("a.json"), "--secret-key-file", file("bare.json"), "--scope", SCOPE);
      expect(both.code).to.equal(2);
      expect(both.stderr).to.include("exactly one of --key FILE and --secret-key-file FILE");
    });
  });

  describe("key-image and hash-to-point", () => {
    it("prints the same key image as the signature's in that scope", async () => {
      const r = await runCli("key-image", "--key", file("b.json"), "--scope", SCOPE);
      expect(r.stdout.trim()).to.equal(JSON.parse(readFileSync(file("sig.json"), "utf8")).keyImage);
    });
    it("prints x, y and ctr", async () => {
      const r = await runCli("hash-to-point", "--public-key", ringPublicKeyOf(file("a.json")), "--scope", SCOPE);
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
      ["an unknown option", () => ["keys", "new", "--role", "patient", "--bogus"]],
      ["no key at all", () => ["key-image", "--scope", SCOPE]],
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
    for (const command of ["keys new", "sign", "verify", "key-image", "hash-to-point"]) {
      expect(execFileSync(process.execPath, [bin, ...command.split(" "), "--help"], { encoding: "utf8" })).to.match(/^Usage: medring /);
    }
  });
});
