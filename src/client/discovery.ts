/**
 * Rediscovering a patient's records from the key file alone (docs/design.md#anonymous-actions;
 * src/envelope/scope.ts), without telling the RPC node which anonymous records are the patient's (docs/design.md#who-learns-what:
 * a `records` scan sends none of the patient's record ids or scopes).
 *
 * - Anonymous records: the client reads the registry's public index of anonymous record ids in bulk (every
 *   patient's, page by page) and matches it locally: for i = 0, 1, 2, … it derives scope_i (anonymous domain),
 *   the key image I_i = x·H_p(scope_i, P) and the id keccak256(abi.encode(0, scope_i, H(I_i))). No id or scope
 *   leaves the machine; the node only sees that someone read the whole index.
 * - Identified records: they are public beside the patient's account anyway, so the client looks up
 *   identifiedRecordId(account, scope_j) for j = 0, 1, 2, … (identified domain, so these lookups say nothing
 *   about any anonymous scope).
 *
 * A client creates each new record at the lowest free index of its kind, so each scan stops after `gapLimit`
 * free indices in a row.
 */
import { anonymousRecordId, identifiedRecordId, keyImageHash } from "../actions";
import { deriveRecordScope } from "../envelope";
import { bytesToHex } from "../hex";
import { keyImage } from "../mrs1";

/** One of the patient's records found by a scan. */
export interface FoundRecord {
  index: number;
  scope: string;
  recordId: string;
  anonymous: boolean;
}

export interface ScanResult {
  /** The patient's records of this kind, in index order. */
  records: FoundRecord[];
  /** The lowest free index: where the next record of this kind goes. */
  firstFree: number;
}

export interface ScanOptions {
  gapLimit?: number;
  /** How many indices have been looked at so far. */
  onProgress?: (scanned: number) => void;
}

function gapLimitOf(options: ScanOptions): number {
  const gapLimit = options.gapLimit ?? 5;
  if (!Number.isInteger(gapLimit) || gapLimit < 1) throw new RangeError(`scan: gapLimit must be a positive integer, got ${gapLimit}`);
  return gapLimit;
}

/** The anonymous record id of index `index` for ring secret key `ringKey`, with its scope. */
export function anonymousSlot(ringKey: bigint, index: number): { scope: string; recordId: string } {
  const scopeBytes = deriveRecordScope(ringKey, "anonymous", index);
  const scope = bytesToHex(scopeBytes);
  return { scope, recordId: anonymousRecordId(scope, keyImageHash(keyImage(ringKey, scopeBytes))) };
}

/**
 * Matches the patient's anonymous records against `index`, the full public list of anonymous record ids (lower
 * case), locally. Stops after `gapLimit` consecutive indices whose id is not in the list.
 */
export function matchAnonymousRecords(index: ReadonlySet<string>, ringKey: bigint, options: ScanOptions = {}): ScanResult {
  const gapLimit = gapLimitOf(options);
  const records: FoundRecord[] = [];
  let firstFree: number | undefined;
  for (let i = 0, run = 0; run < gapLimit; i++) {
    const slot = anonymousSlot(ringKey, i);
    if (index.has(slot.recordId.toLowerCase())) {
      records.push({ index: i, ...slot, anonymous: true });
      run = 0;
    } else {
      firstFree ??= i;
      run++;
    }
    options.onProgress?.(i + 1);
  }
  return { records, firstFree: firstFree ?? 0 };
}

/** What the identified scan needs from the chain (MedRingChain provides it; tests may pass their own). */
export interface RecordDirectory {
  recordAddress(recordId: string): Promise<string | undefined>;
}

/** Finds the patient's identified records by looking up their ids in batches of `gapLimit` parallel requests. */
export async function scanIdentifiedRecords(dir: RecordDirectory, ringKey: bigint, account: string, options: ScanOptions = {}): Promise<ScanResult> {
  const gapLimit = gapLimitOf(options);
  const records: FoundRecord[] = [];
  let firstFree: number | undefined;
  let run = 0;
  for (let start = 0; run < gapLimit; start += gapLimit) {
    const batch = await Promise.all(
      Array.from({ length: gapLimit }, async (_, k) => {
        const index = start + k;
        const scope = bytesToHex(deriveRecordScope(ringKey, "identified", index));
        const recordId = identifiedRecordId(account, scope);
        return { index, scope, recordId, exists: (await dir.recordAddress(recordId)) !== undefined };
      }),
    );
    for (const slot of batch) {
      if (run >= gapLimit) break;
      if (!slot.exists) {
        firstFree ??= slot.index;
        run++;
        continue;
      }
      run = 0;
      records.push({ index: slot.index, scope: slot.scope, recordId: slot.recordId, anonymous: false });
    }
    options.onProgress?.(start + gapLimit);
  }
  return { records, firstFree: firstFree ?? 0 };
}
