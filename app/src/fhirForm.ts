/**
 * The record form: the four common resources a patient writes by hand (Observation with a LOINC code and a value,
 * Condition, MedicationStatement, AllergyIntolerance), built as FHIR R4 JSON. The result then goes through the
 * CLI's validator (./fhir.ts) like an uploaded file, so the form cannot produce a record the CLI would refuse.
 *
 * The subject is a display-only reference: the record is the patient's own and travels encrypted, and naming the
 * patient inside it is the patient's choice (the "Note" field), not the form's.
 */
export const RESOURCE_KINDS = ["Observation", "Condition", "MedicationStatement", "AllergyIntolerance"] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

export interface RecordForm {
  kind: ResourceKind;
  /** Observation: LOINC code (e.g. 8480-6); others: an optional SNOMED CT / RxNorm code. */
  code: string;
  /** What it is, in words (the code's display, or the text when there is no code). */
  text: string;
  /** Observation only: the measured value and its UCUM unit. */
  value: string;
  unit: string;
  /** YYYY-MM-DD: when it was measured, started, or noted. */
  date: string;
  note: string;
}

export const EMPTY_FORM: RecordForm = { kind: "Observation", code: "", text: "", value: "", unit: "", date: "", note: "" };

const SUBJECT = { display: "the patient who owns this record" };
const LOINC = /^[0-9]{1,7}-[0-9]$/;
const NUMERIC_CODE = /^[0-9]{4,18}$/;
const DATE = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;

export class FormProblem extends Error {
  constructor(
    readonly field: keyof RecordForm,
    message: string,
  ) {
    super(message);
  }
}

function clinical(system: string, code: string) {
  return { coding: [{ system: `http://terminology.hl7.org/CodeSystem/${system}`, code }] };
}

/** The form as a FHIR R4 resource; FormProblem names the field to fix. */
export function resourceFromForm(form: RecordForm): Record<string, unknown> {
  const text = form.text.trim();
  const code = form.code.trim();
  const date = form.date.trim();
  if (date !== "" && !DATE.test(date)) throw new FormProblem("date", "Date: use the form YYYY-MM-DD, for example 2024-05-17.");
  const note = form.note.trim() === "" ? {} : { note: [{ text: form.note.trim() }] };
  if (form.kind === "Observation") {
    if (!LOINC.test(code)) throw new FormProblem("code", "LOINC code: type a LOINC code such as 8480-6 (systolic blood pressure).");
    const value = Number(form.value);
    if (form.value.trim() === "" || !Number.isFinite(value)) throw new FormProblem("value", "Value: type a number, for example 120 or 5.6.");
    if (form.unit.trim() === "") throw new FormProblem("unit", "Unit: type the unit, for example mmHg, %, or mg/dL.");
    return {
      resourceType: "Observation",
      status: "final",
      code: { coding: [{ system: "http://loinc.org", code, ...(text && { display: text }) }], ...(text && { text }) },
      subject: SUBJECT,
      ...(date && { effectiveDateTime: date }),
      valueQuantity: { value, unit: form.unit.trim() },
      ...note,
    };
  }
  if (text === "") throw new FormProblem("text", "Description: say in words what this is, for example “Asthma” or “Penicillin”.");
  if (code !== "" && !NUMERIC_CODE.test(code))
    throw new FormProblem("code", "Code: a SNOMED CT or RxNorm code is digits only; leave it empty if you do not know it.");
  const system = form.kind === "MedicationStatement" ? "http://www.nlm.nih.gov/research/umls/rxnorm" : "http://snomed.info/sct";
  const concept = { ...(code && { coding: [{ system, code, display: text }] }), text };
  if (form.kind === "Condition") {
    return {
      resourceType: "Condition",
      clinicalStatus: clinical("condition-clinical", "active"),
      code: concept,
      subject: SUBJECT,
      ...(date && { onsetDateTime: date }),
      ...note,
    };
  }
  if (form.kind === "MedicationStatement") {
    return {
      resourceType: "MedicationStatement",
      status: "active",
      medicationCodeableConcept: concept,
      subject: SUBJECT,
      ...(date && { effectiveDateTime: date }),
      ...note,
    };
  }
  return {
    resourceType: "AllergyIntolerance",
    clinicalStatus: clinical("allergyintolerance-clinical", "active"),
    verificationStatus: clinical("allergyintolerance-verification", "confirmed"),
    code: concept,
    patient: SUBJECT,
    ...(date && { recordedDate: date }),
    ...note,
  };
}

