/**
 * Per-record MRS-1 scopes derived from the patient's ring secret key (DESIGN.md §Anonymous
 * actions, last paragraph: "a patient can rediscover all of their records from their secret key
 * alone if the scopes are derived from it").
 *
 * Derivation (notation of spec/ring-signature.md §Notation):
 *
 *   TAG_RECORD_SCOPE = keccak256("MEDRING-V1-RECORD-SCOPE")
 *   scope_i          = keccak256(TAG_RECORD_SCOPE || be32(x) || be32(i))
 *
 * with x the ring secret key in [1, n-1] and i = 0, 1, 2, ... the patient's record index. All
 * three inputs have a fixed 32-byte length, so the concatenation is unambiguous. keccak256 (a
 * sponge, no length extension) keyed by the secret x is a PRF: without x, scope_0, scope_1, ...
 * look like independent random 32-byte values, so the public scopes of one patient's records do
 * not link to each other or to the patient. (The key images I_i = x·H_p(scope_i, P) are
 * unlinkable across scopes by MRS-1 itself; this derivation only adds that the scopes are too.)
 *
 * Rediscovery (what `medring records --key FILE` does): for i = 0, 1, 2, ... compute scope_i and
 * its key image with the MRS-1 module, and look up the record owned by that key image on chain.
 * A client creates records at the lowest unused index, so the scan stops after a run of misses
 * (a small gap limit tolerates an index whose creation was abandoned or failed).
 */
import { keccak_256 } from "@noble/hashes/sha3.js";
import { concatBytes, utf8ToBytes } from "@noble/hashes/utils.js";
import { be32 } from "../hex";
import { N_ORDER } from "../mrs1";

/** keccak256 of the ASCII bytes of the tag (no terminator), as for the MRS-1 tags. */
export const TAG_RECORD_SCOPE = keccak_256(utf8ToBytes("MEDRING-V1-RECORD-SCOPE"));

/** Largest record index accepted: 2^32 - 1, far beyond any patient's record count. */
export const MAX_RECORD_INDEX = 0xffffffff;

/** scope_i for ring secret key `ringSecretKey` (bigint in [1, n-1]) and record index `index`. */
export function deriveRecordScope(ringSecretKey: bigint, index: number): Uint8Array {
  if (typeof ringSecretKey !== "bigint" || ringSecretKey < 1n || ringSecretKey >= N_ORDER) {
    throw new RangeError("ringSecretKey: expected a bigint in [1, n-1]");
  }
  if (!Number.isSafeInteger(index) || index < 0 || index > MAX_RECORD_INDEX) {
    throw new RangeError(`index: expected an integer in [0, ${MAX_RECORD_INDEX}], got ${index}`);
  }
  return keccak_256(concatBytes(TAG_RECORD_SCOPE, be32(ringSecretKey), be32(BigInt(index))));
}

