import { expect } from "chai";
import fc from "fast-check";
import { randomBytes } from "@noble/hashes/utils.js";
import { N_ORDER, Point, encodeSignatureJson, generateKeyPair, keyImage, parseSignatureJson, sign, sortRing, verify, type Mrs1Signature } from "../../src/mrs1";

function makeRing(size: number) {
  const keys = Array.from({ length: size }, generateKeyPair);
  return { keys, ring: sortRing(keys.map((k) => k.publicKey)) };
}

function signedBy(size: number, signerIndex = 0): Mrs1Signature {
  const { keys, ring } = makeRing(size);
  return sign({ secretKey: keys[signerIndex].secretKey, ring, scope: randomBytes(32), message: randomBytes(32) });
}

const reasonOf = (sig: Mrs1Signature) => {
  const v = verify(sig);
  return v.valid ? "valid" : v.reason;
};

describe("MRS-1 sign and verify (TypeScript)", () => {
  it("verifies a signature from every position of a ring of 5", () => {
    const { keys, ring } = makeRing(5);
    for (const k of keys) {
      const sig = sign({ secretKey: k.secretKey, ring, scope: randomBytes(32), message: randomBytes(32) });
      expect(verify(sig)).to.deep.equal({ valid: true });
    }
  });

  it("gives the same key image in the same scope and different ones across scopes (linkability)", () => {
    const { keys, ring } = makeRing(3);
    const scope = randomBytes(32);
    const a = sign({ secretKey: keys[1].secretKey, ring, scope, message: randomBytes(32) });
    const b = sign({ secretKey: keys[1].secretKey, ring, scope, message: randomBytes(32) });
    const other = sign({ secretKey: keys[1].secretKey, ring, scope: randomBytes(32), message: randomBytes(32) });
    expect(a.keyImage.equals(b.keyImage)).to.equal(true);
    expect(a.keyImage.equals(keyImage(keys[1].secretKey, scope))).to.equal(true);
    expect(a.keyImage.equals(other.keyImage)).to.equal(false);
  });

  it("never reuses the signing nonce: two signatures of the same input differ", () => {
    const { keys, ring } = makeRing(2);
    const input = { secretKey: keys[0].secretKey, ring, scope: randomBytes(32), message: randomBytes(32) };
    expect(sign(input).e).to.not.deep.equal(sign(input).e);
  });

  it("round-trips through the JSON interchange format, compressed points and 64-digit scalars", () => {
    const sig = signedBy(4, 2);
    const json = encodeSignatureJson(sig);
    expect(json.ring.every((p) => /^0x0[23][0-9a-f]{64}$/.test(p))).to.equal(true);
    expect(json.c.every((c) => /^0x[0-9a-f]{64}$/.test(c))).to.equal(true);
    const parsed = parseSignatureJson(JSON.parse(JSON.stringify(json)));
    if (!parsed.ok) throw new Error(parsed.detail);
    expect(verify(parsed.signature).valid).to.equal(true);
  });

  it("reads uncompressed points", () => {
    const json = encodeSignatureJson(signedBy(2));
    json.ring = json.ring.map((p) => "0x" + Point.fromHex(p.slice(2)).toHex(false));
    const parsed = parseSignatureJson(json);
    expect(parsed.ok && verify(parsed.signature).valid).to.equal(true);
  });

  describe("parseSignatureJson", () => {
    const good = () => encodeSignatureJson(signedBy(2)) as unknown as Record<string, unknown>;
    const cases: Array<[string, (j: Record<string, unknown>) => void, string]> = [
      ["a wrong scheme", (j) => (j.scheme = "MRS-2"), "malformed"],
      ["a short scope", (j) => (j.scope = "0x00"), "malformed"],
      ["a scope with a comma", (j) => (j.scope = "0x" + "0,".repeat(32)), "malformed"],
      ["a scalar without 0x", (j) => ((j.c as string[])[0] = "ab".repeat(32)), "malformed"],
      ["a 63-digit scalar", (j) => ((j.c as string[])[0] = "0x" + "a".repeat(63)), "malformed"],
      ["a point with prefix 05", (j) => ((j.ring as string[])[0] = "0x05" + "11".repeat(32)), "malformed"],
      ["an x with no curve point", (j) => ((j.ring as string[])[0] = "0x02" + "00".repeat(31) + "05"), "point-not-on-curve"],
      ["an uncompressed point off the curve", (j) => (j.keyImage = "0x04" + "00".repeat(31) + "01" + "00".repeat(31) + "01"), "point-not-on-curve"],
      ["ring not an array", (j) => (j.ring = "0x02"), "malformed"],
    ];
    for (const [what, mutate, reason] of cases) {
      it(`returns ${reason} for ${what}, without throwing`, () => {
        const json = good();
        mutate(json);
        const parsed = parseSignatureJson(json);
        expect(parsed.ok).to.equal(false);
        if (!parsed.ok) expect(parsed.reason).to.equal(reason);
      });
    }
    it("returns malformed for non-objects", () => {
      for (const input of [null, 3, "x", []]) expect(parseSignatureJson(input).ok).to.equal(false);
    });
  });

  describe("verify rejects every single mutation (property, fast-check)", () => {
    const seed = 0x5eed;
    const mutations: Array<[string, (s: Mrs1Signature, i: number) => Mrs1Signature, string[]]> = [
      ["a c value", (s, i) => ({ ...s, c: s.c.map((c, j) => (j === i ? (c + 1n) % N_ORDER : c)) }), ["challenge-mismatch"]],
      ["an e value", (s, i) => ({ ...s, e: s.e.map((e, j) => (j === i ? (e + 1n) % N_ORDER : e)) }), ["challenge-mismatch"]],
      ["the key image", (s) => ({ ...s, keyImage: s.keyImage.add(Point.BASE) }), ["challenge-mismatch"]],
      ["the message", (s) => ({ ...s, message: s.message.map((b, j) => (j === 0 ? b ^ 1 : b)) }), ["challenge-mismatch"]],
      ["the scope", (s) => ({ ...s, scope: s.scope.map((b, j) => (j === 31 ? b ^ 1 : b)) }), ["challenge-mismatch"]],
      ["a ring member", (s, i) => ({ ...s, ring: sortRing(s.ring.map((p, j) => (j === i ? generateKeyPair().publicKey : p))) }), ["challenge-mismatch"]],
      ["a non-canonical c (c + n)", (s, i) => ({ ...s, c: s.c.map((c, j) => (j === i ? c + N_ORDER : c)) }), ["scalar-not-canonical"]],
      ["the ring order", (s) => ({ ...s, ring: [...s.ring].reverse() }), ["ring-not-ascending"]],
      ["a duplicated member", (s, i) => ({ ...s, ring: s.ring.map((p, j) => (j === (i + 1) % s.ring.length ? s.ring[i] : p)) }), ["ring-not-ascending"]],
    ];
    for (const [what, mutate, reasons] of mutations) {
      it(`rejects a change of ${what}`, () => {
        fc.assert(
          fc.property(fc.integer({ min: 2, max: 8 }), fc.nat(), fc.nat(), (size, signerSeed, targetSeed) => {
            const sig = signedBy(size, signerSeed % size);
            expect(reasonOf(sig)).to.equal("valid");
            expect(reasons).to.include(reasonOf(mutate(sig, targetSeed % size)));
          }),
          { seed, numRuns: 8 },
        );
      });
    }
  });
});
