import { MemoryJobStore } from "./memory/jobStore";
import { MemoryLaneStore } from "./memory/laneStore";
import { MemoryState } from "./memory/state";
import { PgDatabase } from "./postgres/database";
import { PostgresJobStore } from "./postgres/jobStore";
import { PostgresLaneStore } from "./postgres/laneStore";
import { SqliteDatabase } from "./sqlite/database";
import { SqliteJobStore } from "./sqlite/jobStore";
import { SqliteLaneStore } from "./sqlite/laneStore";
import type { JobStore, LaneStore, StoreHandle } from "./types";

/** Where the jobs live: PostgreSQL (several instances), SQLite in a data directory (the default), or memory (tests). */
export type StoreChoice = { kind: "postgres"; url: string } | { kind: "sqlite"; dataDir: string } | { kind: "memory" };

/** The two stores of one backend, on one database (a lane's writes to its jobs are atomic with its nonce and attempts). */
export interface Stores extends StoreHandle {
  jobs: JobStore;
  lanes: LaneStore;
}

function both(database: StoreHandle, jobs: JobStore, lanes: LaneStore): Stores {
  return { jobs, lanes, ping: () => database.ping(), close: () => database.close() };
}

export async function openStores(choice: StoreChoice, opts: { onPoolError?: (err: Error) => void } = {}): Promise<Stores> {
  switch (choice.kind) {
    case "postgres": {
      const pg = await PgDatabase.open(choice.url, opts);
      return both(pg, new PostgresJobStore(pg), new PostgresLaneStore(pg));
    }
    case "sqlite": {
      const sql = new SqliteDatabase(choice.dataDir);
      return both(sql, new SqliteJobStore(sql), new SqliteLaneStore(sql));
    }
    case "memory": {
      const state = new MemoryState();
      const jobs = new MemoryJobStore(state);
      return both(jobs, jobs, new MemoryLaneStore(state));
    }
  }
}

export * from "./types";
