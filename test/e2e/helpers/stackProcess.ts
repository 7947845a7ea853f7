/**
 * `npm start` as a child process for end-to-end tests: the built scripts/start.ts (dist/scripts/start.js, what
 * `npm start` runs; it starts the built relayer) on free ports with its state in a temporary directory
 * (MEDRING_DEVNET_PORT, MEDRING_RELAYER_PORT, MEDRING_APP_PORT, MEDRING_STACK_DIR), stopped with SIGINT as Ctrl-C would, after which
 * none of its descendants may be left.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { freePort } from "../../../scripts/stack/processes";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { ensureBuilt } from "../../helpers/builtOutput";

export const ROOT = resolve(__dirname, "..", "..", "..");

export interface StackProcess {
  child: ChildProcess;
  stateDir: string;
  rpcUrl: string;
  relayerUrl: string;
  /** The web app (app/) that `npm start` serves. */
  appUrl: string;
  output: () => string;
}

export async function startStackProcess(timeoutMs = 180_000, args: string[] = [], env: Record<string, string> = {}): Promise<StackProcess> {
  const [devnetPort, relayerPort, appPort] = [await freePort(), await freePort(), await freePort()];
  const stateDir = mkdtempSync(join(tmpdir(), "medring-e2e-"));
  // Run as root, a local PostgreSQL (--relayers N) runs as the user postgres, which must reach its cluster inside.
  chmodSync(stateDir, 0o755);
  ensureBuilt();
  const child = spawn(process.execPath, [join(ROOT, "dist", "scripts", "start.js"), ...args], {
    cwd: ROOT,
    env: {
      ...process.env,
      MEDRING_DEVNET_PORT: String(devnetPort),
      MEDRING_RELAYER_PORT: String(relayerPort),
      MEDRING_APP_PORT: String(appPort),
      MEDRING_STACK_DIR: stateDir,
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  await new Promise<void>((resolveReady, reject) => {
    const timer = setTimeout(() => {
      // Not ready: stop what it started (its devnet, relayers, PostgreSQL) before failing, so nothing outlives the test.
      void stopUnready(child).finally(() => reject(new Error(`npm start not ready after ${timeoutMs / 1000} s:\n${output}`)));
    }, timeoutMs);
    const poll = setInterval(() => {
      if (output.includes("MedRing is running")) {
        clearInterval(poll);
        clearTimeout(timer);
        resolveReady();
      }
    }, 200);
    child.once("exit", (code) => {
      clearInterval(poll);
      clearTimeout(timer);
      reject(new Error(`npm start exited (${code}) before it was ready:\n${output}`));
    });
  });
  return {
    child,
    stateDir,
    rpcUrl: `http://127.0.0.1:${devnetPort}`,
    relayerUrl: `http://127.0.0.1:${relayerPort}`,
    appUrl: `http://127.0.0.1:${appPort}`,
    output: () => output,
  };
}

/** Ctrl-C to a stack that did not come up, then SIGKILL to whatever of it is still there after 30 s. */
async function stopUnready(child: ChildProcess): Promise<void> {
  const pids = [child.pid!, ...descendants(child.pid!)];
  child.kill("SIGINT");
  const deadline = Date.now() + 30_000;
  while (child.exitCode === null && child.signalCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
  for (const pid of pids.filter(alive)) process.kill(pid, "SIGKILL");
}

/** Every descendant pid of `pid` (from ps), deepest last. */
export function descendants(pid: number): number[] {
  const rows = execFileSync("ps", ["-eo", "pid=,ppid="], { encoding: "utf8" })
    .trim()
    .split("\n")
    .map((line) => line.trim().split(/\s+/).map(Number));
  const out: number[] = [];
  const walk = (parent: number) => {
    for (const [p, pp] of rows)
      if (pp === parent) {
        out.push(p);
        walk(p);
      }
  };
  walk(pid);
  return out;
}

/** The pid of the stack's relayer that listens on `port` (its MEDRING_RELAYER_PORT, from /proc). */
export function relayerPid(stack: StackProcess, port: number): number {
  for (const pid of descendants(stack.child.pid!)) {
    try {
      const environ = readFileSync(`/proc/${pid}/environ`, "utf8").split("\0");
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8");
      if (cmdline.includes("relayer/main") && environ.includes(`MEDRING_RELAYER_PORT=${port}`)) return pid;
    } catch {
      // exited meanwhile
    }
  }
  throw new Error(`no relayer of the stack listens on port ${port}`);
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Ctrl-C to the stack, then its exit code and those of `pids` (its processes, taken while it ran) still alive half a
 * second later; the state directory is removed.
 */
export async function stopStack(stack: StackProcess, pids: number[]): Promise<{ code: number | null; left: number[] }> {
  try {
    const code = await interrupt(stack);
    await new Promise((r) => setTimeout(r, 500));
    return { code, left: pids.filter(alive) };
  } finally {
    // Whatever the outcome, nothing of the stack outlives the test (the assertion above reports what was left).
    for (const pid of [...pids, ...descendants(stack.child.pid!)].filter(alive)) process.kill(pid, "SIGKILL");
    rmSync(stack.stateDir, { recursive: true, force: true });
  }
}

/** Ctrl-C: SIGINT to the supervisor; resolves with its exit code once it has stopped its children. */
export function interrupt(stack: StackProcess, timeoutMs = 30_000): Promise<number | null> {
  return new Promise((resolveExit, reject) => {
    if (stack.child.exitCode !== null) return resolveExit(stack.child.exitCode);
    const timer = setTimeout(() => reject(new Error("npm start did not stop after SIGINT")), timeoutMs);
    stack.child.once("exit", (code) => {
      clearTimeout(timer);
      resolveExit(code);
    });
    stack.child.kill("SIGINT");
  });
}
