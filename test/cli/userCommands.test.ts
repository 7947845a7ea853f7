/**
 * Bad input to every user command: exit code 2 (or 4 when nothing answers) and exactly one line on stderr,
 * nothing on stdout. Runs in-process and touches no chain: every case fails before a connection is needed,
 * except the unreachable-relayer case, which points at a closed port.
 */
import { expect } from "chai";
import { mkdtempSync, writeFileSync } from "node:fs";
import { freePort } from "../../scripts/stack/processes";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encodeKeyFile, generateActorKeys } from "../../src/keys";
import { runCli } from "./run";

const dir = mkdtempSync(join(tmpdir(), "medring-cli-"));
const file = (name: string, content: string) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
const patient = file("patient.json", encodeKeyFile(generateActorKeys("patient")));
const institution = file("institution.json", encodeKeyFile(generateActorKeys("institution")));
const regulator = file("regulator.json", encodeKeyFile(generateActorKeys("regulator")));
const locked = file("locked.json", encodeKeyFile(generateActorKeys("patient"), { passphrase: "right", scryptN: 16 }));
const wrongPassphrase = file("wrong.txt", "wrong\n");
const observation = file("obs.json", JSON.stringify({ resourceType: "Observation", status: "final", code: { text: "x" } }));
const notFhir = file("bad.json", JSON.stringify({ resourceType: "Observation", status: "final", valueQuantity: "8.1%" }));
const notJson = file("notjson.json", "{");
const RECORD = "0x" + "ab".repeat(32);
const ADDRESS = "0x" + "12".repeat(20);
const missing = join(dir, "missing.json");
const admission = file(
  "admission.json",
  JSON.stringify({
    format: "medring-admission",
    version: 1,
    chainId: "31337",
    registry: "0x" + "34".repeat(20),
    patient: "0x" + "56".repeat(20),
    ringPublicKey: "0x02" + "79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798",
    admitter: "0x" + "78".repeat(20),
    deadline: "1900000000",
    signature: "0x" + "11".repeat(65),
  }),
);
const admissionWithoutSignature = file("admission-nosig.json", JSON.stringify({ format: "medring-admission", version: 1 }));
const patientPublic = file(
  "patient.pub.json",
  JSON.stringify({
    role: "patient",
    address: "0x" + "56".repeat(20),
    ringPublicKey: "0x02" + "79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798",
  }),
);

/** Whether the commands below fail before connecting (the relayer URL points nowhere that answers). */
const NOWHERE = ["--relayer", "http://127.0.0.1:9", "--rpc", "http://127.0.0.1:9"];

