/**
 * `npm run bench:gas`: gas of RingVerifier.verify in real transactions (calldata included) for n = 1..128 and the
 * largest ring under EIP-7825's 16,777,216 per-transaction cap (up to VERIFIER_SEARCH_CEILING), a reference row
 * (OpenZeppelin P256.verifySolidity, one double scalar multiplication) measured in the same run, batch
 * verification (RingVerifier.verifyBatch of k ring-16 signatures against k single verify transactions, the
 * `verifierBatches` rows), and the TypeScript sign/verify times against a baseline of 4·n plain noble scalar
 * multiplications (n = 64) timed in the same process. Writes bench/results/gas.json and bench/results/gas.md.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { ethers } from "hardhat";
import { p256 } from "@noble/curves/nist.js";
import { N_ORDER, Point, generateKeyPair, sign, toVerifierArgs, verify, type Mrs1Signature } from "../src/mrs1";
import { randomRing, randomRingSignature } from "../scripts/lib/randomRing";
import type { RingVerifier } from "../typechain-types";
import { measureBatches, type BatchRow } from "./lib/batches";
import { RECORD_BYTES, registryBatchRows, staleActionRows, type RegistryBatchRow, type StaleRow } from "./registryBatches";
import { registryRingLimit, type RingLimitResult } from "./registryRingLimit";

const TX_GAS_CAP = 16_777_216; // EIP-7825
const SIZES = [1, 2, 4, 8, 16, 32, 64, 128];
/** The largest ring the search for the verifier's "largest under the cap" tries (the registry's rows search on their own). */
const VERIFIER_SEARCH_CEILING = 256;
/** Batch rows: k signatures of ring size BATCH_RING_SIZE in one transaction against k single transactions. */
const BATCH_SIZES = [1, 2, 4, 8];
const BATCH_RING_SIZE = 16;
const OUT_DIR = join(__dirname, "results");

/** gasUsed of a real transaction to `to` with `data`, or undefined when it does not fit under the cap (out of gas). */
async function txGas(to: string, data: string, what: string): Promise<number | undefined> {
  const [sender] = await ethers.getSigners();
  try {
    const receipt = await (await sender.sendTransaction({ to, data, gasLimit: TX_GAS_CAP })).wait();
    if (receipt!.status !== 1) throw new Error(`${what} failed`);
    return Number(receipt!.gasUsed);
  } catch (err) {
    const message = (err as Error).message;
    // out of gas in the verifier, or in its MSM core (a STATICCALL gets 63/64 of the remaining gas; the core's
    // out-of-gas failure comes back as a revert without data)
    if (/out of gas|intrinsic gas|exceeds|reverted without a reason/i.test(message)) return undefined;
    throw err;
  }
}

/** gasUsed of a real `verify` transaction, or undefined when it does not fit under the cap. */
async function verifyGas(verifier: RingVerifier, sig: Mrs1Signature): Promise<number | undefined> {
  const args = toVerifierArgs(sig);
  const data = verifier.interface.encodeFunctionData("verify", [args.scope, args.message, args.sig, args.hints]);
  return txGas(await verifier.getAddress(), data, `verify (n = ${sig.ring.length})`);
}

/** verifyBatch of k ring-16 signatures against k verify transactions. */
async function verifierBatchRows(verifier: RingVerifier): Promise<BatchRow[]> {
  const to = await verifier.getAddress();
  return measureBatches(
    BATCH_SIZES,
    BATCH_RING_SIZE,
    () => toVerifierArgs(randomRingSignature(BATCH_RING_SIZE)),
    async (items) => {
      const checks = items.map((a) => ({ scope: a.scope, message: a.message, sig: a.sig, hints: a.hints }));
      const gas = await txGas(to, verifier.interface.encodeFunctionData("verifyBatch", [checks]), `verifyBatch (k = ${items.length})`);
      if (gas === undefined) throw new Error(`verifyBatch of ${items.length} does not fit under ${TX_GAS_CAP}`);
      return gas;
    },
    async (a) => {
      const gas = await txGas(to, verifier.interface.encodeFunctionData("verify", [a.scope, a.message, a.sig, a.hints]), "verify");
      if (gas === undefined) throw new Error("a ring-16 verify does not fit under the cap");
      return gas;
    },
    { label: "verifyBatch" },
  );
}

