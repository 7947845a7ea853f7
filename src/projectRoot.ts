/**
 * Where the repository is, whether this code runs as TypeScript source (ts-node: the tests, Hardhat scripts) or
 * as the JavaScript that `npm run build` writes under dist/ (the CLI, `npm start`, `npm run relayer`): dist/
 * mirrors the source tree one level down, so a path computed from `__dirname` alone would point into dist/.
 * artifacts/, deployments/ and data/ live at the repository root in both cases.
 */
import path from "node:path";

/** True when this module was loaded from dist/ (compiled), false under ts-node. */
export const RUNS_COMPILED = path.extname(__filename) === ".js";

/** The repository root (the folder with package.json and artifacts/). */
export const PROJECT_ROOT = path.resolve(__dirname, RUNS_COMPILED ? "../.." : "..");
