/**
 * Relayer load benchmark: autocannon against `npm run relayer` (a child process) on a local Hardhat node (another
 * child process, `hardhat node` as `npm start` runs it), with valid anonymous ring-16 createRecord submissions on
 * distinct scopes and with several kinds of invalid ones. Reports throughput and p50/p99 latency to the answer (202
 * for valid, 4xx for invalid), where the acceptance time goes under load (the relayer's own per-step timings from
 * /metrics), the CPU each process spends per accepted submission, accept-to-mined latency and mined per second, and a
 * serial profile of the steps a valid submission costs. Writes bench/results/relayer.md and bench/results/relayer.json.
 *
 *   npm run bench:relayer
 *   BENCH_VALID=100 BENCH_CONNECTIONS=16 BENCH_INVALID_SECONDS=5 BENCH_VERIFY_WORKERS=2 npm run bench:relayer
 */
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import hre from "hardhat";
import { ethers } from "ethers";
import Database from "better-sqlite3";
import {
  encodeSignatureJson,
  generateKeyPair,
  parseSignatureJson,
  sign,
  sortRing,
  verifyForChain,
  N_ORDER,
  type KeyPair,
  type VerifierArgs,
} from "../src/mrs1";
import { nativePointDecoder, verifyForChainNative } from "../relayer/mrs1Native/verifyForChain";
import { acceptingVerifierOverride } from "../relayer/chain/verifierStub";
import { deriveRecordScope, encryptRecord } from "../src/envelope";
import { bytesToHex } from "../src/hex";
import { medRingDomain, signAdmission } from "../src/actions";
import { createRecord } from "../relayer/codecs/createRecord";
import type { ChainContext } from "../relayer/codecs/types";
import { freePort, startRelayerChild, startUntilReady } from "../scripts/stack/processes";
import { SQLITE_FILE } from "../relayer/store/sqlite/database";
import { openStores } from "../relayer/store";
import { deployMedRing } from "../scripts/lib/deploy";
import { IMedRingRegistry__factory, MedRingRegistry__factory } from "../typechain-types";

import autocannon from "autocannon";

const ROOT = path.join(__dirname, "..");
const RING_SIZE = 16;
const env = (name: string, def: number) => (process.env[name] ? Number(process.env[name]) : def);
const N_VALID = env("BENCH_VALID", 100);
const CONNECTIONS = env("BENCH_CONNECTIONS", 16);
const INVALID_SECONDS = env("BENCH_INVALID_SECONDS", 5);
const VERIFY_WORKERS = env("BENCH_VERIFY_WORKERS", 2);
/** Plaintext size of each record (bytes); the envelope adds 41. */
const RECORD_BYTES = 256;
const LOAD_AT_START = os.loadavg();

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const quantile = (v: number[], q: number) => {
  const s = [...v].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
const timed = async <T>(fn: () => Promise<T> | T): Promise<[T, number]> => {
  const t = performance.now();
  const v = await fn();
  return [v, performance.now() - t];
};

/** CPU time (user + system, ms) a process has used so far, all its threads included (Linux /proc). */
function cpuMsOf(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (proc(5)), in clock ticks of 10 ms
  return ticks * 10;
}

/** Sum (seconds) and count of each step of the histogram `metric` in the relayer's /metrics. */
async function stepTotals(url: string, metric: string): Promise<Record<string, { seconds: number; count: number }>> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const out: Record<string, { seconds: number; count: number }> = {};
  for (const m of text.matchAll(new RegExp(`${metric}_(sum|count)\\{step="([a-z_]+)"\\} ([0-9.e+-]+)`, "g"))) {
    out[m[2]] ??= { seconds: 0, count: 0 };
    if (m[1] === "sum") out[m[2]].seconds = Number(m[3]);
    else out[m[2]].count = Number(m[3]);
  }
  return out;
}

/** The mean of each step of `medring_relayer_acceptance_step_seconds` in the relayer's /metrics, in ms. */
async function acceptanceSteps(url: string): Promise<Record<string, { meanMs: number; count: number }>> {
  const totals = await stepTotals(url, "medring_relayer_acceptance_step_seconds");
  return Object.fromEntries(Object.entries(totals).map(([step, t]) => [step, { meanMs: (t.seconds / t.count) * 1000, count: t.count }]));
}

interface World {
  provider: ethers.JsonRpcProvider;
  ctx: ChainContext;
  patients: KeyPair[];
  deploymentFile: string;
}

