/**
 * The relayer benchmark's report (bench/relayer.ts): bench/results/relayer.json, whose top-level keys are the default
 * client's results (as before there were two clients) plus `byClient` and `batching`, and bench/results/relayer.md,
 * one section per client and one for batching. `BENCH_REPORT_ONLY=1 npm run bench:relayer` rewrites the Markdown from
 * the JSON without measuring.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadConfig } from "../../relayer/config";
import type { DevnetClient, DevnetOptions } from "../../scripts/stack/devnet";
import type { LoadResult, miningRun } from "./load";
import type { StepProfile } from "./profile";
import { CONNECTIONS, INVALID_SECONDS, N_VALID, RECORD_BYTES, RING_SIZE, ROOT, VERIFY_WORKERS } from "./setup";

const LOAD_AT_START = os.loadavg();

/** What one client's acceptance run measured. */
export interface ClientResult {
  steps: StepProfile;
  valid: LoadResult;
  cpuPerAccepted: { node: number; relayer: number; loadGenerator: number };
  /** The submitter's node calls while the valid load ran, as the relayer timed them: checks before signing, broadcasts. */
  submitterDuringLoad: { check: { seconds: number; count: number }; broadcast: { seconds: number; count: number } };
  acceptance: Record<string, { meanMs: number; count: number }>;
  invalid: LoadResult[];
  mined: Record<string, number>;
}

export type BatchingRun = Awaited<ReturnType<typeof miningRun>> & { maxActions: number; ratio?: number };

/** Mined per second at each batch size on one interval-block devnet; ratio: against batching off (size 1). */
export interface BatchingResult {
  devnet: DevnetOptions;
  runs: BatchingRun[];
}

interface Machine {
  cpus: number;
  cpu: string;
  node: string;
  loadAverageAtStart: number[];
}

interface Results {
  defaultClient: DevnetClient;
  byClient: Partial<Record<DevnetClient, ClientResult>>;
  batching: BatchingResult;
  machine?: Machine;
  loadAverageAtEnd: number[];
  generatedAt?: string;
}

const CLIENT_TITLES: Record<DevnetClient, string> = {
  hardhat: "the Hardhat node (`hardhat node`, EDR: one JSON-RPC request at a time)",
  anvil: "Anvil (Foundry's node, revm: JSON-RPC requests served concurrently)",
};

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

const f = (v: number, d = 1) => v.toFixed(d);

/** The relayer's default batch size (MEDRING_RELAYER_BATCH_MAX_ACTIONS unset). */
function defaultBatchSize(): number {
  return loadConfig({}).batch.maxActions;
}

