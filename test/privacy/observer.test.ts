/**
 * The ring-intersection attack, now failing (docs/design.md#anonymous-actions, "One ring per record": the ring of a record is
 * fixed when the record is created). An observer who reads only public calldata groups the anonymous actions by key image (one
 * per record) and intersects their rings. With fresh decoys per action the candidates shrank to the owner after a
 * few actions; now every action on a record presents its creation ring, so the intersection stays that ring.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { MedRingClient, prepareCreateRecord, prepareGrant, prepareRevoke } from "../../src/client";
import { keyImageHash } from "../../src/actions";
import { accountAddress } from "../../src/keys";
import { Point, publicKeyOf } from "../../src/mrs1";
import { IMedRingRegistry__factory } from "../../typechain-types";
import { privacyWorld, type PrivacyWorld } from "./helpers/world";

const PATIENTS = 40;
const RECORDS = 6;
const GRANTS = 3;
const REVOKES = 2;

/** What the observer reads from one anonymous transaction's calldata. */
interface Observed {
  action: string;
  keyImage: string;
  ring: string[];
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
      seen.push({ action: call.name, keyImage, ring: auth.signature.ring.map((m: { x: bigint; y: bigint }) => `${m.x}:${m.y}`) });
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
    client = await MedRingClient.connect({ relayerUrl: world.relayer.url, rpcUrl: world.chain.rpcUrl });
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
      const created = await prepareCreateRecord(client.chain, owner, { plaintext: ethers.toUtf8Bytes(`record of ${accountAddress(owner.accountKey)}`) });
      await client.send(created.body);
      recordIds.push(created.info.recordId);
    }
    for (const [k, owner] of owners.entries()) {
      for (const institution of institutions) await client.send((await prepareGrant(client.chain, owner, recordIds[k], institution)).body);
      for (const institution of institutions.slice(0, REVOKES)) await client.send((await prepareRevoke(client.chain, owner, recordIds[k], institution)).body);
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
