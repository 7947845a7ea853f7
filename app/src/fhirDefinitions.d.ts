/** Provided by app/vite.config.ts (fhirDefinitions). */
declare module "virtual:medring-fhir-r4" {
  export const typesUrl: string;
  export const resourcesUrl: string;
}
