/**
 * Child processes of the local stack, the tests and the benchmarks: started with their output in a log file or
 * watched until they say they are ready, stopped in reverse order; free ports for them.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { createServer } from "node:net";
import { PROJECT_ROOT } from "../../src/projectRoot";
import { programCommand } from "./entry";

export interface Supervised {
  name: string;
  child: ChildProcess;
  logFile: string;
  /** How to stop it, when not by SIGTERM (a server that a library started and knows how to shut down). */
  stop?: () => Promise<void>;
}

/** Starts `command args` in `cwd` with stdout and stderr appended to `logFile`. */
export function startLogged(name: string, command: string, args: string[], logFile: string, env: NodeJS.ProcessEnv, cwd?: string): Supervised {
  mkdirSync(dirname(logFile), { recursive: true });
  const log = createWriteStream(logFile, { flags: "a" });
  const child = spawn(command, args, { env, cwd, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  return { name, child, logFile };
}

/** Runs a command to completion with output in `logFile`; rejects with the log's name on failure. */
export function runLogged(name: string, command: string, args: string[], logFile: string, env: NodeJS.ProcessEnv, cwd?: string): Promise<void> {
  const { child } = startLogged(name, command, args, logFile, env, cwd);
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${name} failed (exit ${code}); see ${logFile}`))));
  });
}

/** A child started by `startUntilReady`: `match` is what its stdout said when it became ready. */
export interface ReadyChild {
  child: ChildProcess;
  match: RegExpExecArray;
  /** Its stdout so far (only up to the ready line unless `keepOutput`). */
  output: () => string;
}

export interface StartOptions {
  /** Ready once this matches its stdout. */
  ready: RegExp;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Keep its stdout for `output()` after the ready line (a long benchmark run only drains it). */
  keepOutput?: boolean;
  /** Append its stdout and stderr to this file too. */
  logFile?: string;
  /** Hears of the child as soon as it is spawned (so that a supervisor can stop it while it comes up). */
  spawned?: (child: ChildProcess) => void;
  /** Give up (and kill it) when not ready by then; default: wait as long as it runs. */
  timeoutMs?: number;
}

/**
 * Starts `command args` with piped output and resolves once `ready` matches its stdout; rejects when it exits or
 * times out first, with the end of its stderr (a child that timed out is killed).
 */
export function startUntilReady(command: string, args: string[], opts: StartOptions): Promise<ReadyChild> {
  const child = spawn(command, args, { cwd: opts.cwd, env: opts.env, stdio: ["ignore", "pipe", "pipe"] });
  opts.spawned?.(child);
  if (opts.logFile !== undefined) {
    mkdirSync(dirname(opts.logFile), { recursive: true });
    const log = createWriteStream(opts.logFile, { flags: "a" });
    child.stdout!.pipe(log);
    child.stderr!.pipe(log);
  }
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    let ready = false;
    const timer =
      opts.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            child.kill("SIGKILL");
            reject(new Error(`${[command, ...args].join(" ")} not ready after ${opts.timeoutMs! / 1000} s: ${err}`));
          }, opts.timeoutMs);
    child.stdout!.on("data", (d: Buffer) => {
      if (ready && !opts.keepOutput) return;
      out += d.toString();
      if (ready) return;
      const match = opts.ready.exec(out);
      if (match) {
        ready = true;
        clearTimeout(timer);
        resolve({ child, match, output: () => out });
      }
    });
    child.stderr!.on("data", (d: Buffer) => (err = (err + d.toString()).slice(-8000)));
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${[command, ...args].join(" ")} exited with ${code ?? signal}: ${err}`));
    });
  });
}

/** What relayer/main.ts logs once it listens, with its URL and its private /metrics listener's. */
const RELAYER_LISTENING = /"url":"(http:[^"]+)","metrics":"(http:[^"]+)".*"msg":"relayer listening"/;

export type RelayerChild = ReadyChild & Supervised & { url: string; metricsUrl: string };

/**
 * relayer/main.ts as a child process (scripts/stack/entry.ts: the built JavaScript when this runs built, the source
 * through ts-node otherwise), configured by `env` over this process's environment; resolves with its URL once it
 * listens. The one way the stack, the tests and the benchmarks start a relayer.
 */
export async function startRelayerChild(
  env: Record<string, string>,
  opts: { name?: string; keepOutput?: boolean; logFile?: string; spawned?: (proc: Supervised) => void; timeoutMs?: number } = {},
): Promise<RelayerChild> {
  const name = opts.name ?? "relayer";
  const logFile = opts.logFile ?? "";
  const { command, args } = programCommand("relayer/main");
  const started = await startUntilReady(command, args, {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...env },
    ready: RELAYER_LISTENING,
    keepOutput: opts.keepOutput,
    logFile: opts.logFile,
    timeoutMs: opts.timeoutMs,
    spawned: (child) => opts.spawned?.({ name, child, logFile }),
  });
  return { ...started, name, logFile, url: started.match[1], metricsUrl: started.match[2] };
}

/** Stops a child with SIGTERM, then SIGKILL after `graceMs`. */
export function stop(proc: Supervised, graceMs = 5000): Promise<void> {
  const { child } = proc;
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  if (proc.stop) return proc.stop();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/** Whether nothing listens on host:port yet (so we fail early with a clear message instead of a log line). */
export function isPortFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

/** A TCP port on 127.0.0.1 that was free a moment ago (for stacks on non-default ports: the demo, the tests). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Polls `probe` until it resolves true, or throws after `timeoutMs` naming what was awaited. */
export async function waitFor(what: string, probe: () => Promise<boolean>, timeoutMs: number, exited?: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited?.()) throw new Error(`${what}: the process exited before it was ready`);
    if (await probe().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what}: not ready after ${timeoutMs / 1000} s`);
}
