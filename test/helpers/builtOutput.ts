/**
 * Tests of what users run: bin/medring.js and `npm start` run the JavaScript that `npm run build` writes under
 * dist/. `npm test` builds before it tests; a file run alone (`npx hardhat test test/e2e/…`) would otherwise test
 * whatever an earlier build left there. tsc is incremental, so after `npm test`'s own build this is a no-op.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";

export const ROOT = resolve(__dirname, "..", "..");
export const CLI_BIN = join(ROOT, "bin", "medring.js");

let built = false;

export function ensureBuilt(): void {
  if (built) return;
  execFileSync(join(ROOT, "node_modules", ".bin", "tsc"), ["-p", ROOT], { cwd: ROOT, stdio: ["ignore", "inherit", "inherit"] });
  // npm start serves the web app: build it when no build is there (test/app rebuilds it before testing it).
  if (!existsSync(join(ROOT, "app", "dist", "index.html"))) buildApp();
  built = true;
}

let appBuilt = false;

/** `npm run build:app` (typecheck app/ and build it with Vite into app/dist), once per test run. */
export function buildApp(): void {
  if (appBuilt) return;
  execFileSync("npm", ["run", "--silent", "build:app"], { cwd: ROOT, stdio: ["ignore", "inherit", "inherit"] });
  appBuilt = true;
}
