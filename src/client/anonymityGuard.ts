/**
 * The client decides the ring, not the node (README "Security model"; the threat: an RPC node that answers a
 * ring policy of (1, 1), a shortened or padded member list, or a wrong fixed ring, to make the client sign a ring
 * that names the patient).
 *
 * - Floor: the client never signs a ring smaller than its own floor (default 8, never lower), whatever the
 *   chain's policy says.
 * - Checked anonymity set: members (with their public admitters) come from at least two independent sources that
 *   must agree exactly (./ringSources.ts); the agreed set must extend the one this client already saw
 *   (./anonymityStore.ts): fewer members, or another member at a known position, is refused.
 * - A record's fixed ring must hash to what every source says the registry keeps, consist of confirmed members,
 *   and equal the ring this client already used in the record's scope, if any.
 * - One ring per scope: the ring is saved for its scope before a signature over that scope leaves the client, and
 *   every later signature in the scope (a retry after a refusal included) uses it again.
 *
 * Every refusal is a ClientError "anonymity" (CLI exit code 6) raised before anything is signed or sent.
 */
import { ringHash } from "../actions";
import { pointToHex, type Point } from "../mrs1";
import type { AnonymityStore } from "./anonymityStore";
import { ClientError } from "./errors";
import type { Member, RingSource } from "./ringSources";

/** The smallest ring the client signs (README "Ring policy": one in eight before any side information). */
export const RING_FLOOR = 8;

/** A floor given by the user: an integer at least RING_FLOOR (it can be raised, never lowered). */
export function ringFloorOf(value: number | undefined): number {
  if (value === undefined) return RING_FLOOR;
  if (!Number.isInteger(value) || value < RING_FLOOR)
    throw new ClientError("input", `the ring floor must be an integer of at least ${RING_FLOOR}, got ${value}`);
  return value;
}

/** How many times the sources are read before a disagreement is final (a registration may land between two reads). */
const READS = 2;
/**
 * How long a confirmed set is reused by the same guard (one action reads it up to twice: ring check and grant
 * check). The set only grows, so a few seconds' old copy is still confirmed; it only misses the newest members.
 */
const REUSE_MS = 5_000;

const hexOf = (ring: readonly Point[]) => ring.map((m) => pointToHex(m).toLowerCase());

