/**
 * Keeps the native memory of a process that runs Hardhat's network bounded: the tests' in-process network (Mocha root
 * hooks, test/helpers/nativeMemoryHooks.ts) and the devnet's `hardhat node` (tasks/node.ts); docs/testing.md has the
 * measurements. The network (EDR, a Rust library) returns every call and transaction as a native object holding
 * the call's full execution trace: ~10 MB for a verifier call, several hundred MB for an MSM with a wide Pippenger
 * window. That memory is freed only when V8 collects the small JS wrapper, and V8 does not count native memory when
 * it decides to collect, so without help the traces of a whole run piled up. The watchdog below forces a full
 * collection whenever the resident set has grown by GC_STEP_BYTES since the last one.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/**
 * The environment of a process that runs Hardhat's network. EDR allocates with mimalloc, which by default keeps the
 * pages of freed traces for reuse (a ring-16 `eth_estimateGas` traces a dozen verifications, ~1.2 GB) and hands them
 * back to the system only after a delay, if ever. With these two it returns what it can at once: after four ring-16
 * estimates a process held 3.4 GB instead of 4.6 GB (`npm run bench:edr`, bench/edrTraces.ts); docs/testing.md has what it did for the test files. Given to every `hardhat
 * node` the stack starts (scripts/stack/devnet.ts) and to every test group on the Hardhat network
 * (scripts/testRunner.ts); mimalloc reads it when the process starts.
 */
export const RETURN_FREED_PAGES: Readonly<Record<string, string>> = { MIMALLOC_PURGE_DELAY: "0", MIMALLOC_PURGE_DECOMMITS: "1" };

/** How much the resident set may grow before a full collection (a few dozen verifier-call traces at most). */
const GC_STEP_BYTES = 384 * 1024 * 1024;
/** How often the resident set is checked; calls are async, so the check also runs inside long tests. */
const CHECK_INTERVAL_MS = 200;

/** A synchronous full collection, without restarting the process with --expose-gc. */
export function exposedGc(): () => void {
  const exposed = globalThis.gc;
  if (typeof exposed === "function") return () => void exposed(); // node --expose-gc: a synchronous collection
  // Node exposes `gc` to contexts created after the flag is set, without restarting the process with --expose-gc.
  setFlagsFromString("--expose-gc");
  return runInNewContext("gc") as () => void;
}

/** Starts the watchdog; returns a function that stops it. */
export function boundNativeMemory(): () => void {
  const gc = exposedGc();
  let baseline = process.memoryUsage.rss();
  const timer = setInterval(() => {
    if (process.memoryUsage.rss() - baseline < GC_STEP_BYTES) return;
    gc();
    baseline = process.memoryUsage.rss();
  }, CHECK_INTERVAL_MS);
  timer.unref();
  return () => clearInterval(timer);
}
