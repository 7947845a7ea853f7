import { expect } from "chai";
import { hkdfSync } from "node:crypto";
import { SigningKey, getBytes } from "ethers";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { xchacha20poly1305 } from "@noble/ciphers/chacha.js";
import { encryptionPublicKey, unwrapKey, wrapKey, WRAP_DOMAIN_TAG, WRAP_VERSION, WRAPPED_KEY_LENGTH } from "../../src/envelope";
import { expectEnvelopeError, flipByte, utf8 } from "./helpers/envelope";

const EPHEMERAL = { start: 1, end: 34 };
const NONCE = { start: 34, end: 58 };

function newRecipient() {
  const secretKey = secp256k1.utils.randomSecretKey();
  return { secretKey, publicKey: encryptionPublicKey(secretKey) };
}

describe("wrapKey / unwrapKey", () => {
  const dataKey = secp256k1.utils.randomSecretKey(); // any 32 random bytes
  const context = utf8("record 0x01");
  const alice = newRecipient();

  it("round-trips a data key for the recipient and context it was made for", () => {
    const wrapped = wrapKey(dataKey, alice.publicKey, context);
    expect(wrapped.length).to.equal(WRAPPED_KEY_LENGTH);
    expect(wrapped[0]).to.equal(WRAP_VERSION);
    expect(unwrapKey(wrapped, alice.secretKey, context)).to.deep.equal(dataKey);
  });

  it("uses a fresh ephemeral key and nonce per wrap", () => {
    const a = wrapKey(dataKey, alice.publicKey, context);
    const b = wrapKey(dataKey, alice.publicKey, context);
    expect(a.subarray(EPHEMERAL.start, EPHEMERAL.end)).to.not.deep.equal(b.subarray(EPHEMERAL.start, EPHEMERAL.end));
    expect(a.subarray(NONCE.start, NONCE.end)).to.not.deep.equal(b.subarray(NONCE.start, NONCE.end));
  });

  it("matches the documented KDF recomputed with ethers ECDH and node:crypto HKDF", () => {
    const wrapped = wrapKey(dataKey, alice.publicKey, context);
    const ephemeral = wrapped.subarray(EPHEMERAL.start, EPHEMERAL.end);
    // ethers returns the uncompressed shared point 0x04 || x || y; the KDF input is x.
    const shared = getBytes(new SigningKey(alice.secretKey).computeSharedSecret(ephemeral));
    const info = Buffer.concat([Buffer.from(WRAP_DOMAIN_TAG, "ascii"), ephemeral, alice.publicKey, context]);
    const kek = new Uint8Array(hkdfSync("sha256", shared.subarray(1, 33), new Uint8Array(0), info, 32));
    const header = wrapped.subarray(0, EPHEMERAL.end);
    const opened = xchacha20poly1305(kek, wrapped.subarray(NONCE.start, NONCE.end), header).decrypt(wrapped.subarray(NONCE.end));
    expect(opened).to.deep.equal(dataKey);
  });

  it("throws AUTHENTICATION_FAILED for the wrong recipient", () => {
    const wrapped = wrapKey(dataKey, alice.publicKey, context);
    expectEnvelopeError(() => unwrapKey(wrapped, newRecipient().secretKey, context), "AUTHENTICATION_FAILED");
  });

  it("throws AUTHENTICATION_FAILED for the wrong context (a wrapped key moved to another record)", () => {
    const wrapped = wrapKey(dataKey, alice.publicKey, context);
    expectEnvelopeError(() => unwrapKey(wrapped, alice.secretKey, utf8("record 0x02")), "AUTHENTICATION_FAILED");
    expectEnvelopeError(() => unwrapKey(wrapped, alice.secretKey, utf8("record 0x01 ")), "AUTHENTICATION_FAILED");
  });

  it("throws AUTHENTICATION_FAILED when the ephemeral key is negated (same ECDH x, different E)", () => {
    const wrapped = wrapKey(dataKey, alice.publicKey, context);
    const negated = Uint8Array.from(wrapped);
    negated[EPHEMERAL.start] ^= 0x01; // 0x02 <-> 0x03: the point -E, still on the curve
    expect(secp256k1.utils.isValidPublicKey(negated.subarray(EPHEMERAL.start, EPHEMERAL.end), true)).to.equal(true);
    expectEnvelopeError(() => unwrapKey(negated, alice.secretKey, context), "AUTHENTICATION_FAILED");
  });

  it("throws INVALID_EPHEMERAL_KEY or AUTHENTICATION_FAILED when an ephemeral key x byte changes", () => {
    const wrapped = wrapKey(dataKey, alice.publicKey, context);
    for (let i = EPHEMERAL.start + 1; i < EPHEMERAL.end; i++) {
      // A changed x is on the curve about half the time: then the tag check catches it.
      expectEnvelopeError(() => unwrapKey(flipByte(wrapped, i), alice.secretKey, context), "INVALID_EPHEMERAL_KEY", "AUTHENTICATION_FAILED");
    }
  });

  it("throws INVALID_EPHEMERAL_KEY for a prefix byte that is not 0x02/0x03", () => {
    const wrapped = Uint8Array.from(wrapKey(dataKey, alice.publicKey, context));
    wrapped[EPHEMERAL.start] = 0x04;
    expectEnvelopeError(() => unwrapKey(wrapped, alice.secretKey, context), "INVALID_EPHEMERAL_KEY");
  });

  it("throws AUTHENTICATION_FAILED when any nonce or ciphertext byte changes", () => {
    const wrapped = wrapKey(dataKey, alice.publicKey, context);
    for (let i = NONCE.start; i < WRAPPED_KEY_LENGTH; i++) {
      expectEnvelopeError(() => unwrapKey(flipByte(wrapped, i), alice.secretKey, context), "AUTHENTICATION_FAILED");
    }
  });

  it("throws UNSUPPORTED_VERSION and MALFORMED for a bad version byte or length", () => {
    const wrapped = wrapKey(dataKey, alice.publicKey, context);
    expectEnvelopeError(() => unwrapKey(flipByte(wrapped, 0), alice.secretKey, context), "UNSUPPORTED_VERSION");
    expectEnvelopeError(() => unwrapKey(wrapped.subarray(1), alice.secretKey, context), "MALFORMED");
    expectEnvelopeError(() => unwrapKey(Uint8Array.of(...wrapped, 0), alice.secretKey, context), "MALFORMED");
  });

  it("throws INVALID_RECIPIENT_KEY for a recipient key that is not a compressed point", () => {
    const uncompressed = secp256k1.getPublicKey(alice.secretKey, false);
    expectEnvelopeError(() => wrapKey(dataKey, uncompressed, context), "INVALID_RECIPIENT_KEY");
    const offCurve = Uint8Array.from(alice.publicKey);
    offCurve[0] = 0x05;
    expectEnvelopeError(() => wrapKey(dataKey, offCurve, context), "INVALID_RECIPIENT_KEY");
  });

  it("throws on programmer misuse: empty context, 31-byte data key, invalid secret key", () => {
    expect(() => wrapKey(dataKey, alice.publicKey, new Uint8Array(0))).to.throw(RangeError, "context: must not be empty");
    expect(() => wrapKey(dataKey.subarray(1), alice.publicKey, context)).to.throw(RangeError, "dataKey: expected 32 bytes, got 31");
    const wrapped = wrapKey(dataKey, alice.publicKey, context);
    expect(() => unwrapKey(wrapped, new Uint8Array(32), context)).to.throw(RangeError, "recipientSecretKey");
  });
});
