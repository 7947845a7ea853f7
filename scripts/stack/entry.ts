/**
 * How the stack runs the project's own programs (the relayer) as child processes: the JavaScript under dist/ when
 * the stack itself runs compiled (`npm start` and `npm run demo` build first), the TypeScript source through
 * ts-node when it runs as source (a test under `hardhat test`). Either way a child runs the same generation of the
 * code as its parent. (The deploy script is a Hardhat script: Hardhat loads hardhat.config.ts, so it runs through
 * ts-node in both cases.)
 */
import { join } from "node:path";
import { PROJECT_ROOT, RUNS_COMPILED } from "../../src/projectRoot";

export interface ChildCommand {
  command: string;
  args: string[];
}

/** A tool installed in node_modules/.bin (hardhat, ts-node). */
export const bin = (name: string): string => join(PROJECT_ROOT, "node_modules", ".bin", name);

/** `entry` is a path from the repository root without extension, e.g. "relayer/main". */
export function programCommand(entry: string): ChildCommand {
  if (RUNS_COMPILED) return { command: process.execPath, args: [join(PROJECT_ROOT, "dist", `${entry}.js`)] };
  // Transpile only: a test run has type-checked first (npm test runs tsc before hardhat test).
  return { command: bin("ts-node"), args: ["--transpile-only", join(PROJECT_ROOT, `${entry}.ts`)] };
}
