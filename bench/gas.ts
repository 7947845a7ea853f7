/**
 * `npm run bench:gas` (issues 2 and 6): gas of RingVerifier.verify in real transactions (calldata included) for
 * n = 1..128 and the largest ring under EIP-7825's 16,777,216 per-transaction cap, a reference row
 * (OpenZeppelin P256.verifySolidity, one double scalar multiplication) measured in the same run, and the
 * TypeScript sign/verify times against the issue-6 baseline (4·n noble scalar multiplications, n = 64).
 * Writes bench/results/gas.json and bench/results/gas.md.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { ethers } from "hardhat";
import { p256 } from "@noble/curves/nist.js";
import { N_ORDER, Point, generateKeyPair, sign, sortRing, toVerifierArgs, verify, type Mrs1Signature } from "../src/mrs1";
import type { RingVerifier } from "../typechain-types";

const TX_GAS_CAP = 16_777_216; // EIP-7825
const SIZES = [1, 2, 4, 8, 16, 32, 64, 128];
const OUT_DIR = join(__dirname, "results");

function randomRingSignature(n: number): Mrs1Signature {
  const keys = Array.from({ length: n }, () => generateKeyPair());
  const ring = sortRing(keys.map((k) => k.publicKey));
  const signer = keys[Math.floor(Math.random() * n)];
  return sign({ secretKey: signer.secretKey, ring, scope: ethers.getBytes(ethers.randomBytes(32)), message: ethers.getBytes(ethers.randomBytes(32)) });
}

/** gasUsed of a real `verify` transaction, or undefined when it does not fit under the cap (out of gas). */
async function verifyGas(verifier: RingVerifier, sig: Mrs1Signature): Promise<number | undefined> {
  const args = toVerifierArgs(sig);
  const [sender] = await ethers.getSigners();
  const data = verifier.interface.encodeFunctionData("verify", [args.scope, args.message, args.sig, args.hints]);
  try {
    const receipt = await (await sender.sendTransaction({ to: await verifier.getAddress(), data, gasLimit: TX_GAS_CAP })).wait();
    if (receipt!.status !== 1) throw new Error(`verify failed for n = ${sig.ring.length}`);
    return Number(receipt!.gasUsed);
  } catch (err) {
    const message = (err as Error).message;
    if (/out of gas|intrinsic gas|exceeds/i.test(message)) return undefined;
    throw err;
  }
}

