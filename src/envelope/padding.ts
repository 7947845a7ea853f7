/**
 * Size buckets for record plaintexts (README "What is public and what is private": a ciphertext's length would
 * otherwise show the resource type and often more). Before encryption the plaintext becomes
 *
 *   length (4 bytes, big-endian) || plaintext || zero bytes up to the bucket
 *
 * Buckets: powers of two from 1 KiB to 64 KiB, then multiples of 16 KiB. The demo's FHIR Bundles
 * (scripts/demo/fhirSamples.ts) all fall in a few of them (test/envelope/padding.test.ts).
 */
import { EnvelopeError } from "./errors";

export const PAD_LENGTH_PREFIX = 4;
export const SMALLEST_BUCKET = 1024;
const LARGEST_POWER_OF_TWO_BUCKET = 64 * 1024;
const LARGE_BUCKET_STEP = 16 * 1024;

/** The bucket (padded plaintext length) for a plaintext of `length` bytes: the smallest one that holds it and its prefix. */
export function paddedLength(length: number): number {
  if (!Number.isSafeInteger(length) || length < 0 || length > 0xffffffff - PAD_LENGTH_PREFIX) throw new RangeError(`paddedLength: bad length ${length}`);
  const needed = length + PAD_LENGTH_PREFIX;
  let bucket = SMALLEST_BUCKET;
  while (bucket < needed && bucket < LARGEST_POWER_OF_TWO_BUCKET) bucket *= 2;
  return bucket >= needed ? bucket : Math.ceil(needed / LARGE_BUCKET_STEP) * LARGE_BUCKET_STEP;
}

export function pad(plaintext: Uint8Array): Uint8Array {
  const out = new Uint8Array(paddedLength(plaintext.length));
  new DataView(out.buffer).setUint32(0, plaintext.length);
  out.set(plaintext, PAD_LENGTH_PREFIX);
  return out;
}

/** The plaintext inside `padded` (authenticated already): the prefix must fit and every padding byte be zero. */
export function unpad(padded: Uint8Array): Uint8Array {
  if (padded.length < PAD_LENGTH_PREFIX) throw new EnvelopeError("MALFORMED", "the padded record is shorter than its length prefix");
  const length = new DataView(padded.buffer, padded.byteOffset, padded.byteLength).getUint32(0);
  const end = PAD_LENGTH_PREFIX + length;
  if (end > padded.length) throw new EnvelopeError("MALFORMED", `the padded record claims ${length} bytes but holds ${padded.length - PAD_LENGTH_PREFIX}`);
  if (padded.subarray(end).some((b) => b !== 0)) throw new EnvelopeError("MALFORMED", "the record's padding is not all zero bytes");
  return padded.slice(PAD_LENGTH_PREFIX, end);
}
