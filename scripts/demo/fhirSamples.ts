/**
 * Made-up FHIR R4 records for the demo and the end-to-end test: obviously synthetic (names "Synthetic
 * Patient NNN", identifiers in a "urn:medring:synthetic" system, a note saying so). Each Bundle holds a Patient,
 * an Observation and a Condition, and carries a unique `marker` string so privacy scans can look for it.
 */
import { randomUUID } from "node:crypto";

const CONDITIONS = [
  { code: "44054006", display: "Diabetes mellitus type 2" },
  { code: "38341003", display: "Hypertensive disorder" },
  { code: "195967001", display: "Asthma" },
  { code: "13645005", display: "Chronic obstructive lung disease" },
];

const OBSERVATIONS = [
  { code: "4548-4", display: "Hemoglobin A1c/Hemoglobin.total in Blood", unit: "%", ucum: "%", value: (i: number) => 5.5 + (i % 7) * 0.4 },
  { code: "8480-6", display: "Systolic blood pressure", unit: "mmHg", ucum: "mm[Hg]", value: (i: number) => 115 + (i % 9) * 5 },
  { code: "2339-0", display: "Glucose [Mass/volume] in Blood", unit: "mg/dL", ucum: "mg/dL", value: (i: number) => 90 + (i % 11) * 8 },
];

export interface SyntheticRecord {
  /** A string that appears in the plaintext and nowhere else (for the privacy scans). */
  marker: string;
  /** The FHIR R4 Bundle. */
  bundle: Record<string, unknown>;
  /** Its UTF-8 JSON, as a patient would store it in RECORD.json. */
  json: string;
}

/** The synthetic Bundle number `i` (0-based); `marker` defaults to a fresh unique string. */
export function syntheticRecord(i: number, marker = `SYNTHETIC-MARKER-${randomUUID()}`): SyntheticRecord {
  const patientUrl = `urn:uuid:${randomUUID()}`;
  const condition = CONDITIONS[i % CONDITIONS.length];
  const observation = OBSERVATIONS[i % OBSERVATIONS.length];
  const number = String(i + 1).padStart(3, "0");
  const bundle = {
    resourceType: "Bundle",
    type: "collection",
    entry: [
      {
        fullUrl: patientUrl,
        resource: {
          resourceType: "Patient",
          identifier: [{ system: "urn:medring:synthetic", value: `SYN-${number}` }],
          name: [{ family: "Patient", given: ["Synthetic", number] }],
          gender: i % 2 === 0 ? "female" : "male",
          birthDate: `${1950 + ((i * 7) % 50)}-0${1 + (i % 9)}-1${i % 10}`,
        },
      },
      {
        fullUrl: `urn:uuid:${randomUUID()}`,
        resource: {
          resourceType: "Observation",
          status: "final",
          code: { coding: [{ system: "http://loinc.org", code: observation.code, display: observation.display }] },
          subject: { reference: patientUrl },
          effectiveDateTime: "2024-05-17T09:30:00Z",
          valueQuantity: {
            value: Math.round(observation.value(i) * 10) / 10,
            unit: observation.unit,
            system: "http://unitsofmeasure.org",
            code: observation.ucum,
          },
          note: [{ text: `Synthetic demo data, not a real person. ${marker}` }],
        },
      },
      {
        fullUrl: `urn:uuid:${randomUUID()}`,
        resource: {
          resourceType: "Condition",
          clinicalStatus: { coding: [{ system: "http://terminology.hl7.org/CodeSystem/condition-clinical", code: "active" }] },
          verificationStatus: { coding: [{ system: "http://terminology.hl7.org/CodeSystem/condition-ver-status", code: "confirmed" }] },
          code: { coding: [{ system: "http://snomed.info/sct", code: condition.code, display: condition.display }] },
          subject: { reference: patientUrl },
        },
      },
    ],
  };
  return { marker, bundle, json: JSON.stringify(bundle, null, 2) + "\n" };
}
