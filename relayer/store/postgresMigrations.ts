import * as shared from "./sharedSchema";

const { POSTGRES } = shared;

/**
 * PostgreSQL schema migrations, applied in order, each exactly once (recorded in `schema_migrations`), by whichever
 * instance starts first (under an advisory lock: postgres.ts). Append only: never edit a migration that has shipped.
 * The tables mirror the SQLite schema after its migrations (migrations.ts), so that the row conversion (rows.ts) is
 * shared; both are written once in sharedSchema.ts with PostgreSQL's types: BIGINT for ms timestamps, nonces and block
 * numbers, NUMERIC(20) for a uint64 deadline, TEXT for gas and wei amounts (decimal strings).
 */
export const POSTGRES_MIGRATIONS: readonly string[] = [
  // 1: jobs, their replay slots and signed transactions, one leased lane per signer key, penalties, and the
  //    instances alive.
  `${shared.jobsTable(POSTGRES, "principal")}
   CREATE INDEX jobs_status ON jobs (status, created_at, seq);
   CREATE INDEX jobs_lane ON jobs (signer, status, created_at, seq);
   ${shared.REPLAY_SLOTS_TABLE}
   ${shared.attemptsTable(POSTGRES, "tx_attempts", "job", true)}
   ${shared.lanesTable(POSTGRES)}
   ${shared.penaltiesTable(POSTGRES)}
   ${shared.instancesTable(POSTGRES)}`,
  // 2: batches of ring jobs sent as one executeRingActions transaction (SQLite migration 5: batchesMigration).
  shared.batchesMigration(POSTGRES),
  // 3: a send is the lanes' unit of work (SQLite migration 6: sendsMigration).
  shared.sendsMigration(POSTGRES),
  // 4: secrets shared by the instances (SQLite migration 7).
  shared.SECRETS_MIGRATION,
];
