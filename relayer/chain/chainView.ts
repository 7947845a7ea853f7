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
  /** The same negative answers by the member's encoding in the request (lower-case hex), checked before any decoding. */
  private readonly nonMemberEncodings = new Map<string, number>(); // encoding → expiry (ms)
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

  /** Drops expired negative entries, so the maps stay as small as the keys seen within one TTL. */
  private pruneNonMembers(): void {
    const now = Date.now();
    for (const map of [this.nonMembers, this.nonMemberEncodings]) for (const [key, expiry] of map) if (expiry <= now) map.delete(key);
  }

  /**
   * Index of the first ring entry (its encoding as the request carries it) that `firstNonMember` found unregistered
   * less than `ttlMs.nonMember` ago, or -1: a flood naming one unregistered key is refused before its points are
   * decoded. Only negative answers are kept this way; -1 says nothing about membership.
   */
  knownNonMember(encodings: readonly string[]): number {
    if (this.nonMemberEncodings.size === 0) return -1;
    const now = Date.now();
    return encodings.findIndex((e) => (this.nonMemberEncodings.get(e.toLowerCase()) ?? 0) > now);
  }

  /** Remembers the encoding of a member `firstNonMember` refused, for `knownNonMember`. */
  rememberNonMember(encoding: string): void {
    this.nonMemberEncodings.set(encoding.toLowerCase(), Date.now() + this.ttlMs.nonMember);
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
