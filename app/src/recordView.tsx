/** A decrypted record, readably: the resource's key fields as a table, the raw JSON on request. */
import { keyFields } from "./fhirForm";

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
