import { expect } from "chai";
import { execFileSync } from "node:child_process";
import path from "node:path";
import { ethers } from "hardhat";
import { ConfigError, loadConfig, resolveSignerKeys } from "../../relayer/config";
import type { Job } from "../../relayer/store/types";
import { BatchGasModel, LoneDelays, selectBatch, shuffled } from "../../relayer/submitter/batch";
import fc from "fast-check";
import { RING_ACTION_TYPES, medRingDomain, ringActionDigest } from "../../src/actions";
import { bumpFees } from "../../relayer/submitter/fees";
import { VerifyPool } from "../../relayer/pipeline/verifyPool";
import { ChainView } from "../../relayer/chain/chainView";
import { ApiError } from "../../relayer/errors";
import { encodeSignatureJson, generateKeyPair, sign, sortRing } from "../../src/mrs1";
import { chainPerDescribe, freshScope } from "./helpers/fixture";

describe("relayer EIP-712 encodings", function () {
  const chain = chainPerDescribe(0);

  it("computes the same Warrant, Unwarrant and CreateRecord digests as the registry", async function () {
    const domain = medRingDomain(31337n, await chain().registry.getAddress());
    const scope = freshScope();
    const institution = ethers.Wallet.createRandom().address;
    const wrappedKey = ethers.hexlify(ethers.randomBytes(80));
    expect(ringActionDigest(domain, "Warrant", { scope, institution, wrappedKey, nonce: 3n, deadline: 99n })).to.equal(
      await chain().registry.hashWarrant(scope, institution, wrappedKey, 3n, 99n),
    );
    expect(ringActionDigest(domain, "Unwarrant", { scope, institution, nonce: 4n, deadline: 98n })).to.equal(
      await chain().registry.hashUnwarrant(scope, institution, 4n, 98n),
    );
    const ciphertext = ethers.hexlify(ethers.randomBytes(40));
    expect(
      ringActionDigest(domain, "CreateRecord", { scope, contentHash: ethers.keccak256(ciphertext), locator: "0x", ciphertext, nonce: 0n, deadline: 7n }),
    ).to.equal(await chain().registry.hashCreateRecord(scope, ethers.keccak256(ciphertext), "0x", ciphertext, 0n, 7n));
  });

  it("computes the same ring action digests as ethers' TypedDataEncoder on random values", function () {
    const bytes = (max: number) => fc.uint8Array({ maxLength: max }).map((b) => ethers.hexlify(b));
    const word = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => ethers.hexlify(b));
    const uint = fc.bigInt({ min: 0n, max: 2n ** 256n - 1n });
    const account = fc.uint8Array({ minLength: 20, maxLength: 20 }).map((b) => ethers.getAddress(ethers.hexlify(b)));
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 2n ** 64n }),
        account,
        word,
        word,
        bytes(90),
        bytes(300),
        account,
        uint,
        uint,
        (chainId, registry, scope, contentHash, locator, ciphertext, institution, nonce, deadline) => {
          const domain = medRingDomain(chainId, registry);
          const values = {
            CreateRecord: { scope, contentHash, locator, ciphertext, nonce, deadline },
            Warrant: { scope, institution, wrappedKey: ciphertext, nonce, deadline },
            Unwarrant: { scope, institution, nonce, deadline },
          };
          for (const action of ["CreateRecord", "Warrant", "Unwarrant"] as const) {
            const expected = ethers.TypedDataEncoder.hash(domain, { [action]: [...RING_ACTION_TYPES[action]] }, values[action]);
            expect(ringActionDigest(domain, action, values[action])).to.equal(expected);
          }
        },
      ),
      { seed: 0x712, numRuns: 50 },
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

  it("chooses PostgreSQL by a database URL, SQLite without one, and refuses a URL beside another store", function () {
    const url = "postgres://relayer:secret@db.internal:5432/medring";
    expect(loadConfig({ MEDRING_RELAYER_DATABASE_URL: url }).store).to.deep.equal({ kind: "postgres", url });
    expect(loadConfig({ MEDRING_RELAYER_DATA_DIR: "/var/lib/medring" }).store).to.deep.equal({ kind: "sqlite", dataDir: "/var/lib/medring" });
    expect(loadConfig({ MEDRING_RELAYER_STORE: "memory" }).store).to.deep.equal({ kind: "memory" });
    expect(() => loadConfig({ MEDRING_RELAYER_DATABASE_URL: "mysql://db/x" })).to.throw(ConfigError, /MEDRING_RELAYER_DATABASE_URL: a PostgreSQL URL/);
    expect(() => loadConfig({ MEDRING_RELAYER_DATABASE_URL: url, MEDRING_RELAYER_STORE: "sqlite" })).to.throw(
      ConfigError,
      /MEDRING_RELAYER_STORE: leave it unset/,
    );
    expect(() => loadConfig({ MEDRING_RELAYER_LANE_LEASE_MS: "100" })).to.throw(ConfigError, /MEDRING_RELAYER_LANE_LEASE_MS/);
  });

  it("reads the batching settings, refuses values outside their bounds, and turns batching off with one action", function () {
    expect(loadConfig({}).batch).to.deep.equal({ maxActions: 16, gasBudget: 16_000_000n, maxWaitMs: 1000, loneDelayMs: 2000 });
    expect(
      loadConfig({
        MEDRING_RELAYER_BATCH_MAX_ACTIONS: "1",
        MEDRING_RELAYER_BATCH_GAS_BUDGET: "12000000",
        MEDRING_RELAYER_BATCH_WAIT_MS: "0",
        MEDRING_RELAYER_LONE_DELAY_MS: "0",
      }).batch,
    ).to.deep.equal({ maxActions: 1, gasBudget: 12_000_000n, maxWaitMs: 0, loneDelayMs: 0 });
    for (const [name, value] of [
      ["MEDRING_RELAYER_BATCH_MAX_ACTIONS", "33"], // above the registry's MAX_RING_ACTIONS_PER_BATCH
      ["MEDRING_RELAYER_BATCH_MAX_ACTIONS", "0"],
      ["MEDRING_RELAYER_LONE_DELAY_MS", "60001"],
      ["MEDRING_RELAYER_BATCH_MAX_ACTIONS", "2.5"],
      ["MEDRING_RELAYER_BATCH_GAS_BUDGET", "999999"],
      ["MEDRING_RELAYER_BATCH_WAIT_MS", "-1"],
      ["MEDRING_RELAYER_BATCH_WAIT_MS", "soon"],
    ]) {
      expect(() => loadConfig({ [name]: value }), `${name}=${value}`).to.throw(ConfigError, new RegExp(name));
    }
  });

  it("fills a batch oldest first up to its size and predicted gas budget, and says when it is complete", function () {
    const job = (n: number, gas: bigint) => ({ id: `0x${n}`, gasEstimate: gas }) as Job;
    const policy = { maxActions: 3, gasBudget: 12_000_000n, maxWaitMs: 1000, loneDelayMs: 0 };
    const ids = (r: { jobs: Job[]; full: boolean }) => [r.jobs.map((j) => j.id), r.full];
    const model = new BatchGasModel(); // before any batch: a batch predicted at its members' summed single estimates
    // 20 % headroom: each 2.5 M job takes 3 M of the budget.
    expect(ids(selectBatch([job(1, 2_500_000n), job(2, 2_500_000n)], policy, 20, model))).to.deep.equal([["0x1", "0x2"], false]);
    expect(
      ids(
        selectBatch(
          [1, 2, 3, 4].map((n) => job(n, 2_500_000n)),
          policy,
          20,
          model,
        ),
      ),
    ).to.deep.equal([["0x1", "0x2", "0x3"], true]);
    expect(ids(selectBatch([job(1, 4_000_000n), job(2, 4_000_000n), job(3, 4_000_000n)], policy, 20, model))).to.deep.equal([["0x1", "0x2"], true]);
    // A job above the budget alone still goes (alone): the budget bounds batches, not single transactions.
    expect(ids(selectBatch([job(1, 20_000_000n), job(2, 1n)], policy, 20, model))).to.deep.equal([["0x1"], true]);
    expect(ids(selectBatch([], policy, 20, model))).to.deep.equal([[], false]);
    // Once a batch was estimated at half its members' single estimates, three 4 M jobs fit (predicted 6 M, 7.2 M limit).
    model.observe([job(1, 4_000_000n), job(2, 4_000_000n)], 4_000_000n);
    expect(ids(selectBatch([job(1, 4_000_000n), job(2, 4_000_000n), job(3, 4_000_000n)], policy, 20, model))).to.deep.equal([["0x1", "0x2", "0x3"], true]);
  });

  it("prints --help with every variable and exits 0", function () {
    const out = execFileSync(process.execPath, ["-r", "ts-node/register/transpile-only", "relayer/main.ts", "--help"], {
      cwd: path.join(__dirname, "..", ".."),
      encoding: "utf8",
    });
    expect(out).to.include("MEDRING_RELAYER_RPC_URL");
    expect(out).to.include("MEDRING_RELAYER_KEYS");
    expect(out).to.include("MEDRING_RELAYER_BATCH_MAX_ACTIONS");
  });
});

