/**
 * The ring-intersection attack, now failing (docs/design.md#anonymous-actions, "One ring per record": the ring of a record is
 * fixed when the record is created). An observer who reads only public calldata groups the anonymous actions by key image (one
 * per record) and intersects their rings. With fresh decoys per action the candidates shrank to the owner after a
 * few actions; now every action on a record presents its creation ring, so the intersection stays that ring.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import {
  ClientError,
  MedRingClient,
  MemoryAnonymityStore,
  candidatesAfterGrant,
  prepareCreateRecord,
  prepareGrant,
  prepareRevoke,
  ringPool,
} from "../../src/client";
import { keyImageHash } from "../../src/actions";
import { accountAddress, type PatientKeys } from "../../src/keys";
import { Point, keyImage, publicKeyOf } from "../../src/mrs1";
import { IMedRingRegistry__factory } from "../../typechain-types";
import { admittedWorld, privacyWorld, type PrivacyWorld } from "./helpers/world";

const PATIENTS = 40;
const RECORDS = 6;
const GRANTS = 3;
const REVOKES = 2;

/** What the observer reads from one anonymous transaction's calldata. */
interface Observed {
  action: string;
  keyImage: string;
  ring: string[];
  /** The grantee of a warrant or unwarrant (lower case). */
  institution?: string;
}

/** Every ring-signed registry call in blocks [from, to], decoded from calldata alone. */
async function observe(registry: string, from: number, to: number): Promise<Observed[]> {
  const iface = IMedRingRegistry__factory.createInterface();
  const seen: Observed[] = [];
  for (let n = from; n <= to; n++) {
    const block = await ethers.provider.getBlock(n, true);
    for (const tx of block!.prefetchedTransactions) {
      if (tx.to?.toLowerCase() !== registry.toLowerCase()) continue;
      const call = iface.parseTransaction({ data: tx.data });
      if (!call || !["createRecordAnonymous", "warrantAnonymous", "unwarrantAnonymous"].includes(call.name)) continue;
      const auth = call.args.at(-1);
      const keyImage = keyImageHash(Point.fromAffine({ x: auth.signature.keyImage.x, y: auth.signature.keyImage.y }));
      const institution = call.name === "createRecordAnonymous" ? undefined : String(call.args[1]).toLowerCase();
      seen.push({ action: call.name, keyImage, ring: auth.signature.ring.map((m: { x: bigint; y: bigint }) => `${m.x}:${m.y}`), institution });
    }
  }
  return seen;
}

describe("privacy: an observer intersecting a record's rings from public calldata", function () {
  this.timeout(600_000);
  let world: PrivacyWorld;
  let client: MedRingClient;

  before(async function () {
    world = await privacyWorld(PATIENTS, GRANTS);
    client = await MedRingClient.connect({ relayerUrl: world.relayer.url, rpcUrl: world.chain.rpcUrl, store: new MemoryAnonymityStore() });
  });
  after(async function () {
    client?.close();
    await world?.close();
  });

  it(`keeps exactly each record's creation ring (${PATIENTS} admitted patients, ${RECORDS} records × create, ${GRANTS} grants, ${REVOKES} revokes)`, async function () {
    const from = (await ethers.provider.getBlockNumber()) + 1;
    const owners = world.patients.slice(0, RECORDS);
    const institutions = world.institutions.map((i) => accountAddress(i.accountKey));
    const recordIds: string[] = [];
    for (const owner of owners) {
      const created = await prepareCreateRecord(client, owner, { plaintext: ethers.toUtf8Bytes(`record of ${accountAddress(owner.accountKey)}`) });
      await client.send(created.body);
      recordIds.push(created.info.recordId);
    }
    for (const [k, owner] of owners.entries()) {
      for (const institution of institutions) await client.send((await prepareGrant(client, owner, recordIds[k], institution)).body);
      for (const institution of institutions.slice(0, REVOKES)) await client.send((await prepareRevoke(client, owner, recordIds[k], institution)).body);
    }
    const to = await ethers.provider.getBlockNumber();

    const observed = await observe(await world.chain.registry.getAddress(), from, to);
    expect(observed).to.have.length(RECORDS * (1 + GRANTS + REVOKES));
    const byRecord = new Map<string, Observed[]>();
    for (const o of observed) byRecord.set(o.keyImage, [...(byRecord.get(o.keyImage) ?? []), o]);
    expect(byRecord.size).to.equal(RECORDS);

    const { min } = await client.chain.ringPolicy();
    for (const [keyImage, actions] of byRecord) {
      expect(actions.map((a) => a.action)).to.deep.equal([
        "createRecordAnonymous",
        ...Array(GRANTS).fill("warrantAnonymous"),
        ...Array(REVOKES).fill("unwarrantAnonymous"),
      ]);
      const creationRing = new Set(actions[0].ring);
      const candidates = actions.reduce((left, a) => new Set(a.ring.filter((m) => left.has(m))), creationRing);
      expect([...candidates].sort(), `record of key image ${keyImage}`).to.deep.equal([...creationRing].sort());
      expect(candidates.size).to.be.at.least(min);
    }
    // The owner is among the candidates, and so are at least min - 1 others: the observer learns "one of these".
    for (const owner of owners) {
      const { x, y } = publicKeyOf(owner.ringKey).toAffine();
      expect([...byRecord.values()].some((actions) => actions[0].ring.includes(`${x}:${y}`))).to.equal(true);
    }
  });
});

