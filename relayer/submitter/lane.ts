import { keccak256, type JsonRpcProvider, type TransactionReceipt, type Wallet } from "ethers";
import type { Logger } from "../logger";
import type { RelayerMetrics } from "../metrics";
import { RevertDecoder } from "../../src/chain/revertDecoder";
import type { OnChainRevertExplainer } from "../chain/onChainRevert";
import { LaneLeaseLost, type AttemptPurpose, type Job, type JobPatch, type JobStore, type LaneLease, type LaneStore } from "../store/types";
import type { NewSend, Send, TxAttempt } from "../store/types";
import { deadlineLeavesMargin, type DeadlinePolicy } from "../pipeline/replay";
import { checkBeforeSending, gasLimitFor, type GasEstimateCache } from "../pipeline/simulate";
import { BatchGasModel, batchCalldata, executedCount, sendIdOf, shuffled } from "./batch";
import { broadcastRaw } from "./broadcast";
import { bumpFees, suggestFees } from "./fees";
import { STALE_MARK, SendOutcomes } from "./outcomes";
import { staleReason } from "./staleness";
import { batchGasBound, ringJobGasBound } from "../pipeline/actionGasBound";

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
  jobs: JobStore;
  lanes: LaneStore;
  log: Logger;
  metrics: RelayerMetrics;
  revert: RevertDecoder;
  explainer: OnChainRevertExplainer;
  /** Per-shape gas estimates, shared with the pipeline (pipeline/simulate.ts). */
  gasCache: GasEstimateCache;
  /** Told each latest block the lane reads, so that the pipeline's cached chain time follows it (ChainView.observeBlock). */
  observeBlock(timestamp: bigint): void;
}

/** Labels of medring_relayer_send_step_seconds. */
const SEND_STEP_CHECK = Object.freeze({ step: "check" });
const SEND_STEP_BROADCAST = Object.freeze({ step: "broadcast" });

/** Gas of a plain value transfer, the cancellation transaction (yellow paper G_transaction). */
const CANCEL_GAS = 21_000n;

/** The call a send makes, checked by a full eth_call at the gas limit it is signed with; undefined: not sent. */
type CheckedCall = { to: string; data: string; gasLimit: bigint } | undefined;

