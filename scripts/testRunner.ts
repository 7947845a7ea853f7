/**
 * Runs the test suite as a few Mocha processes in sequence, one `hardhat test --no-compile FILES` per group, so that
 * the suite's peak memory is that of its largest group rather than of everything one process accumulated
 * (docs/testing.md has the budget and the measurements). `npm test` runs it under scripts/peakMemory.ts.
 *
 *   node dist/scripts/testRunner.js [PATH...]     (paths narrow the run to files under them)
 *
 * Every file under test/ outside a helpers/ folder is a test file (as `hardhat test` itself would load it); it goes
 * to the first group below whose folder holds it, else to the last group, so a new file always runs. Only the files
 * that need a process or an environment of their own are named. Every group runs even after one fails (CI reports
 * all failures of a run, and the memory figure covers the whole suite); the exit code is 1 if any failed.
 */
import { spawn } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { PROJECT_ROOT } from "../src/projectRoot";
import { RETURN_FREED_PAGES } from "./lib/nativeMemory";
import { ProcessTree, canMeasure, commandLine, mib } from "./lib/processTree";
import { devnetCommand } from "./stack/devnet";
import { freePort, startUntilReady, stop } from "./stack/processes";

interface Group {
  name: string;
  /** Files or folders (relative to the project, `/`-separated); the last group takes what no other does. */
  paths: string[];
  /**
   * Run the group's files against a fresh Anvil child (`hardhat test --network testnode`, hardhat.config.ts) instead
   * of Hardhat's in-process network: for files whose verifications would otherwise hold GBs of execution traces.
   */
  node?: "anvil";
}

/**
 * Hardhat's in-process network (EDR) traces every execution it runs and keeps the pages of those traces after it
 * frees them: one `eth_estimateGas` of a ring-16 verification (a dozen traced runs) grows the process by ~1.2 GB,
 * one MSM call with a wide Pippenger window by hundreds of MB, and neither comes back (docs/testing.md, "Where the
 * memory went"). The groups that verify most run on Anvil (Foundry's node, revm; `npm start -- --chain anvil`),
 * which traces nothing unless asked. Files that need the Hardhat network's own behaviour stay on it: one relayer test
 * keeps a transaction pending past its deadline by raising the base fee above its fee cap, which Anvil does not keep
 * pending; the contract tests read receipts the moment a transaction is sent, which Anvil mines a moment later.
 */
const GROUPS: Group[] = [
  { name: "MSM core", paths: ["test/verifier/msmCore.test.ts", "test/verifier/curve.test.ts"], node: "anvil" },
  { name: "verifier", paths: ["test/verifier", "test/mrs1"] },
  { name: "contracts", paths: ["test/contracts"] },
  { name: "relayer on the Hardhat network", paths: ["test/relayer/pendingPastDeadline.test.ts"] },
  { name: "relayer", paths: ["test/relayer"], node: "anvil" },
  { name: "privacy", paths: ["test/privacy"], node: "anvil" },
  { name: "end to end, app", paths: ["test/e2e", "test/app"] },
  { name: "everything else", paths: ["test"] },
];

const SAMPLE_INTERVAL_MS = 250;
/** How long the processes of a finished group get to end on their own before they count as left running. */
const EXIT_GRACE_MS = 3_000;

const posix = (path: string) => path.split(sep).join("/");
const under = (file: string, path: string) => file === path || file.startsWith(path + "/");

/** Every test file under `dir`, sorted (the run is the same on every machine). */
function testFiles(dir: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(join(PROJECT_ROOT, dir)).sort()) {
    const path = `${dir}/${name}`;
    if (statSync(join(PROJECT_ROOT, path)).isDirectory()) {
      if (name !== "helpers") found.push(...testFiles(path));
    } else if (/\.(c|m)?(j|t)s$/.test(name)) found.push(path);
  }
  return found;
}

