import { secretsMigration, sendsMigration } from "./migrations";

/**
 * PostgreSQL schema migrations, applied in order, each exactly once (recorded in `schema_migrations`), by whichever
 * instance starts first (under an advisory lock: postgres.ts). Append only: never edit a migration that has shipped.
 * The tables mirror the SQLite schema after its migrations (migrations.ts), so that the row conversion (rows.ts) is
 * shared; the types are PostgreSQL's: BIGINT for ms timestamps, nonces and block numbers, NUMERIC(20) for a uint64
 * deadline, TEXT for gas and wei amounts (decimal strings).
 */
export const POSTGRES_MIGRATIONS: readonly string[] = [
  // 1: jobs, their replay slots and signed transactions, one leased lane per signer key, penalties, and the
  //    instances alive.
  `CREATE TABLE jobs (
     id             TEXT PRIMARY KEY,
     kind           TEXT NOT NULL,
     auth_type      TEXT NOT NULL,
     to_address     TEXT NOT NULL,
     data           TEXT NOT NULL,
     gas_estimate   TEXT NOT NULL,
     deadline       NUMERIC(20) NOT NULL,
     principal      TEXT NOT NULL,
     status         TEXT NOT NULL,
     reason         TEXT,
     signer         TEXT,
     nonce          BIGINT,
     tx_hash        TEXT,
     block_number   BIGINT,
     block_hash     TEXT,
     gas_used       TEXT,
     created_at     BIGINT NOT NULL,
     updated_at     BIGINT NOT NULL,
     submitted_at   BIGINT,
     mined_at       BIGINT,
     seq            BIGSERIAL NOT NULL
   );
   CREATE INDEX jobs_status ON jobs (status, created_at, seq);
   CREATE INDEX jobs_lane ON jobs (signer, status, created_at, seq);
   CREATE TABLE replay_slots (
     slot    TEXT NOT NULL,
     job_id  TEXT NOT NULL REFERENCES jobs (id),
     PRIMARY KEY (slot, job_id)
   );
   CREATE TABLE tx_attempts (
     hash                      TEXT PRIMARY KEY,
     purpose                   TEXT NOT NULL CHECK (purpose IN ('action', 'cancel')),
     job_id                    TEXT NOT NULL REFERENCES jobs (id),
     signer                    TEXT NOT NULL,
     nonce                     BIGINT NOT NULL,
     raw                       TEXT NOT NULL,
     max_fee_per_gas           TEXT NOT NULL,
     max_priority_fee_per_gas  TEXT NOT NULL,
     gas_limit                 TEXT NOT NULL,
     created_at                BIGINT NOT NULL,
     seq                       BIGSERIAL NOT NULL
   );
   CREATE INDEX tx_attempts_job ON tx_attempts (job_id, seq);
   CREATE TABLE lanes (
     signer       TEXT PRIMARY KEY,
     next_nonce   BIGINT,
     holder       TEXT,
     lease_until  BIGINT NOT NULL DEFAULT 0,
     epoch        BIGINT NOT NULL DEFAULT 0
   );
   CREATE TABLE penalties (
     principal  TEXT PRIMARY KEY,
     until      BIGINT NOT NULL,
     reason     TEXT NOT NULL
   );
   CREATE TABLE instances (
     holder       TEXT PRIMARY KEY,
     alive_until  BIGINT NOT NULL
   );`,
  // 2: batches of ring jobs sent as one executeRingActions transaction (SQLite migration 5).
  `CREATE TABLE batches (
     id           TEXT PRIMARY KEY,
     signer       TEXT NOT NULL,
     nonce        BIGINT NOT NULL,
     to_address   TEXT NOT NULL,
     data         TEXT NOT NULL,
     created_at   BIGINT NOT NULL
   );
   CREATE TABLE batch_attempts (
     hash                      TEXT PRIMARY KEY,
     purpose                   TEXT NOT NULL CHECK (purpose IN ('action', 'cancel')),
     batch_id                  TEXT NOT NULL REFERENCES batches (id),
     signer                    TEXT NOT NULL,
     nonce                     BIGINT NOT NULL,
     raw                       TEXT NOT NULL,
     max_fee_per_gas           TEXT NOT NULL,
     max_priority_fee_per_gas  TEXT NOT NULL,
     gas_limit                 TEXT NOT NULL,
     created_at                BIGINT NOT NULL,
     seq                       BIGSERIAL NOT NULL
   );
   CREATE INDEX batch_attempts_batch ON batch_attempts (batch_id, seq);
   ALTER TABLE jobs ADD COLUMN batch_id TEXT REFERENCES batches (id);
   ALTER TABLE jobs ADD COLUMN batch_index INTEGER;
   CREATE INDEX jobs_batch ON jobs (batch_id, batch_index);`,
  // 3: a send is the lanes' unit of work (SQLite migration 6: sendsMigration).
  sendsMigration("seq"),
  // 4: secrets shared by the instances (SQLite migration 7).
  secretsMigration(),
];