export class AnonymityGuard {
  readonly floor: number;
  private recent: { at: number; members: Member[] } | undefined;
  /** Store updates run one at a time (read, check, write), so concurrent actions of one client lose none. */
  private storeQueue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly sources: readonly RingSource[],
    readonly store: AnonymityStore,
    /** Which deployment the store's state belongs to: chain id and registry address. */
    readonly deployment: string,
    floor?: number,
    /** How long a confirmed set is reused (REUSE_MS; 0 reads the sources every time). */
    private readonly reuseMs = REUSE_MS,
  ) {
    if (sources.length < 2)
      throw new ClientError("input", "the anonymity set needs at least two independent sources (the RPC node and the relayer, or --check-rpc)");
    this.floor = ringFloorOf(floor);
  }

  /** Refuses a ring size below the floor. */
  requireFloor(size: number, what: string): void {
    if (size < this.floor) {
      throw new ClientError("anonymity", `${what} has ${size} members, below this client's floor of ${this.floor}; refusing to sign (nothing was sent)`);
    }
  }

  /** The anonymity set every source agrees on, checked against (and added to) what this client saw before. */
  async members(): Promise<Member[]> {
    if (this.recent !== undefined && Date.now() - this.recent.at < this.reuseMs) return this.recent.members;
    let agreed: Member[] | undefined;
    let disagreement = "";
    for (let read = 0; read < READS && agreed === undefined; read++) {
      const lists = await Promise.all(this.sources.map((s) => s.members()));
      disagreement = firstDifference(this.sources, lists);
      if (disagreement === "") agreed = lists[0];
    }
    if (agreed === undefined) throw new ClientError("anonymity", `the sources of the anonymity set disagree: ${disagreement}; refusing to sign`);
    await this.exclusive(() => this.extendSeen(agreed));
    this.recent = { at: Date.now(), members: agreed };
    return agreed;
  }

  /** Runs `update` after every earlier store update of this guard has finished. */
  private exclusive<T>(update: () => Promise<T>): Promise<T> {
    const run = this.storeQueue.then(update, update);
    this.storeQueue = run.catch(() => undefined);
    return run;
  }

  /** Checks `agreed` against the members already seen and saves it when it grows the set. */
  private async extendSeen(agreed: Member[]): Promise<void> {
    const state = await this.store.read(this.deployment);
    if (agreed.length < state.members.length) {
      throw new ClientError(
        "anonymity",
        `the sources show ${agreed.length} members, fewer than the ${state.members.length} this client has already seen; refusing to sign`,
      );
    }
    state.members.forEach((seen, i) => {
      if (seen.key !== agreed[i].hex || seen.admitter !== agreed[i].admitter) {
        throw new ClientError("anonymity", `member ${i} of the anonymity set is not the one this client saw before; refusing to sign`);
      }
    });
    if (agreed.length > state.members.length) {
      state.members = agreed.map((m) => ({ key: m.hex, admitter: m.admitter }));
      await this.store.write(this.deployment, state);
    }
  }

  /** The ring this client already used in `scope`, if any, as compressed hex keys. */
  async ringOfScope(scope: string): Promise<string[] | undefined> {
    return (await this.store.read(this.deployment)).rings[scope.toLowerCase()];
  }

  /** Saves `ring` as the ring of `scope` (before signing over it); a different ring already saved there is refused. */
  rememberRing(scope: string, ring: readonly Point[]): Promise<void> {
    return this.exclusive(() => this.saveRing(scope, ring));
  }

  private async saveRing(scope: string, ring: readonly Point[]): Promise<void> {
    const state = await this.store.read(this.deployment);
    const key = scope.toLowerCase();
    const hex = hexOf(ring);
    const saved = state.rings[key];
    if (saved !== undefined) {
      if (!sameList(saved, hex)) throw new ClientError("anonymity", `scope ${scope} was already signed with another ring; refusing a second ring in it`);
      return;
    }
    state.rings[key] = hex;
    await this.store.write(this.deployment, state);
  }

  /**
   * Checks anonymous record `recordId`'s fixed ring as the RPC node gave it: at least the floor, the hash every
   * source reports, only confirmed members, and the ring this client used in `scope` before (then saves it).
   */
  async checkRecordRing(recordId: string, scope: string, ring: readonly Point[]): Promise<void> {
    this.requireFloor(ring.length, `record ${recordId}'s ring`);
    const saved = await this.ringOfScope(scope);
    if (saved !== undefined && !sameList(saved, hexOf(ring))) {
      throw new ClientError("anonymity", `record ${recordId}'s ring is not the ring this client signed its creation with; refusing to sign`);
    }
    const expected = ringHash(ring).toLowerCase();
    const hashes = await Promise.all(this.sources.map((s) => s.recordRingHash(recordId)));
    hashes.forEach((h, i) => {
      if (h.toLowerCase() !== expected) {
        throw new ClientError("anonymity", `${this.sources[i].name} reports another ring hash for record ${recordId}; refusing to sign with the ring given`);
      }
    });
    const confirmed = new Set((await this.members()).map((m) => m.hex));
    const unconfirmed = hexOf(ring).filter((m) => !confirmed.has(m));
    if (unconfirmed.length > 0) {
      throw new ClientError("anonymity", `record ${recordId}'s ring has ${unconfirmed.length} member(s) outside the confirmed anonymity set; refusing to sign`);
    }
    await this.rememberRing(scope, ring);
  }
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** "" when every list equals the first; else where the first difference is. */
function firstDifference(sources: readonly RingSource[], lists: Member[][]): string {
  const [first, ...rest] = lists;
  for (const [k, list] of rest.entries()) {
    const other = sources[k + 1].name;
    if (list.length !== first.length) return `${sources[0].name} shows ${first.length} members, ${other} shows ${list.length}`;
    const i = list.findIndex((m, j) => m.hex !== first[j].hex || m.admitter !== first[j].admitter);
    if (i >= 0) return `member ${i} differs between ${sources[0].name} and ${other}`;
  }
  return "";
}
