/**
 * MRS-1 verification plus the on-chain verifier's hints: src/mrs1 (noble, the reference) against the relayer's
 * native back end (relayer/mrs1Native, libsecp256k1), measured in the same process, interleaved round by round
 * so that both see the same machine load. `npm run bench:verify` writes bench/results/verify.{md,json}.
 *
 * Three measurements per ring size, each on fresh parses (so no point validity is cached between runs):
 * - verify + hints of a valid signature (`verifyForChain` / `verifyForChainNative`);
 * - the verify worker's whole task (relayer/pipeline/verifyWorker.ts): parse the JSON, verify, build the hints;
 * - the same task on a forged signature (c_1 + 1), which must be refused.
 * Before timing, every signature's native result is checked to equal the reference's.
 *
 * Environment: BENCH_VERIFY_SIZES (default 8,16,32,64), BENCH_VERIFY_ROUNDS (default 9), BENCH_VERIFY_NATIVE_PER_ROUND
 * (default 9), BENCH_VERIFY_OUT (default bench/results).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { isDeepStrictEqual } from "node:util";
import { encodeSignatureJson, parseSignatureJson, verifyForChain, type Mrs1Signature, type Mrs1SignatureJson, type PointDecoder } from "../src/mrs1";
import { nativePointDecoder, verifyForChainNative } from "../relayer/mrs1Native/verifyForChain";
import { forgeChallenge } from "../relayer/mrs1Native/startupCheck";
import { randomRingSignature } from "../scripts/lib/randomRing";

const SIZES = (process.env.BENCH_VERIFY_SIZES ?? "8,16,32,64").split(",").map(Number);
const ROUNDS = Number(process.env.BENCH_VERIFY_ROUNDS ?? 9);
const NATIVE_PER_ROUND = Number(process.env.BENCH_VERIFY_NATIVE_PER_ROUND ?? 9);
const OUT = process.env.BENCH_VERIFY_OUT ?? path.join(__dirname, "results");
/** Distinct signatures per ring size, used in turn: the hint work depends on each member's hash-to-point counter. */
const SIGNATURES_PER_SIZE = 4;
const GOAL_MS = 10;

type Backend = "reference" | "native";
const BACKENDS: Record<Backend, { decode?: PointDecoder; verify: typeof verifyForChain }> = {
  reference: { decode: undefined, verify: verifyForChain },
  native: { decode: nativePointDecoder(), verify: verifyForChainNative },
};

function parse(json: Mrs1SignatureJson, backend: Backend): Mrs1Signature {
  const parsed = parseSignatureJson(json, BACKENDS[backend].decode);
  if (!parsed.ok) throw new Error(`bench: the benchmark's own signature did not parse: ${parsed.detail}`);
  return parsed.signature;
}

