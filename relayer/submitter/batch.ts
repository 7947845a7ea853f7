import { randomInt } from "node:crypto";
import { concat, keccak256, toBeHex, type Log } from "ethers";
import { ringActionRequest, type RingActionRequestArgs } from "../../src/actions/batch";
import type { RingAction } from "../../src/api";
import type { RingAuthorizationArgs } from "../../src/actions/ringAuthorization";
import { IMedRingRegistry__factory } from "../../typechain-types";
import type { RevertDecoder } from "../../src/chain/revertDecoder";
import { gasLimitFor } from "../pipeline/simulate";
import type { Job } from "../store/types";

/** How the submitter forms batches of ring jobs (relayer/config.ts: MEDRING_RELAYER_BATCH_*). */
export interface BatchPolicy {
  /** Most jobs in one executeRingActions call; 1 turns batching off (every job is sent alone). */
  maxActions: number;
  /** Most gas a batch transaction is signed with (its estimate plus the headroom). */
  gasBudget: bigint;
  /** How long the oldest queued ring job may wait for more to fill its batch. */
  maxWaitMs: number;
  /** Most random delay of a ring job that would go alone (issue: no public timing); 0: none. */
  loneDelayMs: number;
}

const REGISTRY = IMedRingRegistry__factory.createInterface();
const SKIPPED = REGISTRY.getEvent("RingActionSkipped");

/**
 * What a batch's gas will be, predicted from its members' single-transaction estimates (each the real,
 * verifier-included estimate of its acceptance), without estimating the batch itself (an eth_estimateGas of a batch
 * costs the node a dozen executions of it): their sum times the ratio of gas used to summed single estimates that the
 * lane's last mined batch of as many members showed, or of the largest smaller batch seen, or 1 before any. A batch
 * costs less than its members alone, and the less the more members it has (0.87 of them at k = 2, 0.68 at k = 8 for
 * ring-16 creations: bench/results/gas.json `batches`), so a smaller batch's ratio errs on the safe side. The gas limit
 * is this plus the headroom, and the full eth_call at that limit before signing proves it (a shortfall goes through
 * the full estimate there).
 */
export class BatchGasModel {
  private readonly ratioBySize = new Map<number, number>();

  ratioFor(size: number): number {
    for (let k = size; k >= 2; k--) {
      const r = this.ratioBySize.get(k);
      if (r !== undefined) return r;
    }
    return 1;
  }

  predict(jobs: readonly Pick<Job, "gasEstimate">[]): bigint {
    return (sumEstimates(jobs) * BigInt(Math.ceil(this.ratioFor(jobs.length) * 1000))) / 1000n;
  }

  /** A mined batch of `jobs` used `gasUsed`. */
  observe(jobs: readonly Pick<Job, "gasEstimate">[], gasUsed: bigint): void {
    const singles = sumEstimates(jobs);
    if (jobs.length >= 2 && singles > 0n) this.ratioBySize.set(jobs.length, Math.min(1, Number(gasUsed) / Number(singles)));
  }
}

function sumEstimates(jobs: readonly Pick<Job, "gasEstimate">[]): bigint {
  return jobs.reduce((sum, j) => sum + j.gasEstimate, 0n);
}

/**
 * The jobs, oldest first, that go into the next batch: a prefix of `queued` (ring jobs of one lane) of at most
 * `maxActions` whose predicted gas limit (`model`, plus the headroom) stays within the budget, and whether the batch is
 * complete (full, or the next job would not fit) rather than waiting for more.
 */
export function selectBatch(queued: readonly Job[], policy: BatchPolicy, headroomPercent: number, model: BatchGasModel): { jobs: Job[]; full: boolean } {
  const jobs: Job[] = [];
  for (const job of queued) {
    if (jobs.length >= policy.maxActions) return { jobs, full: true };
    if (jobs.length > 0 && gasLimitFor(model.predict([...jobs, job]), headroomPercent) > policy.gasBudget) return { jobs, full: true };
    jobs.push(job);
  }
  return { jobs, full: jobs.length >= policy.maxActions };
}

/**
 * `items` in a uniformly random order (Fisher-Yates with the CSPRNG). A batch's members are ordered so: their order in
 * the call would otherwise show the order in which they arrived (README, no public timing).
 */
export function shuffled<T>(items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/**
 * The random delay of ring jobs that would go alone: each waits a delay drawn uniformly from [0, maxMs] (the CSPRNG)
 * when first found lone, so that the moment its transaction appears does not show the moment it arrived (README, no
 * public timing). In memory: a restart draws anew, which only delays a job.
 */
export class LoneDelays {
  private readonly notBefore = new Map<string, number>();

  constructor(private readonly maxMs: number) {}

  /** Whether the lone job `id` may go at `now` (ms): its delay has passed. */
  due(id: string, now: number): boolean {
    if (this.maxMs <= 0) return true;
    let at = this.notBefore.get(id);
    if (at === undefined) this.notBefore.set(id, (at = now + randomInt(this.maxMs + 1)));
    if (now < at) return false;
    this.notBefore.delete(id);
    // Jobs that joined a batch meanwhile never come back here; forget them once long past.
    if (this.notBefore.size > 1024) for (const [k, t] of this.notBefore) if (t < now - this.maxMs) this.notBefore.delete(k);
    return true;
  }
}

/**
 * The job's single-action call (`createRecordAnonymous`, `warrantAnonymous`, `unwarrantAnonymous`, as the pipeline
 * encoded it at acceptance) as an element of `executeRingActions`: the same arguments and authorisation, so the same
 * signature covers it (the registry hashes a request by its kind's EIP-712 struct: IMedRingRegistry).
 */
export function requestOfJob(job: Pick<Job, "id" | "data">): RingActionRequestArgs {
  const call = REGISTRY.parseTransaction({ data: job.data });
  const a = call?.args;
  let action: RingAction;
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

/** A send's id: the lane, the nonce it is sent with and its jobs in order (unique per send; a send of one included). */
export function sendIdOf(signer: string, nonce: number, jobIds: readonly string[]): string {
  return keccak256(concat([signer.toLowerCase(), toBeHex(nonce, 32), ...jobIds]));
}

/**
 * Per member of a mined batch, the reason it was skipped, or null when it took effect: the registry logs
 * `RingActionSkipped(index, id, reason)` for each skipped action, `reason` being the custom error its single call
 * would have reverted with (IMedRingRegistry), decoded here as the revert of a single transaction would be.
 */
export function batchOutcomes(
  logs: readonly Pick<Log, "address" | "topics" | "data">[],
  registry: string,
  size: number,
  revert: RevertDecoder,
): (string | null)[] {
  const out: (string | null)[] = new Array(size).fill(null);
  for (const log of logs) {
    if (log.address.toLowerCase() !== registry.toLowerCase() || log.topics[0] !== SKIPPED.topicHash) continue;
    const { index, reason } = REGISTRY.decodeEventLog(SKIPPED, log.data, log.topics);
    const i = Number(index);
    if (i < size) out[i] = `skipped on chain in its batch: ${revert.decode(reason as string)}`;
  }
  return out;
}
