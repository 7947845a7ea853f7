import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { MIGRATIONS } from "../migrations";
import type { StoreHandle } from "../types";

/** Database file name inside the data directory. */
export const SQLITE_FILE = "relayer.sqlite";

/**
 * The SQLite database (better-sqlite3) that the SQLite JobStore and LaneStore share, the embedded default for one
 * relayer instance. WAL mode with `synchronous = FULL`: a commit is on disk when the call returns, so the 202 that
 * follows `insertJob` never announces a job a crash could lose. better-sqlite3 is synchronous, so each store method
 * runs its transaction to the end before it yields: atomic within the process (leases and fencing then hold
 * trivially, and keep one code path for the lanes on every backend).
 */
export class SqliteDatabase implements StoreHandle {
  readonly db: Database.Database;

  constructor(dataDir: string) {
    fs.mkdirSync(dataDir, { recursive: true });
    this.db = new Database(path.join(dataDir, SQLITE_FILE));
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("synchronous = FULL");
    this.db.pragma("foreign_keys = ON");
    this.db.pragma("busy_timeout = 5000");
    this.migrate();
  }

  /** Prepared statements by SQL text (a statement is compiled once, not per call). */
  private readonly statements = new Map<string, Database.Statement>();

  stmt(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) this.statements.set(sql, (statement = this.db.prepare(sql)));
    return statement;
  }

  /** Runs `fn` in one transaction. */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  private migrate(): void {
    this.db.exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)");
    const current = this.schemaVersion();
    if (current > MIGRATIONS.length) {
      throw new Error(`job store schema version ${current} is newer than this relayer (${MIGRATIONS.length})`);
    }
    for (let v = current + 1; v <= MIGRATIONS.length; v++) {
      this.transaction(() => {
        this.db.exec(MIGRATIONS[v - 1]);
        this.stmt("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)").run(v, Date.now());
      });
    }
  }

  schemaVersion(): number {
    return (this.stmt("SELECT MAX(version) AS v FROM schema_migrations").get() as { v: number | null }).v ?? 0;
  }

  async ping(): Promise<void> {
    this.stmt("SELECT 1").get();
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