function clientSection(client: DevnetClient, r: ClientResult, cpus: number): string {
  const st = (s: Record<string, number>) =>
    Object.entries(s)
      .map(([k, v]) => `${k}×${v}`)
      .join(" ");
  const rows = [r.valid, ...r.invalid].map(
    (x) =>
      `| ${x.name} | ${x.expected} | ${st(x.statuses)} | ${f(x.throughputPerSec)} | ${f(x.latencyP50Ms, 0)} | ${f(x.latencyP99Ms, 0)} | ${x.requests > 0 ? `${f(r.valid.latencyP50Ms / x.latencyP50Ms)}×` : "–"} |`,
  );
  const cheap = r.invalid.filter((x) => !x.name.startsWith("forged"));
  const cheapOk = cheap.every((x) => x.requests > 0 && r.valid.latencyP50Ms / x.latencyP50Ms >= 10);
  const s = r.steps;
  const stepRows = STEP_ROWS.filter(([k]) => r.acceptance[k]).map(([k, what]) => `| ${k} | ${what} | ${f(r.acceptance[k].meanMs, 2)} |`);
  const cpu = r.cpuPerAccepted;
  const cpuTotal = cpu.node + cpu.relayer + cpu.loadGenerator;
  const sub = r.submitterDuringLoad;
  const met = r.valid.throughputPerSec >= 100;
  return `## On ${CLIENT_TITLES[client]}

| requests | expected | answers | per second | p50 ms | p99 ms | valid p50 ÷ this p50 |
|---|---|---|---:|---:|---:|---:|
${rows.join("\n")}

Goal, at least 100 valid ring-16 submissions accepted per second: **${f(r.valid.throughputPerSec, 1)}/s measured, ${met ? "met" : "missed"}**.
Every cheap invalid kind refused at least 10× faster than a valid one is accepted (p50): **${cheapOk ? "met" : "missed"}**.
A forged signature is refused after ${f(s.mrs1VerifyForgedMs, 2)} ms of verify-worker time (goal ≤ 10 ms: **${s.mrs1VerifyForgedMs <= 10 ? "met" : "missed"}**).

Accepted to mined (automine; relayer clock: durable accept → receipt seen; ${r.mined.confirmed}/${r.mined.jobs} confirmed, ${r.mined.failed} failed):
p50 **${f(r.mined.acceptToMinedP50Ms / 1000, 2)} s**, p99 **${f(r.mined.acceptToMinedP99Ms / 1000, 2)} s**; **${f(r.mined.minedPerSec, 2)} mined per second**.

Where the acceptance time goes under the valid load: means over the ${r.acceptance.total?.count ?? 0} valid submissions, from the relayer's
\`medring_relayer_acceptance_step_seconds\` (/metrics); steps that wait for a shared resource (a verify worker, the node) include the wait.

| step | what | mean ms |
|---|---|---:|
${stepRows.join("\n")}

CPU per accepted submission while the valid load ran (from /proc, all threads): node **${f(cpu.node)} ms** (the acceptance
simulation, and the submitter's work on the ${sub.broadcast.count} jobs it checked, sent and mined meanwhile: ${f(sub.check.seconds + sub.broadcast.seconds, 1)} s of
node calls), relayer **${f(cpu.relayer)} ms** (event loop and verify workers), load generator **${f(cpu.loadGenerator)} ms**: ${f(cpuTotal)} ms in all, so
${cpus} cores could accept at most **${f((cpus * 1000) / cpuTotal, 0)}/s** if nothing else ran on them.

Serial costs of one valid submission's steps (no load):

| step | where | ms |
|---|---|---:|
| MRS-1 verification and hints, ring ${RING_SIZE}, the verify worker's task (libsecp256k1) | verify worker | ${f(s.mrs1VerifyForChainMs, 2)} |
| the same task on a forged signature (c_1 + 1), refused | verify worker | ${f(s.mrs1VerifyForgedMs, 2)} |
| src/mrs1 \`verifyForChain\` (noble), for scale | benchmark | ${f(s.mrs1ReferenceMs, 1)} |
| ABI encoding of the call (${s.calldataBytes} bytes) | relayer | ${f(s.calldataEncodeMs, 2)} |
| acceptance simulation: \`eth_call\` with the verifier stubbed | node | ${f(s.nodeStubbedCallMs, 1)} |
| \`eth_call\` at the signing gas limit, real verifier (the lane's check before signing) | node | ${f(s.nodeEthCallMs, 1)} |
| \`eth_estimateGas\` (${s.gasEstimate} gas; once per call shape) | node | ${f(s.nodeEstimateGasMs, 1)} |
| ring membership, 16 \`isRingMember\` reads (cached after the first sight of a key) | node | ${f(s.ringMembershipReadsUncachedMs, 1)} |
| SQLite insert, WAL + synchronous=FULL, one at a time | relayer | ${f(s.sqliteInsertFsyncMs, 2)} |
`;
}

function batchingSection(b: BatchingResult, defaultSize: number): string {
  const rows = b.runs.map(
    (r) =>
      `| ${r.maxActions === 1 ? "1 (batching off)" : r.maxActions}${r.maxActions === defaultSize ? " (default)" : ""} | ${f(r.acceptedPerSec, 1)} | ${f(r.minedPerSec, 2)} | ${r.transactions} | ${f(r.actionsPerTransaction, 1)} | ${f(r.gasPerAction / 1e6, 2)} M | ${f(r.acceptToMinedP50Ms / 1000, 1)} | ${f(r.ratio ?? 0, 2)}× |`,
  );
  const chosen = b.runs.find((r) => r.maxActions === defaultSize);
  const ratio = chosen?.ratio ?? 0;
  const count = b.runs[0]?.jobs ?? 0;
  return `## Batching as on a real chain

Anvil with a block every ${b.devnet.blockTime} s and a 60 M block gas limit; the same load (${count} valid ring-${RING_SIZE} createRecord submissions over
${CONNECTIONS} connections, after a warm-up one) through a fresh relayer per batch size (\`MEDRING_RELAYER_BATCH_MAX_ACTIONS\`, the other
batching settings at their defaults: a 16 M gas budget, a 1 s wait), one after the other on one node. Mined per second: confirmed
jobs over the span from the first acceptance to the last receipt the relayer saw.

| most actions per transaction | accepted/s | mined/s | transactions | actions per transaction | gas per action | accept → mined p50 s | mined/s ÷ batching off |
|---|---:|---:|---:|---:|---:|---:|---:|
${rows.join("\n")}

At the default batch size (${defaultSize}) batching mines **${f(ratio, 2)}×** the ring-${RING_SIZE} actions per second of batching off (goal ≥ 1.4×: **${ratio >= 1.4 ? "met" : "missed"}**).
`;
}