async function setUpChain(rpcUrl: string): Promise<World> {
  const provider = new ethers.JsonRpcProvider(rpcUrl, undefined, { batchMaxCount: 1, cacheTimeout: -1 });
  await provider.send("hardhat_setLoggingEnabled", [false]); // the node's per-request console log is not what we measure
  const deployer = await provider.getSigner(0);
  const { addresses } = await deployMedRing(hre, { deployer });
  const registry = IMedRingRegistry__factory.connect(addresses.MedRingRegistry, provider);
  // The deployer holds REGULATOR_ROLE (deployMedRing's default) and grants itself ADMITTER_ROLE to admit the patients.
  const asRegulator = MedRingRegistry__factory.connect(addresses.MedRingRegistry, deployer);
  await (await asRegulator.grantRole(await registry.ADMITTER_ROLE(), await deployer.getAddress())).wait();
  const chainId = (await provider.getNetwork()).chainId;
  const domain = medRingDomain(chainId, addresses.MedRingRegistry);
  const patients: KeyPair[] = [];
  for (let i = 0; i < RING_SIZE; i++) {
    const kp = generateKeyPair();
    const { x, y } = kp.publicKey.toAffine();
    const account = await provider.getSigner(1 + i);
    const admission = await signAdmission(deployer, domain, await account.getAddress(), { x, y }, 2n ** 40n);
    await (await registry.connect(account).registerPatient({ x, y }, "0x", admission)).wait();
    patients.push(kp);
  }
  const deploymentFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "medring-bench-")), "deployment.json");
  fs.writeFileSync(deploymentFile, JSON.stringify({ network: "bench", chainId: chainId.toString(), contracts: addresses }));
  const ctx: ChainContext = { chainId, registry, registryAddress: addresses.MedRingRegistry, forwarderAddress: addresses.MedRingForwarder };
  return { provider, ctx, patients, deploymentFile };
}

type Body = { action: { kind: string; args: Record<string, string> }; authorization: Record<string, unknown> };

/**
 * A client's anonymous createRecord: the record sealed with src/envelope, its scope derived from the author's
 * ring key (record `index`), the EIP-712 digest from the relayer's own createRecord codec, signed with MRS-1
 * over the whole 16-member anonymity set.
 */
function validRequest(w: World, author: number, index: number, deadline: bigint, ring = sortRing(w.patients.map((p) => p.publicKey))): Body {
  const kp = w.patients[author];
  const scope = bytesToHex(deriveRecordScope(kp.secretKey, "anonymous", index));
  const sealed = encryptRecord(ethers.randomBytes(RECORD_BYTES));
  const args = { scope, contentHash: sealed.contentHash, locator: "0x", ciphertext: bytesToHex(sealed.ciphertext) };
  const message = createRecord.ring!.digest(args, 0n, deadline, w.ctx);
  const sig = sign({ secretKey: kp.secretKey, ring, scope: ethers.getBytes(scope), message: ethers.getBytes(message) });
  return {
    action: { kind: "createRecord", args },
    authorization: { type: "ring", signature: encodeSignatureJson(sig), nonce: "0", deadline: deadline.toString() },
  };
}

interface LoadResult {
  name: string;
  expected: string;
  requests: number;
  statuses: Record<string, number>;
  throughputPerSec: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  seconds: number;
}

/** One autocannon run; `bodies` are sent in order (cycled when the run is by duration). */
async function load(
  url: string,
  name: string,
  expected: string,
  bodies: string[],
  opts: { amount?: number; duration?: number },
  onBody?: (status: number, body: string) => void,
): Promise<LoadResult> {
  let next = 0;
  const statuses: Record<string, number> = {};
  const t0 = performance.now();
  const result = await autocannon({
    url: `${url}/v1/submissions`,
    connections: CONNECTIONS,
    timeout: 600,
    ...(opts.amount !== undefined ? { amount: opts.amount } : { duration: opts.duration }),
    requests: [
      {
        method: "POST",
        headers: { "content-type": "application/json" },
        setupRequest: (req) => ({ ...req, body: bodies[next++ % bodies.length] }),
        onResponse: (status, body) => {
          statuses[status] = (statuses[status] ?? 0) + 1;
          onBody?.(status, body);
        },
      },
    ],
  });
  const seconds = (performance.now() - t0) / 1000;
  const requests = Object.values(statuses).reduce((a, b) => a + b, 0);
  return {
    name,
    expected,
    requests,
    statuses,
    throughputPerSec: requests / seconds,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    seconds,
  };
}

