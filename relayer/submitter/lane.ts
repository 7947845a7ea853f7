import { keccak256, type JsonRpcProvider, type TransactionReceipt, type Wallet } from "ethers";
import type { Logger } from "../logger";
import type { RelayerMetrics } from "../metrics";
import { RevertDecoder } from "../../src/chain/revertDecoder";
import type { OnChainRevertExplainer } from "../chain/onChainRevert";
import { LaneLeaseLost, type AttemptPurpose, type Batch, type Job, type JobPatch, type JobStore, type LaneLease, type TxAttempt } from "../store/types";
import { deadlineLeavesMargin, type DeadlinePolicy } from "../pipeline/replay";
import { checkBeforeSending, gasLimitFor, type GasEstimateCache } from "../pipeline/simulate";
import { BatchGasModel, batchCalldata, batchIdOf, batchOutcomes, executedCount } from "./batch";
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
  /** Most gas a batch transaction is signed with (MEDRING_RELAYER_BATCH_GAS_BUDGET). */
  batchGasBudget: bigint;
}

/** What a lane uses besides its key and configuration; shared by all lanes of an instance. */
export interface LaneDeps {
  provider: JsonRpcProvider;
  store: JobStore;
  log: Logger;
  metrics: RelayerMetrics;
  revert: RevertDecoder;
  explainer: OnChainRevertExplainer;
  /** Per-shape gas estimates, shared with the pipeline (pipeline/simulate.ts). */
  gasCache: GasEstimateCache;
  /** Told each latest block the lane reads, so that the pipeline's cached chain time follows it (ChainView.observeBlock). */
  observeBlock(timestamp: bigint): void;
}

/** Labels of medring_relayer_send_step_seconds (frozen: the histogram keys its series by the object). */
const SEND_STEP_CHECK = Object.freeze({ step: "check" });
const SEND_STEP_BROADCAST = Object.freeze({ step: "broadcast" });

/** Gas of a plain value transfer, the cancellation transaction (yellow paper G_transaction). */
const CANCEL_GAS = 21_000n;

/** What a transaction of the lane carries out: one job's call, or a batch's `executeRingActions` call. */
interface TxTarget {
  id: string;
  to: string;
  data: string;
}

/**
 * One signer account and its nonce lane. All of its work runs inside the Submitter's tick, which never runs
 * concurrently, so nonces are allocated serially. The rule that makes it crash-safe: a transaction is signed,
 * and its raw bytes, hash and the advanced nonce are committed to the store in one transaction BEFORE it is
 * broadcast. After a crash every transaction that may have reached the network is in the store and is
 * re-broadcast or found mined; nothing that was not stored can have been sent.
 *
 * Several relayer instances may be configured with the same key; the lane works only while this instance holds its
 * lease in the store (`take`), and every write it makes is fenced by that lease: once another instance has taken
 * the lane over, the store refuses this instance's writes (LaneLeaseLost) and the lane stops until it holds the
 * lease again. A lane that (re)starts holding its lease reconciles with the chain first, exactly as after a crash.
 */
export class SignerLane {
  readonly address: string;
  /** The ratio of batch to summed single gas estimates this lane last saw, to predict a batch's size (submitter). */
  readonly batchGas = new BatchGasModel();
  private lease: LaneLease | undefined;
  private readonly provider: JsonRpcProvider;
  private readonly store: JobStore;
  private readonly log: Logger;
  private readonly metrics: RelayerMetrics;

  constructor(
    private readonly wallet: Wallet,
    private readonly deps: LaneDeps,
    private readonly cfg: LaneConfig,
  ) {
    this.address = wallet.address;
    ({ provider: this.provider, store: this.store, log: this.log, metrics: this.metrics } = deps);
  }

  /** Whether this instance holds the lane's lease (as far as it knows: the store's fencing has the last word). */
  get held(): boolean {
    return this.lease !== undefined;
  }

