/**
 * The page validates records as the CLI does: the resources its form builds (app/src/fhirForm.ts) are valid FHIR R4
 * for the CLI's validator, and the page's smaller definitions (app/build/fhirDefinitions.ts, documentation left
 * out) give the same verdict and message as the CLI's full ones on valid and invalid resources alike.
 */
import { expect } from "chai";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { validateFhirR4 } from "../../src/fhir";
import { syntheticRecord } from "../../scripts/demo/fhirSamples";
import { EMPTY_FORM, FormProblem, resourceFromForm, type RecordForm } from "../../app/src/fhirForm";
import { ROOT } from "../helpers/builtOutput";

const FORMS: RecordForm[] = [
  { ...EMPTY_FORM, kind: "Observation", code: "8480-6", text: "Systolic blood pressure", value: "128", unit: "mmHg", date: "2024-05-17", note: "after a walk" },
  { ...EMPTY_FORM, kind: "Observation", code: "4548-4", value: "5.6", unit: "%" },
  { ...EMPTY_FORM, kind: "Condition", code: "195967001", text: "Asthma", date: "2019-03-02" },
  { ...EMPTY_FORM, kind: "MedicationStatement", text: "Salbutamol inhaler" },
  { ...EMPTY_FORM, kind: "AllergyIntolerance", code: "91936005", text: "Penicillin", note: "rash" },
];

describe("web app FHIR validation", function () {
  this.timeout(300_000);

  it("builds valid FHIR R4 from every kind of form, and names the field when the form is wrong", () => {
    for (const form of FORMS) expect(validateFhirR4(resourceFromForm(form)), JSON.stringify(form)).to.include({ ok: true, resourceType: form.kind });
    const problem = (form: Partial<RecordForm>) => {
      try {
        resourceFromForm({ ...EMPTY_FORM, ...form });
      } catch (err) {
        return err instanceof FormProblem ? err.field : String(err);
      }
      return "accepted";
    };
    expect(problem({ kind: "Observation", code: "8480", value: "1", unit: "%" })).to.equal("code");
    expect(problem({ kind: "Observation", code: "8480-6", value: "high", unit: "%" })).to.equal("value");
    expect(problem({ kind: "Observation", code: "8480-6", value: "1", unit: "" })).to.equal("unit");
    expect(problem({ kind: "Condition", text: "" })).to.equal("text");
    expect(problem({ kind: "Condition", text: "Asthma", code: "J45" })).to.equal("code");
    expect(problem({ kind: "AllergyIntolerance", text: "Nuts", date: "17/05/2024" })).to.equal("date");
  });

  it("gives the same verdicts with the page's definitions as with the CLI's", () => {
    const observation = resourceFromForm(FORMS[0]);
    const cases: unknown[] = [
      ...FORMS.map(resourceFromForm),
      ...[0, 1, 2, 3].map((i) => syntheticRecord(i).bundle),
      { ...observation, status: undefined },
      { ...observation, status: 5 },
      { ...observation, effectiveDateTime: "2024-13-01" },
      { ...observation, favouriteColour: "blue" },
      { resourceType: "Patient", gender: 1 },
      { resourceType: "Condition", code: { text: "no subject" } },
      { resourceType: "Bundle", type: "collection", entry: [{ resource: { resourceType: "Observation", code: { text: "x" } } }] },
      { resourceType: "Prescription" },
      [],
    ];
    const cli = cases.map((c) => validateFhirR4(JSON.parse(JSON.stringify(c ?? null))));
    const page = JSON.parse(
      execFileSync(process.execPath, ["-r", "ts-node/register/transpile-only", join(__dirname, "helpers", "prunedVerdicts.ts")], {
        cwd: ROOT,
        input: JSON.stringify(cases),
        encoding: "utf8",
        maxBuffer: 16 << 20,
      }),
    );
    expect(cli.filter((v) => v.ok).length).to.equal(FORMS.length + 4);
    expect(page).to.deep.equal(cli);
  });
});
