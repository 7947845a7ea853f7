import { keccak256, type JsonRpcProvider, type TransactionReceipt, type Wallet } from "ethers";
import type { Logger } from "../logger";
import type { RelayerMetrics } from "../metrics";
import type { RevertDecoder } from "../chain/revert";
import type { OnChainRevertExplainer } from "../chain/onChainRevert";
import type { AttemptPurpose, Job, JobStore, TxAttempt } from "../store/types";
import { deadlineLeavesMargin, type DeadlinePolicy } from "../pipeline/replay";
import { checkBeforeSending, type GasEstimateCache } from "../pipeline/simulate";
import { broadcastRaw } from "./broadcast";
import { bumpFees, suggestFees } from "./fees";

export interface LaneConfig {
  chainId: bigint;
  confirmations: number;
  bumpAfterMs: number;
  bumpPercent: number;
  maxFeePerGas: bigint;
  gasHeadroomPercent: number;
  maxInFlight: number;
  /** A queued job whose deadline no longer leaves this room is expired without being sent. */
  deadlinePolicy: DeadlinePolicy;
  /** How long a principal whose job failed through its own doing is refused (JobStore.penalize). */
  penaltyMs: number;
}

/** Gas of a plain value transfer, the cancellation transaction (yellow paper G_transaction). */
const CANCEL_GAS = 21_000n;

/**
 * One signer account and its nonce lane. All of its work runs inside `tick()`, which the Submitter never runs
 * concurrently, so nonces are allocated serially. The rule that makes it crash-safe: a transaction is signed,
 * and its raw bytes, hash and the advanced nonce are committed to the store in one transaction BEFORE it is
 * broadcast. After a crash every transaction that may have reached the network is in the store and is
 * re-broadcast or found mined; nothing that was not stored can have been sent.
 */
export class SignerLane {
  readonly address: string;

  constructor(
    private readonly wallet: Wallet,
    private readonly provider: JsonRpcProvider,
    private readonly store: JobStore,
    private readonly cfg: LaneConfig,
    private readonly log: Logger,
    private readonly metrics: RelayerMetrics,
    private readonly revert: RevertDecoder,
    private readonly explainer: OnChainRevertExplainer,
    private readonly gasCache: GasEstimateCache,
  ) {
    this.address = wallet.address;
  }

  /**
   * Start-up reconciliation of the persisted nonce with the chain. Stored below the chain's pending count:
   * someone else used this key, continue from the chain. Stored above it: our stored transactions left the
   * node's mempool (node restart, crash before broadcast); `monitor` re-broadcasts them in nonce order.
   */
  async reconcile(): Promise<void> {
    const pending = await this.provider.getTransactionCount(this.address, "pending");
    const stored = this.store.getNextNonce(this.address);
    if (stored === undefined || stored < pending) {
      if (stored !== undefined) this.log.warn({ signer: this.address, stored, pending }, "nonce used outside this relayer; continuing from the chain");
      this.store.setNextNonce(this.address, pending);
    } else if (stored > pending) {
      this.log.info({ signer: this.address, stored, pending }, "stored transactions missing from the node; they will be re-broadcast");
    }
  }

  inFlight(): Job[] {
    return this.store.listByStatus(["submitted", "mined"]).filter((j) => j.signer?.toLowerCase() === this.address.toLowerCase());
  }

