/**
 * Where RingVerifier.verify's gas goes OUTSIDE the MSM core (docs/verifier-gas.md, "Fixed overhead"):
 * `PROFILE_N=1,8 npx hardhat run --no-compile bench/profileVerifier.ts`.
 * Traces one fresh signature per ring size (`debug_traceTransaction`, memory and stack disabled) and attributes
 * every step of the verifier's own frame to the innermost function of the Solidity (or compiler-generated Yul)
 * source it was compiled from, with the compiler's source map; prints the transaction's split into the 21,000 base
 * cost, calldata (zero and non-zero bytes), the verifier's steps by function, the STATICCALL itself and the core.
 * With PROFILE_LINES=k it also prints the k most expensive source lines. Not the benchmark of record: `bench:gas` is.
 */
import { artifacts, ethers, network } from "hardhat";
import { toVerifierArgs } from "../src/mrs1";
import { randomRingSignature } from "../scripts/lib/randomRing";

interface AstNode {
  nodeType?: string;
  src?: string;
  name?: string;
  [key: string]: unknown;
}
interface Step {
  op: string;
  gas: number;
  gasCost: number;
  pc: number;
  depth: number;
}
interface Span {
  start: number;
  end: number;
  name: string;
}
interface SourceFile {
  name: string;
  text: string;
  functions: Span[];
}

/** Every (Yul) function definition of an AST, with its byte range. */
function functionSpans(node: unknown, out: Span[] = []): Span[] {
  if (Array.isArray(node)) {
    for (const child of node) functionSpans(child, out);
    return out;
  }
  if (node === null || typeof node !== "object") return out;
  const n = node as AstNode;
  if ((n.nodeType === "FunctionDefinition" || n.nodeType === "YulFunctionDefinition") && n.src) {
    const [start, length] = n.src.split(":").map(Number);
    out.push({ start, end: start + length, name: n.name || "(fallback)" });
  }
  for (const value of Object.values(n)) if (typeof value === "object") functionSpans(value, out);
  return out;
}

/** Instruction index of every pc of `code` (PUSHn data bytes belong to their PUSH). */
function instructionIndex(code: Uint8Array): Map<number, number> {
  const index = new Map<number, number>();
  for (let pc = 0, i = 0; pc < code.length; i++) {
    index.set(pc, i);
    const op = code[pc];
    pc += op >= 0x60 && op <= 0x7f ? op - 0x5e : 1;
  }
  return index;
}

/** The compressed source map, expanded to [start, length, file] per instruction. */
function expandSourceMap(map: string): Array<[number, number, number]> {
  const out: Array<[number, number, number]> = [];
  let last: [number, number, number] = [0, 0, -1];
  for (const entry of map.split(";")) {
    const fields = entry.split(":");
    const next: [number, number, number] = [...last];
    for (let k = 0; k < 3; k++) if (fields[k] !== undefined && fields[k] !== "") next[k] = Number(fields[k]);
    out.push(next);
    last = next;
  }
  return out;
}

