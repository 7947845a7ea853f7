import { expect } from "chai";
import { keccak256 } from "ethers";
import { contentHash, decryptRecord, encryptRecord, paddedLength, RECORD_ENVELOPE_MIN_LENGTH, RECORD_ENVELOPE_VERSION } from "../../src/envelope";
import { expectEnvelopeError, flipByte, utf8 } from "./helpers/envelope";

const FHIR = utf8(JSON.stringify({ resourceType: "Observation", status: "final", code: { text: "PLAINTEXT-MARKER-42" } }));
const NONCE_START = 1;
const NONCE_END = 25;

describe("encryptRecord / decryptRecord", () => {
  it("round-trips a record and an empty record", () => {
    for (const plaintext of [FHIR, new Uint8Array(0), new Uint8Array(70_000).fill(7)]) {
      const { ciphertext, dataKey } = encryptRecord(plaintext);
      expect(decryptRecord(ciphertext, dataKey)).to.deep.equal(plaintext);
    }
  });

  it("round-trips with associated data and fails without it", () => {
    const aad = utf8("record 7");
    const { ciphertext, dataKey } = encryptRecord(FHIR, aad);
    expect(decryptRecord(ciphertext, dataKey, aad)).to.deep.equal(FHIR);
    expectEnvelopeError(() => decryptRecord(ciphertext, dataKey), "AUTHENTICATION_FAILED");
    expectEnvelopeError(() => decryptRecord(ciphertext, dataKey, utf8("record 8")), "AUTHENTICATION_FAILED");
  });

  it("lays out version || nonce(24) || ciphertext+tag(16) of the padded plaintext, with no plaintext inside", () => {
    const { ciphertext, dataKey } = encryptRecord(FHIR);
    expect(ciphertext[0]).to.equal(RECORD_ENVELOPE_VERSION);
    expect(ciphertext.length).to.equal(1 + 24 + paddedLength(FHIR.length) + 16);
    expect(dataKey.length).to.equal(32);
    expect(Buffer.from(ciphertext).includes(Buffer.from("PLAINTEXT-MARKER-42"))).to.equal(false);
  });

  it("uses a fresh data key and nonce for every record", () => {
    const a = encryptRecord(FHIR);
    const b = encryptRecord(FHIR);
    expect(a.dataKey).to.not.deep.equal(b.dataKey);
    expect(a.ciphertext.subarray(NONCE_START, NONCE_END)).to.not.deep.equal(b.ciphertext.subarray(NONCE_START, NONCE_END));
    expect(a.contentHash).to.not.equal(b.contentHash);
  });

  it("returns contentHash = keccak256(ciphertext) as a lower-case bytes32", () => {
    const { ciphertext, contentHash: hash } = encryptRecord(FHIR);
    expect(hash).to.equal(keccak256(ciphertext));
    expect(hash).to.equal(contentHash(ciphertext));
    expect(hash).to.match(/^0x[0-9a-f]{64}$/);
  });

  it("throws AUTHENTICATION_FAILED when any single byte of nonce, body or tag changes", () => {
    const { ciphertext, dataKey } = encryptRecord(FHIR);
    for (let i = 1; i < ciphertext.length; i++) {
      expectEnvelopeError(() => decryptRecord(flipByte(ciphertext, i), dataKey), "AUTHENTICATION_FAILED");
    }
  });

  it("throws UNSUPPORTED_VERSION when the version byte changes", () => {
    const { ciphertext, dataKey } = encryptRecord(FHIR);
    expectEnvelopeError(() => decryptRecord(flipByte(ciphertext, 0), dataKey), "UNSUPPORTED_VERSION");
  });

  it("throws AUTHENTICATION_FAILED under another data key", () => {
    const { ciphertext } = encryptRecord(FHIR);
    expectEnvelopeError(() => decryptRecord(ciphertext, encryptRecord(FHIR).dataKey), "AUTHENTICATION_FAILED");
  });

  it("throws MALFORMED for an envelope shorter than version + nonce + tag", () => {
    const { ciphertext, dataKey } = encryptRecord(new Uint8Array(0), undefined, { padded: false });
    expect(ciphertext.length).to.equal(RECORD_ENVELOPE_MIN_LENGTH);
    expectEnvelopeError(() => decryptRecord(ciphertext.subarray(0, RECORD_ENVELOPE_MIN_LENGTH - 1), dataKey), "MALFORMED");
    expectEnvelopeError(() => decryptRecord(new Uint8Array(0), dataKey), "MALFORMED");
  });

  it("throws AUTHENTICATION_FAILED when the envelope is truncated or extended", () => {
    const { ciphertext, dataKey } = encryptRecord(FHIR);
    expectEnvelopeError(() => decryptRecord(ciphertext.subarray(0, ciphertext.length - 1), dataKey), "AUTHENTICATION_FAILED");
    expectEnvelopeError(() => decryptRecord(Uint8Array.of(...ciphertext, 0), dataKey), "AUTHENTICATION_FAILED");
  });

  it("throws RangeError/TypeError on programmer misuse (wrong key length, non-bytes)", () => {
    const { ciphertext } = encryptRecord(FHIR);
    expect(() => decryptRecord(ciphertext, new Uint8Array(31))).to.throw(RangeError, "dataKey: expected 32 bytes, got 31");
    expect(() => encryptRecord("text" as unknown as Uint8Array)).to.throw(TypeError, "plaintext: expected a Uint8Array");
  });
});
