import { Pool, types, type PoolClient, type QueryResult, type QueryResultRow } from "pg";
import { POSTGRES_MIGRATIONS } from "../postgresMigrations";
import { StoreUnavailable, type StoreHandle } from "../types";

/** BIGINT columns (ms timestamps, nonces, block numbers, epochs) stay below 2^53: read them as numbers, not strings. */
const INT8_OID = 20;
const PG_TYPES = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === INT8_OID && format !== "binary" ? (v: string) => Number(v) : types.getTypeParser(oid, format as "text")) as typeof types.getTypeParser,
};

/** Lease times come from the database's clock, so that instances with skewed clocks agree on who holds a lane. */
export const NOW_MS = "(extract(epoch from clock_timestamp()) * 1000)::bigint";

/** Key of the advisory lock that serialises migrations between instances starting at once. */
const MIGRATION_LOCK = 0x6d6564726e67; // "medrng"

/**
 * Errors that mean the database cannot be used now, rather than a bug or a refused write: connection failures
 * (SQLSTATE class 08, refused or reset sockets, pool connect timeouts) and a server shutting down or starting
 * (57P01-57P03).
 */
function asUnavailable(err: unknown): unknown {
  const e = err as { code?: unknown; message?: unknown };
  const code = typeof e.code === "string" ? e.code : "";
  const message = typeof e.message === "string" ? e.message : "";
  const lost =
    code.startsWith("08") ||
    ["57P01", "57P02", "57P03", "ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH"].includes(code) ||
    /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(message);
  return lost && err instanceof Error ? new StoreUnavailable(err) : err;
}

/**
 * The PostgreSQL database (node-postgres pool) that the PostgreSQL JobStore and LaneStore share, for several relayer
 * instances. Durability: every store method commits before it returns, and PostgreSQL's default
 * `synchronous_commit = on` flushes the commit to the WAL first, so the 202 that follows `insertJob` never announces
 * a job a crash (of the instance or of the database) could lose; `open` refuses a database where it is off.
 */
export class PgDatabase implements StoreHandle {
  private closed = false;

  private constructor(private readonly pool: Pool) {}

  /** Connects, checks durability and applies missing migrations (one instance at a time). */
  static async open(connectionString: string, opts: { onPoolError?: (err: Error) => void; poolSize?: number } = {}): Promise<PgDatabase> {
    const pool = new Pool({
      connectionString,
      max: opts.poolSize ?? 8,
      types: PG_TYPES,
      connectionTimeoutMillis: 10_000,
      statement_timeout: 15_000,
      application_name: "medring-relayer",
    });
    // An idle client losing its connection emits 'error' on the pool; without a listener that would end the process.
    pool.on("error", (err) => opts.onPoolError?.(err));
    const database = new PgDatabase(pool);
    try {
      const { rows } = await pool.query<{ synchronous_commit: string }>("SHOW synchronous_commit");
      if (rows[0].synchronous_commit === "off") {
        throw new Error("PostgreSQL has synchronous_commit = off: an accepted job could be lost in a crash; turn it on for the relayer's database");
      }
      await database.migrate();
    } catch (err) {
      await pool.end();
      throw err;
    }
    return database;
  }

  private async migrate(): Promise<void> {
    await this.withClient(async (c) => {
      await c.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK]);
      try {
        await c.query("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)");
        const current = (await c.query<{ v: number | null }>("SELECT MAX(version) AS v FROM schema_migrations")).rows[0].v ?? 0;
        if (current > POSTGRES_MIGRATIONS.length) {
          throw new Error(`job store schema version ${current} is newer than this relayer (${POSTGRES_MIGRATIONS.length})`);
        }
        for (let v = current + 1; v <= POSTGRES_MIGRATIONS.length; v++) {
          await c.query("BEGIN");
          try {
            await c.query(POSTGRES_MIGRATIONS[v - 1]);
            await c.query("INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)", [v, Date.now()]);
            await c.query("COMMIT");
          } catch (err) {
            await c.query("ROLLBACK");
            throw err;
          }
        }
      } finally {
        await c.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK]);
      }
    });
  }

  async schemaVersion(): Promise<number> {
    return (await this.query<{ v: number }>("SELECT MAX(version) AS v FROM schema_migrations")).rows[0].v;
  }

  /** One statement outside a transaction; a lost database connection becomes StoreUnavailable. */
  async query<R extends QueryResultRow = QueryResultRow>(sql: string, values?: unknown[]): Promise<QueryResult<R>> {
    try {
      return await this.pool.query<R>(sql, values);
    } catch (err) {
      throw asUnavailable(err);
    }
  }

  /** Runs `fn` in one transaction (READ COMMITTED) on one connection; rolls back on any error. */
  async tx<T>(fn: (c: PoolClient) => Promise<T>): Promise<T> {
    try {
      return await this.withClient(async (c, broken) => {
        await c.query("BEGIN");
        try {
          const result = await fn(c);
          await c.query("COMMIT");
          return result;
        } catch (err) {
          if (!broken()) await c.query("ROLLBACK").catch(() => undefined);
          throw err;
        }
      });
    } catch (err) {
      throw asUnavailable(err);
    }
  }

  /**
   * Runs `fn` on a client checked out of the pool. A client that loses its connection while checked out emits
   * 'error' (besides failing its queries); the pool listens only to idle clients, so without a listener here the event
   * would end the process. A broken client is destroyed on release, not returned to the pool.
   */
  private async withClient<T>(fn: (c: PoolClient, broken: () => boolean) => Promise<T>): Promise<T> {
    const c = await this.pool.connect();
    let lost: Error | undefined;
    const onError = (err: Error) => (lost = err);
    c.on("error", onError);
    try {
      return await fn(c, () => lost !== undefined);
    } finally {
      c.removeListener("error", onError);
      c.release(lost);
    }
  }

  async ping(): Promise<void> {
    await this.query("SELECT 1");
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}
