/**
 * Strict hex parsing, shared by every edge that reads hex (JSON files, CLI arguments, HTTP bodies).
 * Accepts only `0x` followed by an even number of [0-9a-fA-F] digits: no commas, no whitespace, no
 * missing prefix. Each function throws `HexFormatError` naming the field.
 */
export class HexFormatError extends Error {
  constructor(
    readonly field: string,
    readonly detail: string,
  ) {
    super(`${field}: ${detail}`);
    this.name = "HexFormatError";
  }
}

const HEX_BODY = /^[0-9a-fA-F]*$/;

/** Parses `0x`-prefixed hex into bytes; `byteLength` (if given) must match exactly. */
export function parseHexBytes(value: unknown, field: string, byteLength?: number): Uint8Array {
  if (typeof value !== "string") throw new HexFormatError(field, `expected a 0x-prefixed hex string, got ${typeof value}`);
  if (!value.startsWith("0x")) throw new HexFormatError(field, "missing 0x prefix");
  const body = value.slice(2);
  if (body.length % 2 !== 0) throw new HexFormatError(field, "odd number of hex digits");
  if (!HEX_BODY.test(body)) throw new HexFormatError(field, "contains a character that is not a hex digit");
  if (byteLength !== undefined && body.length !== byteLength * 2) {
    throw new HexFormatError(field, `expected ${byteLength} bytes (${byteLength * 2} hex digits), got ${body.length / 2} bytes`);
  }
  const out = new Uint8Array(body.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(body.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Parses exactly 32 bytes of hex (`0x` + 64 digits) as an unsigned big-endian integer. Does not reduce it. */
export function parseHexUint256(value: unknown, field: string): bigint {
  return bytesToBigInt(parseHexBytes(value, field, 32));
}

export function bytesToHex(bytes: Uint8Array): string {
  let s = "0x";
  for (const b of bytes) s += b.toString(16).padStart(2, "0");
  return s;
}

export function bytesToBigInt(bytes: Uint8Array): bigint {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  return n;
}

/** `be32(k)` of MRS-1 §Notation: a non-negative integer below 2^256 as 32 big-endian bytes. */
export function be32(k: bigint): Uint8Array {
  if (k < 0n || k >= 1n << 256n) throw new RangeError(`be32: ${k} is outside [0, 2^256)`);
  const out = new Uint8Array(32);
  for (let i = 31; i >= 0; i--) {
    out[i] = Number(k & 0xffn);
    k >>= 8n;
  }
  return out;
}

/** `0x` + exactly 64 hex digits, the interchange format's scalar form (MRS-1 §Interchange). */
export function uint256ToHex(k: bigint): string {
  return bytesToHex(be32(k));
}
