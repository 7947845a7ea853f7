/**
 * The patient's and the institution's record listings print one entry shape (src/client/recordEntry.ts,
 * src/cli/recordListing.ts): the same field names, every field present (null where the listing does not know it),
 * the same JSON output, and text lines with the columns each knows. No chain: the entries are built from what the
 * chain views return.
 */
import { expect } from "chai";
import type { GrantView, RecordInfoView } from "../../src/client";
import type { FoundRecord } from "../../src/client/discovery";
import { grantEntry, ownRecordEntry } from "../../src/client/recordEntry";
import { printRecordListing, recordEntryLine } from "../../src/cli/recordListing";

const ID = "0x" + "5c".repeat(32);
const MRC = "0x" + "7e".repeat(20);
const HASH = "0x" + "9f".repeat(32);
const CLINIC = "0x" + "c1".repeat(20);
const CREATED = 1_717_000_000;

const found = (anonymous: boolean): FoundRecord => ({ index: 2, scope: "0x" + "05".repeat(32), recordId: ID, anonymous });
const info: RecordInfoView = {
  id: ID,
  address: MRC,
  scope: "0x" + "00".repeat(32),
  ownerAccount: "0x" + "a1".repeat(20),
  ownerKeyImage: "0x",
  contentHash: HASH,
  locator: "",
  createdAt: CREATED,
  institutions: [CLINIC],
};
const grant: GrantView = { record: MRC, id: ID, contentHash: HASH, locator: "", createdAt: CREATED, wrappedKey: "0x01" };

function printed(json: boolean, about: Record<string, unknown>, entries: ReturnType<typeof grantEntry>[]): string {
  let out = "";
  printRecordListing({ stdout: (s) => void (out += s), stderr: () => undefined }, json, { about, headline: "HEAD", records: entries });
  return out;
}

describe("record listings: one entry shape for the patient and the institution", () => {
  it("a patient's anonymous, identified and an institution's entry have the same fields, null where unknown", () => {
    const anonymous = ownRecordEntry(found(true));
    const identified = ownRecordEntry(found(false), info);
    const granted = grantEntry(grant);
    const fields = ["recordId", "index", "anonymous", "record", "contentHash", "createdAt", "institutions"];
    for (const entry of [anonymous, identified, granted]) expect(Object.keys(entry)).to.have.members(fields);
    expect(anonymous).to.deep.equal({ recordId: ID, index: 2, anonymous: true, record: null, contentHash: null, createdAt: null, institutions: null });
    expect(identified).to.deep.equal({ recordId: ID, index: 2, anonymous: false, record: MRC, contentHash: HASH, createdAt: CREATED, institutions: [CLINIC] });
    // The grant's wrapped key and locator are not part of a listing: the institution's read fetches them again.
    expect(granted).to.deep.equal({ recordId: ID, index: null, anonymous: null, record: MRC, contentHash: HASH, createdAt: CREATED, institutions: null });
  });

  it("--json prints who lists, then the entries under `records`, for either listing", () => {
    const patient = JSON.parse(printed(true, { patient: "0xA1" }, [ownRecordEntry(found(true))]));
    const institution = JSON.parse(printed(true, { institution: "0xC1", certified: true, accessList: "0xAC" }, [grantEntry(grant)]));
    expect(Object.keys(patient)).to.deep.equal(["patient", "records"]);
    expect(Object.keys(institution)).to.deep.equal(["institution", "certified", "accessList", "records"]);
    expect(Object.keys(patient.records[0])).to.deep.equal(Object.keys(institution.records[0]));
  });

  it("text: a headline, then a line per record with the columns the listing knows", () => {
    const date = new Date(CREATED * 1000).toISOString();
    expect(printed(false, {}, [])).to.equal("HEAD\n");
    expect(recordEntryLine(ownRecordEntry(found(true)))).to.equal(`${ID}  #2  anonymous   details: medring record show --record ${ID}`);
    expect(recordEntryLine(ownRecordEntry(found(false), info))).to.equal(`${ID}  #2  identified  ${date}  hash ${HASH}  granted to ${CLINIC}`);
    expect(recordEntryLine(ownRecordEntry(found(false), { ...info, institutions: [] }))).to.match(/ {2}not granted$/);
    expect(printed(false, {}, [grantEntry(grant)])).to.equal(`HEAD\n${ID}  ${date}  hash ${HASH}\n`);
  });
});
