/**
 * How `medring records` (the patient's) and `medring institution records` (the institution's) print their records:
 * the same entry (src/client/recordEntry.ts) in the same output. With --json, one object: who is listing, then
 * `records`, an array of entries. Without it, a headline, then one line per record with the columns the listing
 * knows: id, the patient's index and kind, creation time, content hash, the institutions it is granted to.
 */
import type { RecordEntry } from "../client";
import type { CommandContext } from "./context";

export interface RecordListing {
  /** Who is listing, as JSON fields before `records` (e.g. `{ patient }`, `{ institution, certified, accessList }`). */
  about: Record<string, unknown>;
  /** The text output's first line. */
  headline: string;
  records: RecordEntry[];
}

export function recordEntryLine(entry: RecordEntry): string {
  const columns = [entry.recordId];
  if (entry.index !== null) columns.push(`#${entry.index}`);
  if (entry.anonymous !== null) columns.push(entry.anonymous ? "anonymous " : "identified");
  if (entry.createdAt === null) columns.push(`details: medring record show --record ${entry.recordId}`);
  else columns.push(new Date(entry.createdAt * 1000).toISOString(), `hash ${entry.contentHash}`);
  if (entry.institutions !== null) columns.push(entry.institutions.length === 0 ? "not granted" : `granted to ${entry.institutions.join(", ")}`);
  return columns.join("  ");
}

export function printRecordListing(context: CommandContext, json: boolean, listing: RecordListing): void {
  if (json) return void context.stdout(JSON.stringify({ ...listing.about, records: listing.records }) + "\n");
  context.stdout([listing.headline, ...listing.records.map(recordEntryLine)].join("\n") + "\n");
}
