/** A record in a listing and, decrypted, readably: the resource's key fields as a table, the raw JSON on request. */
import type { RecordEntry } from "../../src/client";
import { keyFields } from "./fhirForm";
import { short } from "./ui";

/**
 * One record of a listing, the patient's ("My records") and the institution's ("Records granted to you") alike, as
 * the CLI prints both (src/cli/recordListing.ts): its id, how it was created where the listing knows, its date.
 */
export function RecordSummary({ entry, label }: { entry: RecordEntry; label: string }) {
  return (
    <p>
      <strong>{label}</strong> {entry.anonymous !== null && <span class="role">{entry.anonymous ? "anonymous" : "identified"}</span>}{" "}
      <code title={entry.recordId}>{short(entry.recordId)}</code>
      {entry.createdAt !== null && `, created ${new Date(entry.createdAt * 1000).toISOString().slice(0, 10)}`}
    </p>
  );
}

export function RecordView({ plaintext, title }: { plaintext: Uint8Array; title: string }) {
  let text: string | undefined;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(plaintext);
  } catch {
    text = undefined;
  }
  let json: unknown;
  try {
    json = text === undefined ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (json === undefined) return <p>{text === undefined ? `A binary file of ${plaintext.length} bytes.` : text}</p>;
  return (
    <div class="record-view">
      <table>
        <caption>{title}</caption>
        <tbody>
          {keyFields(json).map(([label, value], i) => (
            <tr key={i}>
              <th scope="row">{label}</th>
              <td>{value}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <details>
        <summary>Raw FHIR JSON</summary>
        <pre>{JSON.stringify(json, null, 2)}</pre>
      </details>
    </div>
  );
}
