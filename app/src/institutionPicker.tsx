/** A searchable list of the institutions the regulator certified, read from the chain (./chainViews.ts). */
import { useState } from "preact/hooks";
import type { InstitutionEntry } from "./chainViews";
import { Field } from "./ui";

export function InstitutionPicker(props: { id: string; institutions: InstitutionEntry[]; value: string; onChange: (address: string) => void }) {
  const [query, setQuery] = useState("");
  const shown = props.institutions.filter((i) => i.certified && i.address.toLowerCase().includes(query.trim().toLowerCase()));
  return (
    <div class="picker">
      <Field id={`${props.id}-search`} label="Search certified institutions (by address)">
        <input id={`${props.id}-search`} type="search" value={query} onInput={(e) => setQuery((e.target as HTMLInputElement).value)} />
      </Field>
      <Field id={props.id} label={`Institution (${shown.length} certified${query ? " matching" : ""})`}>
        <select
          id={props.id}
          size={Math.min(5, Math.max(2, shown.length))}
          value={props.value}
          onChange={(e) => props.onChange((e.target as HTMLSelectElement).value)}
        >
          {shown.map((i) => (
            <option key={i.address} value={i.address}>
              {i.address}
            </option>
          ))}
        </select>
      </Field>
    </div>
  );
}
