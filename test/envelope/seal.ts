import { expect } from "chai";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { encryptionPublicKey, openRecord, sealRecord, wrapKey } from "../../src/envelope";
import { expectEnvelopeError, flipByte, utf8 } from "./helpers";

const RECORD = utf8(JSON.stringify({ resourceType: "Patient", name: [{ family: "MARKER-Zhang" }] }));

describe("sealRecord / openRecord", () => {
  const patientSecret = secp256k1.utils.randomSecretKey();
  const institutionSecret = secp256k1.utils.randomSecretKey();
  const context = utf8("record-id-1");

  it("lets the patient read their own record from their encryption key alone", () => {
    const sealed = sealRecord({ plaintext: RECORD, ownerEncryptionPublicKey: encryptionPublicKey(patientSecret), context });
    const opened = openRecord({
      ciphertext: sealed.ciphertext,
      expectedContentHash: sealed.contentHash,
      wrappedKey: sealed.ownerWrappedKey,
      recipientSecretKey: patientSecret,
      context,
    });
    expect(opened).to.deep.equal(RECORD);
  });

  it("lets an institution read a record after the data key is wrapped for it (warrant)", () => {
    const sealed = sealRecord({ plaintext: RECORD, ownerEncryptionPublicKey: encryptionPublicKey(patientSecret), context, aad: context });
    const granted = wrapKey(sealed.dataKey, encryptionPublicKey(institutionSecret), context);
    const input = { ciphertext: sealed.ciphertext, expectedContentHash: sealed.contentHash, recipientSecretKey: institutionSecret, context, aad: context };
    expect(openRecord({ ...input, wrappedKey: granted })).to.deep.equal(RECORD);
    // The owner's wrapped key does not open for the institution.
    expectEnvelopeError(() => openRecord({ ...input, wrappedKey: sealed.ownerWrappedKey }), "AUTHENTICATION_FAILED");
  });

  it("throws CONTENT_HASH_MISMATCH before decrypting when the ciphertext differs from the stored hash", () => {
    const sealed = sealRecord({ plaintext: RECORD, ownerEncryptionPublicKey: encryptionPublicKey(patientSecret), context });
    const base = { wrappedKey: sealed.ownerWrappedKey, recipientSecretKey: patientSecret, context };
    expectEnvelopeError(
      () => openRecord({ ...base, ciphertext: flipByte(sealed.ciphertext, 30), expectedContentHash: sealed.contentHash }),
      "CONTENT_HASH_MISMATCH",
    );
    const other = sealRecord({ plaintext: RECORD, ownerEncryptionPublicKey: encryptionPublicKey(patientSecret), context });
    expectEnvelopeError(() => openRecord({ ...base, ciphertext: sealed.ciphertext, expectedContentHash: other.contentHash }), "CONTENT_HASH_MISMATCH");
  });

  it("accepts the stored hash in upper-case hex and rejects a malformed one loudly", () => {
    const sealed = sealRecord({ plaintext: RECORD, ownerEncryptionPublicKey: encryptionPublicKey(patientSecret), context });
    const base = { ciphertext: sealed.ciphertext, wrappedKey: sealed.ownerWrappedKey, recipientSecretKey: patientSecret, context };
    const upper = "0x" + sealed.contentHash.slice(2).toUpperCase();
    expect(openRecord({ ...base, expectedContentHash: upper })).to.deep.equal(RECORD);
    expect(() => openRecord({ ...base, expectedContentHash: sealed.contentHash.slice(0, 64) })).to.throw("expectedContentHash: expected 32 bytes (64 hex digits), got 31 bytes");
  });
});
