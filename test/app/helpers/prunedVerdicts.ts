/**
 * Child process of test/app/fhirDefinitions.test.ts: validates each JSON value of the array on stdin with the
 * page's definitions (app/build/fhirDefinitions.ts) and prints the verdicts. A process of its own, because Medplum
 * indexes definitions into one global registry and the parent holds the full ones. `hardhat test` loads every file
 * under test/, so it acts only when run as a program.
 */
import { readFileSync } from "node:fs";
import { FhirR4Validator } from "../../../src/fhir/validator";
import { prunedR4Definitions } from "../../../app/build/fhirDefinitions";

if (require.main === module) {
  const pruned = prunedR4Definitions();
  const validator = new FhirR4Validator(() => ({ types: JSON.parse(pruned.types), resources: JSON.parse(pruned.resources) }));
  const cases = JSON.parse(readFileSync(0, "utf8")) as unknown[];
  process.stdout.write(JSON.stringify(cases.map((c) => validator.validate(c))));
}