  /**
   * Takes the lane's lease for `holder`, or renews it. A lane that starts holding it (first time, or after it was
   * lost) reconciles with the chain before it does anything else. False while another instance holds the lane.
   */
  async take(holder: string, ttlMs: number): Promise<boolean> {
    const lease = await this.store.acquireLane(this.address, holder, ttlMs);
    if (!lease) {
      this.lost("held by another instance");
      return false;
    }
    const fresh = this.lease === undefined || this.lease.epoch !== lease.epoch;
    this.lease = lease;
    if (fresh) {
      this.log.info({ signer: this.address, epoch: lease.epoch }, "lane taken");
      try {
        await this.reconcile();
      } catch (err) {
        this.lease = undefined; // not reconciled: take (and reconcile) again on the next tick
        throw err;
      }
    }
    return true;
  }

  /**
   * Renews a lease this lane holds, without taking a lane it does not hold (that is `take`'s, at the start of a
   * tick). Runs on a timer beside the tick, so that a long tick does not let the lease run out.
   */
  async renew(ttlMs: number): Promise<void> {
    const held = this.lease;
    if (!held) return;
    const lease = await this.store.acquireLane(this.address, held.holder, ttlMs);
    if (this.lease !== held) return; // the lane was lost or taken anew meanwhile
    if (lease && lease.epoch === held.epoch) this.lease = lease;
    else this.lost("lease renewal refused");
  }

  /** Gives the lease up at once, so another instance can take the lane over without waiting for it to run out. */
  async release(): Promise<void> {
    const lease = this.lease;
    this.lease = undefined;
    if (lease) await this.store.releaseLane(lease);
  }

  /** The store refused a fenced write, or a renewal failed: stop using the lane until `take` succeeds again. */
  lost(why: string): void {
    if (this.lease === undefined) return;
    this.lease = undefined;
    this.log.warn({ signer: this.address, why }, "lane lost");
  }

  private currentLease(): LaneLease {
    if (!this.lease) throw new LaneLeaseLost(this.address.toLowerCase());
    return this.lease;
  }

  private update(id: string, patch: JobPatch): Promise<void> {
    return this.store.updateLaneJob(this.currentLease(), id, patch, Date.now());
  }

  /** The lane's next queued job (assigned to it from now on), if any. */
  claimNext(): Promise<Job | undefined> {
    return this.store.claimNext(this.currentLease());
  }

  /** Up to `limit` of the lane's next queued jobs of `authType` (assigned to it from now on), oldest first. */
  claimQueued(authType: Job["authType"], limit: number): Promise<Job[]> {
    return this.store.claimQueued(this.currentLease(), authType, limit);
  }

  /**
   * Reconciliation of the persisted nonce with the chain when the lane is taken (start-up, takeover). Stored below the chain's pending count:
   * someone else used this key, continue from the chain. Stored above it: our stored transactions left the
   * node's mempool (node restart, crash before broadcast); `monitor` re-broadcasts them in nonce order.
   */
  private async reconcile(): Promise<void> {
    const pending = await this.provider.getTransactionCount(this.address, "pending");
    const stored = await this.store.getNextNonce(this.address);
    if (stored === undefined || stored < pending) {
      if (stored !== undefined) this.log.warn({ signer: this.address, stored, pending }, "nonce used outside this relayer; continuing from the chain");
      await this.store.setNextNonce(this.currentLease(), pending);
    } else if (stored > pending) {
      this.log.info({ signer: this.address, stored, pending }, "stored transactions missing from the node; they will be re-broadcast");
    }
  }

  inFlight(): Promise<Job[]> {
    return this.store.laneJobs(this.address, ["submitted", "mined"]);
  }

