import { expect } from "chai";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateActorKeys, publicInfoOf, KeyFileError } from "../../src/keys";
import { KEY_FILE_MODE, readKeyFile, readKeyFilePublicInfo, writeKeyFile } from "../../src/keys/file";
import { FAST_N } from "./helpers/fixtures";

const modeOf = (path: string): number => statSync(path).mode & 0o777;

describe("key files on disk", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "medring-keys-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("writes a file with mode 0600 that reads back to the same keys", () => {
    const path = join(dir, "patient.json");
    const keys = generateActorKeys("patient");
    writeKeyFile(path, keys);
    expect(modeOf(path)).to.equal(KEY_FILE_MODE).and.to.equal(0o600);
    expect(readKeyFile(path)).to.deep.equal(keys);
    expect(readFileSync(path, "utf8").endsWith("}\n")).to.equal(true);
  });

  it("reads a passphrase-protected file with the right passphrase and refuses a wrong one", () => {
    const path = join(dir, "institution.json");
    const keys = generateActorKeys("institution");
    writeKeyFile(path, keys, { passphrase: "s3cret", scryptN: FAST_N });
    expect(readKeyFile(path, "s3cret")).to.deep.equal(keys);
    expect(() => readKeyFile(path, "secret")).to.throw(KeyFileError, "wrong passphrase");
    expect(readKeyFilePublicInfo(path)).to.deep.equal({ ...publicInfoOf(keys), encrypted: true });
  });

  it("refuses to overwrite an existing file unless asked", () => {
    const path = join(dir, "k.json");
    const first = generateActorKeys("patient");
    writeKeyFile(path, first);
    expect(() => writeKeyFile(path, generateActorKeys("patient"))).to.throw(/EEXIST/);
    expect(readKeyFile(path)).to.deep.equal(first);
  });

  it("tightens an existing 0644 file to 0600 when overwriting it", () => {
    const path = join(dir, "k.json");
    writeFileSync(path, "old", { mode: 0o644 });
    expect(modeOf(path)).to.equal(0o644);
    const keys = generateActorKeys("institution");
    writeKeyFile(path, keys, { overwrite: true });
    expect(modeOf(path)).to.equal(0o600);
    expect(readKeyFile(path)).to.deep.equal(keys);
  });
});