/** Serial costs of one valid ring-16 submission's steps, each measured alone (no load). */
async function profile(w: World, body: Body, forged: Body, dataDir: string, relayerAddress: string, verifierAddress: string) {
  const json = body.authorization.signature;
  // What a verify worker runs per submission (relayer/pipeline/verifyWorker.ts): parse with libsecp256k1's decoder,
  // verify and build the hints in one pass; and the same task on a forged signature, which it refuses.
  const workerTask = (signature: unknown) => {
    const parsed = parseSignatureJson(signature, nativePointDecoder());
    if (!parsed.ok) throw new Error(parsed.detail);
    return verifyForChainNative(parsed.signature);
  };
  const workerMsRuns: number[] = [];
  const forgedMsRuns: number[] = [];
  let verifierArgs: VerifierArgs | undefined;
  for (let i = 0; i < 15; i++) {
    const [result, ms] = await timed(() => workerTask(json));
    verifierArgs = result.args;
    workerMsRuns.push(ms);
    const [refused, forgedMs] = await timed(() => workerTask(forged.authorization.signature));
    if (refused.verdict.valid) throw new Error("profile: the forged signature verified");
    forgedMsRuns.push(forgedMs);
  }
  if (verifierArgs === undefined) throw new Error("profile: the benchmark's own signature did not verify");
  // src/mrs1 (noble), the reference the workers used before libsecp256k1, for scale.
  const parsedReference = parseSignatureJson(json);
  if (!parsedReference.ok) throw new Error(parsedReference.detail);
  const referenceRuns: number[] = [];
  for (let i = 0; i < 3; i++) referenceRuns.push((await timed(() => verifyForChain(parsedReference.signature)))[1]);
  const referenceMs = median(referenceRuns);
  const a = body.action.args;
  const auth = { signature: verifierArgs.sig, hints: verifierArgs.hints, nonce: 0n, deadline: BigInt(body.authorization.deadline as string) };
  const calldataRuns: number[] = [];
  for (let i = 0; i < 15; i++) calldataRuns.push((await timed(() => createRecord.ring!.calldata(a, auth, w.ctx)))[1]);
  const calldataMs = median(calldataRuns);
  const data = createRecord.ring!.calldata(a, auth, w.ctx);
  const tx = { from: relayerAddress, to: w.ctx.registryAddress, data };
  // The acceptance simulation: eth_call of the exact transaction with the accepting stub at the verifier's address.
  const stubMs: number[] = [];
  for (let i = 0; i < 15; i++) stubMs.push((await timed(() => w.provider.send("eth_call", [tx, "latest", acceptingVerifierOverride(verifierAddress)])))[1]);
  const estimateMs: number[] = [];
  const callMs: number[] = [];
  let gas = 0n;
  for (let i = 0; i < 3; i++) {
    const [g, ms] = await timed(() => w.provider.estimateGas(tx));
    gas = g;
    estimateMs.push(ms);
    callMs.push((await timed(() => w.provider.call({ ...tx, gasLimit: (g * 120n) / 100n })))[1]);
  }
  const ring = parsedReference.signature.ring.map((p) => p.toAffine());
  const membershipMs = (await timed(() => Promise.all(ring.map((p) => w.ctx.registry.isRingMember(p.x, p.y)))))[1];
  const { jobs: store, close } = await openStores({ kind: "sqlite", dataDir: path.join(dataDir, "profile") });
  const insertMs: number[] = [];
  for (let i = 0; i < 50; i++) {
    const id = ethers.keccak256(ethers.toUtf8Bytes(`profile-${i}`));
    insertMs.push(
      (
        await timed(() =>
          store.insertJob(
            { id, kind: "createRecord", authType: "ring", to: tx.to, data, gasEstimate: gas, deadline: 1, replayKeys: [id], principal: id },
            Date.now(),
          ),
        )
      )[1],
    );
  }
  await close();
  return {
    /** The verify worker's task for a valid ring-16 signature: parse, MRS-1 verification and hints (libsecp256k1). */
    mrs1VerifyForChainMs: median(workerMsRuns),
    /** The same task for a forged signature (c_1 + 1): the verify time a forgery costs before it is refused. */
    mrs1VerifyForgedMs: median(forgedMsRuns),
    /** src/mrs1's verifyForChain (noble), for scale. */
    mrs1ReferenceMs: referenceMs,
    calldataEncodeMs: calldataMs,
    nodeStubbedCallMs: median(stubMs),
    nodeEstimateGasMs: median(estimateMs),
    nodeEthCallMs: median(callMs),
    ringMembershipReadsUncachedMs: membershipMs,
    sqliteInsertFsyncMs: median(insertMs),
    gasEstimate: Number(gas),
    calldataBytes: (data.length - 2) / 2,
  };
}

/** The relayer as a child process on `dataDir` with the benchmark's settings and `extra` on top. */
function startBenchRelayer(rpcUrl: string, deploymentFile: string, dataDir: string, extra: Record<string, string>) {
  return startRelayerChild({
    MEDRING_RELAYER_RPC_URL: rpcUrl,
    MEDRING_RELAYER_RPC_TIMEOUT_MS: "300000",
    MEDRING_RELAYER_PORT: "0",
    MEDRING_RELAYER_DEPLOYMENT: deploymentFile,
    MEDRING_RELAYER_DATA_DIR: dataDir,
    MEDRING_RELAYER_RATE_LIMIT: "1000000",
    MEDRING_RELAYER_MAX_CONCURRENCY: "1024",
    MEDRING_RELAYER_VERIFY_WORKERS: String(VERIFY_WORKERS),
    MEDRING_RELAYER_POLL_MS: "100",
    MEDRING_RELAYER_MAX_IN_FLIGHT: "256",
    MEDRING_RELAYER_LOG_LEVEL: "info",
    ...extra,
  });
}