async function p256ReferenceGas(): Promise<number> {
  const harness = await ethers.deployContract("P256Harness");
  const secretKey = p256.utils.randomSecretKey();
  const publicKey = p256.getPublicKey(secretKey, false);
  const h = ethers.getBytes(ethers.randomBytes(32));
  const rs = p256.sign(h, secretKey, { prehash: false, lowS: true });
  const hex = (b: Uint8Array) => ethers.hexlify(b);
  const data = harness.interface.encodeFunctionData("verifySolidity", [
    hex(h),
    hex(rs.slice(0, 32)),
    hex(rs.slice(32)),
    hex(publicKey.slice(1, 33)),
    hex(publicKey.slice(33)),
  ]);
  const [sender] = await ethers.getSigners();
  const receipt = await (await sender.sendTransaction({ to: await harness.getAddress(), data })).wait();
  if (receipt!.status !== 1) throw new Error("P256.verifySolidity rejected a fresh signature");
  return Number(receipt!.gasUsed);
}

/** Median wall time (ms) of `runs` calls. */
function time(runs: number, fn: () => void): number {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    samples.push(performance.now() - t);
  }
  return samples.sort((a, b) => a - b)[Math.floor(runs / 2)];
}

function typescriptTimes() {
  const rows = [16, 64].map((n) => {
    const { keys, ring } = randomRing(n);
    const input = { secretKey: keys[0].secretKey, ring, scope: new Uint8Array(32), message: new Uint8Array(32).fill(1) };
    let sig = sign(input);
    const signMs = time(5, () => void (sig = sign(input)));
    const verifyMs = time(5, () => {
      if (!verify(sig).valid) throw new Error("TS verify rejected a fresh signature");
    });
    return { n, signMs, verifyMs };
  });
  // Baseline: 4·64 noble scalar multiplications of random points by random scalars, timed in this process;
  // sign and verify are reported as ratios to it.
  const points = Array.from({ length: 4 * 64 }, () => generateKeyPair().publicKey);
  const scalars = points.map(() => (BigInt(ethers.hexlify(ethers.randomBytes(32))) % (N_ORDER - 1n)) + 1n);
  const baselineMs = time(5, () => points.forEach((p: Point, i) => p.multiply(scalars[i])));
  return { rows, baselineMs };
}

/** What bench/results/gas.json holds. */
export interface GasResult {
  generatedBy: string;
  txGasCap: number;
  rows: Array<{ n: number; gas: number; perMember: number; ratioToP256: number }>;
  largest: { n: number; gas: number; perMember: number; ratioToP256: number };
  p256VerifySolidityGas: number;
  marginalGasPerMember: number;
  fixedOverhead: number;
  verifierBatches: BatchRow[];
  batches: RegistryBatchRow[];
  stale: StaleRow[];
  registryRingLimit: RingLimitResult;
  typescript: {
    rows: Array<{ n: number; signMs: number; verifyMs: number }>;
    baseline4x64ScalarMulMs: number;
    n64: { signRatio: number; verifyRatio: number };
  };
}

