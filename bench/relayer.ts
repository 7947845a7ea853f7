/**
 * Relayer load benchmark, on both devnet clients in one run (README.md, "Choosing the devnet client"): autocannon
 * against `npm run relayer` (a child process) on a Hardhat node, then on Anvil (child processes as `npm start`
 * runs them), with valid anonymous ring-16 createRecord submissions on distinct scopes and with several kinds of
 * invalid ones. Per client: throughput and p50/p99 latency to the answer (202 for valid, 4xx for invalid), where the
 * acceptance time goes under load (the relayer's own per-step timings from /metrics), the CPU each process spends per
 * accepted submission, accept-to-mined latency and mined per second, and a serial profile of the steps a valid
 * submission costs. Then batching as on a real chain: Anvil with interval blocks (BENCH_BATCHING_BLOCK_TIME, 2 s) and
 * a 60 M block gas limit, mined ring-16 actions per second with batching off and at several batch sizes, one after
 * the other on one node. Writes bench/results/relayer.md and bench/results/relayer.json.
 *
 *   npm run bench:relayer
 *   BENCH_VALID=100 BENCH_CONNECTIONS=16 BENCH_INVALID_SECONDS=5 BENCH_VERIFY_WORKERS=2 BENCH_CLIENTS=anvil npm run bench:relayer
 *
 * Parts: bench/relayer/setup.ts (settings, devnet, chain, requests, relayer child), load.ts (autocannon, /metrics,
 * mined runs), profile.ts (serial step costs), report.ts (relayer.md and relayer.json).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { DEFAULT_DEVNET, DEVNET_CLIENTS, type DevnetClient, type DevnetOptions } from "../scripts/stack/devnet";
import { acceptanceSteps, finalJobs, load, minedStats, miningRun, stepTotals, submitAndConfirm, type LoadResult } from "./relayer/load";
import { profile } from "./relayer/profile";
import { rewriteReport, writeResults, type BatchingResult, type ClientResult } from "./relayer/report";
import {
  BATCHING_BLOCK_TIME,
  CONNECTIONS,
  INVALID_SECONDS,
  N_VALID,
  RING_SIZE,
  cpuMsOf,
  invalidRequests,
  setUpChain,
  startBenchRelayer,
  startNode,
  validRequest,
} from "./relayer/setup";

/** Batch sizes of the batching comparison (MEDRING_RELAYER_BATCH_MAX_ACTIONS; 1 is batching off, the baseline). */
const BATCH_SIZES = (process.env.BENCH_BATCH_SIZES ?? "1,4,16,32").split(",").map(Number);
/** Submissions per batching run: enough to fill several blocks with batching off. */
const BATCHING_VALID = Number(process.env.BENCH_BATCHING_VALID ?? 3 * N_VALID);

/** Runs `fn` on a fresh devnet node of `devnet`, which is stopped afterwards whatever happens. */
async function onNode<T>(devnet: DevnetOptions, fn: (rpcUrl: string, nodePid: number) => Promise<T>): Promise<T> {
  const { node, rpcUrl } = await startNode(devnet);
  try {
    return await fn(rpcUrl, node.child.pid!);
  } finally {
    const exited = new Promise((r) => node.child.once("exit", r));
    node.child.kill("SIGTERM");
    await exited;
  }
}

