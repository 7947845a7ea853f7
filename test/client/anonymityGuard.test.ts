/**
 * The client's own checks on the ring (src/client/anonymityGuard.ts): its floor, two sources that must agree, the
 * append-only local copy of the anonymity set, a record's fixed ring checked against every source, and one ring
 * per scope. The sources here are in memory, so each lie is exactly the one under test.
 */
import { expect } from "chai";
import { ringHash } from "../../src/actions";
import { AnonymityGuard, ClientError, MemoryAnonymityStore, RING_FLOOR, memberOf, ringFloorOf, type Member, type RingSource } from "../../src/client";
import { generateKeyPair, sortRing, type Point } from "../../src/mrs1";

const ADMITTER = "0x" + "aa".repeat(20);
const members = (n: number): Member[] => Array.from({ length: n }, () => memberOf(generateKeyPair().publicKey, ADMITTER));

/** A source that answers `list()` and the record ring hashes of `rings`. */
function source(name: string, list: () => Member[], rings: Record<string, string> = {}): RingSource {
  return { name, members: () => Promise.resolve(list()), recordRingHash: (id) => Promise.resolve(rings[id] ?? "0x" + "00".repeat(32)) };
}

async function refusal(promise: Promise<unknown>): Promise<ClientError> {
  try {
    await promise;
  } catch (err) {
    expect(err).to.be.instanceOf(ClientError);
    expect((err as ClientError).kind).to.equal("anonymity");
    return err as ClientError;
  }
  throw new Error("expected a refusal");
}

describe("AnonymityGuard", () => {
  const set = members(12);
  const deployment = "31337:0x" + "11".repeat(20);

  it("has a floor of 8 that can be raised and never lowered", () => {
    expect(RING_FLOOR).to.equal(8);
    expect(ringFloorOf(undefined)).to.equal(8);
    expect(ringFloorOf(12)).to.equal(12);
    for (const low of [7, 2, 1, 0, 8.5]) expect(() => ringFloorOf(low)).to.throw(ClientError);
    const guard = new AnonymityGuard([source("a", () => set), source("b", () => set)], new MemoryAnonymityStore(), deployment);
    expect(() => guard.requireFloor(7, "a ring")).to.throw(/below this client's floor of 8/);
    expect(() => guard.requireFloor(8, "a ring")).to.not.throw();
  });

  it("needs two sources", () => {
    expect(() => new AnonymityGuard([source("a", () => set)], new MemoryAnonymityStore(), deployment)).to.throw(/two independent sources/);
  });

  it("returns the set when the sources agree, and refuses when one shortens it, adds an unconfirmed key or changes an admitter", async () => {
    const honest = source("node", () => set);
    expect(await new AnonymityGuard([honest, source("relayer", () => set)], new MemoryAnonymityStore(), deployment).members()).to.deep.equal(set);
    const lies: Record<string, Member[]> = {
      shortened: set.slice(0, 9),
      "an unregistered key": [...set, ...members(1)],
      "a swapped key": [...set.slice(0, 5), ...members(1), ...set.slice(6)],
      "another admitter": set.map((m, i) => (i === 3 ? { ...m, admitter: "0x" + "bb".repeat(20) } : m)),
    };
    for (const [lie, list] of Object.entries(lies)) {
      const err = await refusal(
        new AnonymityGuard([source("node", () => list), source("relayer", () => set)], new MemoryAnonymityStore(), deployment).members(),
      );
      expect(err.message, lie).to.match(/disagree/);
    }
  });

  it("keeps an append-only copy: a later answer with fewer members or another member at a seen position is refused, even when both sources agree", async () => {
    const store = new MemoryAnonymityStore();
    let current = set;
    const guard = new AnonymityGuard([source("node", () => current), source("relayer", () => current)], store, deployment, undefined, 0);
    await guard.members();
    current = [...set, ...members(2)];
    expect(await guard.members()).to.have.length(14);
    current = set; // both sources now hide the two newest members
    expect((await refusal(guard.members())).message).to.match(/fewer than the 14 this client has already seen/);
    current = [members(1)[0], ...set.slice(1), ...members(2)];
    expect((await refusal(guard.members())).message).to.match(/member 0 .* not the one this client saw before/);
  });

  it("checks a record's fixed ring: at least the floor, the hash every source reports, confirmed members, the ring saved for its scope", async () => {
    const ring = sortRing(set.slice(0, 8).map((m) => m.key));
    const id = "0x" + "44".repeat(32);
    const scope = "0x" + "55".repeat(32);
    const good = { [id]: ringHash(ring) };
    const guardWith = (nodeRings: Record<string, string>, store = new MemoryAnonymityStore()) =>
      new AnonymityGuard([source("node", () => set, nodeRings), source("relayer", () => set, good)], store, deployment);
    await guardWith(good).checkRecordRing(id, scope, ring);

    expect((await refusal(guardWith(good).checkRecordRing(id, scope, ring.slice(0, 2)))).message).to.match(/below this client's floor/);
    const stranger: Point = generateKeyPair().publicKey;
    const padded = sortRing([...ring.slice(1), stranger]);
    const lyingNode = { [id]: ringHash(padded) };
    expect((await refusal(guardWith(lyingNode).checkRecordRing(id, scope, padded))).message).to.match(/relayer reports another ring hash/);
    const bothLie = new AnonymityGuard([source("node", () => set, lyingNode), source("relayer", () => set, lyingNode)], new MemoryAnonymityStore(), deployment);
    expect((await refusal(bothLie.checkRecordRing(id, scope, padded))).message).to.match(/outside the confirmed anonymity set/);

    const store = new MemoryAnonymityStore();
    const other = sortRing(set.slice(2, 10).map((m) => m.key));
    await guardWith(good, store).rememberRing(scope, other);
    expect((await refusal(guardWith(good, store).checkRecordRing(id, scope, ring))).message).to.match(/not the ring this client signed its creation with/);
  });

  it("saves one ring per scope: the same ring again is fine, a second ring in the scope is refused", async () => {
    const guard = new AnonymityGuard([source("node", () => set), source("relayer", () => set)], new MemoryAnonymityStore(), deployment);
    const scope = "0x" + "66".repeat(32);
    const ring = sortRing(set.slice(0, 8).map((m) => m.key));
    await guard.rememberRing(scope, ring);
    await guard.rememberRing(scope, ring);
    expect(await guard.ringOfScope(scope.toUpperCase().replace("0X", "0x"))).to.have.length(8);
    await refusal(guard.rememberRing(scope, sortRing(set.slice(1, 9).map((m) => m.key))));
  });

  it("keeps every ring when actions of one client save rings concurrently (store updates run one at a time)", async () => {
    const guard = new AnonymityGuard([source("node", () => set), source("relayer", () => set)], new MemoryAnonymityStore(), deployment);
    const scopes = Array.from({ length: 6 }, (_, i) => "0x" + String(i).repeat(64));
    await Promise.all([guard.members(), ...scopes.map((scope, i) => guard.rememberRing(scope, sortRing(set.slice(i % 4, (i % 4) + 8).map((m) => m.key))))]);
    for (const scope of scopes) expect(await guard.ringOfScope(scope), scope).to.have.length(8);
  });
});
