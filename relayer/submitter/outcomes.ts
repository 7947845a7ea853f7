import type { JsonRpcProvider, TransactionReceipt } from "ethers";
import { IMedRingRegistry__factory } from "../../typechain-types";
import type { RevertDecoder } from "../../src/chain/revertDecoder";
import type { OnChainRevertExplainer } from "../chain/onChainRevert";
import type { Logger } from "../logger";
import type { RelayerMetrics } from "../metrics";
import type { Job, JobPatch, JobStore, Send, TxAttempt } from "../store/types";
import { batchOutcomes, type BatchGasModel } from "./batch";

/** What the outcomes of a lane's sends are recorded with. */
export interface OutcomeDeps {
  provider: JsonRpcProvider;
  jobs: JobStore;
  log: Logger;
  metrics: RelayerMetrics;
  revert: RevertDecoder;
  explainer: OnChainRevertExplainer;
  /** Confirmations before a mined job is final. */
  confirmations: number;
  /** How long a principal whose job failed through its own doing is refused (JobStore.penalize). */
  penaltyMs: number;
  /** The lane's fenced job update (LaneStore.updateLaneJob under its lease). */
  update(id: string, patch: JobPatch): Promise<void>;
}

const EXECUTED = IMedRingRegistry__factory.createInterface().getEvent("RingActionExecuted");
/**
 * How the reason of a job in flight starts when its send was found stale (its call would now revert) before a fee bump
 * or re-broadcast and is being cancelled: once the cancellation is final, the job is decided as stale (`stale`), not expired.
 */
export const STALE_MARK = "cancelled before it was mined, as its call would now revert: ";
/** How many blocks up to a failed ring job's own are searched for a copy of its call that ran first. */
const COPY_LOOKBACK_BLOCKS = 64;

/**
 * The outcome of a lane's sends for their jobs: mined (each member its own result: a reverted send fails all of them,
 * a batch member the registry skipped fails alone), final once deep enough, back to submitted on a reorg, expired
 * when a cancellation filled the nonce. One path for a send of one and for a batch.
 */
export class SendOutcomes {
  constructor(
    private readonly signer: string,
    private readonly deps: OutcomeDeps,
    private readonly batchGas: BatchGasModel,
  ) {}

  /**
   * A send's transaction is mined: a reverted one (status 0) fails every member with the contract's decoded custom
   * error (replayed at its block); otherwise a batch member the registry skipped (RingActionSkipped with its index)
   * fails with the custom error it was skipped for, and every other member took effect. The gas is counted once.
   */
  async mined(send: Send, members: Job[], r: TransactionReceipt, attempt: TxAttempt, head: number): Promise<void> {
    const failure =
      r.status === 1 ? null : await this.deps.explainer.explain({ from: this.signer, to: send.to, data: send.data, gasLimit: attempt.gasLimit }, r);
    const outcomes = r.status === 1 ? batchOutcomes(r.logs, send.to, send.jobIds.length, this.deps.revert) : [];
    if (r.status === 1 && members.length === send.jobIds.length) this.batchGas.observe(members, r.gasUsed);
    for (const job of members) {
      const reason = failure ?? (job.batchIndex === null ? null : outcomes[job.batchIndex]) ?? null;
      const mined = { status: "mined" as const, txHash: r.hash, blockNumber: r.blockNumber, blockHash: r.blockHash, gasUsed: r.gasUsed, reason };
      await this.deps.update(job.id, { ...mined, minedAt: Date.now() });
      await this.finalizeIfDeep({ ...job, ...mined }, head);
    }
    this.countGas(r);
    this.deps.log.info({ send: send.id, tx: r.hash, block: r.blockNumber, ok: r.status === 1, jobs: members.length }, "mined");
  }

  /** Mined members of one send (one transaction): still in the canonical chain (else back to submitted: reorg), and deep enough? */
  async recheck(mined: Job[], receipt: TransactionReceipt | null, head: number): Promise<void> {
    const first = mined[0];
    if (!receipt || receipt.blockHash !== first.blockHash) {
      this.deps.log.warn({ send: first.sendId, tx: first.txHash, block: first.blockNumber }, "reorg: the mined transaction left the chain; re-checking");
      for (const job of mined) await this.deps.update(job.id, { status: "submitted", blockNumber: null, blockHash: null, gasUsed: null, minedAt: null });
      return;
    }
    for (const job of mined) await this.finalizeIfDeep(job, head);
  }