const cases: [string, string[], string][] = [
  ["keys new without --role", ["keys", "new", "--out", join(dir, "x.json")], "required option '--role <role>' not specified"],
  ["keys new with an unknown role", ["keys", "new", "--role", "doctor", "--out", join(dir, "x.json")], "Allowed choices are patient, institution, regulator"],
  [
    "keys new over an existing file",
    ["keys", "new", "--role", "patient", "--out", patient],
    "already exists (or is a symbolic link); refusing to overwrite it",
  ],
  [
    "keys new with an empty passphrase file",
    ["keys", "new", "--role", "patient", "--out", join(dir, "y.json"), "--passphrase-file", file("empty.txt", "\n")],
    "the first line (the passphrase) is empty",
  ],
  ["address of a missing file", ["address", "--key", missing], "cannot read"],
  ["address of a file that is not a key file", ["address", "--key", notJson], "key file: not valid JSON"],
  ["patient register without an admission", ["patient", "register", "--key", patient, ...NOWHERE], "required option '--admission <file>' not specified"],
  ["patient register with a missing admission file", ["patient", "register", "--key", patient, "--admission", missing, ...NOWHERE], "cannot read"],
  [
    "patient register with an admission file that is not one",
    ["patient", "register", "--key", patient, "--admission", admissionWithoutSignature, ...NOWHERE],
    ": chainId:",
  ],
  ["patient register with a key file as admission", ["patient", "register", "--key", patient, "--admission", patient, ...NOWHERE], ": format:"],
  [
    "patient register with an institution's key",
    ["patient", "register", "--key", institution, "--admission", admission, ...NOWHERE],
    "is an institution key file; this command needs a patient key file",
  ],
  [
    "patient register with an encrypted key and no passphrase",
    ["patient", "register", "--key", locked, "--admission", admission, ...NOWHERE],
    "a passphrase is required (use --passphrase-file FILE or MEDRING_PASSPHRASE)",
  ],
  [
    "patient register with a wrong passphrase",
    ["patient", "register", "--key", locked, "--admission", admission, "--passphrase-file", wrongPassphrase, ...NOWHERE],
    "wrong passphrase",
  ],
  [
    "patient register with a missing --info file",
    ["patient", "register", "--key", patient, "--admission", admission, "--info", missing, ...NOWHERE],
    "cannot read",
  ],
  ["institution admit without --patient", ["institution", "admit", "--key", institution], "required option '--patient <file>' not specified"],
  [
    "institution admit with a patient's key",
    ["institution", "admit", "--key", patient, "--patient", patientPublic, ...NOWHERE],
    "needs an institution key file",
  ],
  [
    "institution admit for an institution's public info",
    ["institution", "admit", "--key", institution, "--patient", institution, ...NOWHERE],
    "not a patient's public info",
  ],
  ["institution admit for a file that is not JSON", ["institution", "admit", "--key", institution, "--patient", notJson, ...NOWHERE], "is not valid JSON"],
  [
    "institution admit with --days 0",
    ["institution", "admit", "--key", institution, "--patient", patientPublic, "--days", "0", ...NOWHERE],
    "--days: expected an integer from 1 to 90",
  ],
  [
    "institution admit with --days 91",
    ["institution", "admit", "--key", institution, "--patient", patientPublic, "--days", "91", ...NOWHERE],
    "--days: expected an integer from 1 to 90",
  ],
  [
    "record grant with --ring-size (an anonymous record's ring is fixed)",
    ["record", "grant", "--key", patient, "--record", RECORD, "--institution", ADDRESS, "--ring-size", "9", ...NOWHERE],
    "unknown option '--ring-size'",
  ],
  ["record create without --file", ["record", "create", "--key", patient], "required option '--file <file>' not specified"],
  [
    "record create with invalid FHIR",
    ["record", "create", "--key", patient, "--file", notFhir, ...NOWHERE],
    "FHIR R4: Missing required property (Observation.code)",
  ],
  ["record create with a file that is not JSON", ["record", "create", "--key", patient, "--file", notJson, ...NOWHERE], "FHIR R4: not valid JSON"],
  [
    "record create with ring size 0",
    ["record", "create", "--key", patient, "--file", observation, "--ring-size", "0", ...NOWHERE],
    "--ring-size: expected a positive integer",
  ],
  [
    "record create with --identified and --ring-size",
    ["record", "create", "--key", patient, "--file", observation, "--identified", "--ring-size", "8", ...NOWHERE],
    "--ring-size applies to anonymous records only",
  ],
  [
    "record create with a relayer URL that is not http",
    ["record", "create", "--key", patient, "--file", observation, "--relayer", "ftp://x"],
    "--relayer: expected an http:// or https:// URL",
  ],
  [
    "record create with an RPC URL that is not a URL",
    ["record", "create", "--key", patient, "--file", observation, "--rpc", "localhost"],
    '--rpc: "localhost" is not a URL',
  ],
  [
    "record grant with a short record id",
    ["record", "grant", "--key", patient, "--record", "0x1234", "--institution", ADDRESS, ...NOWHERE],
    "--record: expected 32 bytes",
  ],
  [
    "record grant with a bad address",
    ["record", "grant", "--key", patient, "--record", RECORD, "--institution", "0x12", ...NOWHERE],
    '--institution: "0x12" is not a 0x-prefixed 20-byte address',
  ],
  [
    "record grant with a bad encryption key",
    ["record", "grant", "--key", patient, "--record", RECORD, "--institution", ADDRESS, "--encryption-key", "02ab", ...NOWHERE],
    "--encryption-key: missing 0x prefix",
  ],
  [
    "record revoke without --institution",
    ["record", "revoke", "--key", patient, "--record", RECORD],
    "required option '--institution <address>' not specified",
  ],
  [
    "record revoke with a bad registry",
    ["record", "revoke", "--key", patient, "--record", RECORD, "--institution", ADDRESS, "--registry", "nope", ...NOWHERE],
    '--registry: "nope" is not a 0x-prefixed 20-byte address',
  ],
  ["records with a regulator's key", ["records", "--key", regulator, ...NOWHERE], "is a regulator key file; this command needs a patient key file"],
  ["records with a bad gap limit", ["records", "--key", patient, "--gap-limit", "-1", ...NOWHERE], "--gap-limit: expected a positive integer"],
  [
    "record show with a record id with a comma",
    ["record", "show", "--key", patient, "--record", "0x" + "ab".repeat(31) + "a,", ...NOWHERE],
    "--record: contains a character that is not a hex digit",
  ],
  [
    "regulator certify with a patient's key",
    ["regulator", "certify", "--key", patient, "--institution", ADDRESS, "--encryption-key", "0x02" + "11".repeat(32), ...NOWHERE],
    "needs a regulator key file",
  ],
  [
    "regulator certify without an encryption key",
    ["regulator", "certify", "--key", regulator, "--institution", ADDRESS, ...NOWHERE],
    "give --institution and --encryption-key, or --institution-info FILE",
  ],
  [
    "regulator certify with a 32-byte encryption key",
    ["regulator", "certify", "--key", regulator, "--institution", ADDRESS, "--encryption-key", "0x" + "11".repeat(32), ...NOWHERE],
    "--encryption-key: expected 33 bytes",
  ],
  [
    "regulator certify with info that is not an institution's",
    ["regulator", "certify", "--key", regulator, "--institution-info", observation, ...NOWHERE],
    "expected the JSON of `medring institution register`",
  ],
  [
    "regulator decertify with a bad address",
    ["regulator", "decertify", "--key", regulator, "--institution", "0xZZ" + "1".repeat(38), ...NOWHERE],
    "--institution:",
  ],
  ["institution register with a patient's key", ["institution", "register", "--key", patient], "needs an institution key file"],
  ["institution records without --key", ["institution", "records"], "required option '--key <file>' not specified"],
  ["institution read with a bad record id", ["institution", "read", "--key", institution, "--record", "0x", ...NOWHERE], "--record: expected 32 bytes"],
  ["an unknown command", ["recrd", "create"], "unknown command 'recrd'"],
];

describe("medring user commands: bad input", () => {
  for (const [name, args, message] of cases) {
    it(`${name}: exit 2, one line naming the problem`, async () => {
      const result = await runCli(...args);
      expect(result.code, result.stderr).to.equal(2);
      expect(result.stdout).to.equal("");
      expect(result.stderr.trimEnd().split("\n"), result.stderr).to.have.length(1);
      expect(result.stderr).to.include(message);
    });
  }

  it("exits 4 with one line when the relayer does not answer", async () => {
    const port = await freePort();
    const result = await runCli("records", "--key", patient, "--relayer", `http://127.0.0.1:${port}`);
    expect(result.code).to.equal(4);
    expect(result.stderr.trimEnd().split("\n")).to.have.length(1);
    expect(result.stderr).to.match(/^medring: relayer http:\/\/127\.0\.0\.1:\d+ is unreachable/);
  });
});