  /**
   * Watches this lane's unfinished jobs: receipts, confirmations, reorgs, lost and stuck transactions, and
   * deadlines that pass while a transaction waits unmined (then the nonce is filled by a cancellation).
   */
  async monitor(): Promise<void> {
    const jobs = (await this.inFlight()).sort((a, b) => (a.nonce ?? 0) - (b.nonce ?? 0));
    if (jobs.length === 0) return;
    const latest = await this.provider.getBlock("latest");
    if (!latest) throw new Error("the node returned no latest block");
    this.deps.observeBlock(BigInt(latest.timestamp));
    const head = latest.number;
    // Read before any receipt is looked up: a nonce this count shows as used was used before the lookups, so if
    // one of our attempts used it, its receipt is found below. (Read after, a block mined between the lookup and
    // the count would make our own mined transaction look like someone else's, and the job would be sent twice.)
    const latestNonce = await this.provider.getTransactionCount(this.address, "latest");
    const batchesSeen = new Set<string>();
    for (const job of jobs) {
      if (job.status === "mined") {
        await this.checkMined(job, head);
        continue;
      }
      if (job.batchId !== null) {
        // A batch's members share its nonce and transactions: watched once, together.
        if (batchesSeen.has(job.batchId)) continue;
        batchesSeen.add(job.batchId);
        const members = jobs.filter((j) => j.batchId === job.batchId && j.status === "submitted");
        await this.monitorBatch(job.batchId, members, BigInt(latest.timestamp), latestNonce, head);
        continue;
      }
      const attempts = await this.store.attempts(job.id);
      const found = await this.findReceipt(attempts);
      if (found?.attempt.purpose === "cancel") {
        await this.finishCancelled(job, found.receipt, head);
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
        await this.requeue(job);
        continue;
      }
      const last = attempts[attempts.length - 1];
      // The next block's timestamp is > latest.timestamp >= deadline: the action can only revert from now on.
      if (last.purpose === "action" && BigInt(job.deadline) <= BigInt(latest.timestamp)) await this.cancel(job, last);
      else if (Date.now() - last.createdAt >= this.cfg.bumpAfterMs) await this.bump(job, last);
      else if ((await this.provider.getTransaction(last.hash)) === null) await this.send(job.id, last);
    }
  }

  /**
   * `monitor` for the unmined (`submitted`) members of one batch: they share its nonce and transactions, so the batch's
   * receipt decides for all of them, its nonce consumed elsewhere re-queues all of them, and a stuck batch is bumped
   * with the same membership (the stored `data`). A batch is cancelled only once every member's deadline has passed:
   * until then the registry skips the expired members and executes the others.
   */
  private async monitorBatch(batchId: string, members: Job[], latestTimestamp: bigint, latestNonce: number, head: number): Promise<void> {
    const batch = await this.store.getBatch(batchId);
    if (!batch) throw new Error(`lane ${this.address}: job ${members[0].id} names batch ${batchId}, which is not stored`);
    const attempts = await this.store.batchAttempts(batchId);
    const found = await this.findReceipt(attempts);
    if (found?.attempt.purpose === "cancel") {
      for (const [i, job] of members.entries()) await this.finishCancelled(job, found.receipt, head, i === 0);
      return;
    }
    if (found) {
      await this.markBatchMined(batch, members, found.receipt, found.attempt, head);
      return;
    }
    if (latestNonce > batch.nonce) {
      this.log.warn({ batch: batchId, nonce: batch.nonce, jobs: members.length }, "batch nonce consumed outside the relayer; re-queueing its jobs");
      for (const job of members) await this.requeue(job);
      return;
    }
    const last = attempts[attempts.length - 1];
    if (last.purpose === "action" && members.every((j) => BigInt(j.deadline) <= latestTimestamp)) await this.cancel(batch, last, batch);
    else if (Date.now() - last.createdAt >= this.cfg.bumpAfterMs) await this.bump(batch, last, batch);
    else if ((await this.provider.getTransaction(last.hash)) === null) await this.send(batchId, last);
  }

