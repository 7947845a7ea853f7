/**
 * Runs a command and reports the peak resident memory of its whole process tree (the command, and every devnet,
 * relayer, database or CLI child it starts), sampled from /proc. `npm test` runs the suite under it and CI prints
 * the figure (.ci/run); docs/testing.md says what the suite is expected to stay under and why.
 *
 *   node dist/scripts/peakMemory.js [--report FILE] -- COMMAND [ARGS...]
 *
 * Exits with the command's exit code. Linux only for the figure: elsewhere the command runs and nothing is measured.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

const SAMPLE_INTERVAL_MS = 250;

/** The parent pid of every process, from /proc/<pid>/stat (field 4; the name in field 2 may hold spaces). */
function parentPids(): Map<number, number> {
  const parents = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const afterName = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      parents.set(Number(entry), Number(afterName[1]));
    } catch {
      // the process ended between the listing and the read
    }
  }
  return parents;
}

/** VmRSS of one process in bytes, or 0 if it has ended. */
function residentBytes(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** The resident memory of `root` and all its descendants now, and of the largest single process among them. */
export function treeResident(root: number): { total: number; largest: number } {
  const parents = parentPids();
  const tree = new Set([root]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [pid, parent] of parents) {
      if (!tree.has(pid) && tree.has(parent)) {
        tree.add(pid);
        grew = true;
      }
    }
  }
  let total = 0;
  let largest = 0;
  for (const pid of tree) {
    const rss = residentBytes(pid);
    total += rss;
    largest = Math.max(largest, rss);
  }
  return { total, largest };
}

const mib = (bytes: number) => `${Math.round(bytes / 2 ** 20).toLocaleString("en-US")} MiB`;

function main(argv: string[]): void {
  const separator = argv.indexOf("--");
  const options = separator < 0 ? [] : argv.slice(0, separator);
  const command = separator < 0 ? argv : argv.slice(separator + 1);
  const reportIndex = options.indexOf("--report");
  const reportFile = reportIndex < 0 ? undefined : options[reportIndex + 1];
  if (command.length === 0 || (reportIndex >= 0 && !reportFile)) {
    console.error("usage: peakMemory [--report FILE] -- COMMAND [ARGS...]");
    process.exit(2);
  }
  const measurable = existsSync("/proc/self/status");
  const child = spawn(command[0], command.slice(1), { stdio: "inherit" });
  const peak = { total: 0, largest: 0 };
  const sample = () => {
    if (!measurable || child.pid === undefined) return;
    const now = treeResident(child.pid);
    peak.total = Math.max(peak.total, now.total);
    peak.largest = Math.max(peak.largest, now.largest);
  };
  const timer = setInterval(sample, SAMPLE_INTERVAL_MS);
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
  child.on("error", (error) => {
    console.error(`peakMemory: cannot start ${command[0]}: ${error.message}`);
    process.exit(127);
  });
  child.on("exit", (code, signal) => {
    clearInterval(timer);
    const line = measurable
      ? `peak resident memory of \`${command.join(" ")}\` and its children: ${mib(peak.total)} (largest single process ${mib(peak.largest)})`
      : `peak resident memory not measured: no /proc on this system`;
    console.log(line);
    if (reportFile) {
      mkdirSync(dirname(reportFile), { recursive: true });
      writeFileSync(reportFile, line + "\n");
    }
    process.exit(code ?? (signal ? 128 : 1));
  });
}

if (require.main === module) main(process.argv.slice(2));