/**
 * The admitter-aware observer (README "Security model"; src/client/ringPool.ts). Five admitters of unequal size
 * (20, 10, 5, 3, 2 patients); every patient creates a record and grants it to their own admitter. The observer
 * reads the rings and grantees from calldata and every member's admitter from `PatientRegistered`, knows the
 * client's decoy rule, and assumes a patient grants to their own admitter. For every record the candidates are:
 * - chain: the ring;
 * - + admitters: the ring members who could have drawn this ring under the client's rule (their pool holds it);
 * - + grantee: of those, the ones the grantee admitted, if any (src/client/ringPool.ts candidatesAfterGrant).
 * The patients of the two admitters large enough to fill a ring keep the whole ring. The grants of the three small
 * admitters' patients would narrow them below the floor, so their own client refuses them (ClientError
 * "anonymity", CLI exit code 6) and nothing of them is sent.
 */
describe("privacy: an observer who knows every member's admitter and the grantee", function () {
  this.timeout(900_000);
  const SIZES = [20, 10, 5, 3, 2];
  let world: Awaited<ReturnType<typeof admittedWorld>>;
  let client: MedRingClient;

  before(async function () {
    world = await admittedWorld(SIZES);
    client = await MedRingClient.connect({ relayerUrl: world.relayer.url, rpcUrl: world.chain.rpcUrl, store: new MemoryAnonymityStore() });
  });
  after(async function () {
    client?.close();
    await world?.close();
  });

  it("keeps at least the policy minimum of candidates for every granted record; the small admitters' own-admitter grants are refused before sending", async function () {
    const from = (await ethers.provider.getBlockNumber()) + 1;
    const members = await client.guard.members();
    const sizeOf = (p: PatientKeys) => SIZES[world.institutions.indexOf(world.admitterOf(p))];
    const ownerOf = new Map<string, PatientKeys>();
    const refused: PatientKeys[] = [];
    for (const owner of world.patients) {
      const created = await prepareCreateRecord(client, owner, { plaintext: ethers.toUtf8Bytes("record") });
      await client.send(created.body);
      ownerOf.set(keyImageHash(keyImage(owner.ringKey, ethers.getBytes(created.info.scope))), owner);
      try {
        await client.send((await prepareGrant(client, owner, created.info.recordId, accountAddress(world.admitterOf(owner).accountKey))).body);
      } catch (err) {
        if (!(err instanceof ClientError) || err.kind !== "anonymity") throw err;
        refused.push(owner);
      }
    }
    const to = await ethers.provider.getBlockNumber();

    const { min } = await client.chain.ringPolicy();
    const byPoint = new Map(members.map((m) => [`${m.key.toAffine().x}:${m.key.toAffine().y}`, m]));
    const byRecord = new Map<string, Observed[]>();
    for (const o of await observe(await world.chain.registry.getAddress(), from, to)) byRecord.set(o.keyImage, [...(byRecord.get(o.keyImage) ?? []), o]);
    expect(byRecord.size).to.equal(world.patients.length);
    const rows = new Map(SIZES.map((size) => [size, { records: 0, granted: 0, chain: Infinity, admitters: Infinity, grantee: Infinity }]));
    for (const [keyImageOf, actions] of byRecord) {
      const ring = actions[0].ring.map((h) => byPoint.get(h)!);
      const couldHaveDrawn = ring.filter((m) => {
        const pool = new Set(ringPool(members, m, ring.length).pool.map((p) => p.hex));
        return ring.every((r) => pool.has(r.hex));
      });
      const grantee = actions.find((a) => a.action === "warrantAnonymous")?.institution;
      const afterGrant = grantee === undefined ? couldHaveDrawn.length : candidatesAfterGrant(couldHaveDrawn, grantee);
      expect(ring.length).to.be.at.least(min);
      expect(couldHaveDrawn.length, "candidates knowing the admitters").to.be.at.least(min);
      expect(afterGrant, "candidates knowing the admitters and the grantee").to.be.at.least(min);
      // The row is the owner's admitter: the test knows it, the observer does not.
      const row = rows.get(sizeOf(ownerOf.get(keyImageOf)!))!;
      row.records++;
      row.granted += grantee === undefined ? 0 : 1;
      row.chain = Math.min(row.chain, ring.length);
      row.admitters = Math.min(row.admitters, couldHaveDrawn.length);
      row.grantee = Math.min(row.grantee, afterGrant);
    }
    const small = world.patients.filter((p) => sizeOf(p) < min);
    expect(refused.map((p) => accountAddress(p.accountKey)).sort()).to.deep.equal(small.map((p) => accountAddress(p.accountKey)).sort());
    console.log("      admitter's patients | records | grants sent | fewest candidates: chain / + admitters / + grantee");
    for (const [size, r] of rows) {
      console.log(
        `      ${String(size).padStart(19)} | ${String(r.records).padStart(7)} | ${String(r.granted).padStart(11)} | ${r.chain} / ${r.admitters} / ${r.grantee}`,
      );
    }
  });
});