  /**
   * Watches this lane's unfinished jobs: receipts, confirmations, reorgs, lost and stuck transactions, and
   * deadlines that pass while a transaction waits unmined (then the nonce is filled by a cancellation).
   */
  async monitor(): Promise<void> {
    const jobs = this.inFlight().sort((a, b) => (a.nonce ?? 0) - (b.nonce ?? 0));
    if (jobs.length === 0) return;
    const latest = await this.provider.getBlock("latest");
    if (!latest) throw new Error("the node returned no latest block");
    const head = latest.number;
    // Read before any receipt is looked up: a nonce this count shows as used was used before the lookups, so if
    // one of our attempts used it, its receipt is found below. (Read after, a block mined between the lookup and
    // the count would make our own mined transaction look like someone else's, and the job would be sent twice.)
    const latestNonce = await this.provider.getTransactionCount(this.address, "latest");
    for (const job of jobs) {
      if (job.status === "mined") {
        await this.checkMined(job, head);
        continue;
      }
      const attempts = this.store.attempts(job.id);
      const found = await this.findReceipt(attempts);
      if (found?.attempt.purpose === "cancel") {
        this.finishCancelled(job, found.receipt, head);
        continue;
      }
      if (found) {
        await this.markMined(job, found.receipt, found.attempt, head);
        continue;
      }
      if (job.nonce !== null && latestNonce > job.nonce) {
        // The nonce is used on chain, and by none of our attempts (all receipts are null): someone else
        // used the key. None of our attempts can ever be mined now, so sign the job again with a new nonce.
        this.log.warn({ job: job.id, nonce: job.nonce }, "nonce consumed outside the relayer; re-queueing the job");
        this.requeue(job);
        continue;
      }
      const last = attempts[attempts.length - 1];
      // The next block's timestamp is > latest.timestamp >= deadline: the action can only revert from now on.
      if (last.purpose === "action" && BigInt(job.deadline) <= BigInt(latest.timestamp)) await this.cancel(job, last);
      else if (Date.now() - last.createdAt >= this.cfg.bumpAfterMs) await this.bump(job, last);
      else if ((await this.provider.getTransaction(last.hash)) === null) await this.send(job, last);
    }
  }

  private async findReceipt(attempts: TxAttempt[]): Promise<{ receipt: TransactionReceipt; attempt: TxAttempt } | undefined> {
    for (const attempt of [...attempts].reverse()) {
      const receipt = await this.provider.getTransactionReceipt(attempt.hash);
      if (receipt) return { receipt, attempt };
    }
    return undefined;
  }

  private async markMined(job: Job, r: TransactionReceipt, attempt: TxAttempt, head: number): Promise<void> {
    // A reverted transaction gets the contract's decoded custom error (replayed at its block), not a generic string.
    const reason = r.status === 1 ? null : await this.explainer.explain({ from: this.address, to: job.to, data: job.data, gasLimit: attempt.gasLimit }, r);
    const now = Date.now();
    this.store.updateJob(
      job.id,
      {
        status: "mined",
        txHash: r.hash,
        blockNumber: r.blockNumber,
        blockHash: r.blockHash,
        gasUsed: r.gasUsed,
        minedAt: now,
        reason,
      },
      now,
    );
    this.countGas(r);
    this.log.info({ job: job.id, tx: r.hash, block: r.blockNumber, ok: r.status === 1 }, "mined");
    this.finalizeIfDeep({ ...job, status: "mined", blockNumber: r.blockNumber, blockHash: r.blockHash, txHash: r.hash, reason }, head);
  }

  private countGas(r: TransactionReceipt): void {
    this.metrics.gasSpent.inc({}, Number(r.gasUsed));
    this.metrics.feesSpentWei.inc({}, Number(r.gasUsed * r.gasPrice));
  }

  /**
   * The cancellation of an expired job is mined. Once it is as deep as a confirmation the job is `expired`
   * (until then a reorg could still drop it, and the monitor would send it again).
   */
  private finishCancelled(job: Job, r: TransactionReceipt, head: number): void {
    if (head - r.blockNumber + 1 < this.cfg.confirmations) return;
    this.store.updateJob(
      job.id,
      {
        status: "expired",
        txHash: r.hash,
        blockNumber: r.blockNumber,
        blockHash: r.blockHash,
        gasUsed: r.gasUsed,
        minedAt: Date.now(),
        reason: `the deadline passed while the transaction waited unmined; its nonce was filled by a zero-value self-transfer (${r.gasUsed} gas), so the action never ran`,
      },
      Date.now(),
    );
    this.countGas(r);
    this.metrics.jobsFinal.inc({ status: "expired" });
    this.penalize(job, "its deadline passed before it was mined");
    this.log.info({ job: job.id, tx: r.hash, block: r.blockNumber }, "expired; nonce filled by a cancellation");
  }