/** bench/results/gas.md from the measured result. */
export function gasMarkdown(result: GasResult): string {
  return [
    "# MRS-1 on-chain verification gas",
    "",
    `Generated by \`npm run bench:gas\` (bench/gas.ts). Transaction gas of \`RingVerifier.verify\`, calldata included, hints computed by src/mrs1. Reference: OpenZeppelin \`P256.verifySolidity\` (one double scalar multiplication) = **${result.p256VerifySolidityGas}** gas in the same run.`,
    "",
    "| n | tx gas | gas / member | gas / member ÷ P256 |",
    "|---:|---:|---:|---:|",
    ...result.rows.map((r) => `| ${r.n} | ${r.gas.toLocaleString("en-US")} | ${r.perMember.toLocaleString("en-US")} | ${r.ratioToP256} |`),
    `| **${result.largest.n}** (largest under ${TX_GAS_CAP.toLocaleString("en-US")}) | ${result.largest.gas.toLocaleString("en-US")} | ${result.largest.perMember.toLocaleString("en-US")} | ${result.largest.ratioToP256} |`,
    "",
    `Marginal gas per member (slope n = 64 → 128): ${result.marginalGasPerMember.toLocaleString("en-US")}. Fixed overhead (gas(1) − marginal): ${result.fixedOverhead.toLocaleString("en-US")}.`,
    `The verifier's largest-ring search stops at ${VERIFIER_SEARCH_CEILING}.`,
    "",
    `Batch verification (\`verifierBatches\`): \`RingVerifier.verifyBatch\` of k ring-${BATCH_RING_SIZE} signatures in one transaction, against the same k signatures in k \`verify\` transactions (each paying the 21,000 base cost and the fixed overhead).`,
    "",
    "| k | ring | batch tx gas | gas / signature | single tx gas / signature | batch ÷ singles |",
    "|---:|---:|---:|---:|---:|---:|",
    ...result.verifierBatches.map(
      (r) =>
        `| ${r.k} | ${r.ringSize} | ${r.gasTotal.toLocaleString("en-US")} | ${r.gasPerAction.toLocaleString("en-US")} | ${r.singleGasPerAction.toLocaleString("en-US")} | ${r.ratio} |`,
    ),
    "",
    `Batched ring actions (\`batches\`): the registry's \`executeRingActions\` of k ring-${BATCH_RING_SIZE} actions in one transaction (all signatures with one multi-scalar multiplication), against the same kind of actions sent one by one through \`createRecordAnonymous\` / \`warrantAnonymous\` (${RECORD_BYTES}-byte ciphertexts; each warrant on a record of its own).`,
    "",
    "| action | k | ring | batch tx gas | gas / action | alone, gas / action | batch ÷ alone |",
    "|---|---:|---:|---:|---:|---:|---:|",
    ...result.batches.map(
      (r) =>
        `| ${r.action} | ${r.k} | ${r.ringSize} | ${r.gasTotal.toLocaleString("en-US")} | ${r.gasPerAction.toLocaleString("en-US")} | ${r.singleGasPerAction.toLocaleString("en-US")} | ${r.ratio} |`,
    ),
    "",
    `Stale actions (\`stale\`): a ring-${BATCH_RING_SIZE} action made stale by someone else's transaction (its nonce consumed first). In a batch it is left out of the verification (docs/batch-verification.md); its cost there is the batch with it minus the same batch without it. Alone, its transaction reverts at the checks, before the signature.`,
    "",
    "| action | stale member of a batch of 8 | stale single transaction |",
    "|---|---:|---:|",
    ...result.stale.map((r) => `| ${r.action} | ${r.inBatchGas.toLocaleString("en-US")} | ${r.singleGas.toLocaleString("en-US")} |`),
    "",
    `Largest ring through the registry (\`registryRingLimit\`): the largest ring whose real transaction, gas limit ${TX_GAS_CAP.toLocaleString("en-US")}, executes the action (registry → verifier → MSM core, 63/64 forwarding at each call). RING_SIZE_LIMIT = largest of all − safety margin (src/api/ringSizeLimit.ts): measured ${result.registryRingLimit.largest}, derived limit **${result.registryRingLimit.derivedLimit}**, committed ${result.registryRingLimit.committedLimit}.`,
    "",
    "| action | path | largest ring | its tx gas |",
    "|---|---|---:|---:|",
    ...result.registryRingLimit.rows.map(
      (r) =>
        `| ${r.action} | ${r.path} | ${r.largest}${r.boundedBySearch ? " (larger rings not tried: at least this)" : ""} | ${r.gas.toLocaleString("en-US")} |`,
    ),
    "",
    "TypeScript (src/mrs1, median of 5, this machine):",
    "",
    "| n | sign ms | verify ms |",
    "|---:|---:|---:|",
    ...result.typescript.rows.map((r) => `| ${r.n} | ${r.signMs} | ${r.verifyMs} |`),
    "",
    `Baseline, 4·64 plain noble scalar multiplications timed in the same process: ${result.typescript.baseline4x64ScalarMulMs} ms; n = 64 sign / baseline = ${result.typescript.n64.signRatio}, verify / baseline = ${result.typescript.n64.verifyRatio} (target ≤ 2).`,
    "",
  ].join("\n");
}

