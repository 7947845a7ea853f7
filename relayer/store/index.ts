import { MemoryJobStore } from "./memory";
import { SqliteJobStore } from "./sqlite";
import type { JobStore } from "./types";

export function openJobStore(kind: "sqlite" | "memory", dataDir: string): JobStore {
  return kind === "sqlite" ? new SqliteJobStore(dataDir) : new MemoryJobStore();
}

export * from "./types";
