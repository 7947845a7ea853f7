/**
 * Runs a command and reports the peak resident memory of its whole process tree (the command, and every devnet,
 * relayer, database, browser or CLI child it starts, even one whose parent ended first), sampled from /proc
 * (scripts/lib/processTree.ts). `npm test` runs the suite under it and CI prints the figure (.ci/run);
 * docs/testing.md says what the suite is expected to stay under and why.
 *
 *   node dist/scripts/peakMemory.js [--report FILE] [--budget-mib N] -- COMMAND [ARGS...]
 *
 * The command runs in a session of its own, so that what it leaves behind is still found and counted. Exits with
 * the command's exit code, or 1 when the command succeeded but its peak went over the budget. Linux only for the figure: elsewhere the command runs and nothing is measured.
 */
import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { ProcessTree, canMeasure, mib } from "./lib/processTree";

const SAMPLE_INTERVAL_MS = 250;

function main(argv: string[]): void {
  const separator = argv.indexOf("--");
  const options = separator < 0 ? [] : argv.slice(0, separator);
  const command = separator < 0 ? argv : argv.slice(separator + 1);
  const reportIndex = options.indexOf("--report");
  const reportFile = reportIndex < 0 ? undefined : options[reportIndex + 1];
  const budgetIndex = options.indexOf("--budget-mib");
  const budgetMib = budgetIndex < 0 ? undefined : Number(options[budgetIndex + 1]);
  if (command.length === 0 || (reportIndex >= 0 && !reportFile) || (budgetMib !== undefined && !(budgetMib > 0))) {
    console.error("usage: peakMemory [--report FILE] [--budget-mib N] -- COMMAND [ARGS...]");
    process.exit(2);
  }
  const measurable = canMeasure();
  const child = spawn(command[0], command.slice(1), { stdio: "inherit", detached: true });
  const tree = child.pid === undefined ? undefined : new ProcessTree(child.pid);
  const timer = setInterval(() => measurable && tree?.sample(), SAMPLE_INTERVAL_MS);
  // The child leads its own process group: a Ctrl-C or a CI cancellation reaches all of it through this process.
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      try {
        process.kill(-child.pid!, signal);
      } catch {
        child.kill(signal);
      }
    });
  }
  child.on("error", (error) => {
    console.error(`peakMemory: cannot start ${command[0]}: ${error.message}`);
    process.exit(127);
  });
  child.on("exit", (code, signal) => {
    clearInterval(timer);
    const peak = tree?.peak ?? { total: 0, largest: 0 };
    const over = measurable && budgetMib !== undefined && peak.total > budgetMib * 2 ** 20;
    const budget = budgetMib === undefined ? "" : `, ${over ? "OVER" : "within"} the budget of ${mib(budgetMib * 2 ** 20)}`;
    const line = measurable
      ? `peak resident memory of \`${command.join(" ")}\` and its children: ${mib(peak.total)} (largest single process ${mib(peak.largest)})${budget}`
      : `peak resident memory not measured: no /proc on this system`;
    console.log(line);
    if (reportFile) {
      mkdirSync(dirname(reportFile), { recursive: true });
      writeFileSync(reportFile, line + "\n");
    }
    process.exit(code !== 0 ? (code ?? (signal ? 128 : 1)) : over ? 1 : 0);
  });
}

if (require.main === module) main(process.argv.slice(2));
