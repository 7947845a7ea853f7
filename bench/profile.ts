/**
 * Quick gas probe for verifier work (issue 6): `PROFILE_N=1,16,128 npx hardhat run bench/profile.ts`.
 * Prints the transaction gas of RingVerifier.verify for the given ring sizes (averaged over PROFILE_RUNS fresh
 * signatures) and, with PROFILE_OPS=1, the opcode histogram of one traced n = PROFILE_TRACE_N transaction and the
 * MSM core's gas by code region (each step counted under the last label of contracts/crypto/msm/core.ts it passed:
 * total gas, times entered, gas per entry).
 * With PROFILE_FIXED=<dir>, the signatures are read from (or, the first time, written to) <dir>/n<N>-<run>.json, so
 * that two builds are compared on the same inputs (the gas depends on the hash-to-point counters of each ring).
 * Not the benchmark of record: `npm run bench:gas` is.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ethers, network } from "hardhat";
import { encodeSignatureJson, parseSignatureJson, generateKeyPair, sign, sortRing, toVerifierArgs, type Mrs1Signature } from "../src/mrs1";
import { buildCore } from "../contracts/crypto/msm/core";

function randomRingSignature(n: number): Mrs1Signature {
  const keys = Array.from({ length: n }, () => generateKeyPair());
  const ring = sortRing(keys.map((k) => k.publicKey));
  const signer = keys[Math.floor(Math.random() * n)];
  return sign({ secretKey: signer.secretKey, ring, scope: ethers.getBytes(ethers.randomBytes(32)), message: ethers.getBytes(ethers.randomBytes(32)) });
}

async function main() {
  const sizes = (process.env.PROFILE_N ?? "1,16,128").split(",").map(Number);
  const runs = Number(process.env.PROFILE_RUNS ?? "1");
  const verifier = await ethers.deployContract("RingVerifier");
  const [sender] = await ethers.getSigners();
  const to = await verifier.getAddress();
  const fixedDir = process.env.PROFILE_FIXED;
  const signature = (n: number, run: number): Mrs1Signature => {
    if (!fixedDir) return randomRingSignature(n);
    const file = join(fixedDir, `n${n}-${run}.json`);
    if (existsSync(file)) {
      const parsed = parseSignatureJson(JSON.parse(readFileSync(file, "utf8")));
      if (!parsed.ok) throw new Error(`${file}: ${parsed.detail}`);
      return parsed.signature;
    }
    const sig = randomRingSignature(n);
    mkdirSync(fixedDir, { recursive: true });
    writeFileSync(file, JSON.stringify(encodeSignatureJson(sig)));
    return sig;
  };
  const send = async (n: number, run = 0) => {
    const args = toVerifierArgs(signature(n, run));
    const data = verifier.interface.encodeFunctionData("verify", [args.scope, args.message, args.sig, args.hints]);
    const receipt = await (await sender.sendTransaction({ to, data, gasLimit: 16_777_216 })).wait();
    if (receipt!.status !== 1) throw new Error(`verify failed for n = ${n}`);
    return receipt!;
  };
  for (const n of sizes) {
    let total = 0;
    for (let r = 0; r < runs; r++) total += Number((await send(n, r)).gasUsed);
    const gas = total / runs;
    console.log(`n=${n}: ${Math.round(gas)} gas, ${Math.round(gas / n)} per member`);
  }
  if (process.env.PROFILE_OPS) {
    const receipt = await send(Number(process.env.PROFILE_TRACE_N ?? "1"));
    const trace = (await network.provider.send("debug_traceTransaction", [
      receipt.hash,
      { disableMemory: true, disableStorage: true, disableStack: true },
    ])) as {
      structLogs: Array<{ op: string; gasCost: number; pc: number; depth: number }>;
    };
    const hist = new Map<string, [number, number]>();
    for (const l of trace.structLogs) {
      const h = hist.get(l.op) ?? [0, 0];
      h[0] += 1;
      h[1] += l.gasCost;
      hist.set(l.op, h);
    }
    const sorted = [...hist.entries()].sort((a, b) => b[1][1] - a[1][1]);
    for (const [op, [count, gas]] of sorted.slice(0, 25)) console.log(`${op.padEnd(12)} ${String(count).padStart(8)} ${String(gas).padStart(9)}`);
    // the core runs one call deeper than the verifier; attribute its steps to the labels of its listing
    const labels = new Map<number, string>();
    for (const line of buildCore().listing.split("\n")) {
      const m = / JUMPDEST\s+(\S+):/.exec(line);
      if (m) labels.set(parseInt(line.slice(0, 4), 16), m[1].replace(/_\d+$/, ""));
    }
    const regions = new Map<string, [number, number]>();
    let region = "entry";
    let coreGas = 0;
    for (const l of trace.structLogs) {
      if (l.depth !== 2) continue;
      if (l.op === "JUMPDEST" && labels.has(l.pc)) {
        region = labels.get(l.pc)!;
        const r = regions.get(region) ?? [0, 0];
        r[1] += 1;
        regions.set(region, r);
      }
      const r = regions.get(region) ?? [0, 0];
      r[0] += l.gasCost;
      regions.set(region, r);
      coreGas += l.gasCost;
    }
    console.log(`MSM core: ${coreGas} gas by region (gas, entries, gas per entry)`);
    for (const [name, [gas, entries]] of [...regions.entries()].sort((a, b) => b[1][0] - a[1][0]).slice(0, 20)) {
      console.log(`${name.padEnd(18)} ${String(gas).padStart(9)} ${String(entries).padStart(7)} ${entries ? (gas / entries).toFixed(1).padStart(8) : ""}`);
    }
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