  /**
   * A batch's transaction is mined: each member gets its own outcome. A reverted batch (status 0) fails them all with
   * the decoded reason; otherwise a member the registry skipped (RingActionSkipped with its index) fails with the
   * custom error it was skipped for, and every other member took effect. The gas is counted once, for the transaction.
   */
  private async markBatchMined(batch: Batch, members: Job[], r: TransactionReceipt, attempt: TxAttempt, head: number): Promise<void> {
    const failure =
      r.status === 1 ? null : await this.deps.explainer.explain({ from: this.address, to: batch.to, data: batch.data, gasLimit: attempt.gasLimit }, r);
    const outcomes = r.status === 1 ? batchOutcomes(r.logs, batch.to, batch.jobIds.length, this.deps.revert) : [];
    if (r.status === 1 && members.length === batch.jobIds.length) this.batchGas.observe(members, r.gasUsed);
    for (const job of members) {
      const reason = failure ?? outcomes[job.batchIndex!] ?? null;
      const mined = { status: "mined" as const, txHash: r.hash, blockNumber: r.blockNumber, blockHash: r.blockHash, gasUsed: r.gasUsed, reason };
      await this.update(job.id, { ...mined, minedAt: Date.now() });
      await this.finalizeIfDeep({ ...job, ...mined }, head);
    }
    this.countGas(r);
    this.log.info(
      { batch: batch.id, tx: r.hash, block: r.blockNumber, ok: r.status === 1, jobs: members.length, skipped: outcomes.filter((o) => o !== null).length },
      "batch mined",
    );
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
    const reason = r.status === 1 ? null : await this.deps.explainer.explain({ from: this.address, to: job.to, data: job.data, gasLimit: attempt.gasLimit }, r);
    await this.update(job.id, {
      status: "mined",
      txHash: r.hash,
      blockNumber: r.blockNumber,
      blockHash: r.blockHash,
      gasUsed: r.gasUsed,
      minedAt: Date.now(),
      reason,
    });
    this.countGas(r);
    this.log.info({ job: job.id, tx: r.hash, block: r.blockNumber, ok: r.status === 1 }, "mined");
    await this.finalizeIfDeep({ ...job, status: "mined", blockNumber: r.blockNumber, blockHash: r.blockHash, txHash: r.hash, reason }, head);
  }

  private countGas(r: TransactionReceipt): void {
    this.metrics.gasSpent.inc({}, Number(r.gasUsed));
    this.metrics.feesSpentWei.inc({}, Number(r.gasUsed * r.gasPrice));
  }

  /**
   * The cancellation of an expired job is mined. Once it is as deep as a confirmation the job is `expired`
   * (until then a reorg could still drop it, and the monitor would send it again).
   */
  private async finishCancelled(job: Job, r: TransactionReceipt, head: number, countGas = true): Promise<void> {
    if (head - r.blockNumber + 1 < this.cfg.confirmations) return;
    await this.update(job.id, {
      status: "expired",
      txHash: r.hash,
      blockNumber: r.blockNumber,
      blockHash: r.blockHash,
      gasUsed: r.gasUsed,
      minedAt: Date.now(),
      reason: `the deadline passed while the transaction waited unmined; its nonce was filled by a zero-value self-transfer (${r.gasUsed} gas), so the action never ran`,
    });
    if (countGas) this.countGas(r);
    this.metrics.jobsFinal.inc({ status: "expired" });
    await this.penalize(job, "its deadline passed before it was mined");
    this.log.info({ job: job.id, tx: r.hash, block: r.blockNumber }, "expired; nonce filled by a cancellation");
  }

  /** A mined job: still in the canonical chain (else back to submitted: reorg), and deep enough to confirm? */
  private async checkMined(job: Job, head: number): Promise<void> {
    const r = await this.provider.getTransactionReceipt(job.txHash!);
    if (!r || r.blockHash !== job.blockHash) {
      this.log.warn({ job: job.id, tx: job.txHash, block: job.blockNumber }, "reorg: the mined transaction left the chain; re-checking");
      await this.update(job.id, { status: "submitted", blockNumber: null, blockHash: null, gasUsed: null, minedAt: null });
      return;
    }
    await this.finalizeIfDeep(job, head);
  }

