/**
 * Files the CLI writes and the key files it reads (README "Security model: who can make the relayer pay", key files):
 * every file is created exclusively and never through a symbolic link; a key file others may read is refused
 * unless --allow-readable-key; new passphrase-protected key files use scrypt N = 2^17 and older ones keep opening.
 */
import { expect } from "chai";
import { existsSync, lstatSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encodeKeyFile, generateActorKeys } from "../../src/keys";
import { runCli } from "./helpers/run";

const dir = mkdtempSync(join(tmpdir(), "medring-files-"));
const write = (name: string, content: string, mode: number) => {
  const path = join(dir, name);
  writeFileSync(path, content, { mode });
  return path;
};
const institution = write("institution.json", encodeKeyFile(generateActorKeys("institution")) + "\n", 0o600);
const SCOPE = "0x" + "11".repeat(32);

describe("CLI files: exclusive creation, no symlinks, private key files", () => {
  const writers: [string, (out: string) => string[]][] = [
    ["keys new --role patient --out", (out) => ["keys", "new", "--role", "patient", "--out", out]],
    ["keys new --role institution --out", (out) => ["keys", "new", "--role", "institution", "--out", out]],
    ["institution register --out", (out) => ["institution", "register", "--key", institution, "--out", out]],
  ];
  for (const [name, args] of writers) {
    it(`${name}: refuses a symlink to an existing file and a dangling one, writing nothing through either`, async () => {
      const target = write(`target-${name.replace(/\W+/g, "-")}.txt`, "not yours\n", 0o644);
      const link = join(dir, `link-${name.replace(/\W+/g, "-")}.json`);
      symlinkSync(target, link);
      const onLink = await runCli(...args(link));
      expect(onLink.code, onLink.stderr).to.equal(2);
      expect(onLink.stderr).to.include("already exists (or is a symbolic link); refusing to overwrite it");
      expect(readFileSync(target, "utf8")).to.equal("not yours\n");

      const nowhere = join(dir, `through-${name.replace(/\W+/g, "-")}.txt`);
      const dangling = join(dir, `dangling-${name.replace(/\W+/g, "-")}.json`);
      symlinkSync(nowhere, dangling);
      expect((await runCli(...args(dangling))).code).to.equal(2);
      expect(existsSync(nowhere)).to.equal(false);
      expect(lstatSync(dangling).isSymbolicLink()).to.equal(true);
    });

    it(`${name}: refuses an existing file and leaves it as it was`, async () => {
      const existing = write(`existing-${name.replace(/\W+/g, "-")}.json`, "precious\n", 0o600);
      expect((await runCli(...args(existing))).code).to.equal(2);
      expect(readFileSync(existing, "utf8")).to.equal("precious\n");
    });
  }

  it("refuses a key file its group or others may read, naming the fix; --allow-readable-key reads it", async () => {
    for (const mode of [0o644, 0o640, 0o604]) {
      const key = write(`readable-${mode.toString(8)}.json`, encodeKeyFile(generateActorKeys("patient")) + "\n", mode);
      const refused = await runCli("key-image", "--key", key, "--scope", SCOPE);
      expect(refused.code, refused.stderr).to.equal(2);
      expect(refused.stdout).to.equal("");
      expect(refused.stderr).to.include(`is readable by others (mode 0${mode.toString(8)}); chmod 600 it, or pass --allow-readable-key`);
      const allowed = await runCli("key-image", "--key", key, "--scope", SCOPE, "--allow-readable-key");
      expect(allowed.code, allowed.stderr).to.equal(0);
      expect(allowed.stdout).to.match(/^0x0[23][0-9a-f]{64}\n$/);
    }
  });

  it("writes new encrypted key files with scrypt N = 2^17 and still opens one written with N = 2^15 (the parameters are in the file)", async () => {
    const passphrase = write("passphrase.txt", "correct horse\n", 0o600);
    const fresh = join(dir, "fresh.json");
    expect((await runCli("keys", "new", "--role", "patient", "--out", fresh, "--passphrase-file", passphrase)).code).to.equal(0);
    expect(JSON.parse(readFileSync(fresh, "utf8")).encryptedSecrets.kdfParams).to.include({ N: 2 ** 17, r: 8, p: 1 });
    expect(lstatSync(fresh).mode & 0o777).to.equal(0o600);
    const old = write("old.json", encodeKeyFile(generateActorKeys("patient"), { passphrase: "correct horse", scryptN: 2 ** 15 }) + "\n", 0o600);
    const run = await runCli("key-image", "--key", old, "--scope", SCOPE, "--passphrase-file", passphrase);
    expect(run.code, run.stderr).to.equal(0);
  });
});
