import { expect } from "chai";
import { HexFormatError, be32, bytesToHex, parseHexBytes, parseHexUint256 } from "../src/hex";

describe("hex parsing", () => {
  it("parses 0x-prefixed hex of either case", () => {
    expect(bytesToHex(parseHexBytes("0xAbCd", "f"))).to.equal("0xabcd");
  });
  for (const bad of ["abcd", "0xabc", "0xab,cd", "0x 1", "0xgg", "", "0X12"]) {
    it(`rejects ${JSON.stringify(bad)} with the field named`, () => {
      expect(() => parseHexBytes(bad, "field")).to.throw(HexFormatError, /^field: /);
    });
  }
  it("enforces exact lengths", () => {
    expect(() => parseHexUint256("0x" + "11".repeat(31), "k")).to.throw(/expected 32 bytes/);
    expect(parseHexUint256("0x" + "00".repeat(31) + "ff", "k")).to.equal(255n);
  });
  it("rejects non-strings", () => {
    expect(() => parseHexBytes(12, "n")).to.throw(/got number/);
  });
  it("be32 refuses values outside [0, 2^256)", () => {
    expect(() => be32(-1n)).to.throw(RangeError);
    expect(() => be32(1n << 256n)).to.throw(RangeError);
    expect(bytesToHex(be32(1n))).to.equal("0x" + "00".repeat(31) + "01");
  });
});