/** What bounds the relayer on the client where the node is not the bottleneck (bench/relayer/cpuProfile.ts splits it). */
function closingNote(r: Results): string {
  const a = r.byClient.anvil;
  const h = r.byClient.hardhat;
  if (!a) return "";
  const ratio = h
    ? ` (${f(a.valid.throughputPerSec / h.valid.throughputPerSec, 1)}× the Hardhat node's, whose own CPU per accepted submission is ${f(h.cpuPerAccepted.node / Math.max(a.cpuPerAccepted.node, 0.1), 0)}× Anvil's)`
    : "";
  return `## What is left on Anvil

On Anvil the node is not the bottleneck: it spends ${f(a.cpuPerAccepted.node)} ms of CPU per accepted submission, and the relayer accepts
${f(a.valid.throughputPerSec, 1)}/s${ratio}. The relayer's own CPU is **${f(a.cpuPerAccepted.relayer)} ms per accepted submission** (event loop and verify
workers; goal under 10 ms, and ≥ 100/s: **missed**). \`npx hardhat run --no-compile bench/relayer/cpuProfile.ts\` profiles each thread under
this load: the verify workers' MRS-1 verification and hints (libsecp256k1 point multiplications, the hash-to-point square
roots in JavaScript) and, on the event loop, the submitter and its SQLite store (fsync-ed transactions for lane heartbeats,
lane updates and inserts, and the re-decoding of each job's calldata to build a batch) take more than the acceptance steps
themselves (body parse, schema, point decoding, EIP-712 digest, worker messaging). The store and the submitter are being
restructured in the same release (one send path, a lane store); their per-tick work is the next step to cut.
`;
}

export function writeResults(r: Results): void {
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
  const defaultSize = defaultBatchSize();
  const batchingOff = r.batching.runs.find((x) => x.maxActions === 1);
  const batchingOn = r.batching.runs.find((x) => x.maxActions === defaultSize);
  const json = {
    // The default client's results under the keys they had with one client.
    ...r.byClient[r.defaultClient],
    batching: { off: batchingOff, on: batchingOn, ratio: batchingOn?.ratio, devnet: r.batching.devnet, runs: r.batching.runs },
    defaultClient: r.defaultClient,
    byClient: r.byClient,
    loadAverageAtEnd: r.loadAverageAtEnd,
    generatedAt: r.generatedAt ?? new Date().toISOString(),
    machine,
    config,
  };
  fs.writeFileSync(path.join(dir, "relayer.json"), JSON.stringify(json, null, 2) + "\n");
  const load = (v: number[]) => v.map((x) => x.toFixed(2)).join(", ");
  const clients = Object.entries(r.byClient) as [DevnetClient, ClientResult][];
  const md = `# Relayer load benchmark

Generated by \`npm run bench:relayer\` (bench/relayer.ts) on ${machine.cpus} × ${machine.cpu}, Node ${machine.node}. The relayer
(\`npm run relayer\`, ${VERIFY_WORKERS} verify workers, SQLite store) and a devnet node (automine, as \`npm start\` runs it) are child
processes on the same machine, on each client in turn; autocannon sends from the benchmark process over ${CONNECTIONS} connections.
Valid requests: ${N_VALID} anonymous createRecord submissions, each on its own scope, MRS-1 ring of ${RING_SIZE} registered patients,
${RECORD_BYTES}-byte record sealed with src/envelope. The relayer's submitter runs as always: while the valid load runs it
already checks, signs and sends the first accepted jobs on the same node.

Load average (other work shares the ${machine.cpus} cores, so compare the clients within this run rather than with
another run): ${load(machine.loadAverageAtStart)} at the start, ${load(r.loadAverageAtEnd)} at the end.

| client | valid accepted/s | p50 ms | relayer CPU ms per accepted | node CPU ms per accepted | mined/s (automine) |
|---|---:|---:|---:|---:|---:|
${clients.map(([c, x]) => `| ${c} | ${f(x.valid.throughputPerSec, 1)} | ${f(x.valid.latencyP50Ms, 0)} | ${f(x.cpuPerAccepted.relayer)} | ${f(x.cpuPerAccepted.node)} | ${f(x.mined.minedPerSec, 2)} |`).join("\n")}

${clients.map(([c, x]) => clientSection(c, x, machine.cpus)).join("\n")}
${batchingSection(r.batching, defaultSize)}
${closingNote(r)}`;
  fs.writeFileSync(path.join(dir, "relayer.md"), md);
  console.log(`wrote ${path.join(dir, "relayer.md")} and relayer.json`);
}

/** Rewrites relayer.md from relayer.json (BENCH_REPORT_ONLY=1). */
export function rewriteReport(): void {
  const saved = JSON.parse(fs.readFileSync(path.join(ROOT, "bench", "results", "relayer.json"), "utf8"));
  writeResults({ ...saved, batching: { devnet: saved.batching.devnet, runs: saved.batching.runs } });
}
