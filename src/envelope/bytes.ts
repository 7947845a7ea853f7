/** Argument guards shared by the envelope functions: loud on programmer misuse (STYLE.md). */

export function requireBytes(value: unknown, name: string, length?: number): Uint8Array {
  if (!(value instanceof Uint8Array)) throw new TypeError(`${name}: expected a Uint8Array, got ${typeof value}`);
  if (length !== undefined && value.length !== length) {
    throw new RangeError(`${name}: expected ${length} bytes, got ${value.length}`);
  }
  return value;
}

/** `aad`/`context` arguments are optional byte strings; undefined means the empty string. */
export function optionalBytes(value: unknown, name: string): Uint8Array {
  return value === undefined ? new Uint8Array(0) : requireBytes(value, name);
}
