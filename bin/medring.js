#!/usr/bin/env node
// Entry point of the `medring` CLI. It runs the JavaScript that `npm run build` writes under dist/ (`npm ci`
// builds through the `prepare` script), so no TypeScript is compiled at start-up.
"use strict";
const path = require("node:path");

// ExitCode.Internal of src/cli/errors.ts, which cannot be loaded when the build is missing (test/cli/exitCodes.test.ts).
const EXIT_INTERNAL = 70;
const entry = path.join(__dirname, "..", "dist", "src", "cli", "main.js");
let cli;
try {
  cli = require(entry);
} catch (err) {
  if (err && err.code === "MODULE_NOT_FOUND" && !require("node:fs").existsSync(entry)) {
    process.stderr.write("medring: the CLI is not built (no dist/src/cli/main.js): run npm run build\n");
    process.exit(EXIT_INTERNAL);
  }
  throw err;
}
cli.main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`medring: internal error: ${err && err.message ? err.message : err}\n`);
    process.exitCode = EXIT_INTERNAL;
  },
);
