import { expect } from "chai";
import { keccak256, concat, toBeHex, toUtf8Bytes, hexlify } from "ethers";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { deriveRecordScope, MAX_RECORD_INDEX, TAG_ANONYMOUS_SCOPE, TAG_IDENTIFIED_SCOPE, type RecordKind } from "../../src/envelope";
import { keyImage } from "../../src/mrs1";

const N = secp256k1.Point.Fn.ORDER;
const randomRingKey = (): bigint => BigInt(hexlify(secp256k1.utils.randomSecretKey()));
const KINDS: [RecordKind, string, Uint8Array][] = [
  ["anonymous", "MEDRING-V1-ANONYMOUS-SCOPE", TAG_ANONYMOUS_SCOPE],
  ["identified", "MEDRING-V1-IDENTIFIED-SCOPE", TAG_IDENTIFIED_SCOPE],
];

describe("deriveRecordScope", () => {
  for (const [kind, tagText, tagBytes] of KINDS) {
    it(`${kind}: equals keccak256(keccak256("${tagText}") || be32(x) || be32(i)), recomputed with ethers`, () => {
      const x = randomRingKey();
      const tag = keccak256(toUtf8Bytes(tagText));
      expect(hexlify(tagBytes)).to.equal(tag);
      for (const i of [0, 1, 255, 256, MAX_RECORD_INDEX]) {
        const expected = keccak256(concat([tag, toBeHex(x, 32), toBeHex(i, 32)]));
        expect(hexlify(deriveRecordScope(x, kind, i))).to.equal(expected);
      }
    });
  }

  it("is deterministic: the same key, kind and index give the same scope (rediscovery from the key alone)", () => {
    const x = randomRingKey();
    expect(deriveRecordScope(x, "anonymous", 5)).to.deep.equal(deriveRecordScope(x, "anonymous", 5));
  });

  it("gives a different scope for every index, every kind and every key (separate domains)", () => {
    const x = randomRingKey();
    const y = randomRingKey();
    const seen = new Set<string>();
    for (let i = 0; i < 64; i++) {
      for (const key of [x, y]) for (const [kind] of KINDS) seen.add(hexlify(deriveRecordScope(key, kind, i)));
    }
    expect(seen.size).to.equal(256);
  });

  it("gives per-record MRS-1 key images that the key alone reproduces and that differ across records", () => {
    const x = randomRingKey();
    const first = [0, 1, 2].map((i) => keyImage(x, deriveRecordScope(x, "anonymous", i)).toHex(true));
    const again = [0, 1, 2].map((i) => keyImage(x, deriveRecordScope(x, "anonymous", i)).toHex(true));
    expect(again).to.deep.equal(first);
    expect(new Set(first).size).to.equal(3);
  });

  it("accepts the extreme keys 1 and n-1", () => {
    expect(deriveRecordScope(1n, "identified", 0)).to.have.length(32);
    expect(deriveRecordScope(N - 1n, "anonymous", 0)).to.have.length(32);
  });

  it("throws RangeError for a key outside [1, n-1], an unknown kind or an index outside [0, 2^32-1]", () => {
    for (const bad of [0n, N, -1n]) expect(() => deriveRecordScope(bad, "anonymous", 0)).to.throw(RangeError, "ringSecretKey");
    expect(() => deriveRecordScope(5 as unknown as bigint, "anonymous", 0)).to.throw(RangeError, "ringSecretKey");
    expect(() => deriveRecordScope(1n, "both" as RecordKind, 0)).to.throw(RangeError, "kind");
    for (const bad of [-1, 1.5, MAX_RECORD_INDEX + 1, Number.NaN]) {
      expect(() => deriveRecordScope(1n, "anonymous", bad)).to.throw(RangeError, "index");
    }
  });
});
