/**
 * `hardhat node` (the devnet of `npm start` and of the end-to-end tests) with the native-memory watchdog of
 * scripts/lib/nativeMemory.ts: the node keeps every call's execution trace until V8 collects its wrapper, which a
 * long-running devnet otherwise hardly ever does (docs/testing.md, "Where the memory went").
 */
import { task } from "hardhat/config";
import { TASK_NODE } from "hardhat/builtin-tasks/task-names";
import { boundNativeMemory } from "../scripts/lib/nativeMemory";

task(TASK_NODE).setAction(async (args: Record<string, unknown>, _hre, runSuper) => {
  boundNativeMemory();
  return runSuper(args);
});