/** The processes to run: each file in the first group that holds it, one process per group; empty groups are dropped. */
export function partition(files: string[], groups: Group[] = GROUPS): Array<Group & { files: string[] }> {
  const assigned = groups.map((group) => ({ ...group, files: [] as string[] }));
  for (const file of files) {
    const group = assigned.find((g, i) => i === assigned.length - 1 || g.paths.some((path) => under(file, path)));
    group!.files.push(file);
  }
  return assigned.filter((group) => group.files.length > 0);
}

interface Counts {
  passing: number;
  failing: number;
  pending: number;
}

interface GroupResult extends Counts {
  name: string;
  files: number;
  exit: string | undefined;
  left: string[];
  peak: number;
  seconds: number;
}

const stripColors = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, ""); // eslint-disable-line no-control-regex

/** Runs one group's files in one Hardhat process, its output passed through; resolves with what it saw. */
async function runGroup(group: Group & { files: string[] }): Promise<GroupResult> {
  const started = Date.now();
  const hardhat = join(PROJECT_ROOT, "node_modules", "hardhat", "internal", "cli", "bootstrap.js");
  let node: TestNode | undefined;
  try {
    node = group.node ? await startTestNode() : undefined;
  } catch (error) {
    // The group fails, and the others still run.
    const exit = `could not start its ${group.node}: ${(error as Error).message}`;
    return { name: group.name, files: group.files.length, passing: 0, failing: 0, pending: 0, exit, left: [], peak: 0, seconds: (Date.now() - started) / 1000 };
  }
  const env = { ...process.env, ...(node ? node.env : RETURN_FREED_PAGES), ...(process.stdout.isTTY ? { MOCHA_COLORS: "1" } : {}) };
  // A session of its own: what the group leaves running is found (and ended) after it exits.
  const child = spawn(process.execPath, [hardhat, "test", "--no-compile", ...(node ? ["--network", "testnode"] : []), ...group.files], {
    cwd: PROJECT_ROOT,
    env,
    stdio: ["ignore", "pipe", "inherit"],
    detached: true,
  });
  const tree = child.pid === undefined ? undefined : new ProcessTree(child.pid);
  const measurable = canMeasure();
  // The group's figure is its own tree plus the node it ran against, sampled together.
  let peak = 0;
  const timer = setInterval(() => {
    if (measurable && tree) peak = Math.max(peak, tree.sample().total + (node?.tree?.sample().total ?? 0));
  }, SAMPLE_INTERVAL_MS);
  const counts: Counts = { passing: 0, failing: 0, pending: 0 };
  let partial = "";
  child.stdout.on("data", (chunk: Buffer) => {
    process.stdout.write(chunk);
    const lines = (partial + chunk.toString("utf8")).split("\n");
    partial = lines.pop()!;
    for (const line of lines) {
      const match = /^\s*(\d+) (passing|failing|pending)\b/.exec(stripColors(line));
      if (match) counts[match[2] as keyof Counts] = Number(match[1]);
    }
  });
  const stopOnSignal = (signal: NodeJS.Signals) => {
    interrupted = signal;
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // already gone
    }
  };
  process.on("SIGINT", stopOnSignal).on("SIGTERM", stopOnSignal);
  const exit = await new Promise<string | undefined>((resolve) => {
    child.on("error", (error) => resolve(`could not start: ${error.message}`));
    child.on("exit", (code, signal) => resolve(signal ? `killed by ${signal}` : code === 0 ? undefined : `exit code ${code}`));
  });
  process.off("SIGINT", stopOnSignal).off("SIGTERM", stopOnSignal);
  const graceEnd = Date.now() + EXIT_GRACE_MS;
  while (tree && tree.members().length > 0 && Date.now() < graceEnd) await new Promise((resolve) => setTimeout(resolve, 100));
  clearInterval(timer);
  await node?.stop();
  const left = tree ? tree.members().map((pid) => `${pid} ${commandLine(pid)}`) : [];
  for (const entry of left) {
    try {
      process.kill(Number(entry.split(" ")[0]), "SIGKILL");
    } catch {
      // ended meanwhile
    }
  }
  return { name: group.name, files: group.files.length, ...counts, exit, left, peak, seconds: (Date.now() - started) / 1000 };
}

