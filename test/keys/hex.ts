import { expect } from "chai";
import { bytesToHex, checkHex, hexToBytes, HexError } from "../../src/hex";

describe("hex", () => {
  it("parses 0x + even-length hex in either case and round-trips to lower case", () => {
    expect(hexToBytes("0x00ff7A", 3)).to.deep.equal(Uint8Array.of(0x00, 0xff, 0x7a));
    expect(hexToBytes("0x")).to.deep.equal(new Uint8Array(0));
    expect(bytesToHex(Uint8Array.of(0, 255, 122))).to.equal("0x00ff7a");
  });

  const rejects: [unknown, number | undefined, string][] = [
    ["00ff", undefined, 'does not start with "0x"'],
    ["0X00ff", undefined, 'does not start with "0x"'],
    ["0x0ff", undefined, "odd number of hex digits (3)"],
    ["0x0,ff", undefined, 'non-hex character "," at position 3'],
    ["0x00 f", undefined, 'non-hex character " " at position 4'],
    ["0x00fg", undefined, 'non-hex character "g" at position 5'],
    ["0x00ff", 3, "expected 0x followed by 6 hex digits, got 4 hex digits"],
    ["0x00ffaabb", 3, "got 8 hex digits"],
    [255, undefined, "expected a hex string (0x followed by hex digit pairs), got number"],
    [undefined, 32, "expected a hex string (0x followed by 64 hex digits), got undefined"],
  ];
  for (const [input, length, reason] of rejects) {
    it(`rejects ${JSON.stringify(input)}${length === undefined ? "" : ` as ${length} bytes`}: ${reason}`, () => {
      const checked = checkHex(input, length);
      expect(checked.ok).to.equal(false);
      expect((checked as { reason: string }).reason).to.include(reason);
      expect(() => hexToBytes(input, length, "field.x")).to.throw(HexError, `field.x: `).with.property("message").that.includes(reason);
    });
  }
});