/** Submits `body` and waits until its job is confirmed (a warm-up: caches filled, nothing of it measured). */
async function submitAndConfirm(url: string, body: Body): Promise<void> {
  const res = await fetch(`${url}/v1/submissions`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  if (res.status !== 202) throw new Error(`warm-up submission: ${res.status} ${await res.text()}`);
  const id = ((await res.json()) as { id: string }).id;
  while (((await (await fetch(`${url}/v1/submissions/${id}`)).json()) as { status: string }).status !== "confirmed")
    await new Promise((r) => setTimeout(r, 200));
}

/** The accepted jobs `ids` in the SQLite store of `dataDir`, once all are final (confirmed, failed or expired). */
async function finalJobs(dataDir: string, ids: string[]) {
  const db = new Database(path.join(dataDir, SQLITE_FILE), { readonly: true });
  const rows = () =>
    ids.map(
      (id) =>
        db.prepare("SELECT status, created_at, mined_at, tx_hash, gas_used, batch_id FROM jobs WHERE id = ?").get(id) as {
          status: string;
          created_at: number;
          mined_at: number | null;
          tx_hash: string | null;
          gas_used: string | null;
          batch_id: string | null;
        },
    );
  const t0 = Date.now();
  while (rows().some((r) => !["confirmed", "failed", "expired"].includes(r.status))) {
    if (Date.now() - t0 > 30 * 60_000) throw new Error("jobs not final after 30 minutes");
    await new Promise((r) => setTimeout(r, 500));
  }
  const final = rows();
  db.close();
  return final;
}

/** Mined per second: confirmed jobs over the span from the first acceptance to the last receipt seen (relayer clock). */
function minedStats(final: Awaited<ReturnType<typeof finalJobs>>) {
  const confirmed = final.filter((r) => r.status === "confirmed");
  const e2e = confirmed.map((r) => r.mined_at! - r.created_at);
  const span = (Math.max(...confirmed.map((r) => r.mined_at!)) - Math.min(...confirmed.map((r) => r.created_at))) / 1000;
  return {
    jobs: final.length,
    confirmed: confirmed.length,
    failed: final.filter((r) => r.status === "failed").length,
    acceptToMinedP50Ms: median(e2e),
    acceptToMinedP99Ms: quantile(e2e, 0.99),
    minedPerSec: confirmed.length / span,
  };
}

/**
 * Mined ring-16 actions per second through one relayer (a fresh child process and store on the same node) with the
 * batching settings `extra`: BENCH_VALID valid createRecord submissions over the benchmark's connections, after a
 * warm-up submission, then the wait until every job is final. Also the transactions they took and the gas per action.
 */
async function miningRun(label: string, rpcUrl: string, w: World, deadline: bigint, firstIndex: number, extra: Record<string, string>) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `medring-bench-${label}-`));
  const relayer = await startBenchRelayer(rpcUrl, w.deploymentFile, dataDir, extra);
  try {
    const url = relayer.url;
    await submitAndConfirm(url, validRequest(w, 3, firstIndex, deadline));
    const bodies = Array.from({ length: N_VALID }, (_, i) => JSON.stringify(validRequest(w, i % RING_SIZE, firstIndex + 1 + i, deadline)));
    const ids: string[] = [];
    console.log(`mined throughput, ${label}: ${N_VALID} valid ring-${RING_SIZE} submissions ...`);
    const accepted = await load(url, `valid ring-${RING_SIZE} createRecord, ${label}`, "202", bodies, { amount: N_VALID }, (st, body) => {
      if (st === 202) ids.push((JSON.parse(body) as { id: string }).id);
    });
    const final = await finalJobs(dataDir, ids);
    const gasByTx = new Map(final.filter((r) => r.tx_hash && r.gas_used).map((r) => [r.tx_hash!, BigInt(r.gas_used!)]));
    const stats = minedStats(final);
    const result = {
      ...stats,
      settings: extra,
      acceptedPerSec: accepted.throughputPerSec,
      transactions: gasByTx.size,
      actionsPerTransaction: stats.confirmed / gasByTx.size,
      gasPerAction: Number([...gasByTx.values()].reduce((a, b) => a + b, 0n)) / stats.confirmed,
    };
    console.log(label, result);
    return result;
  } finally {
    relayer.child.kill("SIGTERM");
    await new Promise((r) => relayer.child.once("exit", r));
  }
}

