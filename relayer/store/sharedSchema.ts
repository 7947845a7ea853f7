/**
 * The tables and migrations SQLite (migrations.ts) and PostgreSQL (postgresMigrations.ts) share, written once and
 * rendered with each dialect's column types, so that the two schemas cannot drift apart and the row conversion
 * (rows.ts) serves both. Each renders the very statements its migrations shipped with, to the byte: the migrations are
 * append-only and test/relayer/store.test.ts pins every shipped one by its hash.
 */
export interface SqlDialect {
  /** A 64-bit integer (ms timestamps, nonces, block numbers): SQLite's INTEGER, PostgreSQL's BIGINT. */
  readonly int64: "INTEGER" | "BIGINT";
  /** A uint64 (an action's deadline), which PostgreSQL's signed BIGINT cannot hold. */
  readonly uint64: "INTEGER" | "NUMERIC(20)";
  /** The column that keeps a table's insertion order: SQLite's implicit rowid, PostgreSQL's `seq` (a BIGSERIAL). */
  readonly insertionOrder: "rowid" | "seq";
}

export const SQLITE: SqlDialect = { int64: "INTEGER", uint64: "INTEGER", insertionOrder: "rowid" };
export const POSTGRES: SqlDialect = { int64: "BIGINT", uint64: "NUMERIC(20)", insertionOrder: "seq" };

type Column = readonly [name: string, type: string];

/** `CREATE TABLE` with one column a line, the types aligned at `width`; PostgreSQL's tables end with their `seq`. */
function createTable(dialect: SqlDialect, name: string, width: number, columns: readonly Column[], ordered = false): string {
  const all = ordered && dialect.insertionOrder === "seq" ? [...columns, ["seq", "BIGSERIAL NOT NULL"] as const] : columns;
  return `CREATE TABLE ${name} (\n${all.map(([column, type]) => `     ${column.padEnd(width)}${type}`).join(",\n")}\n   );`;
}

/**
 * The jobs table as first created. `answersFor` is its eighth column: SQLite's first schema kept one `replay_key` per
 * job (migration 3 moved it into replay_slots and added `principal`), PostgreSQL's started with `principal`.
 */
export function jobsTable(dialect: SqlDialect, answersFor: "replay_key" | "principal"): string {
  const { int64 } = dialect;
  return createTable(
    dialect,
    "jobs",
    15,
    [
      ["id", "TEXT PRIMARY KEY"],
      ["kind", "TEXT NOT NULL"],
      ["auth_type", "TEXT NOT NULL"],
      ["to_address", "TEXT NOT NULL"],
      ["data", "TEXT NOT NULL"],
      ["gas_estimate", "TEXT NOT NULL"],
      ["deadline", `${dialect.uint64} NOT NULL`],
      [answersFor, "TEXT NOT NULL"],
      ["status", "TEXT NOT NULL"],
      ["reason", "TEXT"],
      ["signer", "TEXT"],
      ["nonce", int64],
      ["tx_hash", "TEXT"],
      ["block_number", int64],
      ["block_hash", "TEXT"],
      ["gas_used", "TEXT"],
      ["created_at", `${int64} NOT NULL`],
      ["updated_at", `${int64} NOT NULL`],
      ["submitted_at", int64],
      ["mined_at", int64],
    ],
    true,
  );
}

/**
 * A table of signed transactions (`tx_attempts` of a job, `batch_attempts` of a batch) and its index in the order they
 * were signed. SQLite's first `tx_attempts` had no `purpose` (its migration 2 added it); every later one has.
 */
export function attemptsTable(dialect: SqlDialect, name: string, owner: "job" | "batch", withPurpose: boolean): string {
  const ownerColumn = `${owner}_id`;
  const ownerTable = owner === "job" ? "jobs" : "batches";
  const purpose: Column[] = withPurpose ? [["purpose", "TEXT NOT NULL CHECK (purpose IN ('action', 'cancel'))"]] : [];
  const table = createTable(
    dialect,
    name,
    26,
    [
      ["hash", "TEXT PRIMARY KEY"],
      ...purpose,
      [ownerColumn, `TEXT NOT NULL REFERENCES ${ownerTable} (id)`],
      ["signer", "TEXT NOT NULL"],
      ["nonce", `${dialect.int64} NOT NULL`],
      ["raw", "TEXT NOT NULL"],
      ["max_fee_per_gas", "TEXT NOT NULL"],
      ["max_priority_fee_per_gas", "TEXT NOT NULL"],
      ["gas_limit", "TEXT NOT NULL"],
      ["created_at", `${dialect.int64} NOT NULL`],
    ],
    true,
  );
  const order = dialect.insertionOrder === "seq" ? "seq" : "created_at";
  return `${table}\n   CREATE INDEX ${name}_${owner} ON ${name} (${ownerColumn}, ${order});`;
}

