import { concat, keccak256, toBeHex, type Log } from "ethers";
import { ringActionRequest, type RingActionArgs, type RingActionRequestArgs } from "../../src/actions/batch";
import type { RingAuthorizationArgs } from "../../src/actions/ringAuthorization";
import { IMedRingRegistry__factory } from "../../typechain-types";
import type { RevertDecoder } from "../chain/revert";
import { gasLimitFor } from "../pipeline/simulate";
import type { Job } from "../store/types";

/** How the submitter forms batches of ring jobs (relayer/config.ts: MEDRING_RELAYER_BATCH_*). */
export interface BatchPolicy {
  /** Most jobs in one executeRingActions call; 1 turns batching off (every job is sent alone). */
  maxActions: number;
  /** Most gas a batch transaction is signed with (the members' single estimates plus headroom, summed). */
  gasBudget: bigint;
  /** How long the oldest queued ring job may wait for more to fill its batch. */
  maxWaitMs: number;
}

const REGISTRY = IMedRingRegistry__factory.createInterface();
const SKIPPED = REGISTRY.getEvent("RingActionSkipped");

/**
 * The gas limit a batch of `jobs` is first checked and signed with: the sum of the members' single-transaction
 * estimates (each the real, verifier-included estimate of its acceptance) plus the headroom. A batch costs less than
 * its members sent alone, 0.68-0.87 of them for k = 2..8 ring-16 actions (bench/results/gas.json `batches`), so the sum
 * bounds it from above; the full eth_call at this limit before signing proves it for the batch at hand.
 */
export function batchGasLimit(jobs: readonly Job[], headroomPercent: number): bigint {
  return gasLimitFor(
    jobs.reduce((sum, j) => sum + j.gasEstimate, 0n),
    headroomPercent,
  );
}

/**
 * The jobs, oldest first, that go into the next batch: a prefix of `queued` (ring jobs of one lane) of at most
 * `maxActions` whose gas limit stays within the budget, and whether the batch is complete (full, or the next job would
 * not fit) rather than waiting for more.
 */
export function selectBatch(queued: readonly Job[], policy: BatchPolicy, headroomPercent: number): { jobs: Job[]; full: boolean } {
  const jobs: Job[] = [];
  for (const job of queued) {
    if (jobs.length >= policy.maxActions) return { jobs, full: true };
    if (jobs.length > 0 && batchGasLimit([...jobs, job], headroomPercent) > policy.gasBudget) return { jobs, full: true };
    jobs.push(job);
  }
  return { jobs, full: jobs.length >= policy.maxActions };
}

/**
 * The job's single-action call (`createRecordAnonymous`, `warrantAnonymous`, `unwarrantAnonymous`, as the pipeline
 * encoded it at acceptance) as an element of `executeRingActions`: the same arguments and authorisation, so the same
 * signature covers it (the registry hashes a request by its kind's EIP-712 struct: IMedRingRegistry).
 */
export function requestOfJob(job: Pick<Job, "id" | "data">): RingActionRequestArgs {
  const call = REGISTRY.parseTransaction({ data: job.data });
  const a = call?.args;
  let action: RingActionArgs;
  let auth: unknown;
  switch (call?.name) {
    case "createRecordAnonymous":
      action = { kind: "createRecord", args: { scope: a![0], contentHash: a![1], locator: a![2], ciphertext: a![3] } };
      auth = a![4];
      break;
    case "warrantAnonymous":
      action = { kind: "warrant", args: { scope: a![0], institution: a![1], wrappedKey: a![2] } };
      auth = a![3];
      break;
    case "unwarrantAnonymous":
      action = { kind: "unwarrant", args: { scope: a![0], institution: a![1] } };
      auth = a![2];
      break;
    default:
      throw new Error(`job ${job.id} is no ring-authorised registry call (${call?.name ?? job.data.slice(0, 10)}); it cannot be batched`);
  }
  // The decoded auth tuple is an ethers Result with the struct's field names; it encodes back unchanged.
  return ringActionRequest(action, auth as RingAuthorizationArgs);
}

/** The `executeRingActions` calldata of `jobs`, in order: member i is request i. */
export function batchCalldata(jobs: readonly Job[]): string {
  return REGISTRY.encodeFunctionData("executeRingActions", [jobs.map(requestOfJob)]);
}

/** How many actions a simulated `executeRingActions` reports as executed (its return value). */
export function executedCount(returnData: string): number {
  return Number(REGISTRY.decodeFunctionResult("executeRingActions", returnData)[0]);
}

/** A batch's id: the lane, the nonce it is sent with and its members in order (unique per batch). */
export function batchIdOf(signer: string, nonce: number, jobIds: readonly string[]): string {
  return keccak256(concat([signer.toLowerCase(), toBeHex(nonce, 32), ...jobIds]));
}

/**
 * Per member of a mined batch, the reason it was skipped, or null when it took effect: the registry logs
 * `RingActionSkipped(index, id, reason)` for each skipped action, `reason` being the custom error its single call
 * would have reverted with (IMedRingRegistry), decoded here as the revert of a single transaction would be.
 */
export function batchOutcomes(logs: readonly Pick<Log, "address" | "topics" | "data">[], registry: string, size: number, revert: RevertDecoder): (string | null)[] {
  const out: (string | null)[] = new Array(size).fill(null);
  for (const log of logs) {
    if (log.address.toLowerCase() !== registry.toLowerCase() || log.topics[0] !== SKIPPED.topicHash) continue;
    const { index, reason } = REGISTRY.decodeEventLog(SKIPPED, log.data, log.topics);
    const i = Number(index);
    if (i < size) out[i] = `skipped on chain in its batch: ${revert.decode(reason as string)}`;
  }
  return out;
}