async function main(): Promise<void> {
  const nodePort = await freePort();
  const node = await startUntilReady(
    process.execPath,
    ["node_modules/hardhat/internal/cli/cli.js", "node", "--hostname", "127.0.0.1", "--port", String(nodePort)],
    {
      cwd: ROOT,
      env: process.env,
      ready: /Started HTTP and WebSocket JSON-RPC server/,
    },
  );
  const children: ChildProcess[] = [node.child];
  try {
    const rpcUrl = `http://127.0.0.1:${nodePort}`;
    const w = await setUpChain(rpcUrl);
    const latest = await w.provider.getBlock("latest");
    const deadline = BigInt(latest!.timestamp) + 24n * 3600n;

    console.log(`signing ${N_VALID} valid ring-${RING_SIZE} createRecord requests ...`);
    const t0 = performance.now();
    const valid = Array.from({ length: N_VALID }, (_, i) => validRequest(w, i % RING_SIZE, i, deadline));
    console.log(`  ${((performance.now() - t0) / N_VALID).toFixed(1)} ms per request`);

    // Invalid kinds: each refused at a different pipeline step.
    const spare = validRequest(w, 0, N_VALID + 1, deadline);
    const forged = structuredClone(spare);
    const sigJson = forged.authorization.signature as { c: string[] };
    sigJson.c[0] = ethers.toBeHex((BigInt(sigJson.c[0]) + 1n) % N_ORDER, 32);
    const tampered = structuredClone(spare);
    tampered.action.args.contentHash = ethers.keccak256("0x01");
    const outsiderRing = sortRing([...w.patients.slice(0, RING_SIZE - 1).map((p) => p.publicKey), generateKeyPair().publicKey]);
    const outsider = validRequest(w, 0, N_VALID + 2, deadline, outsiderRing);
    const expired = validRequest(w, 0, N_VALID + 3, BigInt(latest!.timestamp) - 1n);
    const verifierAddress = await w.ctx.registry.verifier();
    const invalid: { name: string; expected: string; body: string }[] = [
      { name: "malformed JSON", expected: "400 invalid_json", body: '{"action": {' },
      {
        name: "schema violation (args not an object)",
        expected: "400 invalid_request",
        body: JSON.stringify({ ...spare, action: { kind: "createRecord", args: 7 } }),
      },
      { name: "tampered content hash (message mismatch)", expected: "422 message_mismatch", body: JSON.stringify(tampered) },
      { name: "expired deadline", expected: "422 deadline_expired", body: JSON.stringify(expired) },
      { name: "non-member key in the ring", expected: "422 ring_member_not_registered", body: JSON.stringify(outsider) },
      { name: "forged MRS-1 signature (c_1 + 1)", expected: "422 invalid_signature", body: JSON.stringify(forged) },
    ];

    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "medring-bench-data-"));
    const relayer = await startBenchRelayer(rpcUrl, w.deploymentFile, dataDir, {});
    children.push(relayer.child);
    const url = relayer.url;
    const status = (await (await fetch(`${url}/v1/status`)).json()) as { relayers: { address: string }[] };
    const relayerAddress = status.relayers[0].address;

    // Warm-up: one valid submission fills the ring-membership cache and the gas estimate of this call shape; it is
    // mined before the load starts, so that its transaction is not part of what is measured.
    await submitAndConfirm(url, validRequest(w, 2, N_VALID + 5, deadline));

    // Profiled once the relayer is idle and warm (its verify workers compile their TypeScript when they start).
    console.log("profiling the steps of one valid submission (serial, no load) ...");
    const steps = await profile(w, validRequest(w, 1, N_VALID + 4, deadline), forged, dataDir, relayerAddress, verifierAddress);
    console.log(steps);

    console.log(`valid: ${N_VALID} ring-${RING_SIZE} submissions over ${CONNECTIONS} connections ...`);
    const ids: string[] = [];
    const cpuBefore = { node: cpuMsOf(node.child.pid!), relayer: cpuMsOf(relayer.child.pid!), bench: process.cpuUsage() };
    const sendBefore = await stepTotals(relayer.metricsUrl, "medring_relayer_send_step_seconds");
    const validResult = await load(
      url,
      `valid ring-${RING_SIZE} createRecord`,
      "202",
      valid.map((b) => JSON.stringify(b)),
      { amount: N_VALID },
      (st, body) => {
        if (st === 202) ids.push((JSON.parse(body) as { id: string }).id);
      },
    );
    const benchCpu = process.cpuUsage(cpuBefore.bench);
    // CPU per accepted submission while the valid load ran, by process (the node's includes the submitter's work on it).
    const cpuPerAccepted = {
      node: (cpuMsOf(node.child.pid!) - cpuBefore.node) / ids.length,
      relayer: (cpuMsOf(relayer.child.pid!) - cpuBefore.relayer) / ids.length,
      loadGenerator: (benchCpu.user + benchCpu.system) / 1000 / ids.length,
    };
    const acceptance = await acceptanceSteps(relayer.metricsUrl);
    // The submitter meanwhile: its checks before signing (full eth_call) and broadcasts (with automine, the node mines
    // the transaction inside eth_sendRawTransaction), timed by the relayer itself; the node runs one request at a time.
    const sendAfter = await stepTotals(relayer.metricsUrl, "medring_relayer_send_step_seconds");
    const delta = (step: string) => ({
      seconds: (sendAfter[step]?.seconds ?? 0) - (sendBefore[step]?.seconds ?? 0),
      count: (sendAfter[step]?.count ?? 0) - (sendBefore[step]?.count ?? 0),
    });
    const submitterDuringLoad = { check: delta("check"), broadcast: delta("broadcast") };
    console.log(validResult, cpuPerAccepted, acceptance, submitterDuringLoad);

    const invalidResults: LoadResult[] = [];
    for (const k of invalid) {
      console.log(`invalid: ${k.name} for ${INVALID_SECONDS} s ...`);
      const r = await load(url, k.name, k.expected, [k.body], { duration: INVALID_SECONDS });
      console.log(r);
      invalidResults.push(r);
    }

    console.log(`waiting for ${ids.length} accepted jobs to be mined ...`);
    const mined = minedStats(await finalJobs(dataDir, ids));
    console.log(mined);
    relayer.child.kill("SIGTERM"); // the lane's key is the next relayers' (their stores are their own)
    await new Promise((r) => relayer.child.once("exit", r));

    // Mined ring-16 actions per second, the same load through a relayer with batching off (every job its own
    // transaction, the baseline) and one with the default batching settings, one after the other on this node.
    const batching = {
      off: await miningRun("batching off", rpcUrl, w, deadline, 10 * N_VALID, { MEDRING_RELAYER_BATCH_MAX_ACTIONS: "1" }),
      on: await miningRun("batching on", rpcUrl, w, deadline, 20 * N_VALID, {}),
    };
    const batchingRatio = batching.on.minedPerSec / batching.off.minedPerSec;
    console.log({ batchingRatio });

    writeResults({
      steps,
      valid: validResult,
      cpuPerAccepted,
      submitterDuringLoad,
      acceptance,
      invalid: invalidResults,
      mined,
      batching: { ...batching, ratio: batchingRatio },
      loadAverageAtEnd: os.loadavg(),
    });
  } finally {
    for (const c of children.reverse()) c.kill("SIGTERM");
  }
}