/** The acceptance benchmark on one client (automine, as `npm start` runs it). */
function measureClient(client: DevnetClient): Promise<ClientResult> {
  return onNode({ client }, async (rpcUrl, nodePid) => {
    const w = await setUpChain(rpcUrl, { client });
    const latest = (await w.provider.getBlock("latest"))!;
    const deadline = BigInt(latest.timestamp) + 24n * 3600n;
    console.log(`[${client}] signing ${N_VALID} valid ring-${RING_SIZE} createRecord requests ...`);
    const valid = Array.from({ length: N_VALID }, (_, i) => validRequest(w, i % RING_SIZE, i, deadline));
    const { forged, invalid } = invalidRequests(w, deadline, BigInt(latest.timestamp) - 1n);
    const verifierAddress = await w.ctx.registry.verifier();

    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "medring-bench-data-"));
    const relayer = await startBenchRelayer(rpcUrl, w.deploymentFile, dataDir, {});
    try {
      const url = relayer.url;
      const status = (await (await fetch(`${url}/v1/status`)).json()) as { relayers: { address: string }[] };
      // Warm-up: one valid submission fills the ring-membership cache and the gas estimate of this call shape; it is
      // mined before the load starts, so that its transaction is not part of what is measured.
      await submitAndConfirm(url, validRequest(w, 2, N_VALID + 5, deadline));
      // Profiled once the relayer is idle and warm (its verify workers compile their TypeScript when they start).
      console.log(`[${client}] profiling the steps of one valid submission (serial, no load) ...`);
      const steps = await profile(w, validRequest(w, 1, N_VALID + 4, deadline), forged, dataDir, status.relayers[0].address, verifierAddress);

      console.log(`[${client}] valid: ${N_VALID} ring-${RING_SIZE} submissions over ${CONNECTIONS} connections ...`);
      const ids: string[] = [];
      const cpuBefore = { node: cpuMsOf(nodePid), relayer: cpuMsOf(relayer.child.pid!), bench: process.cpuUsage() };
      const sendBefore = await stepTotals(relayer.metricsUrl, "medring_relayer_send_step_seconds");
      const bodies = valid.map((b) => JSON.stringify(b));
      const validResult = await load(url, `valid ring-${RING_SIZE} createRecord`, "202", bodies, { amount: N_VALID }, (st, body) => {
        if (st === 202) ids.push((JSON.parse(body) as { id: string }).id);
      });
      const benchCpu = process.cpuUsage(cpuBefore.bench);
      // CPU per accepted submission while the valid load ran, by process (the node's includes the submitter's work on it).
      const cpuPerAccepted = {
        node: (cpuMsOf(nodePid) - cpuBefore.node) / ids.length,
        relayer: (cpuMsOf(relayer.child.pid!) - cpuBefore.relayer) / ids.length,
        loadGenerator: (benchCpu.user + benchCpu.system) / 1000 / ids.length,
      };
      const acceptance = await acceptanceSteps(relayer.metricsUrl);
      // The submitter meanwhile: its checks before signing (full eth_call) and broadcasts (with automine, the node
      // mines the transaction inside eth_sendRawTransaction), timed by the relayer itself.
      const sendAfter = await stepTotals(relayer.metricsUrl, "medring_relayer_send_step_seconds");
      const delta = (step: string) => ({
        seconds: (sendAfter[step]?.seconds ?? 0) - (sendBefore[step]?.seconds ?? 0),
        count: (sendAfter[step]?.count ?? 0) - (sendBefore[step]?.count ?? 0),
      });
      const submitterDuringLoad = { check: delta("check"), broadcast: delta("broadcast") };
      console.log(validResult, cpuPerAccepted, acceptance, submitterDuringLoad);

      const invalidResults: LoadResult[] = [];
      for (const k of invalid) {
        console.log(`[${client}] invalid: ${k.name} for ${INVALID_SECONDS} s ...`);
        invalidResults.push(await load(url, k.name, k.expected, [k.body], { duration: INVALID_SECONDS }));
      }
      console.log(`[${client}] waiting for ${ids.length} accepted jobs to be mined ...`);
      const mined = minedStats(await finalJobs(dataDir, ids));
      console.log(mined);
      return { steps, valid: validResult, cpuPerAccepted, submitterDuringLoad, acceptance, invalid: invalidResults, mined };
    } finally {
      const exited = new Promise((r) => relayer.child.once("exit", r));
      relayer.child.kill("SIGTERM");
      await exited;
    }
  });
}

/**
 * Mined ring-16 actions per second as on a real chain: Anvil with a block every BATCHING_BLOCK_TIME seconds and a 60 M
 * block gas limit, the same load through a fresh relayer per batch size, one after the other on one node.
 */
function measureBatching(): Promise<BatchingResult> {
  const devnet: DevnetOptions = { client: "anvil", blockTime: BATCHING_BLOCK_TIME };
  return onNode(devnet, async (rpcUrl) => {
    const w = await setUpChain(rpcUrl, devnet);
    const deadline = BigInt((await w.provider.getBlock("latest"))!.timestamp) + 24n * 3600n;
    const runs: BatchingResult["runs"] = [];
    for (const [i, size] of BATCH_SIZES.entries()) {
      const label = size === 1 ? "batching off" : `batches of up to ${size}`;
      const run = await miningRun(label, rpcUrl, w, deadline, (10 + i) * 10 * BATCHING_VALID, BATCHING_VALID, {
        MEDRING_RELAYER_BATCH_MAX_ACTIONS: String(size),
      });
      runs.push({ maxActions: size, ...run });
    }
    const off = runs.find((r) => r.maxActions === 1)!;
    for (const r of runs) r.ratio = r.minedPerSec / off.minedPerSec;
    return { devnet, runs };
  });
}

async function main(): Promise<void> {
  const clients = (process.env.BENCH_CLIENTS ?? DEVNET_CLIENTS.join(",")).split(",") as DevnetClient[];
  const byClient: Partial<Record<DevnetClient, ClientResult>> = {};
  for (const client of clients) byClient[client] = await measureClient(client);
  const batching = await measureBatching();
  console.log(batching.runs.map((r) => ({ maxActions: r.maxActions, minedPerSec: r.minedPerSec, ratio: r.ratio })));
  writeResults({ defaultClient: DEFAULT_DEVNET.client, byClient, batching, loadAverageAtEnd: os.loadavg() });
}

if (process.env.BENCH_REPORT_ONLY) rewriteReport();
else
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
