/**
 * SQLite schema migrations, applied in order, each exactly once (recorded in `schema_migrations`).
 * Append only: never edit a migration that has shipped. (PostgreSQL has its own list: postgresMigrations.ts.)
 */
export const MIGRATIONS: readonly string[] = [
  // 1: jobs, their signed transactions, and one nonce lane per signer.
  `CREATE TABLE jobs (
     id             TEXT PRIMARY KEY,
     kind           TEXT NOT NULL,
     auth_type      TEXT NOT NULL,
     to_address     TEXT NOT NULL,
     data           TEXT NOT NULL,
     gas_estimate   TEXT NOT NULL,
     deadline       INTEGER NOT NULL,
     replay_key     TEXT NOT NULL,
     status         TEXT NOT NULL,
     reason         TEXT,
     signer         TEXT,
     nonce          INTEGER,
     tx_hash        TEXT,
     block_number   INTEGER,
     block_hash     TEXT,
     gas_used       TEXT,
     created_at     INTEGER NOT NULL,
     updated_at     INTEGER NOT NULL,
     submitted_at   INTEGER,
     mined_at       INTEGER
   );
   CREATE INDEX jobs_status ON jobs (status, created_at);
   CREATE INDEX jobs_replay ON jobs (replay_key);
   CREATE TABLE tx_attempts (
     hash                      TEXT PRIMARY KEY,
     job_id                    TEXT NOT NULL REFERENCES jobs (id),
     signer                    TEXT NOT NULL,
     nonce                     INTEGER NOT NULL,
     raw                       TEXT NOT NULL,
     max_fee_per_gas           TEXT NOT NULL,
     max_priority_fee_per_gas  TEXT NOT NULL,
     gas_limit                 TEXT NOT NULL,
     created_at                INTEGER NOT NULL
   );
   CREATE INDEX tx_attempts_job ON tx_attempts (job_id, created_at);
   CREATE TABLE nonces (
     signer      TEXT PRIMARY KEY,
     next_nonce  INTEGER NOT NULL
   );`,
  // 2: what an attempt is for. "cancel" is a zero-value self-transfer that fills the nonce of an action whose
  //    deadline passed while it waited unmined, so the action cannot run (and revert, paying gas) later.
  `ALTER TABLE tx_attempts ADD COLUMN purpose TEXT NOT NULL DEFAULT 'action' CHECK (purpose IN ('action', 'cancel'));`,
  // 3: a job may hold several replay slots (a registration: its forwarder nonce, its ring key and its account);
  //    the principal each job answers for, and the penalties of principals whose jobs failed through their doing.
  `CREATE TABLE replay_slots (
     slot    TEXT NOT NULL,
     job_id  TEXT NOT NULL REFERENCES jobs (id),
     PRIMARY KEY (slot, job_id)
   );
   INSERT INTO replay_slots (slot, job_id) SELECT replay_key, id FROM jobs;
   DROP INDEX jobs_replay;
   ALTER TABLE jobs DROP COLUMN replay_key;
   ALTER TABLE jobs ADD COLUMN principal TEXT NOT NULL DEFAULT '';
   CREATE TABLE penalties (
     principal  TEXT PRIMARY KEY,
     until      INTEGER NOT NULL,
     reason     TEXT NOT NULL
   );`,
  // 4: a lane per signer key with a lease (holder, until, epoch as the fencing token), replacing the nonce table;
  //    a job is assigned to its lane when a lane claims it, and a lane finds its jobs by signer; the instances alive
  //    (each holds about its share of the lanes).
  `CREATE TABLE lanes (
     signer       TEXT PRIMARY KEY,
     next_nonce   INTEGER,
     holder       TEXT,
     lease_until  INTEGER NOT NULL DEFAULT 0,
     epoch        INTEGER NOT NULL DEFAULT 0
   );
   INSERT INTO lanes (signer, next_nonce) SELECT signer, next_nonce FROM nonces;
   DROP TABLE nonces;
   UPDATE jobs SET signer = lower(signer) WHERE signer IS NOT NULL;
   CREATE INDEX jobs_lane ON jobs (signer, status, created_at);
   CREATE TABLE instances (
     holder       TEXT PRIMARY KEY,
     alive_until  INTEGER NOT NULL
   );`,
  // 5: batches of ring jobs sent as one executeRingActions transaction: the batch (its call and nonce), its signed
  //    transactions, and each member job's batch and index in it (RingActionSkipped names the index).
  `CREATE TABLE batches (
     id           TEXT PRIMARY KEY,
     signer       TEXT NOT NULL,
     nonce        INTEGER NOT NULL,
     to_address   TEXT NOT NULL,
     data         TEXT NOT NULL,
     created_at   INTEGER NOT NULL
   );
   CREATE TABLE batch_attempts (
     hash                      TEXT PRIMARY KEY,
     purpose                   TEXT NOT NULL CHECK (purpose IN ('action', 'cancel')),
     batch_id                  TEXT NOT NULL REFERENCES batches (id),
     signer                    TEXT NOT NULL,
     nonce                     INTEGER NOT NULL,
     raw                       TEXT NOT NULL,
     max_fee_per_gas           TEXT NOT NULL,
     max_priority_fee_per_gas  TEXT NOT NULL,
     gas_limit                 TEXT NOT NULL,
     created_at                INTEGER NOT NULL
   );
   CREATE INDEX batch_attempts_batch ON batch_attempts (batch_id, created_at);
   ALTER TABLE jobs ADD COLUMN batch_id TEXT REFERENCES batches (id);
   ALTER TABLE jobs ADD COLUMN batch_index INTEGER;
   CREATE INDEX jobs_batch ON jobs (batch_id, batch_index);`,
  // 6: a send is the lanes' unit of work (sendsMigration).
  sendsMigration("rowid"),
  // 7: secrets every instance sharing the store must agree on (the job ids' HMAC key), generated by the first.
  secretsMigration(),
];

