/**
 * What Hardhat's network (EDR) keeps of the executions it traces (docs/testing.md, "Where the memory went"):
 * `npm run bench:edr` writes bench/results/edr-traces.{json,md}.
 *
 * For one MRS-1 verification (`RingVerifier.verify`, ring of BENCH_EDR_RING members, default 16, a fresh signature per
 * request) it counts the steps EDR traced for an `eth_call` and for an `eth_estimateGas` (from the raw traces of EDR's
 * response), then sends BENCH_EDR_REQUESTS (default 4) of each and reads the process's resident set after each one,
 * after a full collection. Each configuration runs in a process of its own, since mimalloc reads its settings at
 * start: EDR's defaults, and RETURN_FREED_PAGES (scripts/lib/nativeMemory.ts), which the test runner and the stack's
 * Hardhat node use.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ethers, network } from "hardhat";
import { z } from "zod";
import { toVerifierArgs } from "../src/mrs1";
import { randomRingSignature } from "../scripts/lib/randomRing";
import { RETURN_FREED_PAGES, exposedGc } from "../scripts/lib/nativeMemory";

/** A whole number from the environment within [min, max], or the default; anything else is refused with its name. */
const envInt = (name: string, def: number, min: number, max: number): number =>
  z.coerce.number({ message: name }).int(name).min(min, name).max(max, name).default(def).parse(process.env[name]);

const RING = envInt("BENCH_EDR_RING", 16, 1, 64);
const REQUESTS = envInt("BENCH_EDR_REQUESTS", 4, 1, 20);
const OUT_DIR = join(__dirname, "results");
const CHILD_MARK = "MEDRING_BENCH_EDR_CHILD";
const METHODS = ["eth_call", "eth_estimateGas"] as const;

interface MethodResult {
  /** Executions EDR traced for one request, and their steps in all. */
  runs: number;
  steps: number;
  /** Resident set (MiB) before the first request and after each, each after a full collection. */
  residentMiB: number[];
}
type ConfigResult = Record<(typeof METHODS)[number], MethodResult>;

const residentMiB = () => Math.round(process.memoryUsage.rss() / 2 ** 20);

/** EDR's own provider under Hardhat's wrappers: its responses carry the raw traces. */
function edrProvider(): { handleRequest(json: string): Promise<{ traces: Array<{ trace: unknown[] }> }> } {
  let p = network.provider as unknown as Record<string, unknown>;
  while (p._wrapped) p = p._wrapped as Record<string, unknown>;
  const edr = (p._provider ?? p) as { handleRequest?: unknown };
  if (typeof edr.handleRequest !== "function") throw new Error("bench/edrTraces.ts runs on the Hardhat network only");
  return edr as ReturnType<typeof edrProvider>;
}

async function measureThisProcess(): Promise<ConfigResult> {
  const gc = exposedGc();
  const settle = async () => {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 300)); // finalizers of collected native objects run after it
    return residentMiB();
  };
  const verifier = await ethers.deployContract("RingVerifier");
  const to = await verifier.getAddress();
  const freshCall = () => {
    const a = toVerifierArgs(randomRingSignature(RING));
    return { to, data: verifier.interface.encodeFunctionData("verify", [a.scope, a.message, a.sig, a.hints]), gas: "0xf00000" };
  };
  const result = {} as ConfigResult;
  // Memory first: counting steps copies every trace into JavaScript, which would add to the figures.
  for (const method of METHODS) {
    const resident = [await settle()];
    for (let i = 0; i < REQUESTS; i++) {
      await network.provider.request({ method, params: [freshCall(), "latest"] });
      resident.push(await settle());
    }
    result[method] = { runs: 0, steps: 0, residentMiB: resident };
  }
  for (const method of METHODS) {
    const response = await edrProvider().handleRequest(JSON.stringify({ jsonrpc: "2.0", id: 1, method, params: [freshCall(), "latest"] }));
    result[method].runs = response.traces.length;
    result[method].steps = response.traces.reduce((sum, t) => sum + t.trace.length, 0);
  }
  return result;
}

function runConfig(env: Record<string, string>): ConfigResult {
  const hardhat = join(__dirname, "..", "node_modules", "hardhat", "internal", "cli", "bootstrap.js");
  const run = spawnSync(process.execPath, [hardhat, "run", "--no-compile", __filename], {
    env: { ...process.env, ...env, [CHILD_MARK]: "1" },
    encoding: "utf8",
    maxBuffer: 16 << 20,
  });
  const line = run.stdout.trim().split("\n").pop() ?? "";
  if (run.status !== 0 || !line.startsWith("{")) throw new Error(`bench/edrTraces.ts child failed (${run.status}): ${run.stderr.slice(-2000)}`);
  return JSON.parse(line) as ConfigResult;
}

function markdown(configs: Record<string, ConfigResult>): string {
  const rows = Object.entries(configs).flatMap(([name, config]) =>
    METHODS.map((method) => {
      const m = config[method];
      const grown = m.residentMiB[m.residentMiB.length - 1] - m.residentMiB[0];
      return `| ${name} | \`${method}\` | ${m.runs} | ${m.steps.toLocaleString("en-US")} | ${m.residentMiB.join(" → ")} | ${grown.toLocaleString("en-US")} |`;
    }),
  );
  return [
    `# What Hardhat's network keeps of a ring-${RING} verification`,
    "",
    `\`npm run bench:edr\`: ${REQUESTS} requests of each kind, a fresh signature each, resident set after a full collection.`,
    "",
    "| allocator settings | request | traced runs | traced steps | resident set (MiB), before and after each request | grown (MiB) |",
    "|---|---|---:|---:|---|---:|",
    ...rows,
    "",
  ].join("\n");
}

async function main() {
  if (process.env[CHILD_MARK]) {
    console.log(JSON.stringify(await measureThisProcess()));
    return;
  }
  const configs = { "EDR's defaults": runConfig({}), RETURN_FREED_PAGES: runConfig({ ...RETURN_FREED_PAGES }) };
  mkdirSync(OUT_DIR, { recursive: true });
  writeFileSync(join(OUT_DIR, "edr-traces.json"), JSON.stringify({ ring: RING, requests: REQUESTS, configs }, null, 2) + "\n");
  const md = markdown(configs);
  writeFileSync(join(OUT_DIR, "edr-traces.md"), md);
  console.log(md);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
