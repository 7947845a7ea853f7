/**
 * Padded records (src/envelope/padding.ts, envelope v2): a ciphertext's length shows only its size bucket. The
 * demo's FHIR records (scripts/demo/fhirSamples.ts) all fall in the 4 KiB bucket and a single resource in the
 * 1 KiB one; records in the unpadded v1 format, written before padding, still open.
 */
import { expect } from "chai";
import { xchacha20poly1305 } from "@noble/ciphers/chacha.js";
import { randomBytes } from "@noble/ciphers/utils.js";
import { concatBytes } from "@noble/hashes/utils.js";
import {
  RECORD_ENVELOPE_UNPADDED_VERSION,
  RECORD_ENVELOPE_VERSION,
  contentHash,
  decryptRecord,
  encryptRecord,
  encryptionPublicKey,
  openRecord,
  pad,
  paddedLength,
  sealRecord,
  unpad,
  wrapKey,
} from "../../src/envelope";
import { syntheticRecord } from "../../scripts/demo/fhirSamples";
import { expectEnvelopeError, utf8 } from "./helpers/envelope";

const KiB = 1024;
/** The envelope around the padded plaintext: version byte, nonce, tag; and the owner's wrapped key before it. */
const ENVELOPE_OVERHEAD = 1 + 24 + 16;
const WRAPPED_KEY = 106;

describe("record padding", () => {
  it("buckets: powers of two from 1 KiB to 64 KiB (a 4-byte length prefix included), then steps of 16 KiB", () => {
    const cases: [number, number][] = [
      [0, 1 * KiB],
      [1020, 1 * KiB],
      [1021, 2 * KiB],
      [2400, 4 * KiB],
      [64 * KiB - 4, 64 * KiB],
      [64 * KiB - 3, 80 * KiB],
      [80 * KiB - 4, 80 * KiB],
      [80 * KiB, 96 * KiB],
    ];
    for (const [length, bucket] of cases) expect(paddedLength(length), `${length} bytes`).to.equal(bucket);
    expect(() => paddedLength(-1)).to.throw(RangeError);
  });

  it("the demo's FHIR Bundles all give ciphertexts of one length (the 4 KiB bucket), a single resource the 1 KiB bucket's", () => {
    const owner = encryptionPublicKey(randomBytes(32));
    const lengths = new Set<number>();
    for (let i = 0; i < 24; i++) {
      const plaintext = utf8(syntheticRecord(i).json);
      const sealed = sealRecord({ plaintext, ownerEncryptionPublicKey: owner, context: randomBytes(32) });
      lengths.add(sealed.blob.length);
    }
    expect([...lengths]).to.deep.equal([WRAPPED_KEY + ENVELOPE_OVERHEAD + 4 * KiB]);
    const observation = utf8(JSON.stringify({ resourceType: "Observation", status: "final", code: { text: "HbA1c" }, valueString: "7.1 %" }));
    expect(encryptRecord(observation).ciphertext.length).to.equal(ENVELOPE_OVERHEAD + 1 * KiB);
  });

  it("pads with a length prefix and zero bytes, and unpad refuses a prefix past the end or non-zero padding", () => {
    const padded = pad(utf8("abc"));
    expect(padded.length).to.equal(1 * KiB);
    expect([...padded.subarray(0, 7)]).to.deep.equal([0, 0, 0, 3, 97, 98, 99]);
    expect(unpad(padded)).to.deep.equal(utf8("abc"));
    const tooLong = Uint8Array.from(padded);
    tooLong[0] = 1;
    expectEnvelopeError(() => unpad(tooLong), "MALFORMED");
    const dirty = Uint8Array.from(padded);
    dirty[100] = 1;
    expectEnvelopeError(() => unpad(dirty), "MALFORMED");
  });

  it("writes version 2; a v1 record (unpadded, sealed as before padding existed) still opens, blob and all", () => {
    expect(RECORD_ENVELOPE_VERSION).to.equal(2);
    const plaintext = utf8(syntheticRecord(0).json);
    // A v1 envelope built here from its definition: 0x01 || nonce || XChaCha20-Poly1305(key, nonce, plaintext, aad = 0x01).
    const dataKey = randomBytes(32);
    const nonce = randomBytes(24);
    const header = Uint8Array.of(RECORD_ENVELOPE_UNPADDED_VERSION);
    const v1 = concatBytes(header, nonce, xchacha20poly1305(dataKey, nonce, header).encrypt(plaintext));
    expect(v1.length).to.equal(ENVELOPE_OVERHEAD + plaintext.length);
    expect(decryptRecord(v1, dataKey)).to.deep.equal(plaintext);

    const ownerSecret = randomBytes(32);
    const context = randomBytes(32);
    const blob = concatBytes(wrapKey(dataKey, encryptionPublicKey(ownerSecret), context), v1);
    expect(openRecord({ blob, expectedContentHash: contentHash(blob), recipientSecretKey: ownerSecret, context })).to.deep.equal(plaintext);
  });

  it("a v2 envelope whose version byte is rewritten to 1 does not open (the version is authenticated)", () => {
    const { ciphertext, dataKey } = encryptRecord(utf8("x"));
    const downgraded = Uint8Array.from(ciphertext);
    downgraded[0] = RECORD_ENVELOPE_UNPADDED_VERSION;
    expectEnvelopeError(() => decryptRecord(downgraded, dataKey), "AUTHENTICATION_FAILED");
  });
});