type Json = Record<string, unknown>;

function conceptText(value: unknown): string {
  const concept = value as { text?: string; coding?: Array<{ system?: string; code?: string; display?: string }> } | undefined;
  if (!concept) return "";
  const coding = concept.coding?.[0];
  const coded = coding
    ? `${coding.display ?? ""}${coding.code ? ` (${coding.code}${coding.system ? `, ${coding.system.replace(/^https?:\/\//, "")}` : ""})` : ""}`
    : "";
  return concept.text && !coded.startsWith(concept.text) ? `${concept.text}${coded ? ` — ${coded}` : ""}` : coded || (concept.text ?? "");
}

function quantity(value: unknown): string {
  const q = value as { value?: number; unit?: string; code?: string } | undefined;
  return q?.value === undefined ? "" : `${q.value} ${q.unit ?? q.code ?? ""}`.trim();
}

type Name = { given?: string[]; family?: string; text?: string };

/**
 * The fields the viewer shows of each resource kind, in order: label → value; a value that is not a non-empty string is
 * left out. A Map, so that a resourceType such as "constructor" (the record is another party's JSON) finds nothing.
 */
const KEY_FIELDS = new Map<unknown, (r: Json) => Record<string, unknown>>([
  ["Observation", (r) => ({ What: conceptText(r.code), Value: quantity(r.valueQuantity) || r.valueString, When: r.effectiveDateTime, Status: r.status })],
  ["Condition", (r) => ({ Condition: conceptText(r.code), "Clinical status": conceptText(r.clinicalStatus), Onset: r.onsetDateTime })],
  ["MedicationStatement", (r) => ({ Medication: conceptText(r.medicationCodeableConcept), Status: r.status, Since: r.effectiveDateTime })],
  ["AllergyIntolerance", (r) => ({ "Allergy to": conceptText(r.code), "Clinical status": conceptText(r.clinicalStatus), Recorded: r.recordedDate })],
  ["Patient", (r) => ({ Name: personName((r.name as Name[] | undefined)?.[0]), Born: r.birthDate })],
]);

function personName(name: Name | undefined): string {
  return name?.text ?? [...(name?.given ?? []), name?.family ?? ""].join(" ").trim();
}

/** The resource's key fields as rows of a table (label, value), for the record viewer. */
export function keyFields(resource: unknown): Array<[string, string]> {
  if (resource === null || typeof resource !== "object") return [["Content", "not a FHIR resource"]];
  const r = resource as Json;
  const rows: Array<[string, string]> = [["Type", String(r.resourceType ?? "unknown")]];
  for (const [label, value] of Object.entries(KEY_FIELDS.get(r.resourceType)?.(r) ?? {})) {
    if (typeof value === "string" && value !== "") rows.push([label, value]);
  }
  if (r.resourceType === "Bundle") {
    const entries = (r.entry as Array<{ resource?: Json }> | undefined) ?? [];
    rows.push(["Entries", String(entries.length)]);
    entries.forEach((e, i) => {
      const inner = keyFields(e.resource).slice(1, 2)[0];
      rows.push([`${i + 1}. ${String(e.resource?.resourceType ?? "?")}`, inner ? inner[1] : ""]);
    });
  }
  const notes = (r.note as Array<{ text?: string }> | undefined)?.map((n) => n.text).filter(Boolean);
  if (notes?.length) rows.push(["Note", notes.join(" / ")]);
  return rows;
}