  private async finalizeIfDeep(job: Job, head: number): Promise<void> {
    if (job.blockNumber === null || head - job.blockNumber + 1 < this.cfg.confirmations) return;
    const status = job.reason === null ? "confirmed" : "failed";
    await this.update(job.id, { status });
    this.metrics.jobsFinal.inc({ status });
    if (status === "failed") await this.penalize(job, "it reverted on chain");
    if (status === "confirmed") this.metrics.confirmationSeconds.observe((Date.now() - job.createdAt) / 1000);
    this.log.info({ job: job.id, status }, "final");
  }

  private async requeue(job: Job): Promise<void> {
    const lease = this.currentLease();
    await this.update(job.id, { status: "queued", nonce: null, txHash: null, signer: null, batchId: null, batchIndex: null });
    await this.store.setNextNonce(lease, Math.max((await this.store.getNextNonce(this.address)) ?? 0, job.nonce! + 1));
  }

  /**
   * A job that failed through its signer's doing (its nonce spent elsewhere, a deadline that ran out after
   * acceptance): its principal is refused for a while, so the same request cannot make the relayer pay again and
   * again (DESIGN.md §Relayer invariants).
   */
  private async penalize(job: Job, why: string): Promise<void> {
    if (job.principal === "") return;
    await this.store.penalize(job.principal, Date.now() + this.cfg.penaltyMs, why);
    this.log.info({ job: job.id }, "signer suspended after a failed job");
  }

  /** Signs and sends `job` (claimed by this lane: `claimNext`) with the lane's next nonce. */
  async submit(job: Job, chainTime: bigint): Promise<void> {
    if (!deadlineLeavesMargin(BigInt(job.deadline), chainTime, this.cfg.deadlinePolicy)) {
      // Not the signer's doing (it waited in our queue): expired unsent, with no penalty.
      await this.update(job.id, { status: "expired", reason: "the deadline came too close before the transaction was sent; nothing was sent" });
      this.metrics.jobsFinal.inc({ status: "expired" });
      return;
    }
    // The one full eth_call of the exact transaction (real verifier included) before it is signed: if the chain
    // changed since acceptance and the call would now revert, the job fails here without paying for it.
    const checkStarted = performance.now();
    const check = await checkBeforeSending(
      { provider: this.provider, revert: this.deps.revert, gasCache: this.deps.gasCache, gasHeadroomPercent: this.cfg.gasHeadroomPercent },
      { from: this.address, to: job.to, data: job.data },
      job.gasEstimate,
    );
    this.metrics.sendStepSeconds.observe((performance.now() - checkStarted) / 1000, SEND_STEP_CHECK);
    if (!check.ok) {
      await this.update(job.id, { status: "failed", reason: `the action would revert: ${check.reason}` });
      this.metrics.jobsFinal.inc({ status: "failed" });
      await this.penalize(job, "it would revert when it was due to be sent");
      return;
    }
    const fees = await suggestFees(this.provider, this.cfg.maxFeePerGas);
    const nonce = await this.store.getNextNonce(this.address);
    if (nonce === undefined) throw new Error(`lane ${this.address}: submit before reconcile`);
    const attempt = await this.sign(job, "action", nonce, check.gasLimit, fees);
    // Fenced: refused (and never broadcast) if another instance has taken the lane over meanwhile.
    await this.store.recordAttempt(this.currentLease(), attempt, nonce + 1, Date.now());
    this.log.info({ job: job.id, tx: attempt.hash, nonce }, "submitted");
    const broadcastStarted = performance.now();
    await this.send(job.id, attempt);
    this.metrics.sendStepSeconds.observe((performance.now() - broadcastStarted) / 1000, SEND_STEP_BROADCAST);
  }