function ms(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Verify + hints of an already parsed signature (parsed just before, untimed). */
function timeVerify(json: Mrs1SignatureJson, backend: Backend): number {
  const sig = parse(json, backend);
  const start = process.hrtime.bigint();
  const { verdict } = BACKENDS[backend].verify(sig);
  const took = ms(start);
  if (!verdict.valid) throw new Error("bench: a valid signature was refused");
  return took;
}

/** The verify worker's task: JSON in, verdict and hints out. */
function timeWorkerTask(json: Mrs1SignatureJson, backend: Backend, expectValid: boolean): number {
  const start = process.hrtime.bigint();
  const { verdict } = BACKENDS[backend].verify(parse(json, backend));
  const took = ms(start);
  if (verdict.valid !== expectValid) throw new Error(`bench: expected ${expectValid ? "valid" : "a refusal"}`);
  return took;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

interface Row {
  ringSize: number;
  /** Median ms and sample count per measurement and back end. */
  verify: Record<Backend, number>;
  workerTask: Record<Backend, number>;
  forgedRefused: Record<Backend, number>;
  samples: Record<Backend, number>;
}

/** The signature as JSON, once the native back end answered on it as the reference does. */
function checkedJson(sig: Mrs1Signature, n: number): Mrs1SignatureJson {
  const json = encodeSignatureJson(sig);
  // The benchmark measures the back end the relayer runs only if it answers as the reference does.
  if (!isDeepStrictEqual(verifyForChainNative(parse(json, "native")), verifyForChain(parse(json, "reference")))) {
    throw new Error(`bench: native and reference results differ on a ring of ${n}`);
  }
  return json;
}

function signatures(n: number): { valid: Mrs1SignatureJson[]; forged: Mrs1SignatureJson[] } {
  const sigs = Array.from({ length: SIGNATURES_PER_SIZE }, (_, s) => randomRingSignature(n, { signer: s % n }));
  return { valid: sigs.map((sig) => checkedJson(sig, n)), forged: sigs.map((sig) => checkedJson(forgeChallenge(sig), n)) };
}

function measure(n: number): Row {
  const { valid, forged } = signatures(n);
  const empty = (): Record<Backend, number[]> => ({ reference: [], native: [] });
  const samples = { verify: empty(), workerTask: empty(), forgedRefused: empty() };
  let next = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const pick = () => next++ % SIGNATURES_PER_SIZE;
    // The reference once per round, the native back end NATIVE_PER_ROUND times, interleaved.
    let i = pick();
    samples.verify.reference.push(timeVerify(valid[i], "reference"));
    samples.workerTask.reference.push(timeWorkerTask(valid[i], "reference", true));
    samples.forgedRefused.reference.push(timeWorkerTask(forged[i], "reference", false));
    for (let k = 0; k < NATIVE_PER_ROUND; k++) {
      i = pick();
      samples.verify.native.push(timeVerify(valid[i], "native"));
      samples.workerTask.native.push(timeWorkerTask(valid[i], "native", true));
      samples.forgedRefused.native.push(timeWorkerTask(forged[i], "native", false));
    }
  }
  const med = (s: Record<Backend, number[]>) => ({ reference: median(s.reference), native: median(s.native) });
  return {
    ringSize: n,
    verify: med(samples.verify),
    workerTask: med(samples.workerTask),
    forgedRefused: med(samples.forgedRefused),
    samples: { reference: samples.verify.reference.length, native: samples.verify.native.length },
  };
}

/** Runs both back ends on a small ring until the JIT has compiled their hot paths; nothing is recorded. */
function warmUp(): void {
  const { valid, forged } = signatures(4);
  for (let k = 0; k < 40; k++) {
    timeWorkerTask(valid[k % valid.length], "native", true);
    timeWorkerTask(forged[k % forged.length], "native", false);
  }
  for (let k = 0; k < 4; k++) timeWorkerTask(valid[k], "reference", true);
}

function main(): void {
  const loadAtStart = os.loadavg();
  warmUp();
  const rows: Row[] = [];
  for (const n of SIZES) {
    console.log(`ring ${n} ...`);
    rows.push(measure(n));
  }
  const loadAtEnd = os.loadavg();
  const machine = {
    cpus: os.cpus().length,
    cpu: os.cpus()[0]?.model ?? "unknown",
    node: process.version,
    loadAverageAtStart: loadAtStart,
    loadAverageAtEnd: loadAtEnd,
  };
  const ring16 = rows.find((r) => r.ringSize === 16);
  const goal = ring16 && {
    verifyPlusHintsMs: ring16.workerTask.native,
    forgedRefusedMs: ring16.forgedRefused.native,
    met: ring16.workerTask.native <= GOAL_MS && ring16.forgedRefused.native <= GOAL_MS,
  };
  const result = {
    generatedAt: new Date().toISOString(),
    command: "npm run bench:verify",
    machine,
    iterations: { rounds: ROUNDS, referencePerRound: 1, nativePerRound: NATIVE_PER_ROUND, signaturesPerSize: SIGNATURES_PER_SIZE },
    unit: "ms (median)",
    rows: rows.map((r) => ({
      ...r,
      speedUp: {
        verify: r.verify.reference / r.verify.native,
        workerTask: r.workerTask.reference / r.workerTask.native,
        forgedRefused: r.forgedRefused.reference / r.forgedRefused.native,
      },
    })),
    goalRing16: { thresholdMs: GOAL_MS, ...goal },
  };
  fs.mkdirSync(OUT, { recursive: true });
  fs.writeFileSync(path.join(OUT, "verify.json"), JSON.stringify(result, null, 2) + "\n");
  fs.writeFileSync(path.join(OUT, "verify.md"), markdown(result));
  console.log(`wrote ${path.join(OUT, "verify.md")} and verify.json`);
}

function markdown(r: {
  machine: { cpus: number; cpu: string; node: string; loadAverageAtStart: number[]; loadAverageAtEnd: number[] };
  rows: (Row & { speedUp: { verify: number; workerTask: number; forgedRefused: number } })[];
  goalRing16: { thresholdMs: number; verifyPlusHintsMs?: number; forgedRefusedMs?: number; met?: boolean };
}): string {
  const f = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(2));
  const x = (v: number) => `${v.toFixed(1)}×`;
  const load = (l: number[]) => l.map((v) => v.toFixed(2)).join(", ");
  const table = (title: string, pick: (row: Row) => Record<Backend, number>, speed: (row: (typeof r.rows)[number]) => number) =>
    [
      `### ${title}`,
      "",
      "| ring size | src/mrs1 (noble) ms | native (libsecp256k1) ms | speed-up |",
      "|---:|---:|---:|---:|",
      ...r.rows.map((row) => `| ${row.ringSize} | ${f(pick(row).reference)} | ${f(pick(row).native)} | ${x(speed(row))} |`),
      "",
    ].join("\n");
  const g = r.goalRing16;
  const goalLine =
    g.verifyPlusHintsMs === undefined
      ? "Ring size 16 was not measured in this run, so the goal is not evaluated."
      : `Goal for ring 16, at most ${g.thresholdMs} ms: verification plus hints (worker task) **${f(g.verifyPlusHintsMs)} ms**, forged signature refused in **${f(g.forgedRefusedMs!)} ms**: **${g.met ? "met" : "missed"}**.`;
  const n = r.rows[0]?.samples;
  return `# MRS-1 verification and hints: src/mrs1 against the relayer's native back end

Generated by \`npm run bench:verify\` (bench/verify.ts) on ${r.machine.cpus} × ${r.machine.cpu}, Node ${r.machine.node}, in one
process. Medians of ${n?.reference ?? 0} runs of src/mrs1 and ${n?.native ?? 0} runs of the native back end per ring size and row, interleaved
round by round over ${SIGNATURES_PER_SIZE} different signatures per size (the hint work depends on their hash-to-point counters).
Every signature's native result was checked to equal the reference's before timing.
The machine is shared and may have been loaded: load average ${load(r.machine.loadAverageAtStart)} at the start, ${load(r.machine.loadAverageAtEnd)}
at the end (${r.machine.cpus} cores). Both back ends ran under the same load, so the ratios are steadier than the times.

${goalLine}

${table(
  "Verification plus hints of a valid signature (already parsed)",
  (row) => row.verify,
  (row) => row.speedUp.verify,
)}
${table(
  "The verify worker's task for a valid signature: parse the JSON, verify, build the hints",
  (row) => row.workerTask,
  (row) => row.speedUp.workerTask,
)}
${table(
  "The verify worker's task for a forged signature (c_1 + 1): refused",
  (row) => row.forgedRefused,
  (row) => row.speedUp.forgedRefused,
)}`;
}

main();
