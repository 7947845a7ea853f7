/**
 * libsecp256k1 through the `secp256k1` npm package's native binding, and nothing else.
 *
 * The package's index (`secp256k1/index.js`) catches a failed native load and quietly returns its pure-JS
 * `elliptic` implementation, which is slower than noble. The relayer's verify workers rely on native speed
 * (a forged signature must be cheap to refuse), so this module loads the package's `bindings` entry instead:
 * it requires the compiled addon through node-gyp-build and throws when no build for this platform exists.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import type * as Secp256k1 from "secp256k1";

export type Secp256k1Api = typeof Secp256k1;

/** The native binding could not be loaded, or it computed a wrong product in the start-up self-check. */
export class NativeSecp256k1Unavailable extends Error {
  override name = "NativeSecp256k1Unavailable";
}

/** The installed `secp256k1` package's directory (resolved from here, as the relayer's own require would). */
export function secp256k1PackageDir(): string {
  return path.dirname(require.resolve("secp256k1/package.json"));
}

/**
 * Before 5.0.0 the addon kept one process-wide reference to its class, which every thread that loads it
 * overwrote, freeing the previous thread's: with worker threads that come and go (the verify pool replaces dead
 * workers, and every relayer stop ends its workers) the process crashes with a double free or a segmentation
 * fault. 5.0.0 keeps the reference per thread (Napi instance data).
 */
const FIRST_WORKER_SAFE_MAJOR = 5;

/** The native API of the `secp256k1` package in `packageDir`; throws NativeSecp256k1Unavailable instead of falling back to JS. */
export function loadNativeSecp256k1(packageDir: string = secp256k1PackageDir()): Secp256k1Api {
  const version = String((JSON.parse(readFileSync(path.join(packageDir, "package.json"), "utf8")) as { version?: unknown }).version);
  if (!(Number(version.split(".")[0]) >= FIRST_WORKER_SAFE_MAJOR)) {
    throw new NativeSecp256k1Unavailable(
      `secp256k1 ${version} (${packageDir}) crashes when worker threads load it and end; the relayer needs ${FIRST_WORKER_SAFE_MAJOR}.0.0 or later (npm ci)`,
    );
  }
  try {
    // `bindings`, not the package root: the root's index.js would catch this failure and return elliptic.
    return require(path.join(packageDir, "bindings")) as Secp256k1Api;
  } catch (err) {
    throw new NativeSecp256k1Unavailable(
      `the native libsecp256k1 binding of the secp256k1 package (${packageDir}) could not be loaded for ` +
        `${process.platform}-${process.arch} (${(err as Error).message.split("\n")[0]}); the relayer does not fall back ` +
        `to JavaScript: reinstall the package (npm ci) on a platform it ships a prebuilt binary for, or build it with node-gyp`,
    );
  }
}
