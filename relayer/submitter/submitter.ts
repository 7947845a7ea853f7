import type { JsonRpcProvider } from "ethers";
import type { Logger } from "../logger";
import type { RelayerMetrics } from "../metrics";
import { LaneLeaseLost, type JobStore, type LaneStore } from "../store/types";
import { LoneDelays, selectBatch, type BatchPolicy } from "./batch";
import type { SignerLane } from "./lane";

export interface SubmitterConfig {
  pollMs: number;
  maxInFlight: number;
  /** This instance's name in the lanes' leases (unique per process start). */
  holder: string;
  /** How long a lane's lease lasts without renewal: how long a dead instance's lanes wait before another takes them. */
  leaseMs: number;
  /** How ring jobs are batched into executeRingActions transactions (maxActions 1: never). */
  batch: BatchPolicy;
  /** Gas limit = estimate + this percent (a batch's limit: its members' estimates summed, plus this). */
  gasHeadroomPercent: number;
}

/**
 * Drives the signer lanes this instance holds: one tick at a time (never overlapping). Each tick takes (or keeps)
 * this instance's share of the lanes' leases, watches what is in flight, then claims queued jobs and sends them
 * round-robin over the held lanes with room. A timer renews the held leases (and this instance's heartbeat) every
 * third of their time, also during a long tick. Errors (an RPC or database outage) end the tick and are retried on
 * the next one; a lane whose lease was lost stops at its next fenced write; nothing is lost because every state
 * change is in the store.
 */
export class Submitter {
  private timer: NodeJS.Timeout | undefined;
  private renewer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;
  private next = 0;
  private readonly loneDelays: LoneDelays;
  lastError: string | undefined;

  constructor(
    private readonly lanes: SignerLane[],
    private readonly provider: JsonRpcProvider,
    private readonly stores: { jobs: JobStore; lanes: LaneStore },
    private readonly cfg: SubmitterConfig,
    private readonly log: Logger,
    private readonly metrics: RelayerMetrics,
  ) {
    this.loneDelays = new LoneDelays(cfg.batch.loneDelayMs);
  }

  /** Takes this instance's share of the lanes, then ticks every `pollMs`. */
  async start(): Promise<void> {
    await this.takeLanes();
    this.stopped = false;
    this.renewer = setInterval(() => void this.renewLeases(), Math.max(1, Math.floor(this.cfg.leaseMs / 3)));
    this.schedule(0);
  }

  /**
   * Takes this instance's share of the lanes: ceil(lanes / instances alive). Renews the lanes it holds; hands lanes
   * beyond its share back when more instances are alive than when it took them (another instance takes them at its
   * next tick); and takes free lanes (never taken, released, or whose holder stopped renewing: a dead instance's)
   * up to its share. A lane newly taken reconciles with the chain before it does anything else.
   */
  async takeLanes(): Promise<void> {
    const { holder, leaseMs } = this.cfg;
    const alive = await this.stores.lanes.heartbeat(holder, leaseMs);
    const share = Math.ceil(this.lanes.length / Math.max(1, alive));
    const held = () => this.lanes.filter((l) => l.held).length;
    for (const lane of this.lanes) if (lane.held) await lane.take(holder, leaseMs);
    for (const lane of [...this.lanes].reverse()) {
      if (held() <= share) break;
      if (!lane.held) continue;
      await lane.release();
      this.log.info({ signer: lane.address, alive, share }, "lane handed over: more instances share the lanes now");
    }
    for (const lane of this.lanes) {
      if (held() >= share) break;
      if (!lane.held) await lane.take(holder, leaseMs);
    }
  }

