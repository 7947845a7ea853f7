/**
 * Rediscovering a patient's records from the key file alone (DESIGN.md §Anonymous actions, last paragraph;
 * src/envelope/scope.ts). For i = 0, 1, 2, … the client derives scope_i from the ring secret key and looks up
 * both records that scope can name: the anonymous one (`recordIdOf(0, scope_i)`, owned by the key image
 * I_i = x·H_p(scope_i, P)) and the identified one (`recordIdOf(account, scope_i)`). A client creates each new
 * record at the lowest free index, so the scan stops after `gapLimit` free indices in a row.
 *
 * An anonymous record in scope_i whose owner is another key image is "taken": scopes are public once used, so
 * someone may have front-run a creation with our scope. That index is skipped (it is not ours and not free).
 */
import { getAddress } from "ethers";
import { anonymousRecordId, keyImageHash, recordIdOf } from "../actions";
import { deriveRecordScope } from "../envelope";
import { bytesToHex } from "../hex";
import { keyImage } from "../mrs1";

export type ScopeSlot =
  | { index: number; scope: string; state: "free" }
  | { index: number; scope: string; state: "taken"; recordId: string }
  | { index: number; scope: string; state: "mine"; recordId: string; record: string; anonymous: boolean };

/** What the scan needs from the chain (MedRingChain provides it; tests may pass their own). */
export interface RecordDirectory {
  recordAddress(recordId: string): Promise<string | undefined>;
  recordOwner(record: string): Promise<{ account: string; keyImage: string }>;
}

export interface PatientIdentity {
  ringKey: bigint;
  account: string;
}

/** The state of scope index `index` for this patient. */
export async function inspectScope(dir: RecordDirectory, who: PatientIdentity, index: number): Promise<ScopeSlot> {
  const scopeBytes = deriveRecordScope(who.ringKey, index);
  const scope = bytesToHex(scopeBytes);
  const anonymousId = anonymousRecordId(scope);
  const identifiedId = recordIdOf(who.account, scope);
  const [anonymous, identified] = await Promise.all([dir.recordAddress(anonymousId), dir.recordAddress(identifiedId)]);
  if (identified !== undefined) return { index, scope, state: "mine", recordId: identifiedId, record: getAddress(identified), anonymous: false };
  if (anonymous === undefined) return { index, scope, state: "free" };
  const owner = await dir.recordOwner(anonymous);
  const mine = owner.keyImage.toLowerCase() === keyImageHash(keyImage(who.ringKey, scopeBytes)).toLowerCase();
  return mine ? { index, scope, state: "mine", recordId: anonymousId, record: getAddress(anonymous), anonymous: true } : { index, scope, state: "taken", recordId: anonymousId };
}

export interface ScanResult {
  /** The patient's records in index order. */
  records: Extract<ScopeSlot, { state: "mine" }>[];
  /** Indices whose scope someone else used. */
  taken: number[];
  /** The lowest free index: where the next record goes. */
  firstFree: number;
}

/**
 * Scans indices 0, 1, … in batches of `gapLimit` (parallel lookups) until `gapLimit` consecutive free indices.
 * `onProgress(scanned)` reports how many indices have been looked at.
 */
export async function scanRecords(dir: RecordDirectory, who: PatientIdentity, options: { gapLimit?: number; onProgress?: (scanned: number) => void } = {}): Promise<ScanResult> {
  const gapLimit = options.gapLimit ?? 5;
  if (!Number.isInteger(gapLimit) || gapLimit < 1) throw new RangeError(`scanRecords: gapLimit must be a positive integer, got ${gapLimit}`);
  const records: ScanResult["records"] = [];
  const taken: number[] = [];
  let firstFree: number | undefined;
  let run = 0;
  for (let start = 0; run < gapLimit; start += gapLimit) {
    const batch = await Promise.all(Array.from({ length: gapLimit }, (_, k) => inspectScope(dir, who, start + k)));
    for (const slot of batch) {
      if (run >= gapLimit) break;
      if (slot.state === "free") {
        firstFree ??= slot.index;
        run++;
        continue;
      }
      run = 0;
      if (slot.state === "mine") records.push(slot);
      else taken.push(slot.index);
    }
    options.onProgress?.(start + gapLimit);
  }
  return { records, taken, firstFree: firstFree ?? 0 };
}
