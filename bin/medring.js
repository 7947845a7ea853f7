#!/usr/bin/env node
// Entry point of the `medring` CLI. It runs the JavaScript that `npm run build` writes under dist/ (`npm ci`
// builds through the `prepare` script), so no TypeScript is compiled at start-up.
"use strict";
const path = require("node:path");

const entry = path.join(__dirname, "..", "dist", "src", "cli", "main.js");
let cli;
try {
  cli = require(entry);
} catch (err) {
  if (err && err.code === "MODULE_NOT_FOUND" && !require("node:fs").existsSync(entry)) {
    process.stderr.write("medring: the CLI is not built (no dist/src/cli/main.js): run npm run build\n");
    process.exit(70);
  }
  throw err;
}
cli.main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`medring: internal error: ${err && err.message ? err.message : err}\n`);
    process.exitCode = 70;
  },
);
