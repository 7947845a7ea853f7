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
import { runCli } from "./helpers/run";

const dir = mkdtempSync(join(tmpdir(), "medring-cli-"));
const file = (name: string, content: string) => {
  const path = join(dir, name);
  writeFileSync(path, content, { mode: 0o600 }); // key files among them: readable by their owner only
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
/** An encryption key of the accepted length (33 bytes, a compressed point's) and one a byte short. */
const KEY_33_BYTES = "0x02" + "11".repeat(32);
const KEY_32_BYTES = "0x" + "11".repeat(32);
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

/** The cases of one command: each names what is wrong and gives the options after the command's words. */
function casesOf(command: string, rows: [what: string, options: string[], message: string][]): [string, string[], string][] {
  return rows.map(([what, options, message]) => [`${command} ${what}`, [...command.split(" "), ...options], message]);
}

const cases: [string, string[], string][] = [
  ...casesOf("keys new", [
    ["without --role", ["--out", join(dir, "x.json")], "required option '--role <role>' not specified"],
    ["with an unknown role", ["--role", "doctor", "--out", join(dir, "x.json")], "Allowed choices are patient, institution, regulator"],
    ["over an existing file", ["--role", "patient", "--out", patient], "already exists (or is a symbolic link); refusing to overwrite it"],
    [
      "with an empty passphrase file",
      ["--role", "patient", "--out", join(dir, "y.json"), "--passphrase-file", file("empty.txt", "\n")],
      "the first line (the passphrase) is empty",
    ],
  ]),
  ...casesOf("address", [
    ["of a missing file", ["--key", missing], "cannot read"],
    ["of a file that is not a key file", ["--key", notJson], "key file: not valid JSON"],
  ]),
  ...casesOf("patient register", [
    ["without an admission", ["--key", patient, ...NOWHERE], "required option '--admission <file>' not specified"],
    ["with a missing admission file", ["--key", patient, "--admission", missing, ...NOWHERE], "cannot read"],
    ["with an admission file that is not one", ["--key", patient, "--admission", admissionWithoutSignature, ...NOWHERE], ": chainId:"],
    ["with a key file as admission", ["--key", patient, "--admission", patient, ...NOWHERE], ": format:"],
    [
      "with an institution's key",
      ["--key", institution, "--admission", admission, ...NOWHERE],
      "is an institution key file; this command needs a patient key file",
    ],
    [
      "with an encrypted key and no passphrase",
      ["--key", locked, "--admission", admission, ...NOWHERE],
      "a passphrase is required (use --passphrase-file FILE or MEDRING_PASSPHRASE)",
    ],
    ["with a wrong passphrase", ["--key", locked, "--admission", admission, "--passphrase-file", wrongPassphrase, ...NOWHERE], "wrong passphrase"],
    ["with a missing --info file", ["--key", patient, "--admission", admission, "--info", missing, ...NOWHERE], "cannot read"],
  ]),
  ...casesOf("institution admit", [
    ["without --patient", ["--key", institution], "required option '--patient <file>' not specified"],
    ["with a patient's key", ["--key", patient, "--patient", patientPublic, ...NOWHERE], "needs an institution key file"],
    ["for an institution's public info", ["--key", institution, "--patient", institution, ...NOWHERE], "not a patient's public info"],
    ["for a file that is not JSON", ["--key", institution, "--patient", notJson, ...NOWHERE], "is not valid JSON"],
    ["with --days 0", ["--key", institution, "--patient", patientPublic, "--days", "0", ...NOWHERE], "--days: expected an integer from 1 to 90"],
    ["with --days 91", ["--key", institution, "--patient", patientPublic, "--days", "91", ...NOWHERE], "--days: expected an integer from 1 to 90"],
  ]),
  ...casesOf("record grant", [
    [
      "with --ring-size (an anonymous record's ring is fixed)",
      ["--key", patient, "--record", RECORD, "--institution", ADDRESS, "--ring-size", "9", ...NOWHERE],
      "unknown option '--ring-size'",
    ],
    ["with a short record id", ["--key", patient, "--record", "0x1234", "--institution", ADDRESS, ...NOWHERE], "--record: expected 32 bytes"],
    [
      "with a bad address",
      ["--key", patient, "--record", RECORD, "--institution", "0x12", ...NOWHERE],
      '--institution: "0x12" is not a 0x-prefixed 20-byte address',
    ],
    [
      "with a bad encryption key",
      ["--key", patient, "--record", RECORD, "--institution", ADDRESS, "--encryption-key", "02ab", ...NOWHERE],
      "--encryption-key: missing 0x prefix",
    ],
  ]),
  ...casesOf("record create", [
    ["without --file", ["--key", patient], "required option '--file <file>' not specified"],
    ["with invalid FHIR", ["--key", patient, "--file", notFhir, ...NOWHERE], "FHIR R4: Missing required property (Observation.code)"],
    ["with a file that is not JSON", ["--key", patient, "--file", notJson, ...NOWHERE], "FHIR R4: not valid JSON"],
    ["with ring size 0", ["--key", patient, "--file", observation, "--ring-size", "0", ...NOWHERE], "--ring-size: expected a positive integer"],
    [
      "with --identified and --ring-size",
      ["--key", patient, "--file", observation, "--identified", "--ring-size", "8", ...NOWHERE],
      "--ring-size applies to anonymous records only",
    ],
    [
      "with a relayer URL that is not http",
      ["--key", patient, "--file", observation, "--relayer", "ftp://x"],
      "--relayer: expected an http:// or https:// URL",
    ],
    ["with an RPC URL that is not a URL", ["--key", patient, "--file", observation, "--rpc", "localhost"], '--rpc: "localhost" is not a URL'],
  ]),
  ...casesOf("record revoke", [
    ["without --institution", ["--key", patient, "--record", RECORD], "required option '--institution <address>' not specified"],
    [
      "with a bad registry",
      ["--key", patient, "--record", RECORD, "--institution", ADDRESS, "--registry", "nope", ...NOWHERE],
      '--registry: "nope" is not a 0x-prefixed 20-byte address',
    ],
  ]),
  ...casesOf("records", [
    ["with a regulator's key", ["--key", regulator, ...NOWHERE], "is a regulator key file; this command needs a patient key file"],
    ["with a bad gap limit", ["--key", patient, "--gap-limit", "-1", ...NOWHERE], "--gap-limit: expected a positive integer"],
  ]),
  ...casesOf("record show", [
    [
      "with a record id with a comma",
      ["--key", patient, "--record", "0x" + "ab".repeat(31) + "a,", ...NOWHERE],
      "--record: contains a character that is not a hex digit",
    ],
  ]),
  ...casesOf("regulator certify", [
    ["with a patient's key", ["--key", patient, "--institution", ADDRESS, "--encryption-key", KEY_33_BYTES, ...NOWHERE], "needs a regulator key file"],
    [
      "without an encryption key",
      ["--key", regulator, "--institution", ADDRESS, ...NOWHERE],
      "give --institution and --encryption-key, or --institution-info FILE",
    ],
    [
      "with a 32-byte encryption key",
      ["--key", regulator, "--institution", ADDRESS, "--encryption-key", KEY_32_BYTES, ...NOWHERE],
      "--encryption-key: expected 33 bytes",
    ],
    [
      "with info that is not an institution's",
      ["--key", regulator, "--institution-info", observation, ...NOWHERE],
      "expected the JSON of `medring institution register`",
    ],
  ]),
  ...casesOf("regulator decertify", [["with a bad address", ["--key", regulator, "--institution", "0xZZ" + "1".repeat(38), ...NOWHERE], "--institution:"]]),
  ...casesOf("regulator quota", [
    [
      "with a quota of 2^64",
      ["--key", regulator, "--admitter", ADDRESS, "--quota", (2n ** 64n).toString(), ...NOWHERE],
      "--quota: expected a whole number below 2^64",
    ],
    ["with a negative quota", ["--key", regulator, "--admitter", ADDRESS, "--quota", "-1", ...NOWHERE], "--quota: expected a whole number"],
  ]),
  ...casesOf("institution register", [["with a patient's key", ["--key", patient], "needs an institution key file"]]),
  ...casesOf("institution records", [["without --key", [], "required option '--key <file>' not specified"]]),
  ...casesOf("institution read", [["with a bad record id", ["--key", institution, "--record", "0x", ...NOWHERE], "--record: expected 32 bytes"]]),
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