type BatchingRun = Awaited<ReturnType<typeof miningRun>>;

interface Machine {
  cpus: number;
  cpu: string;
  node: string;
  loadAverageAtStart: number[];
}

/** The steps of medring_relayer_acceptance_step_seconds, in pipeline order, with what each is (relayer/pipeline/steps.ts). */
const STEP_ROWS: [string, string][] = [
  ["decode", "MRS-1 point decoding of the signature (libsecp256k1), event loop"],
  ["penalty", "the signer's suspension, store read"],
  ["membership", "ring membership of the 16 keys (registry reads, cached after a key's first sight)"],
  ["verify", "MRS-1 verification and hints in a verify worker, waiting for a free worker included"],
  ["calldata", "ABI encoding of the registry call"],
  ["replay", "idempotency and replay slots, store reads"],
  ["simulation", "eth_call of the exact transaction, verifier stubbed, waiting for the node included"],
  ["insert", "durable insert with the atomic replay check (SQLite group commit)"],
  ["total", "the whole request, parsed body to answer"],
];

function writeResults(r: {
  steps: Awaited<ReturnType<typeof profile>>;
  valid: LoadResult;
  cpuPerAccepted: { node: number; relayer: number; loadGenerator: number };
  /** The submitter's node calls while the valid load ran, as the relayer timed them: checks before signing, broadcasts. */
  submitterDuringLoad: { check: { seconds: number; count: number }; broadcast: { seconds: number; count: number } };
  acceptance: Record<string, { meanMs: number; count: number }>;
  invalid: LoadResult[];
  mined: Record<string, number>;
  /** Mined per second with batching off (the baseline) and on, the same load one after the other; ratio on ÷ off. */
  batching: { off: BatchingRun; on: BatchingRun; ratio: number };
  machine?: Machine;
  loadAverageAtEnd: number[];
  generatedAt?: string;
}): void {
  const dir = path.join(ROOT, "bench", "results");
  const machine = r.machine ?? { cpus: os.cpus().length, cpu: os.cpus()[0]?.model ?? "unknown", node: process.version, loadAverageAtStart: LOAD_AT_START };
  const config = {
    ringSize: RING_SIZE,
    validRequests: N_VALID,
    connections: CONNECTIONS,
    invalidSeconds: INVALID_SECONDS,
    verifyWorkers: VERIFY_WORKERS,
    recordBytes: RECORD_BYTES,
  };
  fs.writeFileSync(
    path.join(dir, "relayer.json"),
    JSON.stringify({ ...r, generatedAt: r.generatedAt ?? new Date().toISOString(), machine, config }, null, 2) + "\n",
  );
  const f = (v: number, d = 1) => v.toFixed(d);
  const st = (s: Record<string, number>) =>
    Object.entries(s)
      .map(([k, v]) => `${k}×${v}`)
      .join(" ");
  const rows = [r.valid, ...r.invalid].map(
    (x) =>
      `| ${x.name} | ${x.expected} | ${st(x.statuses)} | ${f(x.throughputPerSec)} | ${f(x.latencyP50Ms, 0)} | ${f(x.latencyP99Ms, 0)} | ${f(r.valid.latencyP50Ms / x.latencyP50Ms)}× |`,
  );
  const cheap = r.invalid.filter((x) => !x.name.startsWith("forged"));
  const cheapOk = cheap.every((x) => r.valid.latencyP50Ms / x.latencyP50Ms >= 10);
  const s = r.steps;
  const stepRows = STEP_ROWS.filter(([k]) => r.acceptance[k]).map(([k, what]) => `| ${k} | ${what} | ${f(r.acceptance[k].meanMs, 2)} |`);
  const cpu = r.cpuPerAccepted;
  const cpuTotal = cpu.node + cpu.relayer + cpu.loadGenerator;
  const ceiling = (machine.cpus * 1000) / cpuTotal;
  const load = (v: number[]) => v.map((x) => x.toFixed(2)).join(", ");
  const sub = r.submitterDuringLoad;
  const submitterSeconds = sub.check.seconds + sub.broadcast.seconds;
  const met = r.valid.throughputPerSec >= 100;
  const md = `# Relayer load benchmark

Generated by \`npm run bench:relayer\` (bench/relayer.ts) on ${machine.cpus} × ${machine.cpu}, Node ${machine.node}. The relayer
(\`npm run relayer\`, ${VERIFY_WORKERS} verify workers, SQLite store) and a Hardhat node (\`hardhat node\`, automine, as \`npm start\`
runs it) are child processes on the same machine; autocannon sends from the benchmark process over ${CONNECTIONS} connections.
Valid requests: ${N_VALID} anonymous createRecord submissions, each on its own scope, MRS-1 ring of ${RING_SIZE} registered patients,
${RECORD_BYTES}-byte record sealed with src/envelope. The relayer's submitter runs as always: while the valid load runs it
already checks, signs and sends the first accepted jobs on the same node.

Load average (other work shares the ${machine.cpus} cores): ${load(machine.loadAverageAtStart)} at the start, ${load(r.loadAverageAtEnd)} at the end.

## Throughput and latency to the answer

| requests | expected | answers | per second | p50 ms | p99 ms | valid p50 ÷ this p50 |
|---|---|---|---:|---:|---:|---:|
${rows.join("\n")}

Goal, at least 100 valid ring-16 submissions accepted per second: **${f(r.valid.throughputPerSec, 1)}/s measured, ${met ? "met" : "missed"}**.
Every cheap invalid kind refused at least 10× faster than a valid one is accepted (p50): **${cheapOk ? "met" : "missed"}**.
A forged signature is refused after ${f(s.mrs1VerifyForgedMs, 2)} ms of verify-worker time (goal ≤ 10 ms: **${s.mrs1VerifyForgedMs <= 10 ? "met" : "missed"}**).

Accepted to mined (relayer clock: durable accept → receipt seen; ${r.mined.confirmed}/${r.mined.jobs} confirmed, ${r.mined.failed} failed):
p50 **${f(r.mined.acceptToMinedP50Ms / 1000, 2)} s**, p99 **${f(r.mined.acceptToMinedP99Ms / 1000, 2)} s**; ${f(r.mined.minedPerSec, 2)} mined per second.

## Mined ring-16 actions per second: batching on and off

The same load (${N_VALID} valid ring-${RING_SIZE} createRecord submissions over ${CONNECTIONS} connections, after a warm-up one) through a fresh
relayer each, one after the other on the same node in this run: first with batching off (\`MEDRING_RELAYER_BATCH_MAX_ACTIONS=1\`:
every job its own transaction, the baseline), then with the default batching settings (up to 16 actions, a 16 M gas budget,
a 1 s wait: relayer/README.md). Mined per second: confirmed jobs over the span from the first acceptance to the last
receipt the relayer saw (its monitor reads receipts at the start of each submitter tick, in both runs). Both runs share
the node with the acceptance of their own load: the node executes one request at a time.

| relayer | accepted/s | mined/s | transactions | actions per transaction | gas per action | accept → mined p50 s |
|---|---:|---:|---:|---:|---:|---:|
${(["off", "on"] as const)
  .map((k) => {
    const b = r.batching[k];
    return `| batching ${k} | ${f(b.acceptedPerSec, 1)} | ${f(b.minedPerSec, 2)} | ${b.transactions} | ${f(b.actionsPerTransaction, 1)} | ${f(b.gasPerAction / 1e6, 2)} M | ${f(b.acceptToMinedP50Ms / 1000, 1)} |`;
  })
  .join("\n")}

Batching on mines **${f(r.batching.ratio, 2)}×** the ring-${RING_SIZE} actions per second of batching off (goal ≥ 2×: **${r.batching.ratio >= 2 ? "met" : "missed"}**).

## Where the acceptance time goes, under the valid load

Means over the ${r.acceptance.total?.count ?? 0} valid submissions, from the relayer's \`medring_relayer_acceptance_step_seconds\` (/metrics). Steps
that wait for a shared resource (a verify worker, the node) include the wait.

| step | what | mean ms |
|---|---|---:|
${stepRows.join("\n")}

CPU per accepted submission while the valid load ran (from /proc, all threads): node **${f(cpu.node)} ms** (the acceptance
simulation, and the submitter's work on the ${sub.broadcast.count} jobs it checked, sent and mined meanwhile), relayer
**${f(cpu.relayer)} ms** (event loop and verify workers), load generator **${f(cpu.loadGenerator)} ms**: ${f(cpuTotal)} ms in all, so ${machine.cpus} cores
could accept at most **${f(ceiling, 0)}/s** if nothing else ran on them.

## Serial costs of one valid submission's steps (no load)

| step | where | ms |
|---|---|---:|
| MRS-1 verification and hints, ring ${RING_SIZE}, the verify worker's task (libsecp256k1) | verify worker | ${f(s.mrs1VerifyForChainMs, 2)} |
| the same task on a forged signature (c_1 + 1), refused | verify worker | ${f(s.mrs1VerifyForgedMs, 2)} |
| src/mrs1 \`verifyForChain\` (noble), the workers' arithmetic before libsecp256k1 | for scale | ${f(s.mrs1ReferenceMs, 1)} |
| ABI encoding of the call (${s.calldataBytes} bytes) | relayer | ${f(s.calldataEncodeMs, 2)} |
| acceptance simulation: \`eth_call\` with the verifier stubbed | node | ${f(s.nodeStubbedCallMs, 1)} |
| \`eth_call\` at the signing gas limit, real verifier (the lane's check before signing) | node | ${f(s.nodeEthCallMs, 1)} |
| \`eth_estimateGas\` (${s.gasEstimate} gas; once per call shape) | node | ${f(s.nodeEstimateGasMs, 1)} |
| ring membership, 16 \`isRingMember\` reads (cached after the first sight of a key) | node | ${f(s.ringMembershipReadsUncachedMs, 1)} |
| SQLite insert, WAL + synchronous=FULL, one at a time | relayer | ${f(s.sqliteInsertFsyncMs, 2)} |

## Bottleneck

Per accepted submission the node executes the registry call once with the verifier stubbed (${f(s.nodeStubbedCallMs, 1)} ms serial,
against ${f(s.nodeEthCallMs, 0)} ms with the real verifier), and the relayer verifies once in a worker (${f(s.mrs1VerifyForChainMs, 1)} ms, against
${f(s.mrs1ReferenceMs, 0)} ms with src/mrs1). Nothing else reaches the node per request: ring policy, chain time and membership are
cached, and the record's nonce is checked by the simulation itself. Two things bound the measured rate:

- **The submitter shares a node that executes one request at a time.** While the load ran, the submitter checked
  ${sub.check.count} jobs before signing (a full \`eth_call\`, 2.5 M-gas verifier included: ${f(sub.check.seconds, 1)} s in all) and broadcast
  ${sub.broadcast.count} (the automining node executes each inside \`eth_sendRawTransaction\`: ${f(sub.broadcast.seconds, 1)} s), as the relayer timed them
  (\`medring_relayer_send_step_seconds\`): ${f(submitterSeconds, 1)} s of the ${f(r.valid.seconds, 1)} s the load took, with every acceptance simulation
  queued behind (the \`simulation\` step above, waiting included).
- **CPU.** ${f(cpuTotal)} ms per accepted submission across the three processes, the submitter's node work included; 100/s needs
  them under ${f((machine.cpus * 1000) / 100, 0)} ms, and the stubbed registry call alone (clone creation, ring checks, events; JSON-RPC included)
  takes the node ${f(s.nodeStubbedCallMs, 0)} ms serially, the verify worker ${f(s.mrs1VerifyForChainMs, 1)} ms.
`;
  fs.writeFileSync(path.join(dir, "relayer.md"), md);
  console.log(`wrote ${path.join(dir, "relayer.md")} and relayer.json`);
}

/** BENCH_REPORT_ONLY=1 rewrites relayer.md from relayer.json without measuring again. */
if (process.env.BENCH_REPORT_ONLY) {
  const saved = JSON.parse(fs.readFileSync(path.join(ROOT, "bench", "results", "relayer.json"), "utf8"));
  writeResults(saved);
} else {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
