import { expect } from "chai";
import { execFileSync } from "node:child_process";
import path from "node:path";
import { ethers } from "hardhat";
import { ConfigError, loadConfig, resolveSignerKeys } from "../../relayer/config";
import { medRingDomain, ringActionDigest } from "../../src/actions";
import { bumpFees } from "../../relayer/submitter/fees";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MemoryJobStore } from "../../relayer/store/memory";
import Database from "better-sqlite3";
import { MIGRATIONS } from "../../relayer/store/migrations";
import { SQLITE_FILE, SqliteJobStore } from "../../relayer/store/sqlite";
import type { JobStore } from "../../relayer/store/types";
import { VerifyPool } from "../../relayer/pipeline/verifyPool";
import { ApiError } from "../../relayer/errors";
import { encodeSignatureJson, generateKeyPair, sign, sortRing } from "../../src/mrs1";
import { deployChain, freshScope, type Chain } from "./fixture";

describe("relayer EIP-712 encodings", function () {
  let chain: Chain;
  before(async function () {
    chain = await deployChain(0);
  });
  after(async function () {
    await chain?.close();
  });

  it("computes the same Warrant, Unwarrant and CreateRecord digests as the registry", async function () {
    const domain = medRingDomain(31337n, await chain.registry.getAddress());
    const scope = freshScope();
    const institution = ethers.Wallet.createRandom().address;
    const wrappedKey = ethers.hexlify(ethers.randomBytes(80));
    expect(ringActionDigest(domain, "Warrant", { scope, institution, wrappedKey, nonce: 3n, deadline: 99n })).to.equal(
      await chain.registry.hashWarrant(scope, institution, wrappedKey, 3n, 99n),
    );
    expect(ringActionDigest(domain, "Unwarrant", { scope, institution, nonce: 4n, deadline: 98n })).to.equal(
      await chain.registry.hashUnwarrant(scope, institution, 4n, 98n),
    );
    const ciphertext = ethers.hexlify(ethers.randomBytes(40));
    expect(ringActionDigest(domain, "CreateRecord", { scope, contentHash: ethers.keccak256(ciphertext), locator: "0x", ciphertext, nonce: 0n, deadline: 7n })).to.equal(
      await chain.registry.hashCreateRecord(scope, ethers.keccak256(ciphertext), "0x", ciphertext, 0n, 7n),
    );
  });
});

describe("relayer configuration", function () {
  it("uses the devnet key only on chain 31337 and requires a key elsewhere", function () {
    const cfg = loadConfig({});
    expect(resolveSignerKeys(cfg, 31337n)).to.have.length(1);
    expect(() => resolveSignerKeys(cfg, 1n)).to.throw(ConfigError, /MEDRING_RELAYER_KEYS is required on chain 1/);
  });

  it("names every invalid variable", function () {
    expect(() => loadConfig({ MEDRING_RELAYER_PORT: "http", MEDRING_RELAYER_BUMP_PERCENT: "5" })).to.throw(
      ConfigError,
      /MEDRING_RELAYER_PORT[\s\S]*MEDRING_RELAYER_BUMP_PERCENT/,
    );
    expect(() => loadConfig({ MEDRING_RELAYER_KEYS: "0x1234" })).to.throw(ConfigError, /entry 0/);
  });

  it("prints --help with every variable and exits 0", function () {
    const out = execFileSync(process.execPath, ["-r", "ts-node/register/transpile-only", "relayer/main.ts", "--help"], {
      cwd: path.join(__dirname, "..", ".."),
      encoding: "utf8",
    });
    expect(out).to.include("MEDRING_RELAYER_RPC_URL");
    expect(out).to.include("MEDRING_RELAYER_KEYS");
  });
});

describe("relayer fee bumping", function () {
  const gwei = 1_000_000_000n;
  it("raises both fees by at least the percentage, rounding up", function () {
    const b = bumpFees({ maxFeePerGas: 10n * gwei + 1n, maxPriorityFeePerGas: 1n * gwei + 1n }, { maxFeePerGas: 1n, maxPriorityFeePerGas: 1n }, 10, 1000n * gwei)!;
    expect(b.maxFeePerGas * 100n >= (10n * gwei + 1n) * 110n).to.equal(true);
    expect(b.maxPriorityFeePerGas * 100n >= (1n * gwei + 1n) * 110n).to.equal(true);
  });
  it("follows the market when it moved more than the bump", function () {
    const b = bumpFees({ maxFeePerGas: 10n * gwei, maxPriorityFeePerGas: gwei }, { maxFeePerGas: 50n * gwei, maxPriorityFeePerGas: 3n * gwei }, 10, 1000n * gwei)!;
    expect(b).to.deep.equal({ maxFeePerGas: 50n * gwei, maxPriorityFeePerGas: 3n * gwei });
  });
  it("gives up (re-broadcast instead) when the cap leaves no room for a valid replacement", function () {
    expect(bumpFees({ maxFeePerGas: 100n * gwei, maxPriorityFeePerGas: gwei }, { maxFeePerGas: gwei, maxPriorityFeePerGas: gwei }, 10, 105n * gwei)).to.equal(undefined);
  });
});

