/**
 * One record as every listing shows it: the patient's (`medring records`, the page's "My records", found from the
 * key file alone: ./discovery.ts) and the institution's (`medring institution records`, the page's "Records granted
 * to you", its ALC). One shape with the same field names, so that a script or a screen reads both listings the same
 * way; a field the listing does not know is null, never left out.
 */
import type { GrantView, RecordInfoView } from "./chain";
import type { FoundRecord } from "./discovery";

export interface RecordEntry {
  recordId: string;
  /** The patient's numbering: the record's index among its own anonymous or identified records. Null: an institution's listing. */
  index: number | null;
  /** Created with a ring signature (true) or from the patient's account (false). Null: an institution's listing. */
  anonymous: boolean | null;
  /** The record's contract (MRC), its content hash and its creation time (unix seconds). */
  record: string | null;
  contentHash: string | null;
  createdAt: number | null;
  /** The institutions it is granted to. Null: an institution's listing (it sees its own grant only). */
  institutions: string[] | null;
}

/**
 * A record the patient's scan found, with its on-chain info where it was read (identified records). An anonymous
 * record's info is not read: reading it record by record would tell the RPC node which records belong together
 * (docs/design.md#who-learns-what); `record show` reads one on request.
 */
export function ownRecordEntry(found: FoundRecord, info?: RecordInfoView): RecordEntry {
  return {
    recordId: found.recordId,
    index: found.index,
    anonymous: found.anonymous,
    record: info?.address ?? null,
    contentHash: info?.contentHash ?? null,
    createdAt: info?.createdAt ?? null,
    institutions: info?.institutions ?? null,
  };
}

/** A record granted to an institution, as its ALC lists it. */
export function grantEntry(grant: GrantView): RecordEntry {
  return {
    recordId: grant.id,
    index: null,
    anonymous: null,
    record: grant.record,
    contentHash: grant.contentHash,
    createdAt: grant.createdAt,
    institutions: null,
  };
}
