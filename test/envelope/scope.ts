import { expect } from "chai";
import { keccak256, concat, toBeHex, toUtf8Bytes, hexlify } from "ethers";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { deriveRecordScope, MAX_RECORD_INDEX, TAG_RECORD_SCOPE } from "../../src/envelope";
import { keyImage } from "../../src/mrs1";

const N = secp256k1.Point.Fn.ORDER;
const randomRingKey = (): bigint => BigInt(hexlify(secp256k1.utils.randomSecretKey()));

describe("deriveRecordScope", () => {
  it("equals keccak256(keccak256(\"MEDRING-V1-RECORD-SCOPE\") || be32(x) || be32(i)), recomputed with ethers", () => {
    const x = randomRingKey();
    const tag = keccak256(toUtf8Bytes("MEDRING-V1-RECORD-SCOPE"));
    expect(hexlify(TAG_RECORD_SCOPE)).to.equal(tag);
    for (const i of [0, 1, 255, 256, MAX_RECORD_INDEX]) {
      const expected = keccak256(concat([tag, toBeHex(x, 32), toBeHex(i, 32)]));
      expect(hexlify(deriveRecordScope(x, i))).to.equal(expected);
    }
  });

  it("is deterministic: the same key and index give the same scope (rediscovery from the key alone)", () => {
    const x = randomRingKey();
    expect(deriveRecordScope(x, 5)).to.deep.equal(deriveRecordScope(x, 5));
  });

  it("gives a different scope for every index and for every key", () => {
    const x = randomRingKey();
    const y = randomRingKey();
    const seen = new Set<string>();
    for (let i = 0; i < 64; i++) {
      seen.add(hexlify(deriveRecordScope(x, i)));
      seen.add(hexlify(deriveRecordScope(y, i)));
    }
    expect(seen.size).to.equal(128);
  });

  it("gives per-record MRS-1 key images that the key alone reproduces and that differ across records", () => {
    const x = randomRingKey();
    const first = [0, 1, 2].map((i) => keyImage(x, deriveRecordScope(x, i)).toHex(true));
    const again = [0, 1, 2].map((i) => keyImage(x, deriveRecordScope(x, i)).toHex(true));
    expect(again).to.deep.equal(first);
    expect(new Set(first).size).to.equal(3);
  });

  it("accepts the extreme keys 1 and n-1", () => {
    expect(deriveRecordScope(1n, 0)).to.have.length(32);
    expect(deriveRecordScope(N - 1n, 0)).to.have.length(32);
  });

  it("throws RangeError for a key outside [1, n-1] or an index outside [0, 2^32-1]", () => {
    for (const bad of [0n, N, -1n]) expect(() => deriveRecordScope(bad, 0)).to.throw(RangeError, "ringSecretKey");
    expect(() => deriveRecordScope(5 as unknown as bigint, 0)).to.throw(RangeError, "ringSecretKey");
    for (const bad of [-1, 1.5, MAX_RECORD_INDEX + 1, Number.NaN]) {
      expect(() => deriveRecordScope(1n, bad)).to.throw(RangeError, "index");
    }
  });
});
