import { expect } from "chai";
import fc from "fast-check";
import { Interface, ParamType, getAddress, hexlify } from "ethers";
import { encodeFunctionCall, encodeParams } from "../../relayer/chain/abiEncode";
import { IMedRingRegistry__factory } from "../../typechain-types";

/** fast-check value generator for an ABI type, with the value shapes the relayer passes (bigint, hex strings, objects). */
function arbitraryFor(t: ParamType): fc.Arbitrary<unknown> {
  switch (t.baseType) {
    case "tuple":
      return fc.tuple(...t.components!.map(arbitraryFor)).map((vs) => Object.fromEntries(t.components!.map((c, i) => [c.name, vs[i]])));
    case "array": {
      const child = arbitraryFor(t.arrayChildren!);
      const n = t.arrayLength!;
      return n === -1 ? fc.array(child, { maxLength: 5 }) : fc.array(child, { minLength: n, maxLength: n });
    }
    case "bytes":
      return fc.uint8Array({ maxLength: 80 }).map((b) => hexlify(b));
    case "string":
      return fc.string({ maxLength: 40 });
    case "address":
      return fc.uint8Array({ minLength: 20, maxLength: 20 }).map((b) => getAddress(hexlify(b)));
    case "bool":
      return fc.boolean();
    default: {
      const uint = /^uint(\d+)$/.exec(t.baseType);
      if (uint) return fc.bigInt({ min: 0n, max: (1n << BigInt(uint[1])) - 1n });
      const fixed = /^bytes(\d+)$/.exec(t.baseType);
      if (fixed) return fc.uint8Array({ minLength: Number(fixed[1]), maxLength: Number(fixed[1]) }).map((b) => hexlify(b));
      throw new Error(`no arbitrary for ${t.type}`);
    }
  }
}

describe("relayer ABI encoder (against ethers)", function () {
  const seed = 0xab1;
  const registry: Interface = IMedRingRegistry__factory.createInterface();

  for (const name of ["createRecordAnonymous", "warrantAnonymous", "unwarrantAnonymous", "registerPatient"]) {
    it(`encodes ${name} exactly as ethers does`, function () {
      const inputs = registry.getFunction(name)!.inputs;
      fc.assert(
        fc.property(fc.tuple(...inputs.map(arbitraryFor)), (values) => {
          expect(encodeFunctionCall(registry, name, values)).to.equal(registry.encodeFunctionData(name, values));
        }),
        { seed, numRuns: 40 },
      );
    });
  }

  it("encodes nested dynamic and fixed arrays, strings, bools and small uints exactly as ethers does", function () {
    const iface = new Interface([
      "function f(string s, bool b, uint8[3] small, bytes[] chunks, (uint256 a, bytes b)[2] pairs, (address who, uint64[] xs)[] nested, bytes32 h)",
    ]);
    const inputs = iface.getFunction("f")!.inputs;
    fc.assert(
      fc.property(fc.tuple(...inputs.map(arbitraryFor)), (values) => {
        expect(encodeFunctionCall(iface, "f", values)).to.equal(iface.encodeFunctionData("f", values));
      }),
      { seed, numRuns: 60 },
    );
  });

  it("throws on misuse instead of encoding something else", function () {
    const t = (s: string) => [ParamType.from(s)];
    expect(() => encodeParams(t("uint8"), [256n])).to.throw(RangeError);
    expect(() => encodeParams(t("uint256"), [-1n])).to.throw(RangeError);
    expect(() => encodeParams(t("bytes32"), ["0x1234"])).to.throw(TypeError);
    expect(() => encodeParams(t("bytes"), ["0x123"])).to.throw(TypeError);
    expect(() => encodeParams(t("address"), ["0x" + "11".repeat(19)])).to.throw(TypeError);
    expect(() => encodeParams(t("uint256[2]"), [[1n]])).to.throw(TypeError);
    expect(() => encodeParams(t("(uint256 a, uint256 b)"), [{ a: 1n }])).to.throw(TypeError);
    expect(() => encodeParams(t("uint256"), [])).to.throw(TypeError);
  });
});
