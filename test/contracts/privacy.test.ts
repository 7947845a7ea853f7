/**
 * End to end with real encryption (src/envelope) and real MRS-1 signatures, then a scan of everything the
 * scenario put on chain (calldata, logs, storage writes from debug_traceTransaction) for plaintext markers
 * of the records and the personal info, as UTF-8 and as hex text (docs/design.md#confidentiality).
 */
import { expect } from "chai";
import hre, { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { randomBytes } from "@noble/hashes/utils.js";
import { bytesToHex } from "../../src/hex";
import { contentHash, deriveRecordScope, encryptionPublicKey, encryptRecord, openRecord, sealRecord, wrapKey } from "../../src/envelope";
import { accessListAt, deployWorld, recordAt } from "./helpers/fixture";
import { anonymousIdFor, decoysFor, domainOf, FAR_DEADLINE, ringOf, warrantAuth } from "./helpers/records";
import { authorize, ringActionDigest } from "../../src/actions";

const MARKERS = {
  personInfo: "PATIENT-NAME=Wang Xiaoming;DOB=1971-03-09;ID=110101197103091234",
  identifiedRecord: "DIAGNOSIS=type 2 diabetes mellitus;HbA1c=8.1%;metformin 500mg",
  anonymousRecord: "DIAGNOSIS=HIV-1 positive;CD4=350;viral load 12000 copies/ml",
};
const utf8 = (s: string) => ethers.toUtf8Bytes(s);

/**
 * Every byte the chain got in blocks [from, to]: calldata, log topics and data, and every storage word of
 * every SSTORE step (debug_traceTransaction's default tracer; the stack is disabled to keep the ring-verifier
 * traces small, and the step's `storage` map holds the value being stored).
 */
async function chainBytes(from: number, to: number) {
  const calldata: string[] = [];
  const logs: string[] = [];
  const storage: string[] = [];
  for (let n = from; n <= to; n++) {
    const block = await ethers.provider.getBlock(n, true);
    for (const tx of block!.prefetchedTransactions) {
      calldata.push(tx.data);
      const receipt = await ethers.provider.getTransactionReceipt(tx.hash);
      for (const log of receipt!.logs) logs.push(ethers.concat([...log.topics, log.data]));
      const trace = await hre.network.provider.send("debug_traceTransaction", [tx.hash, { disableStack: true, disableMemory: true, disableStorage: false }]);
      for (const step of trace.structLogs as { op: string; storage?: Record<string, string> }[]) {
        if (step.op === "SSTORE" && step.storage) storage.push(...Object.values(step.storage).map((v) => "0x" + v));
      }
    }
  }
  const join = (parts: string[]) => ethers.getBytes(ethers.concat(parts));
  return { calldata: join(calldata), logs: join(logs), storage: join(storage) };
}

/** Whether any 12-byte window of `needle` occurs in `haystack` (catches a marker split across storage words). */
function leaks(haystack: Uint8Array, needle: Uint8Array, window = 12): boolean {
  const hay = Buffer.from(haystack);
  for (let i = 0; i + window <= needle.length; i += 4) {
    if (hay.indexOf(Buffer.from(needle.subarray(i, i + window))) >= 0) return true;
  }
  return false;
}

async function scenario() {
  const world = await deployWorld(10);
  const start = await ethers.provider.getBlockNumber();
  const [institution] = world.institutionAccounts;
  const institutionSecret = randomBytes(32);
  const institutionKey = encryptionPublicKey(institutionSecret);
  await (await world.registry.connect(world.regulator).certifyInstitution(await institution.getAddress(), institutionKey)).wait();
  const owner = world.patients[0];
  const ownerEncryptionKey = encryptionPublicKey(randomBytes(32));
  const seal = (marker: string, context: Uint8Array) => sealRecord({ plaintext: utf8(marker), ownerEncryptionPublicKey: ownerEncryptionKey, context });

  // Personal info: ciphertext only.
  const info = encryptRecord(utf8(MARKERS.personInfo));
  await (await owner.register.personInfo(info.ciphertext)).wait();

  // Identified record, ciphertext in the creation event; subjoined; granted to the institution.
  const scopeA = bytesToHex(randomBytes(32));
  const idA = await world.registry.identifiedRecordIdOf(owner.account.address, scopeA);
  const contextA = ethers.getBytes(idA);
  const a = seal(MARKERS.identifiedRecord, contextA);
  await (await world.registry.connect(owner.account).createRecord(scopeA, a.contentHash, "0x", a.blob)).wait();
  const recordA = await world.registry.recordOf(idA);
  await (await owner.register.subjoin(recordA)).wait();
  await (await recordAt(recordA, owner.account).warrant(await institution.getAddress(), wrapKey(a.dataKey, institutionKey, contextA))).wait();

  // Anonymous record in a scope derived from the ring secret key, granted through the registry.
  const scopeB = bytesToHex(deriveRecordScope(owner.keys.secretKey, "anonymous", 0));
  const idB = anonymousIdFor(owner.keys, scopeB);
  const b = seal(MARKERS.anonymousRecord, ethers.getBytes(idB));
  const ciphertextB = bytesToHex(b.blob);
  const digest = ringActionDigest(await domainOf(world), "CreateRecord", {
    scope: scopeB,
    contentHash: b.contentHash,
    locator: "0x",
    ciphertext: ciphertextB,
    nonce: 0n,
    deadline: FAR_DEADLINE,
  });
  const createAuth = authorize(owner.keys, decoysFor(world, owner, 8), scopeB, digest, 0n, FAR_DEADLINE);
  const decoys = ringOf(createAuth); // the record's fixed ring
  await (await world.registry.connect(world.relayer).createRecordAnonymous(scopeB, b.contentHash, "0x", ciphertextB, createAuth)).wait();
  const wrappedB = bytesToHex(wrapKey(b.dataKey, institutionKey, ethers.getBytes(idB)));
  const grant = await warrantAuth(world, owner.keys, decoys, scopeB, await institution.getAddress(), wrappedB);
  await (await world.registry.connect(world.relayer).warrantAnonymous(scopeB, await institution.getAddress(), wrappedB, grant)).wait();

  const end = await ethers.provider.getBlockNumber();
  const records = { [recordA]: MARKERS.identifiedRecord, [await world.registry.recordOf(idB)]: MARKERS.anonymousRecord };
  return { world, institution, institutionSecret, start, end, recordA, records };
}

/** Traces are the slow part (a ring-verified transaction has ~450k steps): collect once per scenario. */
let cached: { key: string; seen: Promise<Awaited<ReturnType<typeof chainBytes>>> } | undefined;
function seenOnce(start: number, end: number) {
  const key = `${start}-${end}`;
  if (cached?.key !== key) cached = { key, seen: chainBytes(start + 1, end) };
  return cached.seen;
}

describe("confidentiality (real envelope encryption)", () => {
  it("the institution finds its grants in getData, fetches the ciphertext from RecordCreated, checks the hash and decrypts", async () => {
    const { world, institution, institutionSecret, records } = await loadFixture(scenario);
    const [accessList] = await world.registry.accessListOf(await institution.getAddress());
    const grants = await accessListAt(accessList, institution).getData(0, 100);
    expect(grants).to.have.length(2);
    for (const grant of grants) {
      expect(ethers.toUtf8String(grant.locator)).to.equal("medring:event");
      const [event] = await world.registry.queryFilter(world.registry.filters.RecordCreated(grant.id));
      const ciphertext = ethers.getBytes(event.args.ciphertext);
      expect(contentHash(ciphertext)).to.equal(grant.contentHash);
      const plaintext = openRecord({
        blob: ciphertext,
        expectedContentHash: grant.contentHash,
        wrappedKey: ethers.getBytes(grant.wrappedKey),
        recipientSecretKey: institutionSecret,
        context: ethers.getBytes(grant.id),
      });
      expect(ethers.toUtf8String(plaintext)).to.equal(records[grant.record]);
    }
  });

  it("no plaintext marker appears in calldata, logs or storage writes, as UTF-8 or as hex text", async () => {
    const { start, end } = await loadFixture(scenario);
    const seen = await seenOnce(start, end);
    for (const [name, marker] of Object.entries(MARKERS)) {
      const forms = { utf8: utf8(marker), hexText: utf8(ethers.hexlify(utf8(marker)).slice(2)) };
      for (const [form, needle] of Object.entries(forms)) {
        for (const [where, haystack] of Object.entries(seen)) {
          expect(leaks(haystack, needle), `${name} as ${form} in ${where}`).to.equal(false);
        }
      }
    }
  });

  it("the scan sees what is there (positive controls for each source and for the matcher)", async () => {
    const { world, start, end, recordA } = await loadFixture(scenario);
    const seen = await seenOnce(start, end);
    const [created] = await world.registry.queryFilter(world.registry.filters.RecordCreated(undefined, recordA));
    expect(leaks(seen.storage, ethers.getBytes(created.args.contentHash)), "content hash in storage writes").to.equal(true);
    expect(leaks(seen.logs, ethers.getBytes(created.args.ciphertext)), "ciphertext in logs").to.equal(true);
    expect(leaks(seen.calldata, ethers.getBytes(created.args.ciphertext)), "ciphertext in calldata").to.equal(true);
    const planted = ethers.getBytes(ethers.concat([seen.storage, utf8("x"), utf8(MARKERS.personInfo).subarray(5, 30)]));
    expect(leaks(planted, utf8(MARKERS.personInfo)), "a planted fragment of a marker").to.equal(true);
  });
});
