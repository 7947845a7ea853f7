#!/usr/bin/env node
// Entry point of the `medring` CLI: runs the TypeScript sources through ts-node (type-checking is the
// test suite's job, so transpile-only keeps start-up fast).
"use strict";
const path = require("node:path");
require("ts-node").register({
  project: path.join(__dirname, "..", "tsconfig.json"),
  transpileOnly: true,
});
require("../src/cli/main").main(process.argv).then(
  (code) => { process.exitCode = code; },
  (err) => { process.stderr.write(`medring: internal error: ${err && err.message ? err.message : err}\n`); process.exitCode = 70; },
);
