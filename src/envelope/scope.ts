/**
 * Per-record MRS-1 scopes derived from the patient's ring secret key (docs/design.md#anonymous-actions,
 * "Key images as owners": one scope per record, so the key file alone is enough to find every record again).
 *
 * Derivation (notation of MRS-1 §Notation), one domain per kind of record:
 *
 *   TAG_ANONYMOUS_SCOPE  = keccak256("MEDRING-V1-ANONYMOUS-SCOPE")
 *   TAG_IDENTIFIED_SCOPE = keccak256("MEDRING-V1-IDENTIFIED-SCOPE")
 *   scope_i              = keccak256(TAG || be32(x) || be32(i))
 *
 * with x the ring secret key in [1, n-1] and i = 0, 1, 2, ... the patient's record index within
 * that kind. All three inputs have a fixed 32-byte length, so the concatenation is unambiguous.
 * keccak256 (a sponge, no length extension) keyed by the secret x is a PRF: without x, the scopes
 * look like independent random 32-byte values, so the public scopes of one patient's records do
 * not link to each other or to the patient. The two tags make the anonymous and the identified
 * sequences independent PRF outputs: an identified record's scope (public beside the patient's
 * account) says nothing about any anonymous scope, and neither can be computed from the other.
 * (The key images I_i = x·H_p(scope_i, P) are unlinkable across scopes by MRS-1 itself.)
 *
 * Rediscovery (what `medring records --key FILE` does, src/client/discovery.ts): anonymous records
 * are matched locally against the registry's public index; identified ones are looked up by id.
 */
import { keccak_256 } from "@noble/hashes/sha3.js";
import { concatBytes, utf8ToBytes } from "@noble/hashes/utils.js";
import { be32 } from "../hex";
import { N_ORDER } from "../mrs1";

/** keccak256 of the ASCII bytes of the tag (no terminator), as for the MRS-1 tags. */
export const TAG_ANONYMOUS_SCOPE = keccak_256(utf8ToBytes("MEDRING-V1-ANONYMOUS-SCOPE"));
export const TAG_IDENTIFIED_SCOPE = keccak_256(utf8ToBytes("MEDRING-V1-IDENTIFIED-SCOPE"));

/** Which sequence of scopes: records owned by a key image, or by the patient's account. */
export type RecordKind = "anonymous" | "identified";

/** Largest record index accepted: 2^32 - 1, far beyond any patient's record count. */
export const MAX_RECORD_INDEX = 0xffffffff;

/** scope_i of `kind` for ring secret key `ringSecretKey` (bigint in [1, n-1]) and record index `index`. */
export function deriveRecordScope(ringSecretKey: bigint, kind: RecordKind, index: number): Uint8Array {
  if (typeof ringSecretKey !== "bigint" || ringSecretKey < 1n || ringSecretKey >= N_ORDER) {
    throw new RangeError("ringSecretKey: expected a bigint in [1, n-1]");
  }
  if (kind !== "anonymous" && kind !== "identified") throw new RangeError(`kind: expected "anonymous" or "identified", got ${String(kind)}`);
  if (!Number.isSafeInteger(index) || index < 0 || index > MAX_RECORD_INDEX) {
    throw new RangeError(`index: expected an integer in [0, ${MAX_RECORD_INDEX}], got ${index}`);
  }
  const tag = kind === "anonymous" ? TAG_ANONYMOUS_SCOPE : TAG_IDENTIFIED_SCOPE;
  return keccak_256(concatBytes(tag, be32(ringSecretKey), be32(BigInt(index))));
}
