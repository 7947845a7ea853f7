/**
 * FHIR R4 validation in the page: the CLI's validator (src/fhir/validator.ts) over the R4 definitions served with
 * the page (app/build/fhirDefinitions.ts), fetched once, on first use.
 */
import { resourcesUrl, typesUrl } from "virtual:medring-fhir-r4";
import { FhirR4Validator, type FhirValidation } from "../../src/fhir/validator";

let validator: Promise<FhirR4Validator> | undefined;

async function fetchJson(url: string): Promise<unknown> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`could not load the FHIR R4 definitions (${url}: ${response.status}); reload the page`);
  return response.json();
}

function load(): Promise<FhirR4Validator> {
  validator ??= Promise.all([fetchJson(typesUrl), fetchJson(resourcesUrl)])
    .then(([types, resources]) => new FhirR4Validator(() => ({ types, resources })))
    .catch((err: unknown) => {
      validator = undefined;
      throw err;
    });
  return validator;
}

export async function validateFhir(json: unknown): Promise<FhirValidation> {
  return (await load()).validate(json);
}

export async function validateFhirText(text: string): Promise<FhirValidation> {
  return (await load()).validateText(text);
}
