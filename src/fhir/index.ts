/** FHIR R4 validation of records before encryption (`medring record create`: records are FHIR R4 JSON unless --raw). */
export { validateFhirR4, validateFhirR4Text, type FhirValidation } from "./validate";
