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
import { ProcessTree, canMeasure, commandLine, mib } from "./lib/processTree";

interface Group {
  name: string;
  /** Files or folders (relative to the project, `/`-separated); the last group takes what no other does. */
  paths: string[];
  /** Extra environment of the group's process. */
  env?: Record<string, string>;
  /**
   * At most this many files per process: the group runs as several processes, in order. For groups whose files each
   * deploy contracts and run relayers on the in-process network: the chain's state and what each file's describe
   * blocks hold (Mocha keeps them to the end of the run) add up over the files of one process.
   */
  maxFiles?: number;
}

/**
 * The MSM core's tests run its widest Pippenger windows, whose execution traces (several hundred MB for one call)
 * leave the network's allocator (mimalloc) holding GBs of freed pages unless it returns them to the system at once,
 * and the traces are freed only when a full collection finds their JavaScript wrappers (scripts/lib/nativeMemory.ts),
 * so it collects more often there. Both make every call slower, which only a group without relayers or RPC timeouts
 * can afford.
 */
const RETURN_FREED_PAGES = { MIMALLOC_PURGE_DELAY: "0", MIMALLOC_PURGE_DECOMMITS: "1", MEDRING_TEST_GC_STEP_MB: "128" };

const GROUPS: Group[] = [
  { name: "MSM core", paths: ["test/verifier/msmCore.test.ts", "test/verifier/curve.test.ts"], env: RETURN_FREED_PAGES },
  { name: "verifier", paths: ["test/verifier", "test/mrs1"] },
  { name: "contracts", paths: ["test/contracts"] },
  { name: "relayer", paths: ["test/relayer"], maxFiles: 6 },
  { name: "privacy, end to end, app", paths: ["test/privacy", "test/e2e", "test/app"] },
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

/**
 * The processes to run: each file in the first group that holds it, a group of more than `maxFiles` files split into
 * as few processes of near-equal size as that allows (named "relayer 1/3" ...); empty groups are dropped.
 */
export function partition(files: string[], groups: Group[] = GROUPS): Array<Group & { files: string[] }> {
  const assigned = groups.map((group) => ({ ...group, files: [] as string[] }));
  for (const file of files) {
    const group = assigned.find((g, i) => i === assigned.length - 1 || g.paths.some((path) => under(file, path)));
    group!.files.push(file);
  }
  return assigned.flatMap((group) => {
    const parts = Math.ceil(group.files.length / (group.maxFiles ?? Infinity));
    if (parts <= 1) return group.files.length > 0 ? [group] : [];
    const cut = (i: number) => Math.round((i * group.files.length) / parts);
    return Array.from({ length: parts }, (_, i) => ({ ...group, name: `${group.name} ${i + 1}/${parts}`, files: group.files.slice(cut(i), cut(i + 1)) }));
  });
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
  const env = { ...process.env, ...group.env, ...(process.stdout.isTTY ? { MOCHA_COLORS: "1" } : {}) };
  // A session of its own: what the group leaves running is found (and ended) after it exits.
  const child = spawn(process.execPath, [hardhat, "test", "--no-compile", ...group.files], {
    cwd: PROJECT_ROOT,
    env,
    stdio: ["ignore", "pipe", "inherit"],
    detached: true,
  });
  const tree = child.pid === undefined ? undefined : new ProcessTree(child.pid);
  const measurable = canMeasure();
  const timer = setInterval(() => measurable && tree?.sample(), SAMPLE_INTERVAL_MS);
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
  const left = tree ? tree.members().map((pid) => `${pid} ${commandLine(pid)}`) : [];
  for (const entry of left) {
    try {
      process.kill(Number(entry.split(" ")[0]), "SIGKILL");
    } catch {
      // ended meanwhile
    }
  }
  return { name: group.name, files: group.files.length, ...counts, exit, left, peak: tree?.peak.total ?? 0, seconds: (Date.now() - started) / 1000 };
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
    console.log(`\n== test group "${group.name}": ${group.files.length} files ${group.env ? `(env ${JSON.stringify(group.env)})` : ""}`);
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