  private async renewLeases(): Promise<void> {
    await this.stores.lanes
      .heartbeat(this.cfg.holder, this.cfg.leaseMs)
      .catch((err: Error) => this.log.warn({ err: { message: err.message } }, "heartbeat failed"));
    for (const lane of this.lanes) {
      await lane.renew(this.cfg.leaseMs).catch((err: Error) => this.log.warn({ signer: lane.address, err: { message: err.message } }, "lease renewal failed"));
    }
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick().finally(() => {
        this.running = undefined;
        this.schedule(this.cfg.pollMs);
      });
    }, ms);
  }

  /** Runs one tick now (tests use it to step deterministically). */
  async tick(): Promise<void> {
    try {
      await this.takeLanes();
      const held = this.lanes.filter((l) => l.held);
      for (const lane of held) await this.fenced(lane, () => lane.monitor());
      const room = new Map<SignerLane, number>();
      for (const lane of held.filter((l) => l.held)) {
        // A send is one transaction however many jobs it carries.
        const inFlight = new Set((await lane.inFlight()).map((j) => j.sendId ?? j.id)).size;
        room.set(lane, this.cfg.maxInFlight - inFlight);
      }
      let chainTime: bigint | undefined;
      const now = async (): Promise<bigint> => {
        if (chainTime === undefined) {
          const block = await this.provider.getBlock("latest");
          if (!block) throw new Error("the node returned no latest block");
          chainTime = BigInt(block.timestamp);
        }
        return chainTime;
      };
      const ringWaits = new Set<SignerLane>();
      for (let lane = this.pickLane(room); lane && !this.stopped; lane = this.pickLane(room)) {
        const sent = await this.fenced(lane, () => this.sendNext(lane!, ringWaits, now));
        // Nothing to send on this lane (another lane may still have jobs assigned to it), or it was lost.
        room.set(lane, sent ? room.get(lane)! - 1 : 0);
      }
      this.lastError = undefined;
    } catch (err) {
      this.lastError = (err as Error).message;
      this.log.warn({ err: { message: (err as Error).message } }, "submitter tick failed; retrying");
    }
    try {
      const counts = await this.stores.jobs.countByStatus();
      for (const s of ["queued", "submitted", "mined"] as const) this.metrics.queueDepth.set({ status: s }, counts[s]);
    } catch {
      // the store is unreachable: the tick above failed too and said so
    }
  }

  /**
   * Sends the lane's next transaction, if any: with batching on, a batch of its queued ring jobs once the batch is
   * complete (`maxActions` jobs, or the gas budget reached) or its oldest job has waited `maxWaitMs`, a lone ring job
   * alone (a batch of one costs more than the single call: bench/results/gas.json), and otherwise an identified job;
   * with batching off, the oldest queued job. A lane whose ring jobs wait for more is not asked again this tick
   * (`ringWaits`), nor is a lane that sent a batch. False when nothing was sent.
   */
  private async sendNext(lane: SignerLane, ringWaits: Set<SignerLane>, chainTime: () => Promise<bigint>): Promise<boolean> {
    const policy = this.cfg.batch;
    if (policy.maxActions <= 1) {
      const jobs = await lane.claimQueued(1);
      if (jobs.length === 0) return false;
      await lane.submit(jobs, await chainTime());
      return true;
    }
    if (!ringWaits.has(lane)) {
      const { jobs, full } = selectBatch(await lane.claimQueued(policy.maxActions, "ring"), policy, this.cfg.gasHeadroomPercent, lane.batchGas);
      const ready = jobs.length > 0 && (full || Date.now() - jobs[0].createdAt >= policy.maxWaitMs);
      // A lone ring job waits its random delay first (LoneDelays), as the others wait for their batch.
      if (ready && (jobs.length > 1 || this.loneDelays.due(jobs[0].id, Date.now()))) {
        const t = await chainTime();
        if (jobs.length === 1) await lane.submit(jobs, t);
        else {
          for (const job of await lane.submit(jobs, t)) await lane.submit([job], t);
          // One batch per lane and tick: the next tick's monitor reads its receipt first (its outcomes, and the gas
          // ratio that sizes the following batches) and finds the jobs that arrived meanwhile.
          ringWaits.add(lane);
        }
        return true;
      }
      ringWaits.add(lane);
    }
    const jobs = await lane.claimQueued(1, "eip712");
    if (jobs.length === 0) return false;
    await lane.submit(jobs, await chainTime());
    return true;
  }

  /** Runs a lane's work; a write the store refused because another instance took the lane over stops the lane. */
  private async fenced<T>(lane: SignerLane, work: () => Promise<T>): Promise<T | undefined> {
    try {
      return await work();
    } catch (err) {
      if (!(err instanceof LaneLeaseLost)) throw err;
      lane.lost(err.message);
      return undefined;
    }
  }

  private pickLane(room: Map<SignerLane, number>): SignerLane | undefined {
    for (let i = 0; i < this.lanes.length; i++) {
      const lane = this.lanes[(this.next + i) % this.lanes.length];
      if ((room.get(lane) ?? 0) > 0 && lane.held) {
        this.next = (this.next + i + 1) % this.lanes.length;
        return lane;
      }
    }
    return undefined;
  }

  /** Stops ticking and gives the leases up, so that another instance can take the lanes over at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.renewer) clearInterval(this.renewer);
    await this.running;
    for (const lane of this.lanes) await lane.release().catch(() => undefined);
    await this.stores.lanes.leave(this.cfg.holder).catch(() => undefined);
  }
}