async function p256ReferenceGas(): Promise<number> {
  const harness = await ethers.deployContract("P256Harness");
  const secretKey = p256.utils.randomSecretKey();
  const publicKey = p256.getPublicKey(secretKey, false);
  const h = ethers.getBytes(ethers.randomBytes(32));
  const rs = p256.sign(h, secretKey, { prehash: false, lowS: true });
  const hex = (b: Uint8Array) => ethers.hexlify(b);
  const data = harness.interface.encodeFunctionData("verifySolidity", [hex(h), hex(rs.slice(0, 32)), hex(rs.slice(32)), hex(publicKey.slice(1, 33)), hex(publicKey.slice(33))]);
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
    const keys = Array.from({ length: n }, () => generateKeyPair());
    const ring = sortRing(keys.map((k) => k.publicKey));
    const input = { secretKey: keys[0].secretKey, ring, scope: new Uint8Array(32), message: new Uint8Array(32).fill(1) };
    input.secretKey = keys.find((k) => k.publicKey.equals(ring[0]))!.secretKey;
    let sig = sign(input);
    const signMs = time(5, () => void (sig = sign(input)));
    const verifyMs = time(5, () => {
      if (!verify(sig).valid) throw new Error("TS verify rejected a fresh signature");
    });
    return { n, signMs, verifyMs };
  });
  // issue-6 baseline: 4·64 noble scalar multiplications of random points by random scalars
  const points = Array.from({ length: 4 * 64 }, () => generateKeyPair().publicKey);
  const scalars = points.map(() => (BigInt(ethers.hexlify(ethers.randomBytes(32))) % (N_ORDER - 1n)) + 1n);
  const baselineMs = time(5, () => points.forEach((p: Point, i) => p.multiply(scalars[i])));
  return { rows, baselineMs };
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
  let n = Math.max(128, Math.floor(128 + (TX_GAS_CAP - g128) / slope));
  let fits = new Map<number, number | undefined>();
  const tryN = async (k: number) => {
    if (!fits.has(k)) {
      fits.set(k, await verifyGas(verifier, randomRingSignature(k)));
      console.log(`n=${k}: ${fits.get(k) ?? "does not fit"}`);
    }
    return fits.get(k);
  };
  while ((await tryN(n)) === undefined) n -= 2;
  while ((await tryN(n + 1)) !== undefined) n += 1;
  const largest = { n, gas: fits.get(n)!, perMember: Math.round(fits.get(n)! / n) };

  const p256Gas = await p256ReferenceGas();
  const g1 = rows[0].gas;
  const fixedOverhead = Math.round(g1 - slope);
  const ts = typescriptTimes();

  const result = {
    generatedBy: "npm run bench:gas (bench/gas.ts)",
    txGasCap: TX_GAS_CAP,
    rows: rows.map((r) => ({ ...r, ratioToP256: +(r.perMember / p256Gas).toFixed(3) })),
    largest: { ...largest, ratioToP256: +(largest.perMember / p256Gas).toFixed(3) },
    p256VerifySolidityGas: p256Gas,
    marginalGasPerMember: Math.round(slope),
    fixedOverhead,
    typescript: {
      rows: ts.rows.map((r) => ({ n: r.n, signMs: +r.signMs.toFixed(1), verifyMs: +r.verifyMs.toFixed(1) })),
      baseline4x64ScalarMulMs: +ts.baselineMs.toFixed(1),
      n64: {
        signRatio: +(ts.rows[1].signMs / ts.baselineMs).toFixed(2),
        verifyRatio: +(ts.rows[1].verifyMs / ts.baselineMs).toFixed(2),
      },
    },
  };

  const md = [
    "# MRS-1 on-chain verification gas",
    "",
    `Generated by \`npm run bench:gas\` (bench/gas.ts). Transaction gas of \`RingVerifier.verify\`, calldata included, hints computed by src/mrs1. Reference: OpenZeppelin \`P256.verifySolidity\` (one double scalar multiplication) = **${p256Gas}** gas in the same run.`,
    "",
    "| n | tx gas | gas / member | gas / member ÷ P256 |",
    "|---:|---:|---:|---:|",
    ...result.rows.map((r) => `| ${r.n} | ${r.gas.toLocaleString("en-US")} | ${r.perMember.toLocaleString("en-US")} | ${r.ratioToP256} |`),
    `| **${largest.n}** (largest under ${TX_GAS_CAP.toLocaleString("en-US")}) | ${largest.gas.toLocaleString("en-US")} | ${largest.perMember.toLocaleString("en-US")} | ${result.largest.ratioToP256} |`,
    "",
    `Marginal gas per member (slope n = 64 → 128): ${Math.round(slope).toLocaleString("en-US")}. Fixed overhead (gas(1) − marginal): ${fixedOverhead.toLocaleString("en-US")}.`,
    "",
    "TypeScript (src/mrs1, median of 5, this machine):",
    "",
    "| n | sign ms | verify ms |",
    "|---:|---:|---:|",
    ...result.typescript.rows.map((r) => `| ${r.n} | ${r.signMs} | ${r.verifyMs} |`),
    "",
    `Issue-6 baseline, 4·64 noble scalar multiplications: ${result.typescript.baseline4x64ScalarMulMs} ms; n = 64 sign / baseline = ${result.typescript.n64.signRatio}, verify / baseline = ${result.typescript.n64.verifyRatio} (target ≤ 2).`,
    "",
  ].join("\n");

  mkdirSync(OUT_DIR, { recursive: true });
  writeFileSync(join(OUT_DIR, "gas.json"), JSON.stringify(result, null, 2) + "\n");
  writeFileSync(join(OUT_DIR, "gas.md"), md);
  console.log(md);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
