/** FHIR R4 validation of records before encryption (issue 5 §3). */
export { validateFhirR4, validateFhirR4Text, type FhirValidation } from "./validate";
