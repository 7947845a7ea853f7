import type { Interface, ParamType } from "ethers";

/**
 * Solidity ABI encoding (docs.soliditylang.org, "Contract ABI Specification", "Formal Specification of the
 * Encoding") of the relayer's calls, straight to hex. The ring-signed calls carry about 150 words of signature and
 * hints; ethers' AbiCoder allocates a writer and byte arrays per word and takes about 6 ms for one of them, a
 * quarter of the relayer's CPU per accepted request (bench/results/relayer.md), where this takes a few hundredths of
 * a millisecond. The types come from the ethers fragment, so the layout cannot drift from the contract's ABI;
 * test/relayer/abiEncode.test.ts checks the output against ethers' on random values. Misuse (a value out of range, a
 * wrong length, a missing field) throws, as AbiCoder does.
 */
export function encodeFunctionCall(iface: Interface, name: string, values: readonly unknown[]): string {
  const fragment = iface.getFunction(name);
  if (!fragment) throw new TypeError(`encodeFunctionCall: no function ${name}`);
  return fragment.selector + encodeParams(fragment.inputs, values);
}

/** `abi.encode(values)` for `types`, as hex without the 0x prefix. */
export function encodeParams(types: readonly ParamType[], values: readonly unknown[]): string {
  if (types.length !== values.length) throw new TypeError(`encodeParams: ${types.length} types, ${values.length} values`);
  return encodeSequence(types, values);
}

const WORD_HEX = 64;
const MAX_UINT256 = (1n << 256n) - 1n;

/** head(X(1)) ... head(X(k)) tail(X(1)) ... tail(X(k)): dynamic elements get an offset in the head. */
function encodeSequence(types: readonly ParamType[], values: readonly unknown[]): string {
  const heads: string[] = [];
  const tails: string[] = [];
  let headBytes = 0;
  for (const t of types) headBytes += headSize(t);
  let tailBytes = 0;
  types.forEach((t, i) => {
    if (isDynamic(t)) {
      heads.push(uintWord(BigInt(headBytes + tailBytes)));
      const tail = encodeValue(t, values[i]);
      tails.push(tail);
      tailBytes += tail.length / 2;
    } else {
      heads.push(encodeValue(t, values[i]));
    }
  });
  return heads.join("") + tails.join("");
}

function encodeValue(t: ParamType, value: unknown): string {
  switch (t.baseType) {
    case "tuple": {
      const components = t.components!;
      return encodeSequence(
        components,
        components.map((c, i) => fieldOf(value, c.name, i)),
      );
    }
    case "array": {
      if (!Array.isArray(value)) throw new TypeError(`encode ${t.format()}: expected an array`);
      const child = t.arrayChildren!;
      const items = encodeSequence(
        value.map(() => child),
        value,
      );
      if (t.arrayLength === -1) return uintWord(BigInt(value.length)) + items;
      if (value.length !== t.arrayLength) throw new TypeError(`encode ${t.format()}: expected ${t.arrayLength} elements, got ${value.length}`);
      return items;
    }
    case "bytes":
    case "string": {
      const hex = t.baseType === "string" ? Buffer.from(String(value), "utf8").toString("hex") : hexBody(value, t);
      return uintWord(BigInt(hex.length / 2)) + hex.padEnd(Math.ceil(hex.length / WORD_HEX) * WORD_HEX, "0");
    }
    case "address": {
      const hex = hexBody(value, t);
      if (hex.length !== 40) throw new TypeError(`encode address: expected 20 bytes, got ${hex.length / 2}`);
      return hex.padStart(WORD_HEX, "0");
    }
    case "bool":
      if (typeof value !== "boolean") throw new TypeError("encode bool: expected a boolean");
      return uintWord(value ? 1n : 0n);
    default:
      return encodeElementary(t, value);
  }
}

function encodeElementary(t: ParamType, value: unknown): string {
  const uint = /^uint(\d*)$/.exec(t.baseType);
  if (uint) {
    const bits = uint[1] === "" ? 256 : Number(uint[1]);
    const v = toBigInt(value, t);
    if (v < 0n || v >> BigInt(bits) !== 0n) throw new RangeError(`encode ${t.type}: ${v} out of range`);
    return uintWord(v);
  }
  const fixed = /^bytes(\d+)$/.exec(t.baseType);
  if (fixed) {
    const hex = hexBody(value, t);
    if (hex.length !== Number(fixed[1]) * 2) throw new TypeError(`encode ${t.type}: expected ${fixed[1]} bytes, got ${hex.length / 2}`);
    return hex.padEnd(WORD_HEX, "0");
  }
  throw new TypeError(`encode: type ${t.type} is not supported`);
}

/** A word for an unsigned integer below 2^256. */
function uintWord(v: bigint): string {
  if (v < 0n || v > MAX_UINT256) throw new RangeError(`encode: ${v} is not a uint256`);
  return v.toString(16).padStart(WORD_HEX, "0");
}

function toBigInt(value: unknown, t: ParamType): bigint {
  if (typeof value === "bigint") return value;
  if (typeof value === "number" && Number.isSafeInteger(value)) return BigInt(value);
  if (typeof value === "string" && /^(0x[0-9a-fA-F]+|[0-9]+)$/.test(value)) return BigInt(value);
  throw new TypeError(`encode ${t.type}: not an integer: ${String(value)}`);
}

/** The hex digits of a 0x-prefixed byte string, lower case. */
function hexBody(value: unknown, t: ParamType): string {
  if (typeof value !== "string" || !/^0x([0-9a-fA-F]{2})*$/.test(value)) throw new TypeError(`encode ${t.type}: expected 0x-prefixed bytes`);
  return value.slice(2).toLowerCase();
}

/** A struct field: by name for an object (typechain structs), by position for an array (ethers Result). */
function fieldOf(value: unknown, name: string, index: number): unknown {
  if (Array.isArray(value)) return value[index];
  if (value !== null && typeof value === "object" && name in value) return (value as Record<string, unknown>)[name];
  throw new TypeError(`encode tuple: missing field ${name}`);
}

function isDynamic(t: ParamType): boolean {
  switch (t.baseType) {
    case "bytes":
    case "string":
      return true;
    case "tuple":
      return t.components!.some(isDynamic);
    case "array":
      return t.arrayLength === -1 || isDynamic(t.arrayChildren!);
    default:
      return false;
  }
}

/** Bytes a type takes in the head: one offset word if dynamic, else its whole static encoding. */
function headSize(t: ParamType): number {
  if (isDynamic(t)) return 32;
  if (t.baseType === "tuple") return t.components!.reduce((sum, c) => sum + headSize(c), 0);
  if (t.baseType === "array") return t.arrayLength! * headSize(t.arrayChildren!);
  return 32;
}
