import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { anonymousSlot, matchAnonymousRecords, scanIdentifiedRecords, type RecordDirectory } from "../../src/client";
import { deriveRecordScope } from "../../src/envelope";
import { bytesToHex } from "../../src/hex";
import { deployWorld } from "../contracts/helpers/fixture";
import { createAnonymousRecord, createIdentifiedRecord } from "../contracts/helpers/records";

type W = Awaited<ReturnType<typeof deployWorld>>;

/** The registry seen through the SDK's RecordDirectory interface. */
function directory(world: W): RecordDirectory {
  return {
    recordAddress: async (id) => {
      const address = await world.registry.recordOf(id);
      return address === ethers.ZeroAddress ? undefined : address;
    },
  };
}

/** The registry's whole public index of anonymous records, as the client reads it. */
async function publicIndex(world: W): Promise<Set<string>> {
  const ids = await world.registry.anonymousRecords(0, 1000);
  return new Set(ids.map((id) => id.toLowerCase()));
}

/**
 * Patient 0 has anonymous records at indices 0, 1 and 3 (index 2 unused) and identified ones at identified
 * indices 0 and 2; patient 1 front-ran patient 0's anonymous scope 4 (created a record with its own key there).
 */
async function world() {
  const w = await deployWorld(10);
  const [me, other] = w.patients;
  const anonymousScope = (i: number) => bytesToHex(deriveRecordScope(me.keys.secretKey, "anonymous", i));
  const identifiedScope = (i: number) => bytesToHex(deriveRecordScope(me.keys.secretKey, "identified", i));
  for (const i of [0, 1, 3]) await createAnonymousRecord(w, me, anonymousScope(i));
  await createAnonymousRecord(w, other, anonymousScope(4));
  for (const i of [0, 2]) await createIdentifiedRecord(w, me, identifiedScope(i));
  return { w, me };
}

describe("record discovery (records from the key file alone)", () => {
  describe("matchAnonymousRecords (local match against the public index: no id or scope is sent)", () => {
    it("finds the anonymous records, names the lowest free index, and ignores a squatter in its scope", async () => {
      const { w, me } = await loadFixture(world);
      const scanned: number[] = [];
      const result = matchAnonymousRecords(await publicIndex(w), me.keys.secretKey, { gapLimit: 3, onProgress: (n) => scanned.push(n) });
      expect(result.records.map((r) => r.index)).to.deep.equal([0, 1, 3]);
      expect(result.firstFree).to.equal(2);
      for (const r of result.records) {
        expect(r.anonymous).to.equal(true);
        expect(r.recordId).to.equal(anonymousSlot(me.keys.secretKey, r.index).recordId);
        expect(await w.registry.recordOf(r.recordId)).to.not.equal(ethers.ZeroAddress);
      }
      // 0, 1 found, 2 free, 3 found, 4-6 free (the squatter's record at 4 has another id): stop after 7.
      expect(scanned.at(-1)).to.equal(7);
    });

    it("finds nothing for another patient's key: none of patient 0's records is attributed to them", async () => {
      const { w } = await loadFixture(world);
      const stranger = w.patients[2];
      const result = matchAnonymousRecords(await publicIndex(w), stranger.keys.secretKey);
      expect(result.records).to.deep.equal([]);
      expect(result.firstFree).to.equal(0);
    });

    it("stops after gapLimit free indices even when a record lies beyond the gap", async () => {
      const { w, me } = await loadFixture(world);
      const result = matchAnonymousRecords(await publicIndex(w), me.keys.secretKey, { gapLimit: 1 });
      expect(result.records.map((r) => r.index)).to.deep.equal([0, 1]);
    });
  });

  describe("scanIdentifiedRecords (identified domain: lookups say nothing about anonymous scopes)", () => {
    it("finds the identified records and the lowest free identified index", async () => {
      const { w, me } = await loadFixture(world);
      const result = await scanIdentifiedRecords(directory(w), me.keys.secretKey, me.account.address, { gapLimit: 3 });
      expect(result.records.map((r) => [r.index, r.anonymous])).to.deep.equal([
        [0, false],
        [2, false],
      ]);
      expect(result.firstFree).to.equal(1);
    });

    it("never asks for an anonymous id", async () => {
      const { w, me } = await loadFixture(world);
      const asked: string[] = [];
      const recording: RecordDirectory = { recordAddress: async (id) => (asked.push(id.toLowerCase()), directory(w).recordAddress(id)) };
      await scanIdentifiedRecords(recording, me.keys.secretKey, me.account.address);
      const anonymous = await publicIndex(w);
      expect(asked.filter((id) => anonymous.has(id))).to.deep.equal([]);
    });
  });
});