  /**
   * Signs and sends `jobs` (ring jobs claimed by this lane, at least two, oldest first) as one `executeRingActions`
   * transaction with the lane's next nonce, and returns the jobs to send alone instead (`submit`, which decides each of
   * them with its own check). Jobs whose deadline came too close expire unsent, as in `submit`.
   *
   * The gas: predicted from the members' single estimates (`BatchGasModel`: the caller chose the members within the
   * budget by the same prediction), plus the headroom. Then the one full eth_call of the exact batch transaction (every signature verified, every action run) at the gas
   * limit it will be signed with: if the batch would revert, or would skip any action (its return value, the executed
   * count, is below the batch's size: the chain changed since acceptance), nothing is signed and the members go
   * alone, so that the relayer never pays for a reverting batch nor for a skipped action it could foresee. The
   * membership, the signed transaction and the advanced nonce are then committed in one fenced store transaction before
   * the broadcast.
   */
  async submitBatch(jobs: Job[], chainTime: bigint): Promise<Job[]> {
    const members: Job[] = [];
    for (const job of jobs) {
      if (deadlineLeavesMargin(BigInt(job.deadline), chainTime, this.cfg.deadlinePolicy)) members.push(job);
      else {
        await this.update(job.id, { status: "expired", reason: "the deadline came too close before the transaction was sent; nothing was sent" });
        this.metrics.jobsFinal.inc({ status: "expired" });
      }
    }
    if (members.length < 2 || members.some((j) => j.to.toLowerCase() !== members[0].to.toLowerCase())) return members;
    const to = members[0].to;
    const checkStarted = performance.now();
    const estimate = this.batchGas.predict(members);
    if (gasLimitFor(estimate, this.cfg.gasHeadroomPercent) > this.cfg.batchGasBudget)
      return this.alone(members, "the batch's predicted gas exceeds the budget");
    const data = batchCalldata(members);
    const tx = { from: this.address, to, data };
    const deps = { provider: this.provider, revert: this.deps.revert, gasCache: this.deps.gasCache, gasHeadroomPercent: this.cfg.gasHeadroomPercent };
    const check = await checkBeforeSending(deps, tx, estimate);
    this.metrics.sendStepSeconds.observe((performance.now() - checkStarted) / 1000, SEND_STEP_CHECK);
    if (!check.ok) return this.alone(members, `the batch would revert: ${check.reason}`);
    if (check.gasLimit > this.cfg.batchGasBudget) return this.alone(members, `the batch needs ${check.gasLimit} gas, above the budget`);
    let returnData = check.returnData;
    try {
      returnData ??= await this.provider.call({ ...tx, gasLimit: check.gasLimit });
    } catch (err) {
      if (RevertDecoder.revertData(err) === undefined) throw err;
      return this.alone(members, "the batch would revert at its new estimate");
    }
    const executed = executedCount(returnData);
    if (executed !== members.length) return this.alone(members, `${executed} of ${members.length} actions would execute`);
    const fees = await suggestFees(this.provider, this.cfg.maxFeePerGas);
    const nonce = await this.store.getNextNonce(this.address);
    if (nonce === undefined) throw new Error(`lane ${this.address}: submit before reconcile`);
    const jobIds = members.map((j) => j.id);
    const target = { id: batchIdOf(this.address, nonce, jobIds), to, data };
    const attempt = await this.sign(target, "action", nonce, check.gasLimit, fees);
    await this.store.recordBatchAttempt(this.currentLease(), { ...target, signer: this.address.toLowerCase(), jobIds }, attempt, nonce + 1, Date.now());
    this.log.info({ batch: target.id, tx: attempt.hash, nonce, jobs: members.length, gasLimit: check.gasLimit.toString() }, "batch submitted");
    const broadcastStarted = performance.now();
    await this.send(target.id, attempt);
    this.metrics.sendStepSeconds.observe((performance.now() - broadcastStarted) / 1000, SEND_STEP_BROADCAST);
    return [];
  }

