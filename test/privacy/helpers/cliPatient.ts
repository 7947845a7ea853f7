/**
 * One new patient as the real CLI sees it in a privacy test: its key file (the CLI reads only a file its owner alone
 * may read: writeKeyFile) and a small synthetic FHIR record to create, in a fresh directory. Registering the patient
 * is the test's own step (./world.ts registerDirectly), in its `before`.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateActorKeys, type PatientKeys } from "../../../src/keys";
import { writeKeyFile } from "../../../src/keys/file";

export interface CliPatient {
  dir: string;
  keys: PatientKeys;
  keyFile: string;
  recordFile: string;
}

export function cliPatient(dirPrefix: string): CliPatient {
  const dir = mkdtempSync(join(tmpdir(), dirPrefix));
  const keys = generateActorKeys("patient");
  const keyFile = join(dir, "patient.json");
  writeKeyFile(keyFile, keys);
  const recordFile = join(dir, "record.json");
  writeFileSync(recordFile, JSON.stringify({ resourceType: "Observation", status: "final", code: { text: "HbA1c" }, valueString: "SYNTHETIC" }));
  return { dir, keys, keyFile, recordFile };
}