  /**
   * The cancellation of a send whose members' deadlines all passed is mined. Once it is as deep as a confirmation
   * its members are `expired` (until then a reorg could still drop it, and the monitor would send it again). The
   * relayer's transaction waited too long, not the patient's doing: no penalty (relayer/README.md, Penalties).
   */
  async cancelled(members: Job[], r: TransactionReceipt, head: number): Promise<void> {
    if (head - r.blockNumber + 1 < this.deps.confirmations) return;
    for (const job of members) {
      const receipt = { txHash: r.hash, blockNumber: r.blockNumber, blockHash: r.blockHash, gasUsed: r.gasUsed, minedAt: Date.now() };
      if (job.reason?.startsWith(STALE_MARK)) {
        await this.stale([job], `${job.reason}; its nonce was filled by a zero-value self-transfer (${r.gasUsed} gas)`, receipt);
        continue;
      }
      await this.deps.update(job.id, {
        status: "expired",
        ...receipt,
        reason: `the deadline passed while the transaction waited unmined; its nonce was filled by a zero-value self-transfer (${r.gasUsed} gas), so the action never ran`,
      });
      this.deps.metrics.jobsFinal.inc({ status: "expired" });
    }
    this.countGas(r);
    this.deps.log.info({ send: members[0].sendId, tx: r.hash, block: r.blockNumber, jobs: members.length }, "expired; nonce filled by a cancellation");
  }

  private async finalizeIfDeep(job: Job, head: number): Promise<void> {
    if (job.blockNumber === null || head - job.blockNumber + 1 < this.deps.confirmations) return;
    const copy = job.reason === null ? undefined : await this.executedElsewhere(job, job.blockNumber);
    const status = job.reason === null ? "confirmed" : copy ? "done_elsewhere" : "failed";
    if (copy) {
      // Someone copied the relayer's transaction (or the job's call) from the mempool and got it mined first: the
      // action took effect, and the signer is not to blame (issue: penalties only for the guilty).
      await this.deps.update(job.id, { status, reason: `executed by transaction ${copy}, a copy of this call mined first; ${job.reason}` });
    } else await this.deps.update(job.id, { status });
    this.deps.metrics.jobsFinal.inc({ status });
    if (status === "failed") await this.penalize(job, "it reverted on chain");
    if (status === "confirmed") this.deps.metrics.confirmationSeconds.observe((Date.now() - job.createdAt) / 1000);
    this.deps.log.info({ job: job.id, status }, "final");
  }

  /**
   * Jobs whose call would now revert, found before the relayer paid for it: by the check before signing, or before a
   * fee bump or re-broadcast (their send then cancelled: `patch` is the cancellation's receipt). A job whose very call
   * was executed by another transaction ends `done_elsewhere`, with no penalty; any other is `failed`, and its principal
   * suspended as for a revert on chain (for a ring job its key image: only retries on that record are refused; README
   * "Security model: who can make the relayer pay").
   */
  async stale(jobs: Job[], why: string, patch: JobPatch = {}): Promise<void> {
    const head = await this.deps.provider.getBlockNumber();
    for (const job of jobs) {
      const copy = await this.executedElsewhere(job, head);
      const status = copy ? "done_elsewhere" : "failed";
      await this.deps.update(job.id, { ...patch, status, reason: copy ? `executed by transaction ${copy}, the same call mined first; ${why}` : why });
      this.deps.metrics.jobsFinal.inc({ status });
      if (!copy) await this.penalize(job, why);
      this.deps.log.info({ job: job.id, status }, "final before it was paid for");
    }
  }

  /**
   * The hash of another transaction, in block `toBlock` or the COPY_LOOKBACK_BLOCKS before it, that executed a ring
   * action (RingActionExecuted) with exactly the call the relayer sent (its transaction's input, or the job's own
   * call): the same signed request, so the job's action took effect there. Undefined when there is none.
   */
  private async executedElsewhere(job: Job, toBlock: number): Promise<string | undefined> {
    if (job.authType !== "ring") return undefined;
    const ours = job.txHash === null ? null : await this.deps.provider.getTransaction(job.txHash);
    const logs = await this.deps.provider.getLogs({
      address: job.to,
      topics: [EXECUTED.topicHash],
      fromBlock: Math.max(0, toBlock - COPY_LOOKBACK_BLOCKS),
      toBlock,
    });
    for (const hash of new Set(logs.map((l) => l.transactionHash))) {
      if (hash === job.txHash) continue;
      const tx = await this.deps.provider.getTransaction(hash);
      const input = tx?.data.toLowerCase();
      if (input !== undefined && (input === job.data.toLowerCase() || input === ours?.data.toLowerCase())) return hash;
    }
    return undefined;
  }

  private countGas(r: TransactionReceipt): void {
    this.deps.metrics.gasSpent.inc(Number(r.gasUsed));
    this.deps.metrics.feesSpentWei.inc(Number(r.gasUsed * r.gasPrice));
  }

  /**
   * A job that failed through its signer's doing (its nonce spent elsewhere, a call that reverts): its principal is
   * refused for a while, so the same request cannot make the relayer pay again and again (docs/design.md, relayer
   * invariants).
   */
  async penalize(job: Job, why: string): Promise<void> {
    if (job.principal === "") return;
    await this.deps.jobs.penalize(job.principal, Date.now() + this.deps.penaltyMs, why);
    this.deps.log.info({ job: job.id }, "signer suspended after a failed job");
  }
}
