/**
 * Strict hex <-> bytes for every value MedRing reads from files, the CLI or the network.
 *
 * Accepted form: "0x" followed by an even number of ASCII hex digits [0-9a-fA-F], and, when the
 * caller names a byte length, exactly that many bytes. Nothing else: no missing prefix, no "0X",
 * no whitespace, no separators (STYLE.md §Avoid: regexes such as [0-9,a-f]).
 *
 * Two entry points, one rule (STYLE.md "a try function beside a strict one"):
 * - `checkHex` is quiet: it returns a verdict with a reason, for validating untrusted data (zod refinements).
 * - `hexToBytes` is loud: it throws `HexError` with the same reason, for values that must already be valid.
 */

export type HexCheck = { ok: true; bytes: Uint8Array } | { ok: false; reason: string };

/** One pair of hex digits per byte; the only characters accepted after "0x". */
const HEX_BODY = /^(?:[0-9a-fA-F]{2})*$/;

export class HexError extends Error {
  constructor(readonly field: string, readonly reason: string) {
    super(`${field}: ${reason}`);
    this.name = "HexError";
  }
}

/** Validates `value` as strict hex (optionally of exactly `byteLength` bytes); never throws. */
export function checkHex(value: unknown, byteLength?: number): HexCheck {
  const want = byteLength === undefined ? "0x followed by hex digit pairs" : `0x followed by ${byteLength * 2} hex digits`;
  if (typeof value !== "string") return { ok: false, reason: `expected a hex string (${want}), got ${typeof value}` };
  if (!value.startsWith("0x")) return { ok: false, reason: `expected ${want}, but it does not start with "0x"` };
  const body = value.slice(2);
  if (body.length % 2 !== 0) return { ok: false, reason: `expected ${want}, got an odd number of hex digits (${body.length})` };
  if (!HEX_BODY.test(body)) {
    const bad = [...body].findIndex((ch) => !/[0-9a-fA-F]/.test(ch));
    return { ok: false, reason: `expected ${want}, got a non-hex character ${JSON.stringify(body[bad])} at position ${bad + 2}` };
  }
  if (byteLength !== undefined && body.length !== byteLength * 2) {
    return { ok: false, reason: `expected ${want}, got ${body.length} hex digits` };
  }
  const bytes = new Uint8Array(body.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(body.slice(2 * i, 2 * i + 2), 16);
  return { ok: true, bytes };
}

/** Parses strict hex or throws `HexError` naming `field` and what is wrong. */
export function hexToBytes(value: unknown, byteLength?: number, field = "hex value"): Uint8Array {
  const checked = checkHex(value, byteLength);
  if (!checked.ok) throw new HexError(field, checked.reason);
  return checked.bytes;
}

/** Lower-case "0x"-prefixed hex of `bytes` (the form every MedRing writer emits). */
export function bytesToHex(bytes: Uint8Array): `0x${string}` {
  if (!(bytes instanceof Uint8Array)) throw new TypeError("bytesToHex: expected a Uint8Array");
  let out = "0x";
  for (const b of bytes) out += b.toString(16).padStart(2, "0");
  return out as `0x${string}`;
}
