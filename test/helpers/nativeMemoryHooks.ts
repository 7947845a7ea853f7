/**
 * Mocha root hooks (hardhat.config.ts `mocha.rootHooks`): the native-memory watchdog (scripts/lib/nativeMemory.ts)
 * runs for the whole test run of a process with the in-process network.
 */
import { boundNativeMemory } from "../../scripts/lib/nativeMemory";

let stop: (() => void) | undefined;

export const nativeMemoryRootHooks = {
  beforeAll(): void {
    stop ??= boundNativeMemory();
  },
  afterAll(): void {
    stop?.();
    stop = undefined;
  },
};