  private alone(jobs: Job[], why: string): Job[] {
    this.log.info({ jobs: jobs.length, why }, "batch not sent; its jobs go alone");
    return jobs;
  }

  /** Signs the action (a job's or a batch's call), or its cancellation (zero value to ourselves, no data) with the same nonce. */
  private async sign(
    job: TxTarget,
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

  /** Broadcasts a stored attempt (of the job or batch `id`) and interprets the node's answer; never allocates a nonce. */
  private async send(id: string, attempt: TxAttempt): Promise<void> {
    const result = await broadcastRaw(this.provider, attempt.raw);
    if (result === "sent" || result === "known") return;
    if (result === "nonce_too_low") {
      // Either one of our attempts is mined (monitor finds its receipt) or the nonce went elsewhere (monitor re-queues).
      this.log.info({ job: id, nonce: attempt.nonce }, "nonce too low on broadcast; monitor will reconcile");
      return;
    }
    // underpriced, fee_too_low: the bump in `monitor` fixes them; insufficient_funds, unreachable: retried later.
    this.log.warn({ job: id, tx: attempt.hash, result }, "broadcast not accepted; will retry");
  }

  /**
   * Fee bump of a stuck transaction: same nonce, same job id, higher fees; the job's txHash becomes the new one. A
   * batch's replacement (`batch` given) re-signs the stored batch call: the same members at the same indices.
   */
  private async bump(job: TxTarget, last: TxAttempt, batch?: Batch): Promise<void> {
    const fees = bumpFees(last, await suggestFees(this.provider, this.cfg.maxFeePerGas), this.cfg.bumpPercent, this.cfg.maxFeePerGas);
    if (!fees) {
      await this.send(job.id, last);
      return;
    }
    const attempt = await this.sign(job, last.purpose, last.nonce, last.gasLimit, fees);
    await this.recordReplacement(attempt, batch);
    this.log.info({ job: job.id, tx: attempt.hash, replaces: last.hash, maxFeePerGas: fees.maxFeePerGas.toString() }, "fee bump");
    await this.send(job.id, attempt);
  }

  /** Fenced: stores a replacement (same nonce) of a job's or a batch's transaction before it is broadcast. */
  private recordReplacement(attempt: TxAttempt, batch: Batch | undefined): Promise<void> {
    return batch
      ? this.store.recordBatchAttempt(this.currentLease(), batch, attempt, undefined, Date.now())
      : this.store.recordAttempt(this.currentLease(), attempt, undefined, Date.now());
  }

  /**
   * The job's deadline passed while its transaction is unmined, so if mined it can only revert and pay gas for
   * nothing. Its nonce cannot simply be skipped (every later nonce of the lane would wait for it), so it is
   * filled with a replacement the node must prefer: a 21,000-gas zero-value self-transfer with bumped fees.
   * If the original is mined first anyway (a race with the block builder), `markMined` records that outcome.
   */
  private async cancel(job: TxTarget, last: TxAttempt, batch?: Batch): Promise<void> {
    const fees = bumpFees(last, await suggestFees(this.provider, this.cfg.maxFeePerGas), this.cfg.bumpPercent, this.cfg.maxFeePerGas);
    if (!fees) {
      // The fee cap leaves no room to outbid the action: keep it alive so the lane is not stuck behind its nonce.
      this.log.warn({ job: job.id, tx: last.hash }, "deadline passed but the fee cap prevents a cancellation; the action may revert on chain");
      await this.send(job.id, last);
      return;
    }
    const attempt = await this.sign(job, "cancel", last.nonce, CANCEL_GAS, fees);
    await this.recordReplacement(attempt, batch);
    this.log.info({ job: job.id, tx: attempt.hash, replaces: last.hash, nonce: last.nonce }, "deadline passed while unmined; cancelling");
    await this.send(job.id, attempt);
  }
}