describe("relayer fee bumping", function () {
  const gwei = 1_000_000_000n;
  it("raises both fees by at least the percentage, rounding up", function () {
    const b = bumpFees(
      { maxFeePerGas: 10n * gwei + 1n, maxPriorityFeePerGas: 1n * gwei + 1n },
      { maxFeePerGas: 1n, maxPriorityFeePerGas: 1n },
      10,
      1000n * gwei,
    )!;
    expect(b.maxFeePerGas * 100n >= (10n * gwei + 1n) * 110n).to.equal(true);
    expect(b.maxPriorityFeePerGas * 100n >= (1n * gwei + 1n) * 110n).to.equal(true);
  });
  it("follows the market when it moved more than the bump", function () {
    const b = bumpFees(
      { maxFeePerGas: 10n * gwei, maxPriorityFeePerGas: gwei },
      { maxFeePerGas: 50n * gwei, maxPriorityFeePerGas: 3n * gwei },
      10,
      1000n * gwei,
    )!;
    expect(b).to.deep.equal({ maxFeePerGas: 50n * gwei, maxPriorityFeePerGas: 3n * gwei });
  });
  it("gives up (re-broadcast instead) when the cap leaves no room for a valid replacement", function () {
    expect(bumpFees({ maxFeePerGas: 100n * gwei, maxPriorityFeePerGas: gwei }, { maxFeePerGas: gwei, maxPriorityFeePerGas: gwei }, 10, 105n * gwei)).to.equal(
      undefined,
    );
  });
});