/**
 * A fresh Anvil on a free port, as `npm start -- --chain anvil` runs it (scripts/stack/devnet.ts: the same chain id,
 * devnet accounts, hardfork and gas limits as the Hardhat network), for a group with `node: "anvil"`; the group's
 * Hardhat reaches it as the `testnode` network through MEDRING_TEST_NODE_URL.
 */
interface TestNode {
  env: Record<string, string>;
  tree?: ProcessTree;
  stop: () => Promise<void>;
}

async function startTestNode(): Promise<TestNode> {
  const port = await freePort();
  const how = devnetCommand({ client: "anvil" }, "127.0.0.1", port);
  // startUntilReady keeps reading (and dropping) its output after the ready line, so its request log never blocks it.
  const ready = await startUntilReady(how.command, how.args, { env: { ...process.env, ...how.env }, ready: /Listening on/, timeoutMs: 60_000 });
  return {
    env: { MEDRING_TEST_NODE_URL: `http://127.0.0.1:${port}` },
    tree: ready.child.pid === undefined ? undefined : new ProcessTree(ready.child.pid),
    stop: () => stop({ name: "anvil", child: ready.child, logFile: "" }),
  };
}

/** Set when the run is interrupted (Ctrl-C, a CI cancellation): the running group is stopped, no other starts. */
let interrupted: NodeJS.Signals | undefined;

const duration = (seconds: number) => `${Math.floor(seconds / 60)}m ${String(Math.round(seconds % 60)).padStart(2, "0")}s`;

async function main(args: string[]): Promise<number> {
  const narrowed = args.map((path) => posix(relative(PROJECT_ROOT, join(process.cwd(), path))).replace(/\/$/, ""));
  const files = testFiles("test").filter((file) => narrowed.length === 0 || narrowed.some((path) => under(file, path)));
  if (files.length === 0) {
    console.error(`testRunner: no test file under ${args.join(", ")}`);
    return 2;
  }
  const results: GroupResult[] = [];
  for (const group of partition(files)) {
    if (interrupted) break;
    console.log(`\n== test group "${group.name}": ${group.files.length} files, on ${group.node === "anvil" ? "Anvil" : "the Hardhat network"}`);
    results.push(await runGroup(group));
  }
  const total = results.reduce((sum, r) => ({ passing: sum.passing + r.passing, failing: sum.failing + r.failing, pending: sum.pending + r.pending }), {
    passing: 0,
    failing: 0,
    pending: 0,
  });
  console.log("\n== test groups");
  for (const r of results) {
    const problems = [r.exit, r.left.length > 0 ? `left ${r.left.length} processes running (ended now): ${r.left.join("; ")}` : undefined].filter(Boolean);
    console.log(
      `  ${r.name}: ${r.files} files, ${r.passing} passing, ${r.failing} failing, ${r.pending} pending, ` +
        `peak ${canMeasure() ? mib(r.peak) : "not measured"}, ${duration(r.seconds)}${problems.length ? ` -- ${problems.join(", ")}` : ""}`,
    );
  }
  const failed = results.filter((r) => r.exit !== undefined || r.failing > 0 || r.left.length > 0);
  console.log(
    `  total: ${total.passing} passing, ${total.failing} failing, ${total.pending} pending in ${results.length} groups, ` +
      `${duration(results.reduce((s, r) => s + r.seconds, 0))}${failed.length ? `; failed: ${failed.map((r) => r.name).join(", ")}` : ""}`,
  );
  if (interrupted) console.log(`  interrupted by ${interrupted}: the groups after "${results[results.length - 1].name}" did not run`);
  return interrupted ? 130 : failed.length > 0 ? 1 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