/**
 * One signer account and its nonce lane. Its unit of work is a send (LaneStore): one call under one nonce, carrying
 * one job or a batch of ring jobs; monitoring, fee bumps, cancellation and reorgs are handled per send, the same way
 * for both. All of its work runs inside the Submitter's tick, which never runs concurrently, so nonces are allocated
 * serially. The rule that makes it crash-safe: a transaction is signed, and its raw bytes, hash and the advanced nonce
 * are committed to the store in one transaction BEFORE it is broadcast. After a crash every transaction that may have
 * reached the network is in the store and is re-broadcast or found mined; nothing that was not stored can have been sent.
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
  private readonly lanes: LaneStore;
  private readonly log: Logger;
  private readonly metrics: RelayerMetrics;
  private readonly outcomes: SendOutcomes;

  constructor(
    private readonly wallet: Wallet,
    private readonly deps: LaneDeps,
    private readonly cfg: LaneConfig,
  ) {
    this.address = wallet.address;
    ({ provider: this.provider, lanes: this.lanes, log: this.log, metrics: this.metrics } = deps);
    const update = (id: string, patch: JobPatch) => this.update(id, patch);
    this.outcomes = new SendOutcomes(this.address, { ...deps, ...cfg, update }, this.batchGas);
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
    const lease = await this.lanes.acquireLane(this.address, holder, ttlMs);
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
    const lease = await this.lanes.acquireLane(this.address, held.holder, ttlMs);
    if (this.lease !== held) return; // the lane was lost or taken anew meanwhile
    if (lease && lease.epoch === held.epoch) this.lease = lease;
    else this.lost("lease renewal refused");
  }

  /** Gives the lease up at once, so another instance can take the lane over without waiting for it to run out. */
  async release(): Promise<void> {
    const lease = this.lease;
    this.lease = undefined;
    if (lease) await this.lanes.releaseLane(lease);
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
    return this.lanes.updateLaneJob(this.currentLease(), id, patch, Date.now());
  }

  /** Up to `limit` of the lane's next queued jobs (of `authType`, when given), assigned to it from now on, oldest first. */
  claimQueued(limit: number, authType?: Job["authType"]): Promise<Job[]> {
    return this.lanes.claimQueued(this.currentLease(), limit, authType);
  }

  /**
   * Reconciliation of the persisted nonce with the chain when the lane is taken (start-up, takeover). Stored below the chain's pending count:
   * someone else used this key, continue from the chain. Stored above it: our stored transactions left the
   * node's mempool (node restart, crash before broadcast); `monitor` re-broadcasts them in nonce order.
   */
  private async reconcile(): Promise<void> {
    const pending = await this.provider.getTransactionCount(this.address, "pending");
    const stored = await this.lanes.getNextNonce(this.address);
    if (stored === undefined || stored < pending) {
      if (stored !== undefined) this.log.warn({ signer: this.address, stored, pending }, "nonce used outside this relayer; continuing from the chain");
      await this.lanes.setNextNonce(this.currentLease(), pending);
    } else if (stored > pending) {
      this.log.info({ signer: this.address, stored, pending }, "stored transactions missing from the node; they will be re-broadcast");
    }
  }

  inFlight(): Promise<Job[]> {
    return this.lanes.laneJobs(this.address, ["submitted", "mined"]);
  }

  /**
   * Watches this lane's sends in flight, in nonce order: receipts, confirmations, reorgs, lost and stuck
   * transactions, and deadlines that pass while a transaction waits unmined (then the nonce is filled by a cancellation).
   */
  async monitor(): Promise<void> {
    const jobs = await this.inFlight();
    if (jobs.length === 0) return;
    const latest = await this.provider.getBlock("latest");
    if (!latest) throw new Error("the node returned no latest block");
    this.deps.observeBlock(BigInt(latest.timestamp));
    const head = latest.number;
    // Read before any receipt is looked up: a nonce this count shows as used was used before the lookups, so if
    // one of our attempts used it, its receipt is found below. (Read after, a block mined between the lookup and
    // the count would make our own mined transaction look like someone else's, and the job would be sent twice.)
    const latestNonce = await this.provider.getTransactionCount(this.address, "latest");
    const bySend = new Map<string, Job[]>();
    for (const job of jobs.sort((a, b) => (a.nonce ?? 0) - (b.nonce ?? 0))) bySend.set(job.sendId ?? "", [...(bySend.get(job.sendId ?? "") ?? []), job]);
    for (const [sendId, members] of bySend) {
      const mined = members.filter((j) => j.status === "mined");
      if (mined.length > 0) await this.outcomes.recheck(mined, await this.provider.getTransactionReceipt(mined[0].txHash!), head);
      const waiting = members.filter((j) => j.status === "submitted");
      if (waiting.length > 0) await this.watch(sendId, waiting, BigInt(latest.timestamp), latestNonce, head);
    }
  }

  /**
   * The unmined members of one send: its receipt decides for all of them, its nonce consumed elsewhere re-queues all
   * of them, and a stuck send is bumped with the same call. A send is cancelled only once every member's deadline has
   * passed: until then the registry skips a batch's expired members and executes the others.
   */
  private async watch(sendId: string, members: Job[], latestTimestamp: bigint, latestNonce: number, head: number): Promise<void> {
    const send = await this.lanes.getSend(sendId);
    if (!send) {
      // Submitted without a stored send: nothing of it was ever broadcast (the attempt is stored first). Send it anew.
      this.log.warn({ jobs: members.length }, "in flight without a stored send; re-queueing");
      await this.requeue(members, members[0].nonce ?? -1);
      return;
    }
    const attempts = await this.lanes.attempts(sendId);
    const found = await this.findReceipt(attempts);
    if (found?.attempt.purpose === "cancel") return this.outcomes.cancelled(members, found.receipt, head);
    if (found) return this.outcomes.mined(send, members, found.receipt, found.attempt, head);
    if (latestNonce > send.nonce) {
      // The nonce is used on chain, and by none of our attempts (all receipts are null): someone else used the key.
      // None of our attempts can ever be mined now, so the jobs are signed again with a new nonce.
      this.log.warn({ send: sendId, nonce: send.nonce, jobs: members.length }, "nonce consumed outside the relayer; re-queueing");
      await this.requeue(members, send.nonce);
      return;
    }
    const last = attempts[attempts.length - 1];
    // The next block's timestamp is > latest.timestamp >= deadline: the action can only revert (or be skipped) from now on.
    if (last.purpose === "action" && members.every((j) => BigInt(j.deadline) <= latestTimestamp)) return this.replace(send, last, "cancel");
    const bumpDue = Date.now() - last.createdAt >= this.cfg.bumpAfterMs;
    if (!bumpDue && (await this.provider.getTransaction(last.hash)) !== null) return; // waiting in the mempool
    // About to pay more for it (a bump) or to offer it again (the node lost it): first, whether it would still run.
    if (last.purpose === "action") {
      const stale = await staleReason(
        this.provider,
        this.deps.revert,
        { from: this.address, to: send.to, data: send.data, gasLimit: last.gasLimit },
        members.length,
      );
      if (stale !== undefined) return this.cancelStale(send, last, members, stale);
    }
    if (bumpDue) await this.replace(send, last, last.purpose);
    else await this.broadcast(sendId, last);
  }

  /**
   * A send in flight whose call would now revert (or, a batch, execute nothing): the state changed since it was signed
   * (its nonce spent by a conflicting action, or the same action executed elsewhere). It is replaced by a 21,000-gas
   * cancellation instead of a bump or a re-broadcast, so that the relayer does not pay for the revert; once that is
   * final its members are decided as stale (SendOutcomes.stale: done elsewhere, or failed through their signer's doing).
   */
  private async cancelStale(send: Send, last: TxAttempt, members: Job[], why: string): Promise<void> {
    this.metrics.staleSends.inc();
    this.log.info({ send: send.id, tx: last.hash, jobs: members.length, why }, "stale before it was mined; cancelling");
    for (const job of members) await this.update(job.id, { reason: STALE_MARK + why });
    await this.replace(send, last, "cancel");
  }

  private async findReceipt(attempts: TxAttempt[]): Promise<{ receipt: TransactionReceipt; attempt: TxAttempt } | undefined> {
    for (const attempt of [...attempts].reverse()) {
      const receipt = await this.provider.getTransactionReceipt(attempt.hash);
      if (receipt) return { receipt, attempt };
    }
    return undefined;
  }

  private async requeue(members: Job[], nonce: number): Promise<void> {
    const lease = this.currentLease();
    for (const job of members) await this.update(job.id, { status: "queued", nonce: null, txHash: null, signer: null, sendId: null, batchIndex: null });
    await this.lanes.setNextNonce(lease, Math.max((await this.lanes.getNextNonce(this.address)) ?? 0, nonce + 1));
  }

  /**
   * Signs and sends `jobs` (claimed by this lane) as one send with the lane's next nonce: one job's own
   * call, or several ring jobs' `executeRingActions` call. Returns the jobs to send alone instead (each then decided
   * by its own check). Jobs whose deadline came too close expire unsent (not the signer's doing: no penalty).
   *
   * Before signing, the one full eth_call of the exact transaction (real verifier included, `checkBeforeSending`): if
   * the chain changed since acceptance and a lone job's call would now revert, it fails here without paying for it;
   * if a batch would revert or skip an action, its members go alone. The membership, the signed transaction and the
   * advanced nonce are then committed in one fenced store transaction before the broadcast.
   */
  async submit(jobs: Job[], chainTime: bigint): Promise<Job[]> {
    const members: Job[] = [];
    for (const job of jobs) {
      if (deadlineLeavesMargin(BigInt(job.deadline), chainTime, this.cfg.deadlinePolicy)) members.push(job);
      else {
        await this.update(job.id, { status: "expired", reason: "the deadline came too close before the transaction was sent; nothing was sent" });
        this.metrics.jobsFinal.inc({ status: "expired" });
      }
    }
    if (members.length === 0) return [];
    // A batch's members in random order: their order in the call must not show the order in which they arrived.
    if (members.length > 1) members.splice(0, members.length, ...shuffled(members));
    const checkStarted = performance.now();
    const call = members.length === 1 ? await this.checkAlone(members[0]) : await this.checkBatch(members);
    this.metrics.sendStepSeconds.observe(SEND_STEP_CHECK, (performance.now() - checkStarted) / 1000);
    if (!call) return members.length === 1 ? [] : members;
    const fees = await suggestFees(this.provider, this.cfg.maxFeePerGas);
    const nonce = await this.lanes.getNextNonce(this.address);
    if (nonce === undefined) throw new Error(`lane ${this.address}: submit before reconcile`);
    const jobIds = members.map((j) => j.id);
    const send: NewSend = { id: sendIdOf(this.address, nonce, jobIds), signer: this.address.toLowerCase(), to: call.to, data: call.data, jobIds };
    const attempt = await this.sign(send, "action", nonce, call.gasLimit, fees);
    // Fenced: refused (and never broadcast) if another instance has taken the lane over meanwhile.
    await this.lanes.recordAttempt(this.currentLease(), send, attempt, nonce + 1, Date.now());
    this.log.info({ send: send.id, tx: attempt.hash, nonce, jobs: jobIds.length, gasLimit: call.gasLimit.toString() }, "submitted");
    const broadcastStarted = performance.now();
    await this.broadcast(send.id, attempt);
    this.metrics.sendStepSeconds.observe(SEND_STEP_BROADCAST, (performance.now() - broadcastStarted) / 1000);
    return [];
  }

  /**
   * A lone job's call, checked, with a gas limit never above a ring job's honest bound (pipeline/actionGasBound.ts).
   * Unsent: a job whose call needs more than that bound fails (no penalty: nothing was paid, and honest inputs never
   * get there); a job whose call would now revert is decided as stale (SendOutcomes.stale: done elsewhere, or failed
   * and its principal suspended).
   */
  private async checkAlone(job: Job): Promise<CheckedCall> {
    const bound = job.authType === "ring" ? ringJobGasBound(job.data) : undefined;
    const check = await checkBeforeSending(this.checkDeps(), { from: this.address, to: job.to, data: job.data }, job.gasEstimate, bound);
    if (check.ok) return { to: job.to, data: job.data, gasLimit: check.gasLimit };
    if (check.overBound) {
      this.metrics.gasOverBound.inc({ stage: "send" });
      await this.update(job.id, { status: "failed", reason: `not sent: ${check.reason}` });
      this.metrics.jobsFinal.inc({ status: "failed" });
      return undefined;
    }
    await this.outcomes.stale([job], `the action would revert when it was due to be sent, so nothing was sent: ${check.reason}`);
    return undefined;
  }

  /**
   * A batch's `executeRingActions` call, checked. The gas: predicted from the members' single estimates
   * (`BatchGasModel`: the caller chose the members within the budget by the same prediction), plus the headroom; the
   * check runs at that limit and must report every action executed (its return value), else the members go alone,
   * so that the relayer never pays for a reverting batch nor for a skipped action it could foresee.
   */
  private async checkBatch(members: Job[]): Promise<CheckedCall> {
    const to = members[0].to;
    if (members.some((j) => j.to.toLowerCase() !== to.toLowerCase())) return undefined;
    const estimate = this.batchGas.predict(members);
    if (gasLimitFor(estimate, this.cfg.gasHeadroomPercent) > this.cfg.batchGasBudget)
      return this.alone(members, "the batch's predicted gas exceeds the budget");
    // Never above what honest members cost (pipeline/actionGasBound.ts); above it the members go alone, each to its own bound.
    const bounds = members.map((j) => ringJobGasBound(j.data));
    const bound = bounds.every((b) => b !== undefined) ? batchGasBound(bounds) : undefined;
    const tx = { from: this.address, to, data: batchCalldata(members) };
    const check = await checkBeforeSending(this.checkDeps(), tx, estimate, bound);
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
    return { to, data: tx.data, gasLimit: check.gasLimit };
  }

  private checkDeps() {
    return { provider: this.provider, revert: this.deps.revert, gasCache: this.deps.gasCache, gasHeadroomPercent: this.cfg.gasHeadroomPercent };
  }

  private alone(jobs: Job[], why: string): undefined {
    this.log.info({ jobs: jobs.length, why }, "batch not sent; its jobs go alone");
    return undefined;
  }

  /** Signs the send's call, or its cancellation (zero value to ourselves, no data) with the same nonce. */
  private async sign(
    send: NewSend,
    purpose: AttemptPurpose,
    nonce: number,
    gasLimit: bigint,
    fees: { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint },
  ): Promise<TxAttempt> {
    const raw = await this.wallet.signTransaction({
      type: 2,
      chainId: this.cfg.chainId,
      nonce,
      to: purpose === "action" ? send.to : this.address,
      data: purpose === "action" ? send.data : "0x",
      value: 0n,
      gasLimit,
      maxFeePerGas: fees.maxFeePerGas,
      maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
    });
    return { hash: keccak256(raw), purpose, sendId: send.id, signer: this.address, nonce, raw, ...fees, gasLimit, createdAt: Date.now() };
  }

  /** Broadcasts a stored attempt of the send `sendId` and interprets the node's answer; never allocates a nonce. */
  private async broadcast(sendId: string, attempt: TxAttempt): Promise<void> {
    const result = await broadcastRaw(this.provider, attempt.raw);
    if (result === "sent" || result === "known") return;
    if (result === "nonce_too_low") {
      // Either one of our attempts is mined (monitor finds its receipt) or the nonce went elsewhere (monitor re-queues).
      this.log.info({ send: sendId, nonce: attempt.nonce }, "nonce too low on broadcast; monitor will reconcile");
      return;
    }
    // underpriced, fee_too_low: the bump in `monitor` fixes them; insufficient_funds, unreachable: retried later.
    this.log.warn({ send: sendId, tx: attempt.hash, result }, "broadcast not accepted; will retry");
  }

  /**
   * A replacement of a send's last attempt with the same nonce and fees bumped past it: a fee bump of a stuck
   * transaction (`purpose` as the last), or a cancellation. A cancellation fills the nonce of a send whose deadlines all
   * passed while it was unmined, so that, if mined, it cannot revert and pay gas for nothing; its nonce cannot simply
   * be skipped (every later nonce of the lane would wait for it), so it is filled with a replacement the node must
   * prefer: a 21,000-gas zero-value self-transfer. If the original is mined first anyway (a race with the block
   * builder), its receipt decides. When the fee cap leaves no room to outbid the last attempt, it is re-broadcast.
   */
  private async replace(send: Send, last: TxAttempt, purpose: AttemptPurpose): Promise<void> {
    const fees = bumpFees(last, await suggestFees(this.provider, this.cfg.maxFeePerGas), this.cfg.bumpPercent, this.cfg.maxFeePerGas);
    if (!fees) {
      if (purpose === "cancel")
        this.log.warn({ send: send.id, tx: last.hash }, "deadline passed but the fee cap prevents a cancellation; the action may revert");
      await this.broadcast(send.id, last);
      return;
    }
    const attempt = await this.sign(send, purpose, last.nonce, purpose === "cancel" ? CANCEL_GAS : last.gasLimit, fees);
    // Fenced, and stored before it is broadcast, as every attempt.
    await this.lanes.recordAttempt(this.currentLease(), send, attempt, undefined, Date.now());
    this.log.info({ send: send.id, tx: attempt.hash, replaces: last.hash, purpose, maxFeePerGas: fees.maxFeePerGas.toString() }, "replaced");
    await this.broadcast(send.id, attempt);
  }
}
