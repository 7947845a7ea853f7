import type { JsonRpcProvider } from "ethers";
import type { Logger } from "../logger";
import type { RelayerMetrics } from "../metrics";
import type { JobStore } from "../store/types";
import type { SignerLane } from "./lane";

/**
 * Drives the signer lanes: one tick at a time (never overlapping), each tick first watches what is in
 * flight, then sends queued jobs round-robin over lanes with room. Errors (an RPC outage) end the tick and
 * are retried on the next one; nothing is lost because every state change is in the store.
 */
export class Submitter {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;
  private next = 0;
  lastError: string | undefined;

  constructor(
    private readonly lanes: SignerLane[],
    private readonly provider: JsonRpcProvider,
    private readonly store: JobStore,
    private readonly pollMs: number,
    private readonly maxInFlight: number,
    private readonly log: Logger,
    private readonly metrics: RelayerMetrics,
  ) {}

  async start(): Promise<void> {
    for (const lane of this.lanes) await lane.reconcile();
    this.stopped = false;
    this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick().finally(() => {
        this.running = undefined;
        this.schedule(this.pollMs);
      });
    }, ms);
  }

  /** Runs one tick now (tests use it to step deterministically). */
  async tick(): Promise<void> {
    try {
      for (const lane of this.lanes) await lane.monitor();
      const queued = this.store.listByStatus(["queued"], 256);
      if (queued.length > 0) {
        const block = await this.provider.getBlock("latest");
        const chainTime = BigInt(block!.timestamp);
        const room = new Map(this.lanes.map((l) => [l, this.maxInFlight - l.inFlight().length]));
        for (const job of queued) {
          const lane = this.pickLane(room);
          if (!lane) break;
          if (this.stopped) break;
          await lane.submit(job, chainTime);
          room.set(lane, room.get(lane)! - 1);
        }
      }
      this.lastError = undefined;
    } catch (err) {
      this.lastError = (err as Error).message;
      this.log.warn({ err: { message: (err as Error).message } }, "submitter tick failed; retrying");
    }
    const counts = this.store.countByStatus();
    for (const s of ["queued", "submitted", "mined"] as const) this.metrics.queueDepth.set(counts[s], { status: s });
  }

  private pickLane(room: Map<SignerLane, number>): SignerLane | undefined {
    for (let i = 0; i < this.lanes.length; i++) {
      const lane = this.lanes[(this.next + i) % this.lanes.length];
      if (room.get(lane)! > 0) {
        this.next = (this.next + i + 1) % this.lanes.length;
        return lane;
      }
    }
    return undefined;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}
