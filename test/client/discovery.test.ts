import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { scanRecords, type RecordDirectory } from "../../src/client";
import { deriveRecordScope } from "../../src/envelope";
import { bytesToHex } from "../../src/hex";
import { deployWorld, recordAt } from "../contracts/helpers/fixture";
import { createAnonymousRecord, createIdentifiedRecord } from "../contracts/helpers/records";

/** The registry seen through the SDK's RecordDirectory interface. */
function directory(world: Awaited<ReturnType<typeof deployWorld>>): RecordDirectory {
  return {
    recordAddress: async (id) => {
      const address = await world.registry.recordOf(id);
      return address === ethers.ZeroAddress ? undefined : address;
    },
    recordOwner: async (record) => {
      const [account, keyImage] = await recordAt(record, world.deployer).owner();
      return { account, keyImage };
    },
  };
}

/**
 * Patient 0 has anonymous records at scope indices 0, 1 and 3, an identified one at 5; index 2 is unused;
 * patient 1 front-ran index 4 (created an anonymous record in patient 0's scope 4).
 */
async function world() {
  const w = await deployWorld(10);
  const [me, other] = w.patients;
  const scope = (i: number) => bytesToHex(deriveRecordScope(me.keys.secretKey, i));
  for (const i of [0, 1, 3]) await createAnonymousRecord(w, me, scope(i));
  await createAnonymousRecord(w, other, scope(4));
  await createIdentifiedRecord(w, me, scope(5));
  return { w, me };
}

describe("scanRecords (records from the key file alone)", () => {
  it("finds the anonymous and identified records, skips a scope someone else took, and names the lowest free index", async () => {
    const { w, me } = await loadFixture(world);
    const scanned: number[] = [];
    const result = await scanRecords(directory(w), { ringKey: me.keys.secretKey, account: me.account.address }, { gapLimit: 3, onProgress: (n) => scanned.push(n) });
    expect(result.records.map((r) => [r.index, r.anonymous])).to.deep.equal([[0, true], [1, true], [3, true], [5, false]]);
    expect(result.taken).to.deep.equal([4]);
    expect(result.firstFree).to.equal(2);
    for (const r of result.records) expect(await w.registry.recordOf(r.recordId)).to.equal(r.record);
    // Batches of 3: 0-2, 3-5, 6-8 (three free in a row) and no further.
    expect(scanned).to.deep.equal([3, 6, 9]);
  });

  it("finds nothing for another patient's key: none of patient 0's records is attributed to them", async () => {
    const { w } = await loadFixture(world);
    const stranger = w.patients[2];
    const result = await scanRecords(directory(w), { ringKey: stranger.keys.secretKey, account: stranger.account.address });
    expect(result.records).to.deep.equal([]);
    expect(result.firstFree).to.equal(0);
  });

  it("stops after gapLimit free indices even when a record lies beyond the gap", async () => {
    const { w, me } = await loadFixture(world);
    const result = await scanRecords(directory(w), { ringKey: me.keys.secretKey, account: me.account.address }, { gapLimit: 1 });
    expect(result.records.map((r) => r.index)).to.deep.equal([0, 1]);
  });
});
