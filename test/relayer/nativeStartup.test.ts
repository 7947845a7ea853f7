/**
 * The relayer runs MRS-1 verification on the native libsecp256k1 binding or not at all, and its verify
 * workers give src/mrs1's answers both under ts-node and from compiled JavaScript.
 */
import { expect } from "chai";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "@noble/hashes/utils.js";
import { N_ORDER, encodeSignatureJson, generateKeyPair, sign, sortRing, verifyForChain, type Mrs1Signature } from "../../src/mrs1";
import { loadConfig } from "../../relayer/config";
import { createLogger } from "../../relayer/logger";
import { NativeSecp256k1Unavailable, loadNativeSecp256k1, secp256k1PackageDir } from "../../relayer/mrs1Native/binding";
import { assertNativeVerifier } from "../../relayer/mrs1Native/startupCheck";
import { VerifyPool } from "../../relayer/pipeline/verifyPool";
import { startRelayer } from "../../relayer/server";

const ROOT = path.join(__dirname, "..", "..");

/**
 * A copy of the installed secp256k1 package in a temporary node_modules that links the package's own
 * dependencies: without its prebuilt binaries (as on a platform it ships none for), or with another version.
 */
function secp256k1Copy(opts: { binaries: boolean; version?: string }): string {
  const modules = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "medring-secp256k1-")), "node_modules");
  const source = secp256k1PackageDir();
  const copy = path.join(modules, "secp256k1");
  fs.cpSync(source, copy, {
    recursive: true,
    filter: (file) => opts.binaries || !["prebuilds", "build"].includes(path.relative(source, file).split(path.sep)[0]),
  });
  if (opts.version) {
    const manifest = path.join(copy, "package.json");
    fs.writeFileSync(manifest, JSON.stringify({ ...JSON.parse(fs.readFileSync(manifest, "utf8")), version: opts.version }));
  }
  for (const dep of ["node-gyp-build", "elliptic"]) fs.symlinkSync(path.dirname(require.resolve(`${dep}/package.json`)), path.join(modules, dep));
  return copy;
}

/** Two workers at a time load the binding, use it and end, 40 times over, while the main thread uses it too. */
const WORKER_CHURN = `
const wt = require("node:worker_threads");
const lib = require(process.argv[2]);
const key = Buffer.alloc(32, 1);
if (wt.isMainThread) {
  let round = 0;
  const next = () => {
    if (round++ === 40) return;
    const workers = [0, 1].map(() => new wt.Worker(__filename, { argv: [process.argv[2]] }));
    let ready = 0;
    for (const w of workers) w.on("message", () => {
      if (++ready < 2) return;
      Promise.all(workers.map((x) => x.terminate())).then(() => { lib.publicKeyCreate(key, false); next(); });
    });
  };
  next();
} else {
  const p = lib.publicKeyCreate(key, false);
  for (let i = 0; i < 50; i++) lib.publicKeyTweakMul(p, key, false);
  wt.parentPort.postMessage("done");
}
`;

function ring(n: number): Mrs1Signature {
  const keys = Array.from({ length: n }, generateKeyPair);
  const members = sortRing(keys.map((k) => k.publicKey));
  return sign({ secretKey: keys[n - 1].secretKey, ring: members, scope: randomBytes(32), message: randomBytes(32) });
}