  /** A mined job: still in the canonical chain (else back to submitted: reorg), and deep enough to confirm? */
  private async checkMined(job: Job, head: number): Promise<void> {
    const r = await this.provider.getTransactionReceipt(job.txHash!);
    if (!r || r.blockHash !== job.blockHash) {
      this.log.warn({ job: job.id, tx: job.txHash, block: job.blockNumber }, "reorg: the mined transaction left the chain; re-checking");
      this.store.updateJob(job.id, { status: "submitted", blockNumber: null, blockHash: null, gasUsed: null, minedAt: null }, Date.now());
      return;
    }
    this.finalizeIfDeep(job, head);
  }

  private finalizeIfDeep(job: Job, head: number): void {
    if (job.blockNumber === null || head - job.blockNumber + 1 < this.cfg.confirmations) return;
    const status = job.reason === null ? "confirmed" : "failed";
    this.store.updateJob(job.id, { status }, Date.now());
    this.metrics.jobsFinal.inc({ status });
    if (status === "failed") this.penalize(job, "it reverted on chain");
    if (status === "confirmed") this.metrics.confirmationSeconds.observe((Date.now() - job.createdAt) / 1000);
    this.log.info({ job: job.id, status }, "final");
  }

  private requeue(job: Job): void {
    this.store.updateJob(job.id, { status: "queued", nonce: null, txHash: null, signer: null }, Date.now());
    this.store.setNextNonce(this.address, Math.max(this.store.getNextNonce(this.address) ?? 0, job.nonce! + 1));
  }

  /**
   * A job that failed through its signer's doing (its nonce spent elsewhere, a deadline that ran out after
   * acceptance): its principal is refused for a while, so the same request cannot make the relayer pay again and
   * again (DESIGN.md §Relayer invariants).
   */
  private penalize(job: Job, why: string): void {
    if (job.principal === "") return;
    this.store.penalize(job.principal, Date.now() + this.cfg.penaltyMs, why);
    this.log.info({ job: job.id }, "signer suspended after a failed job");
  }

  /** Signs and sends the queued `job` with the next nonce. Returns false when the lane must wait. */
  async submit(job: Job, chainTime: bigint): Promise<boolean> {
    const now = Date.now();
    if (!deadlineLeavesMargin(BigInt(job.deadline), chainTime, this.cfg.deadlinePolicy)) {
      // Not the signer's doing (it waited in our queue): expired unsent, with no penalty.
      this.store.updateJob(job.id, { status: "expired", reason: "the deadline came too close before the transaction was sent; nothing was sent" }, now);
      this.metrics.jobsFinal.inc({ status: "expired" });
      return true;
    }
    // The one full eth_call of the exact transaction (real verifier included) before it is signed: if the chain
    // changed since acceptance and the call would now revert, the job fails here without paying for it.
    const check = await checkBeforeSending(
      { provider: this.provider, revert: this.revert, gasCache: this.gasCache, gasHeadroomPercent: this.cfg.gasHeadroomPercent },
      { from: this.address, to: job.to, data: job.data },
      job.gasEstimate,
    );
    if (!check.ok) {
      this.store.updateJob(job.id, { status: "failed", reason: `the action would revert: ${check.reason}` }, now);
      this.metrics.jobsFinal.inc({ status: "failed" });
      this.penalize(job, "it would revert when it was due to be sent");
      return true;
    }
    const gasLimit = check.gasLimit;
    const fees = await suggestFees(this.provider, this.cfg.maxFeePerGas);
    const nonce = this.store.getNextNonce(this.address);
    if (nonce === undefined) throw new Error(`lane ${this.address}: submit before reconcile`);
    const attempt = await this.sign(job, "action", nonce, gasLimit, fees);
    this.store.recordAttempt(attempt, nonce + 1, Date.now());
    this.log.info({ job: job.id, tx: attempt.hash, nonce }, "submitted");
    await this.send({ ...job, nonce, txHash: attempt.hash, status: "submitted" }, attempt);
    return true;
  }

