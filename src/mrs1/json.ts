/**
 * MRS-1 §Interchange format (JSON), used in files, by the CLI and on the relayer's HTTP API.
 * Readers accept compressed and uncompressed SEC1 points; writers emit compressed. Extra fields are ignored.
 */
import { HexFormatError, bytesToHex, parseHexBytes, parseHexUint256, uint256ToHex } from "../hex";
import { Point, pointToHex } from "./curve";
import type { Mrs1Signature, RejectReason } from "./types";

export const SCHEME = "MRS-1";

export interface Mrs1SignatureJson {
  scheme: "MRS-1";
  scope: string;
  message: string;
  ring: string[];
  keyImage: string;
  c: string[];
  e: string[];
}

export type ParseResult =
  { ok: true; signature: Mrs1Signature } | { ok: false; reason: Extract<RejectReason, "malformed" | "point-not-on-curve">; detail: string };

class PointNotOnCurve extends Error {}

/**
 * Turns well-formed SEC1 bytes (02/03 || x or 04 || x || y) into a point, and throws when they encode no point
 * of secp256k1. The default is noble's; the relayer's verify workers pass libsecp256k1's decompression.
 */
export type PointDecoder = (bytes: Uint8Array) => Point;

const nobleDecoder: PointDecoder = (bytes) => Point.fromBytes(bytes);

/** Parses a SEC1 point: format errors throw HexFormatError, a well-formed encoding of no curve point throws PointNotOnCurve. */
export function parsePoint(value: unknown, field: string, decode: PointDecoder = nobleDecoder): Point {
  const bytes = parseHexBytes(value, field);
  const prefix = bytes[0];
  const wellFormed = (bytes.length === 33 && (prefix === 2 || prefix === 3)) || (bytes.length === 65 && prefix === 4);
  if (!wellFormed) throw new HexFormatError(field, "expected a SEC1 point: 33 bytes with prefix 02/03 or 65 bytes with prefix 04");
  try {
    return decode(bytes);
  } catch {
    throw new PointNotOnCurve(`${field}: not a point on secp256k1`);
  }
}

function parseArray<T>(value: unknown, field: string, item: (v: unknown, f: string) => T): T[] {
  if (!Array.isArray(value)) throw new HexFormatError(field, "expected an array");
  return value.map((v, i) => item(v, `${field}[${i}]`));
}

/** Never throws on bad data: returns a verdict-style failure instead (STYLE: quiet on bad data). */
export function parseSignatureJson(input: unknown, decode: PointDecoder = nobleDecoder): ParseResult {
  const point = (v: unknown, field: string) => parsePoint(v, field, decode);
  try {
    if (typeof input !== "object" || input === null || Array.isArray(input)) throw new HexFormatError("signature", "expected a JSON object");
    const o = input as Record<string, unknown>;
    if (o.scheme !== SCHEME) throw new HexFormatError("scheme", `expected "${SCHEME}"`);
    const signature: Mrs1Signature = {
      scope: parseHexBytes(o.scope, "scope", 32),
      message: parseHexBytes(o.message, "message", 32),
      ring: parseArray(o.ring, "ring", point),
      keyImage: point(o.keyImage, "keyImage"),
      c: parseArray(o.c, "c", parseHexUint256),
      e: parseArray(o.e, "e", parseHexUint256),
    };
    return { ok: true, signature };
  } catch (err) {
    if (err instanceof PointNotOnCurve) return { ok: false, reason: "point-not-on-curve", detail: err.message };
    if (err instanceof HexFormatError) return { ok: false, reason: "malformed", detail: err.message };
    throw err;
  }
}

export function encodeSignatureJson(sig: Mrs1Signature): Mrs1SignatureJson {
  return {
    scheme: SCHEME,
    scope: bytesToHex(sig.scope),
    message: bytesToHex(sig.message),
    ring: sig.ring.map(pointToHex),
    keyImage: pointToHex(sig.keyImage),
    c: sig.c.map(uint256ToHex),
    e: sig.e.map(uint256ToHex),
  };
}