describe("relayer job stores: insertJob", function () {
  const newJob = (id: string, ...replayKeys: string[]) => ({
    id, kind: "createRecord", authType: "ring" as const, to: "0x" + "11".repeat(20), data: "0x", gasEstimate: 1n, deadline: 0, replayKeys, principal: "p",
  });
  const stores: Array<[string, () => JobStore]> = [
    ["memory", () => new MemoryJobStore()],
    ["sqlite", () => new SqliteJobStore(mkdtempSync(join(tmpdir(), "medring-store-")))],
  ];
  for (const [name, make] of stores) {
    it(`${name}: refuses a second live job for the same replay key, and allows it once the first failed`, function () {
      const store = make();
      const id = (n: number) => "0x" + n.toString(16).padStart(64, "0");
      expect(store.insertJob(newJob(id(1), "k"), 1).outcome).to.equal("created");
      expect(store.insertJob(newJob(id(1), "k"), 2).outcome).to.equal("duplicate");
      const conflict = store.insertJob(newJob(id(2), "k"), 3);
      expect(conflict.outcome).to.equal("replay-conflict");
      expect(conflict.job.id).to.equal(id(1));
      expect(store.getJob(id(2))).to.equal(undefined);
      store.updateJob(id(1), { status: "failed" }, 4);
      expect(store.insertJob(newJob(id(2), "k"), 5).outcome).to.equal("created");
    });

    it(`${name}: a job with several replay keys (a registration's nonce, ring key, account) conflicts on any of them`, function () {
      const store = make();
      const id = (n: number) => "0x" + n.toString(16).padStart(64, "0");
      expect(store.insertJob(newJob(id(1), "nonce:1", "ringkey:A", "account:X"), 1).outcome).to.equal("created");
      for (const keys of [["nonce:2", "ringkey:A", "account:Y"], ["nonce:3", "ringkey:B", "account:X"]]) {
        const r = store.insertJob(newJob(id(9), ...keys), 2);
        expect(r.outcome).to.equal("replay-conflict");
        expect(r.job.id).to.equal(id(1));
      }
      expect(store.findLiveByReplayKey("account:X")?.id).to.equal(id(1));
      expect(store.insertJob(newJob(id(2), "nonce:4", "ringkey:C", "account:Z"), 3).outcome).to.equal("created");
    });

    it(`${name}: penalize refuses a principal until the time given, and a later call extends but never shortens it`, function () {
      const store = make();
      expect(store.penaltyOf("ki", 0)).to.equal(undefined);
      store.penalize("ki", 1_000, "deadline");
      expect(store.penaltyOf("ki", 999)).to.deep.equal({ until: 1_000, reason: "deadline" });
      expect(store.penaltyOf("ki", 1_000)).to.equal(undefined);
      store.penalize("ki", 500, "nonce spent elsewhere");
      expect(store.penaltyOf("ki", 999)?.until).to.equal(1_000);
      store.penalize("ki", 2_000, "again");
      expect(store.penaltyOf("ki", 1_500)).to.deep.equal({ until: 2_000, reason: "again" });
      expect(store.penaltyOf("other", 0)).to.equal(undefined);
    });
  }

  it("sqlite: migration 3 moves an existing job's replay key into replay_slots", function () {
    const dir = mkdtempSync(join(tmpdir(), "medring-store-"));
    const db = new Database(join(dir, SQLITE_FILE));
    db.exec("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)");
    for (const [i, sql] of MIGRATIONS.slice(0, 2).entries()) {
      db.exec(sql);
      db.prepare("INSERT INTO schema_migrations (version, applied_at) VALUES (?, 0)").run(i + 1);
    }
    const id = "0x" + "ab".repeat(32);
    db.prepare(
      "INSERT INTO jobs (id, kind, auth_type, to_address, data, gas_estimate, deadline, replay_key, status, created_at, updated_at) VALUES (?, 'warrant', 'ring', ?, '0x', '1', 0, 'ring:k', 'queued', 1, 1)",
    ).run(id, "0x" + "11".repeat(20));
    db.close();
    const store = new SqliteJobStore(dir);
    expect(store.schemaVersion()).to.equal(MIGRATIONS.length);
    expect(store.findLiveByReplayKey("ring:k")?.id).to.equal(id);
    expect(store.getJob(id)?.principal).to.equal("");
    store.close();
  });
});

describe("relayer verify pool", function () {
  it("refuses at once with 503 busy and Retry-After once maxQueued signatures wait, and verifies the rest", async function () {
    const pool = new VerifyPool(1, 2);
    try {
      const keys = Array.from({ length: 16 }, () => generateKeyPair());
      const ring = sortRing(keys.map((k) => k.publicKey));
      const signature = encodeSignatureJson(sign({ secretKey: keys[0].secretKey, ring, scope: new Uint8Array(32), message: new Uint8Array(32) }));
      // One runs, two wait; the fourth and fifth find the queue full.
      const results = await Promise.allSettled([1, 2, 3, 4, 5].map(() => pool.verify(signature)));
      expect(results.map((r) => r.status)).to.deep.equal(["fulfilled", "fulfilled", "fulfilled", "rejected", "rejected"]);
      for (const r of results.slice(3)) {
        const err = (r as PromiseRejectedResult).reason;
        expect(err).to.be.instanceOf(ApiError);
        expect([err.code, err.status, err.retryAfterSeconds]).to.deep.equal(["busy", 503, 1]);
      }
      for (const r of results.slice(0, 3)) expect((r as PromiseFulfilledResult<{ valid: boolean }>).value.valid).to.equal(true);
    } finally {
      await pool.close();
    }
  });
});