  /** Signs the job's action, or its cancellation (zero value to ourselves, no data) with the same nonce. */
  private async sign(
    job: Job,
    purpose: AttemptPurpose,
    nonce: number,
    gasLimit: bigint,
    fees: { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint },
  ): Promise<TxAttempt> {
    const raw = await this.wallet.signTransaction({
      type: 2,
      chainId: this.cfg.chainId,
      nonce,
      to: purpose === "action" ? job.to : this.address,
      data: purpose === "action" ? job.data : "0x",
      value: 0n,
      gasLimit,
      maxFeePerGas: fees.maxFeePerGas,
      maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
    });
    return { hash: keccak256(raw), purpose, jobId: job.id, signer: this.address, nonce, raw, ...fees, gasLimit, createdAt: Date.now() };
  }

  /** Broadcasts a stored attempt and interprets the node's answer; never allocates a nonce. */
  private async send(job: Job, attempt: TxAttempt): Promise<void> {
    const result = await broadcastRaw(this.provider, attempt.raw);
    if (result === "sent" || result === "known") return;
    if (result === "nonce_too_low") {
      // Either one of our attempts is mined (monitor finds its receipt) or the nonce went elsewhere (monitor re-queues).
      this.log.info({ job: job.id, nonce: attempt.nonce }, "nonce too low on broadcast; monitor will reconcile");
      return;
    }
    // underpriced, fee_too_low: the bump in `monitor` fixes them; insufficient_funds, unreachable: retried later.
    this.log.warn({ job: job.id, tx: attempt.hash, result }, "broadcast not accepted; will retry");
  }

  /** Fee bump of a stuck transaction: same nonce, same job id, higher fees; the job's txHash becomes the new one. */
  private async bump(job: Job, last: TxAttempt): Promise<void> {
    const fees = bumpFees(last, await suggestFees(this.provider, this.cfg.maxFeePerGas), this.cfg.bumpPercent, this.cfg.maxFeePerGas);
    if (!fees) {
      await this.send(job, last);
      return;
    }
    const attempt = await this.sign(job, last.purpose, last.nonce, last.gasLimit, fees);
    this.store.recordAttempt(attempt, undefined, Date.now());
    this.log.info({ job: job.id, tx: attempt.hash, replaces: last.hash, maxFeePerGas: fees.maxFeePerGas.toString() }, "fee bump");
    await this.send(job, attempt);
  }

  /**
   * The job's deadline passed while its transaction is unmined, so if mined it can only revert and pay gas for
   * nothing. Its nonce cannot simply be skipped (every later nonce of the lane would wait for it), so it is
   * filled with a replacement the node must prefer: a 21,000-gas zero-value self-transfer with bumped fees.
   * If the original is mined first anyway (a race with the block builder), `markMined` records that outcome.
   */
  private async cancel(job: Job, last: TxAttempt): Promise<void> {
    const fees = bumpFees(last, await suggestFees(this.provider, this.cfg.maxFeePerGas), this.cfg.bumpPercent, this.cfg.maxFeePerGas);
    if (!fees) {
      // The fee cap leaves no room to outbid the action: keep it alive so the lane is not stuck behind its nonce.
      this.log.warn({ job: job.id, tx: last.hash }, "deadline passed but the fee cap prevents a cancellation; the action may revert on chain");
      await this.send(job, last);
      return;
    }
    const attempt = await this.sign(job, "cancel", last.nonce, CANCEL_GAS, fees);
    this.store.recordAttempt(attempt, undefined, Date.now());
    this.log.info({ job: job.id, tx: attempt.hash, replaces: last.hash, nonce: last.nonce }, "deadline passed while unmined; cancelling");
    await this.send(job, attempt);
  }
}
