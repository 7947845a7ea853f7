import type { Provider } from "ethers";
import type { IMedRingRegistry } from "../../typechain-types";

/**
 * Cached reads the pipeline makes for every request. A positive ring membership is cached for good: a
 * registered ring key stays registered (IMedRingRegistry has no removal), so a stale positive is impossible,
 * and simulation re-checks everything on chain anyway. A negative one is cached for `ttlMs.nonMember` only,
 * so that a flood of requests naming the same unregistered key costs one read, while a key registered a
 * moment ago is refused at most that long. Policy and time are cached briefly.
 */
export class ChainView {
  private readonly members = new Set<string>();
  private readonly nonMembers = new Map<string, number>(); // key → expiry (ms)
  private policy: { value: { min: number; max: number }; at: number } | undefined;
  private head: { timestamp: bigint; at: number } | undefined;

  constructor(
    private readonly provider: Provider,
    private readonly registry: IMedRingRegistry,
    private readonly ttlMs = { policy: 5_000, head: 1_000, nonMember: 1_000 },
  ) {}

  async ringPolicy(): Promise<{ min: number; max: number }> {
    if (!this.policy || Date.now() - this.policy.at > this.ttlMs.policy) {
      const [min, max] = await this.registry.ringPolicy();
      this.policy = { value: { min: Number(min), max: Number(max) }, at: Date.now() };
    }
    return this.policy.value;
  }

  /** Timestamp of the latest block: deadlines are compared with chain time, not the relayer's clock. */
  async chainTime(): Promise<bigint> {
    if (!this.head || Date.now() - this.head.at > this.ttlMs.head) {
      const block = await this.provider.getBlock("latest");
      if (!block) throw new Error("no latest block");
      this.head = { timestamp: BigInt(block.timestamp), at: Date.now() };
    }
    return this.head.timestamp;
  }

  /**
   * A block the relayer saw anyway (the submitter reads the latest block every tick): the cached chain time moves
   * forward to it at once, instead of up to `ttlMs.head` later. Chain time never goes back.
   */
  observeBlock(timestamp: bigint): void {
    if (!this.head || timestamp >= this.head.timestamp) this.head = { timestamp, at: Date.now() };
  }

  /** Drops expired negative entries, so the map stays as small as the keys seen within one TTL. */
  private pruneNonMembers(): void {
    const now = Date.now();
    for (const [key, expiry] of this.nonMembers) if (expiry <= now) this.nonMembers.delete(key);
  }

  /** Index of the first ring member that is not a registered patient key, or -1. */
  async firstNonMember(ring: readonly { x: bigint; y: bigint }[]): Promise<number> {
    const verdicts = await Promise.all(
      ring.map(async (p) => {
        const key = `${p.x.toString(16)}:${p.y.toString(16)}`;
        if (this.members.has(key)) return true;
        if ((this.nonMembers.get(key) ?? 0) > Date.now()) return false;
        const ok = await this.registry.isRingMember(p.x, p.y);
        if (ok) {
          this.members.add(key);
          this.nonMembers.delete(key);
        } else {
          this.pruneNonMembers();
          this.nonMembers.set(key, Date.now() + this.ttlMs.nonMember);
        }
        return ok;
      }),
    );
    return verdicts.indexOf(false);
  }
}