async function main() {
  const verifier = (await ethers.deployContract("RingVerifier")) as unknown as RingVerifier;
  await verifier.waitForDeployment();

  const rows: Array<{ n: number; gas: number; perMember: number }> = [];
  for (const n of SIZES) {
    const gas = await verifyGas(verifier, randomRingSignature(n));
    if (gas === undefined) throw new Error(`n = ${n} does not fit under ${TX_GAS_CAP}`);
    rows.push({ n, gas, perMember: Math.round(gas / n) });
    console.log(`n=${n}: ${gas} gas, ${Math.round(gas / n)} per member`);
  }

  // largest ring under the cap: extrapolate from the slope at n = 64..128, then step with real transactions
  const g64 = rows.find((r) => r.n === 64)!.gas;
  const g128 = rows.find((r) => r.n === 128)!.gas;
  const slope = (g128 - g64) / 64;
  let n = Math.min(VERIFIER_SEARCH_CEILING, Math.max(128, Math.floor(128 + (TX_GAS_CAP - g128) / slope)));
  const fits = new Map<number, number | undefined>();
  const tryN = async (k: number) => {
    if (!fits.has(k)) {
      fits.set(k, await verifyGas(verifier, randomRingSignature(k)));
      console.log(`n=${k}: ${fits.get(k) ?? "does not fit"}`);
    }
    return fits.get(k);
  };
  while ((await tryN(n)) === undefined) n -= 2;
  while (n < VERIFIER_SEARCH_CEILING && (await tryN(n + 1)) !== undefined) n += 1;
  const largest = { n, gas: fits.get(n)!, perMember: Math.round(fits.get(n)! / n) };

  const verifierBatches = await verifierBatchRows(verifier);
  const batches = await registryBatchRows(BATCH_SIZES, BATCH_RING_SIZE);
  const stale = await staleActionRows(BATCH_RING_SIZE);
  const ringLimit = await registryRingLimit();
  const p256Gas = await p256ReferenceGas();
  const g1 = rows[0].gas;
  const fixedOverhead = Math.round(g1 - slope);
  const ts = typescriptTimes();

  const result: GasResult = {
    generatedBy: "npm run bench:gas (bench/gas.ts)",
    txGasCap: TX_GAS_CAP,
    rows: rows.map((r) => ({ ...r, ratioToP256: +(r.perMember / p256Gas).toFixed(3) })),
    largest: { ...largest, ratioToP256: +(largest.perMember / p256Gas).toFixed(3) },
    p256VerifySolidityGas: p256Gas,
    marginalGasPerMember: Math.round(slope),
    fixedOverhead,
    verifierBatches,
    batches,
    stale,
    registryRingLimit: ringLimit,
    typescript: {
      rows: ts.rows.map((r) => ({ n: r.n, signMs: +r.signMs.toFixed(1), verifyMs: +r.verifyMs.toFixed(1) })),
      baseline4x64ScalarMulMs: +ts.baselineMs.toFixed(1),
      n64: {
        signRatio: +(ts.rows[1].signMs / ts.baselineMs).toFixed(2),
        verifyRatio: +(ts.rows[1].verifyMs / ts.baselineMs).toFixed(2),
      },
    },
  };

  const md = gasMarkdown(result);

  mkdirSync(OUT_DIR, { recursive: true });
  writeFileSync(join(OUT_DIR, "gas.json"), JSON.stringify(result, null, 2) + "\n");
  writeFileSync(join(OUT_DIR, "gas.md"), md);
  console.log(md);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
}