describe("relayer native MRS-1 start-up check", function () {
  let crippled: string;
  before(function () {
    crippled = secp256k1Copy({ binaries: false });
  });

  it("passes on this machine: the binding loads and agrees with src/mrs1", function () {
    expect(() => assertNativeVerifier()).not.to.throw();
  });

  it("sees that the package's index would fall back to JavaScript silently when the binaries are missing", function () {
    const api = require(crippled) as { publicKeyTweakMul: unknown };
    expect(api.publicKeyTweakMul).to.be.a("function");
    expect(Object.keys(require.cache)).to.include(path.join(crippled, "elliptic.js"));
  });

  it("refuses a package without a native build, naming the fix", function () {
    expect(() => loadNativeSecp256k1(crippled)).to.throw(
      NativeSecp256k1Unavailable,
      /could not be loaded for .*No native build was found.*does not fall back to JavaScript.*npm ci/,
    );
  });

  it("refuses secp256k1 4.x, which crashes when worker threads load it and end", function () {
    expect(() => loadNativeSecp256k1(secp256k1Copy({ binaries: true, version: "4.0.5" }))).to.throw(
      NativeSecp256k1Unavailable,
      /secp256k1 4\.0\.5 .*crashes when worker threads/,
    );
  });

  it("uses a binding that survives worker threads loading it and ending (a child process, so a crash fails only this test)", function () {
    this.timeout(120_000);
    const script = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "medring-churn-")), "churn.js");
    fs.writeFileSync(script, WORKER_CHURN);
    // execFileSync throws on a non-zero exit or a signal (4.0.5 ends in SIGSEGV or a double-free abort here)
    execFileSync(process.execPath, [script, path.join(secp256k1PackageDir(), "bindings")], { stdio: "pipe" });
  });

  it("keeps the relayer from starting, before it contacts the node", async function () {
    // A node that counts what reaches it (and answers 503, so a connection attempt would retry for 30 s): the check
    // ran first when the node saw nothing. Counted, not timed, so that a loaded machine cannot fail it.
    let requests = 0;
    const node = createServer((_req, res) => void (requests++, res.writeHead(503).end()));
    await new Promise<void>((resolve) => node.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = node.address() as AddressInfo;
      const config = loadConfig({ MEDRING_RELAYER_RPC_URL: `http://127.0.0.1:${port}`, MEDRING_RELAYER_STORE: "memory" });
      const error = await startRelayer(config, createLogger("silent"), { secp256k1PackageDir: crippled }).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(error).to.be.instanceOf(NativeSecp256k1Unavailable);
      expect(requests, "requests the node received").to.equal(0);
    } finally {
      node.closeAllConnections();
      await new Promise((resolve) => node.close(resolve));
    }
  });
});

/** The pool's answers are the reference's: a valid ring-8 signature (VerifierArgs byte for byte), a forged one, a bad point. */
async function expectPoolAgrees(pool: { verify(signature: unknown): Promise<unknown> }): Promise<void> {
  const sig = ring(8);
  const reference = verifyForChain(sig);
  expect(await pool.verify(encodeSignatureJson(sig))).to.deep.include({ valid: true, verifierArgs: reference.args });
  const forged = { ...sig, e: sig.e.map((e, i) => (i === 3 ? (e + 1n) % N_ORDER : e)) };
  expect(await pool.verify(encodeSignatureJson(forged))).to.deep.include({ valid: false, reason: "challenge-mismatch" });
  const json = encodeSignatureJson(sig);
  const offCurve = { ...json, keyImage: "0x04" + "00".repeat(32) + "01".padStart(64, "0") };
  expect(await pool.verify(offCurve)).to.deep.include({ valid: false, reason: "point-not-on-curve" });
}

describe("relayer verify pool on the native back end", function () {
  it("answers as src/mrs1 under ts-node", async function () {
    const pool = new VerifyPool(2);
    try {
      await expectPoolAgrees(pool);
    } finally {
      await pool.close();
    }
  });

  it("answers as src/mrs1 from compiled JavaScript", async function () {
    this.timeout(120_000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "medring-verifypool-js-"));
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
    fs.writeFileSync(
      path.join(dir, "tsconfig.json"),
      JSON.stringify({
        extends: path.join(ROOT, "tsconfig.json"),
        compilerOptions: { outDir: path.join(dir, "out"), rootDir: ROOT, types: ["node"] },
        include: [],
        files: [path.join(ROOT, "relayer/pipeline/verifyPool.ts"), path.join(ROOT, "relayer/pipeline/verifyWorker.ts")],
      }),
    );
    execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", path.join(dir, "tsconfig.json")], { stdio: "pipe" });
    const compiled = path.join(dir, "out/relayer/pipeline/verifyPool.js");
    const { VerifyPool: CompiledPool } = require(compiled) as { VerifyPool: typeof VerifyPool };
    const pool = new CompiledPool(1);
    try {
      await expectPoolAgrees(pool);
    } finally {
      await pool.close();
    }
  });
});
