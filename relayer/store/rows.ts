import { JOB_STATUSES, type Job, type JobPatch, type JobStatus, type NewSend, type Send, type TxAttempt } from "./types";

/**
 * The SQL row shapes of the `jobs`, `sends` and `send_attempts` tables and their conversion, shared by the SQLite and the
 * PostgreSQL store (both schemas use these column names). Amounts of gas and wei are decimal strings (they exceed
 * 2^53); the deadline arrives as a number (SQLite) or a decimal string (PostgreSQL NUMERIC, since a uint64 deadline
 * exceeds BIGINT).
 */
export interface JobRow {
  id: string;
  kind: string;
  auth_type: "ring" | "eip712";
  to_address: string;
  data: string;
  gas_estimate: string;
  deadline: number | string;
  principal: string;
  status: JobStatus;
  reason: string | null;
  signer: string | null;
  nonce: number | null;
  tx_hash: string | null;
  block_number: number | null;
  block_hash: string | null;
  gas_used: string | null;
  created_at: number;
  updated_at: number;
  submitted_at: number | null;
  mined_at: number | null;
  send_id: string | null;
  batch_index: number | null;
}

export interface AttemptRow {
  hash: string;
  purpose: "action" | "cancel";
  send_id: string;
  signer: string;
  nonce: number;
  raw: string;
  max_fee_per_gas: string;
  max_priority_fee_per_gas: string;
  gas_limit: string;
  created_at: number;
}

export function toJob(r: JobRow): Job {
  return {
    id: r.id,
    kind: r.kind,
    authType: r.auth_type,
    to: r.to_address,
    data: r.data,
    gasEstimate: BigInt(r.gas_estimate),
    deadline: Number(r.deadline),
    principal: r.principal,
    status: r.status,
    reason: r.reason,
    signer: r.signer,
    nonce: r.nonce,
    txHash: r.tx_hash,
    blockNumber: r.block_number,
    blockHash: r.block_hash,
    gasUsed: r.gas_used === null ? null : BigInt(r.gas_used),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    submittedAt: r.submitted_at,
    minedAt: r.mined_at,
    sendId: r.send_id,
    batchIndex: r.batch_index,
  };
}

export function toAttempt(r: AttemptRow): TxAttempt {
  return {
    hash: r.hash,
    purpose: r.purpose,
    sendId: r.send_id,
    signer: r.signer,
    nonce: r.nonce,
    raw: r.raw,
    maxFeePerGas: BigInt(r.max_fee_per_gas),
    maxPriorityFeePerGas: BigInt(r.max_priority_fee_per_gas),
    gasLimit: BigInt(r.gas_limit),
    createdAt: r.created_at,
  };
}

export interface SendRow {
  id: string;
  signer: string;
  nonce: number;
  to_address: string;
  data: string;
  created_at: number;
}

export function toSend(r: SendRow, jobIds: string[]): Send {
  return { id: r.id, signer: r.signer, nonce: Number(r.nonce), to: r.to_address, data: r.data, jobIds, createdAt: Number(r.created_at) };
}

/** The columns of a new `sends` row, and its values in that order: the send as its first attempt signed it. */
export const SEND_COLUMNS = "id, signer, nonce, to_address, data, created_at";
export function sendValues(send: NewSend, signer: string, nonce: number, now: number): (string | number)[] {
  return [send.id, signer, nonce, send.to, send.data, now];
}

/** The attempt's column values in the order of ATTEMPT_COLUMNS. */
export function attemptValues(a: TxAttempt): (string | number)[] {
  return [
    a.hash,
    a.purpose,
    a.sendId,
    a.signer,
    a.nonce,
    a.raw,
    a.maxFeePerGas.toString(),
    a.maxPriorityFeePerGas.toString(),
    a.gasLimit.toString(),
    a.createdAt,
  ];
}
export const ATTEMPT_COLUMNS = "hash, purpose, send_id, signer, nonce, raw, max_fee_per_gas, max_priority_fee_per_gas, gas_limit, created_at";

/** JobPatch field → column. Only these columns can be patched. */
const PATCH_COLUMNS: Record<keyof JobPatch, string> = {
  status: "status",
  reason: "reason",
  signer: "signer",
  nonce: "nonce",
  txHash: "tx_hash",
  blockNumber: "block_number",
  blockHash: "block_hash",
  gasUsed: "gas_used",
  submittedAt: "submitted_at",
  minedAt: "mined_at",
  sendId: "send_id",
  batchIndex: "batch_index",
};

/** A patch as (column, value) pairs; bigints become decimal strings. */
export function patchColumns(patch: JobPatch): [string, string | number | null][] {
  return (Object.keys(patch) as (keyof JobPatch)[]).map((k) => {
    const v = patch[k];
    return [PATCH_COLUMNS[k], typeof v === "bigint" ? v.toString() : (v ?? null)];
  });
}

/** Counts of jobs by status (every status present, zero when no row names it) from `status, n` rows. */
export function statusCounts(rows: readonly { status: JobStatus; n: number }[]): Record<JobStatus, number> {
  const out = Object.fromEntries(JOB_STATUSES.map((s) => [s, 0])) as Record<JobStatus, number>;
  for (const r of rows) out[r.status] += r.n;
  return out;
}