describe("relayer chain view", function () {
  it("moves the cached chain time forward to a block the relayer saw, and never back", async function () {
    let reads = 0;
    const provider = { getBlock: async () => (reads++, { timestamp: 1_000 }) } as unknown as ConstructorParameters<typeof ChainView>[0];
    const view = new ChainView(provider, {} as ConstructorParameters<typeof ChainView>[1], { policy: 60_000, head: 60_000, nonMember: 60_000 });
    expect(await view.chainTime()).to.equal(1_000n);
    view.observeBlock(1_007n); // a block mined since: seen at once, not after the cache's lifetime
    expect(await view.chainTime()).to.equal(1_007n);
    view.observeBlock(1_003n); // an older block read late: ignored
    expect(await view.chainTime()).to.equal(1_007n);
    expect(reads).to.equal(1);
  });

  it("knows a refused member by its encoding for the negative answer's lifetime, whatever the hex case", async function () {
    const view = new ChainView({} as ConstructorParameters<typeof ChainView>[0], {} as ConstructorParameters<typeof ChainView>[1], {
      policy: 1,
      head: 1,
      nonMember: 2_000, // long enough that no pause of a loaded machine ends it between the two checks below
    });
    const outsider = "0x02" + "ab".repeat(32);
    expect(view.knownNonMember(["0x03" + "11".repeat(32), outsider])).to.equal(-1);
    view.rememberNonMember(outsider);
    expect(view.knownNonMember(["0x03" + "11".repeat(32), outsider.toUpperCase().replace("0X", "0x")])).to.equal(1);
    await new Promise((r) => setTimeout(r, 2_100));
    expect(view.knownNonMember([outsider])).to.equal(-1);
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

describe("relayer mixing (no public timing)", function () {
  it("orders a batch's members at random: every member reaches every position, and every order is a permutation", function () {
    const members = ["a", "b", "c", "d"];
    const seen = members.map(() => new Set<string>());
    for (let i = 0; i < 400; i++) {
      const order = shuffled(members);
      expect([...order].sort()).to.deep.equal(members);
      order.forEach((m, position) => seen[position].add(m));
    }
    expect(seen.map((s) => s.size)).to.deep.equal([4, 4, 4, 4]);
  });

  it("holds a lone job for a random delay within the bound, and not at all with a bound of 0", function () {
    const delays = new LoneDelays(2_000);
    const ids = Array.from({ length: 200 }, (_, i) => `job${i}`);
    // A job found due is sent at once, so it is asked no more.
    let waiting = ids.filter((id) => !delays.due(id, 1_000_000));
    expect(waiting.length).to.be.above(180); // P(delay = 0) is 1/2001 per job
    waiting = waiting.filter((id) => !delays.due(id, 1_001_000));
    expect(waiting.length, "half the bound").to.be.within(40, 160);
    expect(
      waiting.every((id) => delays.due(id, 1_002_000)),
      "the bound",
    ).to.equal(true);
    const none = new LoneDelays(0);
    expect(ids.every((id) => none.due(id, 5))).to.equal(true);
  });
});
