/**
 * The relayer benchmark's load (bench/relayer.ts): autocannon runs against a relayer, the relayer's own step timings
 * from /metrics, the wait until accepted jobs are final in its SQLite store, and mined-per-second runs.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import autocannon from "autocannon";
import { SQLITE_FILE } from "../../relayer/store/sqlite/database";
import { CONNECTIONS, RING_SIZE, startBenchRelayer, validRequest, type Body, type World } from "./setup";

export const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
export const quantile = (v: number[], q: number) => {
  const s = [...v].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};

/** Sum (seconds) and count of each step of the histogram `metric` in the relayer's /metrics. */
export async function stepTotals(url: string, metric: string): Promise<Record<string, { seconds: number; count: number }>> {
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
export async function acceptanceSteps(url: string): Promise<Record<string, { meanMs: number; count: number }>> {
  const totals = await stepTotals(url, "medring_relayer_acceptance_step_seconds");
  return Object.fromEntries(Object.entries(totals).map(([step, t]) => [step, { meanMs: (t.seconds / t.count) * 1000, count: t.count }]));
}

export interface LoadResult {
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
export async function load(
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

/** Submits `body` and waits until its job is confirmed (a warm-up: caches filled, nothing of it measured). */
export async function submitAndConfirm(url: string, body: Body): Promise<void> {
  const res = await fetch(`${url}/v1/submissions`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  if (res.status !== 202) throw new Error(`warm-up submission: ${res.status} ${await res.text()}`);
  const id = ((await res.json()) as { id: string }).id;
  while (((await (await fetch(`${url}/v1/submissions/${id}`)).json()) as { status: string }).status !== "confirmed")
    await new Promise((r) => setTimeout(r, 200));
}

/** The accepted jobs `ids` in the SQLite store of `dataDir`, once all are final (confirmed, failed or expired). */
export async function finalJobs(dataDir: string, ids: string[]) {
  const db = new Database(path.join(dataDir, SQLITE_FILE), { readonly: true });
  const rows = () =>
    ids.map(
      (id) =>
        db.prepare("SELECT status, created_at, mined_at, tx_hash, gas_used, send_id FROM jobs WHERE id = ?").get(id) as {
          status: string;
          created_at: number;
          mined_at: number | null;
          tx_hash: string | null;
          gas_used: string | null;
          send_id: string | null;
        },
    );
  const t0 = Date.now();
  while (rows().some((r) => !["confirmed", "failed", "expired", "done_elsewhere"].includes(r.status))) {
    if (Date.now() - t0 > 30 * 60_000) throw new Error("jobs not final after 30 minutes");
    await new Promise((r) => setTimeout(r, 500));
  }
  const final = rows();
  db.close();
  return final;
}

/** Mined per second: confirmed jobs over the span from the first acceptance to the last receipt seen (relayer clock). */
export function minedStats(final: Awaited<ReturnType<typeof finalJobs>>) {
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
 * batching settings `extra`: `count` valid createRecord submissions over the benchmark's connections, after a
 * warm-up submission, then the wait until every job is final. Also the transactions they took and the gas per action.
 */
export async function miningRun(label: string, rpcUrl: string, w: World, deadline: bigint, firstIndex: number, count: number, extra: Record<string, string>) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `medring-bench-${label}-`));
  const relayer = await startBenchRelayer(rpcUrl, w.deploymentFile, dataDir, extra);
  try {
    const url = relayer.url;
    await submitAndConfirm(url, validRequest(w, 3, firstIndex, deadline));
    const bodies = Array.from({ length: count }, (_, i) => JSON.stringify(validRequest(w, i % RING_SIZE, firstIndex + 1 + i, deadline)));
    const ids: string[] = [];
    console.log(`mined throughput, ${label}: ${count} valid ring-${RING_SIZE} submissions ...`);
    const accepted = await load(url, `valid ring-${RING_SIZE} createRecord, ${label}`, "202", bodies, { amount: count }, (st, body) => {
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
