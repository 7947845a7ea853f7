import { expect } from "chai";
import { EnvelopeError, type EnvelopeErrorCode } from "../../../src/envelope";

/** What `fn` throws, or undefined when it returns. */
export function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  return undefined;
}

/** Runs `fn`, expects an EnvelopeError, and checks its code is one of `codes`. */
export function expectEnvelopeError(fn: () => unknown, ...codes: EnvelopeErrorCode[]): EnvelopeError {
  const thrown = thrownBy(fn);
  expect(thrown, "expected an EnvelopeError to be thrown").to.be.instanceOf(EnvelopeError);
  const err = thrown as EnvelopeError;
  expect(codes, `unexpected code ${err.code}: ${err.message}`).to.include(err.code);
  return err;
}

/** A copy of `bytes` with bit 0 of byte `index` flipped. */
export function flipByte(bytes: Uint8Array, index: number): Uint8Array {
  const copy = Uint8Array.from(bytes);
  copy[index] ^= 0x01;
  return copy;
}

export const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
