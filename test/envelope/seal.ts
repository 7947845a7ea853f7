import { expect } from "chai";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { concatBytes } from "@noble/hashes/utils.js";
import {
  RECORD_BLOB_MIN_LENGTH,
  WRAPPED_KEY_LENGTH,
  contentHash,
  encryptionPublicKey,
  openRecord,
  sealRecord,
  unwrapOwnerDataKey,
  wrapKey,
} from "../../src/envelope";
import { expectEnvelopeError, flipByte, utf8 } from "./helpers";

const RECORD = utf8(JSON.stringify({ resourceType: "Patient", name: [{ family: "MARKER-Zhang" }] }));

describe("sealRecord / openRecord (the record blob: owner's wrapped key || record envelope)", () => {
  const patientSecret = secp256k1.utils.randomSecretKey();
  const institutionSecret = secp256k1.utils.randomSecretKey();
  const context = utf8("record-id-1");

  it("lets the patient read their own record from their encryption key alone; the content hash covers the whole blob", () => {
    const sealed = sealRecord({ plaintext: RECORD, ownerEncryptionPublicKey: encryptionPublicKey(patientSecret), context });
    expect(sealed.contentHash).to.equal(contentHash(sealed.blob));
    expect(openRecord({ blob: sealed.blob, expectedContentHash: sealed.contentHash, recipientSecretKey: patientSecret, context })).to.deep.equal(RECORD);
  });

  it("lets an institution read a record after the owner's data key is wrapped for it (warrant)", () => {
    const sealed = sealRecord({ plaintext: RECORD, ownerEncryptionPublicKey: encryptionPublicKey(patientSecret), context, aad: context });
    const dataKey = unwrapOwnerDataKey({ blob: sealed.blob, expectedContentHash: sealed.contentHash, ownerSecretKey: patientSecret, context });
    expect(dataKey).to.deep.equal(sealed.dataKey);
    const granted = wrapKey(dataKey, encryptionPublicKey(institutionSecret), context);
    const input = { blob: sealed.blob, expectedContentHash: sealed.contentHash, recipientSecretKey: institutionSecret, context, aad: context };
    expect(openRecord({ ...input, wrappedKey: granted })).to.deep.equal(RECORD);
    // The owner's wrapped key inside the blob does not open for the institution.
    expectEnvelopeError(() => openRecord(input), "AUTHENTICATION_FAILED");
  });

  it("throws CONTENT_HASH_MISMATCH before decrypting when any byte of the blob differs from the stored hash", () => {
    const sealed = sealRecord({ plaintext: RECORD, ownerEncryptionPublicKey: encryptionPublicKey(patientSecret), context });
    const base = { recipientSecretKey: patientSecret, context };
    for (const index of [0, WRAPPED_KEY_LENGTH - 1, WRAPPED_KEY_LENGTH + 30]) {
      expectEnvelopeError(() => openRecord({ ...base, blob: flipByte(sealed.blob, index), expectedContentHash: sealed.contentHash }), "CONTENT_HASH_MISMATCH");
    }
    const other = sealRecord({ plaintext: RECORD, ownerEncryptionPublicKey: encryptionPublicKey(patientSecret), context });
    expectEnvelopeError(() => openRecord({ ...base, blob: sealed.blob, expectedContentHash: other.contentHash }), "CONTENT_HASH_MISMATCH");
  });

  it("throws MALFORMED for stored data too short to be a record blob, even when its hash matches", () => {
    const short = concatBytes(new Uint8Array(RECORD_BLOB_MIN_LENGTH - 1));
    expectEnvelopeError(() => openRecord({ blob: short, expectedContentHash: contentHash(short), recipientSecretKey: patientSecret, context }), "MALFORMED");
    expectEnvelopeError(
      () => unwrapOwnerDataKey({ blob: short, expectedContentHash: contentHash(short), ownerSecretKey: patientSecret, context }),
      "MALFORMED",
    );
  });

  it("accepts the stored hash in upper-case hex and rejects a malformed one loudly", () => {
    const sealed = sealRecord({ plaintext: RECORD, ownerEncryptionPublicKey: encryptionPublicKey(patientSecret), context });
    const base = { blob: sealed.blob, recipientSecretKey: patientSecret, context };
    const upper = "0x" + sealed.contentHash.slice(2).toUpperCase();
    expect(openRecord({ ...base, expectedContentHash: upper })).to.deep.equal(RECORD);
    expect(() => openRecord({ ...base, expectedContentHash: sealed.contentHash.slice(0, 64) })).to.throw(
      "expectedContentHash: expected 32 bytes (64 hex digits), got 31 bytes",
    );
  });
});