/** The replay slots a job holds (SQLite migration 3, PostgreSQL migration 1). */
export const REPLAY_SLOTS_TABLE = `CREATE TABLE replay_slots (
     slot    TEXT NOT NULL,
     job_id  TEXT NOT NULL REFERENCES jobs (id),
     PRIMARY KEY (slot, job_id)
   );`;

/** The penalties of principals whose jobs failed through their doing (SQLite migration 3, PostgreSQL migration 1). */
export function penaltiesTable(dialect: SqlDialect): string {
  return createTable(dialect, "penalties", 11, [
    ["principal", "TEXT PRIMARY KEY"],
    ["until", `${dialect.int64} NOT NULL`],
    ["reason", "TEXT NOT NULL"],
  ]);
}

/** A lane per signer key and its lease, `epoch` the fencing token (SQLite migration 4, PostgreSQL migration 1). */
export function lanesTable(dialect: SqlDialect): string {
  return createTable(dialect, "lanes", 13, [
    ["signer", "TEXT PRIMARY KEY"],
    ["next_nonce", dialect.int64],
    ["holder", "TEXT"],
    ["lease_until", `${dialect.int64} NOT NULL DEFAULT 0`],
    ["epoch", `${dialect.int64} NOT NULL DEFAULT 0`],
  ]);
}

/** The relayer instances alive (SQLite migration 4, PostgreSQL migration 1). */
export function instancesTable(dialect: SqlDialect): string {
  return createTable(dialect, "instances", 13, [
    ["holder", "TEXT PRIMARY KEY"],
    ["alive_until", `${dialect.int64} NOT NULL`],
  ]);
}

/**
 * SQLite migration 5 and PostgreSQL migration 2: batches of ring jobs sent as one executeRingActions transaction (the
 * batch: its call and nonce), their signed transactions, and each member job's batch and index in it
 * (RingActionSkipped names the index).
 */
export function batchesMigration(dialect: SqlDialect): string {
  const batches = createTable(dialect, "batches", 13, [
    ["id", "TEXT PRIMARY KEY"],
    ["signer", "TEXT NOT NULL"],
    ["nonce", `${dialect.int64} NOT NULL`],
    ["to_address", "TEXT NOT NULL"],
    ["data", "TEXT NOT NULL"],
    ["created_at", `${dialect.int64} NOT NULL`],
  ]);
  return `${batches}
   ${attemptsTable(dialect, "batch_attempts", "batch", true)}
   ALTER TABLE jobs ADD COLUMN batch_id TEXT REFERENCES batches (id);
   ALTER TABLE jobs ADD COLUMN batch_index INTEGER;
   CREATE INDEX jobs_batch ON jobs (batch_id, batch_index);`;
}

/**
 * SQLite migration 6 and PostgreSQL migration 3: a send is the lanes' unit of work, one call under one nonce carrying
 * one job or a batch of them, with its attempts keyed by the send. Batches become sends; each job sent alone so far
 * becomes a send of one under its own id, with the attempts of its current nonce (those of an earlier nonce, spent
 * elsewhere before the job was re-queued, can never be mined and are not kept), in the order they were signed.
 */
export function sendsMigration(dialect: SqlDialect): string {
  return `ALTER TABLE batches RENAME TO sends;
   ALTER TABLE batch_attempts RENAME TO send_attempts;
   ALTER TABLE send_attempts RENAME COLUMN batch_id TO send_id;
   ALTER TABLE jobs RENAME COLUMN batch_id TO send_id;
   INSERT INTO sends (id, signer, nonce, to_address, data, created_at)
     SELECT id, signer, nonce, to_address, data, COALESCE(submitted_at, created_at) FROM jobs
     WHERE send_id IS NULL AND signer IS NOT NULL AND nonce IS NOT NULL AND EXISTS (SELECT 1 FROM tx_attempts t WHERE t.job_id = jobs.id);
   INSERT INTO send_attempts (hash, purpose, send_id, signer, nonce, raw, max_fee_per_gas, max_priority_fee_per_gas, gas_limit, created_at)
     SELECT t.hash, t.purpose, t.job_id, t.signer, t.nonce, t.raw, t.max_fee_per_gas, t.max_priority_fee_per_gas, t.gas_limit, t.created_at
     FROM tx_attempts t JOIN sends s ON s.id = t.job_id AND s.nonce = t.nonce ORDER BY t.${dialect.insertionOrder};
   UPDATE jobs SET send_id = id WHERE send_id IS NULL AND id IN (SELECT id FROM sends);
   DROP TABLE tx_attempts;`;
}

/** SQLite migration 7 and PostgreSQL migration 4: named secrets every instance sharing the store must agree on. */
export const SECRETS_MIGRATION = "CREATE TABLE secrets (name TEXT PRIMARY KEY, value TEXT NOT NULL);";
