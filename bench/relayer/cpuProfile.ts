/**
 * Where the relayer's CPU goes while it accepts valid ring-16 submissions on Anvil: the relayer runs under V8's
 * sampling profiler (`node --cpu-prof`, one profile per thread: the event loop and each verify worker), the same
 * load as bench/relayer.ts is sent, and the busy time of the load window is summed per relayer function (inclusive)
 * and per leaf function (self), per thread. Module loading and compilation before the load are left out.
 *
 *   npx hardhat run --no-compile bench/relayer/cpuProfile.ts          BENCH_VALID=200 BENCH_BATCH_MAX_ACTIONS=1 …
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startUntilReady } from "../../scripts/stack/processes";
import { load, submitAndConfirm } from "./load";
import { N_VALID, ROOT, RING_SIZE, benchRelayerEnv, cpuMsOf, setUpChain, startNode, validRequest } from "./setup";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/**
 * Busy ms per function in the profile's last `windowMs` (the profile's clock is V8's monotonic one, so the window is
 * counted back from its end, when the relayer exited): self and inclusive (relayer code).
 */
function summarize(profile: CpuProfile, windowMs: number): { busyMs: number; self: [string, number][]; inclusive: [string, number][] } {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const name = (n: ProfileNode) =>
    `${n.callFrame.functionName || "(anonymous)"} ${path.relative(ROOT, n.callFrame.url.replace("file://", "")) || n.callFrame.url}`;
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const fromUs = profile.endTime - windowMs * 1000;
  let t = profile.startTime;
  let busy = 0;
  profile.samples.forEach((id, i) => {
    t += profile.timeDeltas[i];
    const leaf = nodes.get(id)!;
    if (t < fromUs || leaf.callFrame.functionName === "(idle)") return;
    busy += profile.timeDeltas[i];
    self.set(name(leaf), (self.get(name(leaf)) ?? 0) + profile.timeDeltas[i]);
    const seen = new Set<string>();
    for (let x: number | undefined = id; x !== undefined; x = parent.get(x)) {
      const n = nodes.get(x)!;
      if (!/\/(relayer|src)\//.test(n.callFrame.url) || n.callFrame.url.includes("node_modules")) continue;
      const k = name(n);
      if (!seen.has(k)) inclusive.set(k, (inclusive.get(k) ?? 0) + profile.timeDeltas[i]);
      seen.add(k);
    }
  });
  const top = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, 20) as [string, number][];
  return { busyMs: busy / 1000, self: top(self), inclusive: top(inclusive) };
}

async function main(): Promise<void> {
  const { node, rpcUrl } = await startNode({ client: "anvil" });
  const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), "medring-cpu-profile-"));
  try {
    const w = await setUpChain(rpcUrl, { client: "anvil" });
    const deadline = BigInt((await w.provider.getBlock("latest"))!.timestamp) + 24n * 3600n;
    const bodies = Array.from({ length: N_VALID }, (_, i) => JSON.stringify(validRequest(w, i % RING_SIZE, i, deadline)));
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "medring-cpu-profile-data-"));
    const extra: Record<string, string> = process.env.BENCH_BATCH_MAX_ACTIONS ? { MEDRING_RELAYER_BATCH_MAX_ACTIONS: process.env.BENCH_BATCH_MAX_ACTIONS } : {};
    // `--cpu-prof` is refused in NODE_OPTIONS, so the relayer runs through node and ts-node's register hook here.
    const relayer = await startUntilReady(
      process.execPath,
      ["--cpu-prof", `--cpu-prof-dir=${profileDir}`, "-r", "ts-node/register/transpile-only", "relayer/main.ts"],
      {
        cwd: ROOT,
        env: { ...process.env, ...benchRelayerEnv(rpcUrl, w.deploymentFile, dataDir, extra) },
        ready: /"url":"(http:[^"]+)".*"msg":"relayer listening"/,
      },
    );
    const url = relayer.match[1];
    await submitAndConfirm(url, validRequest(w, 2, N_VALID + 5, deadline));
    const loadStarted = performance.now();
    const before = cpuMsOf(relayer.child.pid!);
    const result = await load(url, `valid ring-${RING_SIZE} createRecord`, "202", bodies, { amount: N_VALID });
    const accepted = result.statuses["202"] ?? 0;
    const cpuPerAccepted = (cpuMsOf(relayer.child.pid!) - before) / accepted;
    const exited = new Promise((r) => relayer.child.once("exit", r));
    relayer.child.kill("SIGTERM"); // the profiles are written on exit
    await exited;
    const windowMs = performance.now() - loadStarted;
    console.log(`${accepted} accepted, ${result.throughputPerSec.toFixed(1)}/s, relayer CPU ${cpuPerAccepted.toFixed(1)} ms per accepted (all threads)`);
    for (const file of fs.readdirSync(profileDir).sort()) {
      const s = summarize(JSON.parse(fs.readFileSync(path.join(profileDir, file), "utf8")) as CpuProfile, windowMs);
      console.log(`\n${file}: ${s.busyMs.toFixed(0)} ms busy from the load's start to the exit, ${(s.busyMs / accepted).toFixed(2)} ms per accepted`);
      console.log("  inclusive (relayer and src functions):");
      for (const [k, us] of s.inclusive) console.log(`    ${(us / 1000 / accepted).toFixed(2).padStart(7)} ms  ${k}`);
      console.log("  self:");
      for (const [k, us] of s.self) console.log(`    ${(us / 1000 / accepted).toFixed(2).padStart(7)} ms  ${k}`);
    }
  } finally {
    node.child.kill("SIGTERM");
    fs.rmSync(profileDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
