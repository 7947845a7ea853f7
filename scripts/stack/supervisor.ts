/**
 * The local stack's children under watch: a critical child's death (the devnet, the database) stops the stack; a
 * restartable one (a relayer) is logged and started again after a back-off, while the others go on serving. With
 * several relayers on one PostgreSQL the restarted instance rejoins and takes its share of the lanes again
 * (relayer/README.md, "Several instances"); a single relayer reopens its SQLite store and resumes its jobs.
 */
import { stop, type Supervised } from "./processes";

export interface ChildSpec {
  name: string;
  /**
   * Starts the child and resolves once it is ready; `spawned` hears of its process at once, so that a stop while it
   * is still coming up stops it too (and a start that fails stops what it spawned).
   */
  start: (spawned: (proc: Supervised) => void) => Promise<Supervised>;
  /** True: its death stops the stack. False: it is restarted after a back-off. */
  critical: boolean;
}

export interface SupervisorEvents {
  /** A line for the operator (a death, a restart). */
  log: (line: string) => void;
  /** A critical child died, or a restart failed for good: the stack must stop. */
  fatal: (reason: string) => void;
}

/** First back-off before a restart; doubled after each death that follows a restart within STABLE_MS, up to MAX. */
export const RESTART_BACKOFF_MS = 1_000;
const MAX_BACKOFF_MS = 30_000;
/** A child that ran this long is healthy again: its next death starts over at the first back-off. */
const STABLE_MS = 60_000;
/** Restarts that fail to come up in a row before the stack gives up. */
const MAX_FAILED_STARTS = 5;

interface Entry {
  spec: ChildSpec;
  proc: Supervised;
  startedAt: number;
  backoffMs: number;
  timer?: NodeJS.Timeout;
}

export class Supervisor {
  private readonly entries: Entry[] = [];
  /** Children spawned and not yet ready (a start or a restart under way). */
  private readonly starting = new Set<Supervised>();
  private stopping = false;

  constructor(private readonly events: SupervisorEvents) {}

  /** The children as they run now (a restarted one under its new process), in start order. */
  get processes(): Supervised[] {
    return this.entries.map((e) => e.proc);
  }

  get isStopping(): boolean {
    return this.stopping;
  }

  /** Starts `spec` and watches it from then on. */
  async add(spec: ChildSpec): Promise<Supervised> {
    const proc = await this.startOnce(spec);
    const entry: Entry = { spec, proc, startedAt: Date.now(), backoffMs: RESTART_BACKOFF_MS };
    this.entries.push(entry);
    this.watch(entry);
    return proc;
  }

  /**
   * Watches a child that is not started through `add` (a library started it) from now on, so that `stopAll` stops it
   * and its death, if `critical`, stops the stack.
   */
  adopt(proc: Supervised, critical: boolean): void {
    const entry: Entry = {
      spec: { name: proc.name, start: () => Promise.reject(new Error(`${proc.name} is not restartable`)), critical },
      proc,
      startedAt: Date.now(),
      backoffMs: 0,
    };
    this.entries.push(entry);
    this.watch(entry);
  }

  /** Stops every child in reverse start order and every pending restart. */
  async stopAll(): Promise<void> {
    this.stopping = true;
    for (const proc of this.starting) await stop(proc);
    for (const entry of [...this.entries].reverse()) {
      clearTimeout(entry.timer);
      await stop(entry.proc);
    }
  }

  /** Runs `spec.start`, with the child it spawns stopped by `stopAll` until it is ready, and stopped if it fails. */
  private async startOnce(spec: ChildSpec): Promise<Supervised> {
    if (this.stopping) throw new Error(`${spec.name}: the stack is stopping`);
    let spawned: Supervised | undefined;
    try {
      const proc = await spec.start((p) => {
        spawned = p;
        this.starting.add(p);
      });
      if (this.stopping) {
        await stop(proc);
        throw new Error(`${spec.name}: the stack is stopping`);
      }
      return proc;
    } catch (err) {
      if (spawned) await stop(spawned);
      throw err;
    } finally {
      if (spawned) this.starting.delete(spawned);
    }
  }

  private watch(entry: Entry): void {
    const proc = entry.proc;
    proc.child.once("exit", (code, signal) => {
      if (this.stopping || entry.proc !== proc) return;
      const how = signal ?? `exit ${code}`;
      if (entry.spec.critical) return this.events.fatal(`${entry.spec.name} stopped unexpectedly (${how}); see ${proc.logFile}`);
      if (Date.now() - entry.startedAt >= STABLE_MS) entry.backoffMs = RESTART_BACKOFF_MS;
      this.events.log(`${entry.spec.name} stopped unexpectedly (${how}); see ${proc.logFile}. Restarting it in ${entry.backoffMs / 1000} s`);
      this.scheduleRestart(entry, 0);
    });
  }

  private scheduleRestart(entry: Entry, failures: number): void {
    const delay = entry.backoffMs;
    entry.backoffMs = Math.min(entry.backoffMs * 2, MAX_BACKOFF_MS);
    entry.timer = setTimeout(() => {
      if (this.stopping) return;
      this.startOnce(entry.spec).then(
        (proc) => {
          entry.proc = proc;
          entry.startedAt = Date.now();
          this.events.log(`${entry.spec.name} restarted`);
          this.watch(entry);
        },
        (err: unknown) => {
          if (this.stopping) return;
          if (failures + 1 >= MAX_FAILED_STARTS) return this.events.fatal(`${entry.spec.name} did not come back: ${(err as Error).message}`);
          this.events.log(`${entry.spec.name} restart failed (${(err as Error).message}); trying again in ${entry.backoffMs / 1000} s`);
          this.scheduleRestart(entry, failures + 1);
        },
      );
    }, delay);
  }
}
