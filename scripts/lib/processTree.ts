/**
 * The processes a command started, read from /proc (Linux): for the test suite's memory figure
 * (scripts/peakMemory.ts) and for the test runner's check that a group left nothing running (scripts/testRunner.ts).
 * docs/testing.md says what is measured and why.
 *
 * A process belongs to the tree of `root` when its parent does, or when it is in a session whose leader was in the
 * tree: a child that was started detached (a new session, as the runner starts its groups) or whose parent ended
 * first (it is then re-parented to init, out of reach of the parent links) still counts, as long as it stays in that
 * session.
 */
import { readdirSync, readFileSync } from "node:fs";

interface ProcessEntry {
  parent: number;
  session: number;
}

/** Every process now, from /proc/<pid>/stat (fields 4 and 6; the name in field 2 may hold spaces and parentheses). */
function processTable(): Map<number, ProcessEntry> {
  const table = new Map<number, ProcessEntry>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const afterName = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      table.set(Number(entry), { parent: Number(afterName[1]), session: Number(afterName[3]) });
    } catch {
      // the process ended between the listing and the read
    }
  }
  return table;
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

/** The command line of a process, for reports ("" once it has ended). */
export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").trim();
  } catch {
    return "";
  }
}

export interface Resident {
  /** Sum of the resident sets of every process of the tree (shared pages count once per process: an upper bound). */
  total: number;
  /** The largest single resident set among them. */
  largest: number;
}

/** Whether this system has /proc to measure with. */
export const canMeasure = (): boolean => {
  try {
    readFileSync("/proc/self/stat");
    return true;
  } catch {
    return false;
  }
};

/** The tree of one root process, sampled again and again: it remembers the sessions its members led. */
export class ProcessTree {
  private readonly sessions = new Set<number>();
  readonly peak: Resident = { total: 0, largest: 0 };

  constructor(private readonly root: number) {}

  /** The pids of the tree now (the root too while it runs); learns the sessions led by members. */
  members(): number[] {
    const table = processTable();
    const tree = new Set<number>();
    for (const [pid, entry] of table) if (pid === this.root || this.sessions.has(entry.session)) tree.add(pid);
    for (let grew = true; grew;) {
      grew = false;
      for (const [pid, entry] of table) {
        if (tree.has(pid)) {
          if (entry.session === pid && !this.sessions.has(pid)) {
            this.sessions.add(pid); // its session's members count from now on, wherever their parents are
            grew = true;
          }
          continue;
        }
        if (tree.has(entry.parent) || this.sessions.has(entry.session)) {
          tree.add(pid);
          grew = true;
        }
      }
    }
    return [...tree];
  }

  /** The resident memory of the tree now; the peak is kept in `peak`. */
  sample(): Resident {
    const now: Resident = { total: 0, largest: 0 };
    for (const pid of this.members()) {
      const rss = residentBytes(pid);
      now.total += rss;
      now.largest = Math.max(now.largest, rss);
    }
    this.peak.total = Math.max(this.peak.total, now.total);
    this.peak.largest = Math.max(this.peak.largest, now.largest);
    return now;
  }
}

export const mib = (bytes: number): string => `${Math.round(bytes / 2 ** 20).toLocaleString("en-US")} MiB`;