/** SQLite migration 7 and PostgreSQL migration 4: named secrets shared by the instances of one store. */
export function secretsMigration(): string {
  return "CREATE TABLE secrets (name TEXT PRIMARY KEY, value TEXT NOT NULL);";
}

/**
 * SQLite migration 6 and PostgreSQL migration 3, the same statements on both: a send is the lanes' unit of work, one
 * call under one nonce carrying one job or a batch of them, with its attempts keyed by the send. Batches become sends;
 * each job sent alone so far becomes a send of one under its own id, with the attempts of its current nonce (those of
 * an earlier nonce, spent elsewhere before the job was re-queued, can never be mined and are not kept). `attemptOrder`
 * is the column that orders the old attempts (SQLite's rowid, PostgreSQL's seq).
 */
export function sendsMigration(attemptOrder: "rowid" | "seq"): string {
  return `ALTER TABLE batches RENAME TO sends;
   ALTER TABLE batch_attempts RENAME TO send_attempts;
   ALTER TABLE send_attempts RENAME COLUMN batch_id TO send_id;
   ALTER TABLE jobs RENAME COLUMN batch_id TO send_id;
   INSERT INTO sends (id, signer, nonce, to_address, data, created_at)
     SELECT id, signer, nonce, to_address, data, COALESCE(submitted_at, created_at) FROM jobs
     WHERE send_id IS NULL AND signer IS NOT NULL AND nonce IS NOT NULL AND EXISTS (SELECT 1 FROM tx_attempts t WHERE t.job_id = jobs.id);
   INSERT INTO send_attempts (hash, purpose, send_id, signer, nonce, raw, max_fee_per_gas, max_priority_fee_per_gas, gas_limit, created_at)
     SELECT t.hash, t.purpose, t.job_id, t.signer, t.nonce, t.raw, t.max_fee_per_gas, t.max_priority_fee_per_gas, t.gas_limit, t.created_at
     FROM tx_attempts t JOIN sends s ON s.id = t.job_id AND s.nonce = t.nonce ORDER BY t.${attemptOrder};
   UPDATE jobs SET send_id = id WHERE send_id IS NULL AND id IN (SELECT id FROM sends);
   DROP TABLE tx_attempts;`;
}