async function main() {
  const sizes = (process.env.PROFILE_N ?? "1").split(",").map(Number);
  const topLines = Number(process.env.PROFILE_LINES ?? "0");
  const buildInfo = await artifacts.getBuildInfo("contracts/RingVerifier.sol:RingVerifier");
  if (!buildInfo) throw new Error("no build info for RingVerifier: run npx hardhat compile");
  const compiled = buildInfo.output.contracts["contracts/RingVerifier.sol"].RingVerifier.evm.deployedBytecode;
  const files = new Map<number, SourceFile>();
  for (const [name, source] of Object.entries(buildInfo.output.sources)) {
    const text = buildInfo.input.sources[name].content;
    files.set(source.id, { name, text, functions: functionSpans(source.ast) });
  }
  for (const generated of (compiled as unknown as { generatedSources: Array<{ id: number; name: string; contents: string; ast: unknown }> }).generatedSources) {
    files.set(generated.id, { name: generated.name, text: generated.contents, functions: functionSpans(generated.ast) });
  }
  const code = ethers.getBytes("0x" + compiled.object);
  const index = instructionIndex(code);
  const sourceMap = expandSourceMap(compiled.sourceMap);
  const where = (pc: number): { fn: string; line: string } => {
    const i = index.get(pc);
    const [start, length, file] = i === undefined ? [0, 0, -1] : sourceMap[i];
    const source = files.get(file);
    if (!source) return { fn: "(no source)", line: "(no source)" };
    let best: Span | undefined;
    for (const span of source.functions) {
      if (span.start <= start && start + length <= span.end && (!best || span.end - span.start < best.end - best.start)) best = span;
    }
    const lineNo = source.text.slice(0, start).split("\n").length;
    const lineText = source.text.split("\n")[lineNo - 1]?.trim().slice(0, 90) ?? "";
    const short = source.name.replace(/^contracts\//, "");
    return { fn: `${short}:${best?.name ?? "(outside functions)"}`, line: `${short}:${lineNo} ${lineText}` };
  };

  const verifier = await ethers.deployContract("RingVerifier");
  const to = await verifier.getAddress();
  const [sender] = await ethers.getSigners();
  for (const n of sizes) {
    const args = toVerifierArgs(randomRingSignature(n));
    const data = verifier.interface.encodeFunctionData("verify", [args.scope, args.message, args.sig, args.hints]);
    const receipt = (await (await sender.sendTransaction({ to, data, gasLimit: 16_777_216 })).wait())!;
    if (receipt.status !== 1) throw new Error(`verify failed for n = ${n}`);
    const bytes = ethers.getBytes(data);
    const zeros = bytes.filter((b) => b === 0).length;
    const trace = (await network.provider.send("debug_traceTransaction", [
      receipt.hash,
      { disableMemory: true, disableStorage: true, disableStack: true },
    ])) as { gas: number; structLogs: Step[] };
    const byFunction = new Map<string, number>();
    const byLine = new Map<string, number>();
    let core = 0;
    let call = 0;
    const steps = trace.structLogs;
    for (let s = 0; s < steps.length; s++) {
      const step = steps[s];
      if (step.depth !== 1) {
        core += step.gasCost;
        continue;
      }
      let cost = step.gasCost;
      if (step.op === "STATICCALL" || step.op === "CALL") {
        // the step's gasCost includes the gas forwarded; charge the call only what it did not give back
        let next = s + 1;
        while (next < steps.length && steps[next].depth !== 1) next++;
        let inner = 0;
        for (let k = s + 1; k < next; k++) inner += steps[k].gasCost;
        cost = step.gas - (next < steps.length ? steps[next].gas : step.gas - step.gasCost) - inner;
        call += cost;
      }
      const { fn, line } = where(step.pc);
      byFunction.set(fn, (byFunction.get(fn) ?? 0) + cost);
      byLine.set(line, (byLine.get(line) ?? 0) + cost);
    }
    const total = Number(receipt.gasUsed);
    const execution = [...byFunction.values()].reduce((a, b) => a + b, 0);
    const calldata = 16 * (bytes.length - zeros) + 4 * zeros;
    console.log(`\nn = ${n}: transaction ${total.toLocaleString("en")} gas`);
    console.log(`  base 21,000; calldata ${calldata.toLocaleString("en")} (${bytes.length} bytes, ${zeros} zero)`);
    console.log(`  MSM core (steps inside the STATICCALL) ${core.toLocaleString("en")}; the STATICCALL itself ${call.toLocaleString("en")}`);
    console.log(
      `  verifier frame ${execution.toLocaleString("en")} (incl. the call); unattributed ${(total - 21_000 - calldata - execution - core).toLocaleString("en")}`,
    );
    for (const [fn, gas] of [...byFunction.entries()].sort((a, b) => b[1] - a[1])) console.log(`  ${String(gas).padStart(8)}  ${fn}`);
    if (topLines > 0) {
      console.log("  most expensive lines:");
      for (const [line, gas] of [...byLine.entries()].sort((a, b) => b[1] - a[1]).slice(0, topLines)) console.log(`  ${String(gas).padStart(8)}  ${line}`);
    }
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
