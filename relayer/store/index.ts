import { MemoryJobStore } from "./memory";
import { PostgresJobStore } from "./postgres";
import { SqliteJobStore } from "./sqlite";
import type { JobStore } from "./types";

/** Where the jobs live: PostgreSQL (several instances), SQLite in a data directory (the default), or memory (tests). */
export type StoreChoice = { kind: "postgres"; url: string } | { kind: "sqlite"; dataDir: string } | { kind: "memory" };

export async function openJobStore(choice: StoreChoice, opts: { onPoolError?: (err: Error) => void } = {}): Promise<JobStore> {
  switch (choice.kind) {
    case "postgres":
      return PostgresJobStore.open(choice.url, opts);
    case "sqlite":
      return new SqliteJobStore(choice.dataDir);
    case "memory":
      return new MemoryJobStore();
  }
}

export * from "./types";
