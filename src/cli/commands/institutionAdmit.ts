import type { Point } from "../../mrs1";
import type { RegisterCommand } from "../context";
import { CliError } from "../errors";
import { actorCommand } from "../group";
import { readInput, writeNewFile } from "../io";
import { networkOptions, parseNetwork, type ActorOptions } from "../options";

/** Longest admission an institution may issue: 90 days (a stale admission is a standing invitation). */
const MAX_ADMISSION_DAYS = 90;

/** The patient's public part (src/client/patientPublicInfo.ts) from `path`; a bad file is a CliError. */
async function readPatientPublicInfo(path: string): Promise<{ address: string; ringPublicKey: Point }> {
  const { ClientError, parsePatientPublicInfo } = await import("../../client");
  try {
    return parsePatientPublicInfo(readInput(path), path);
  } catch (err) {
    if (err instanceof ClientError) throw new CliError(err.message);
    throw err;
  }
}

/**
 * `medring institution admit --key FILE --patient PUBLIC.json [--days N] [--out FILE]`: a certified institution
 * (or an ADMITTER_ROLE holder) vouches for a patient's account and ring key with an EIP-712 admission
 * (MedRingTypes.Admission), which the patient passes to `medring patient register --admission FILE`. Sends
 * nothing; the signature is checked on chain at registration.
 */
export const registerInstitutionAdmit: RegisterCommand = (program, context) => {
  const command = actorCommand(program, "institution", "admit", "institution (or ADMITTER_ROLE holder's)").description(
    "sign an admission for a patient (their `medring address --json` output); sends nothing",
  );
  command
    .requiredOption("--patient <file>", "the patient's public info: `medring address --key PATIENT.json --json` output, or their key file")
    .option("--days <n>", `days of chain time the patient has to register (1-${MAX_ADMISSION_DAYS})`, "7")
    .option("--out <file>", "write the admission here (default: standard output)");
  networkOptions(command).action(async (options: ActorOptions & { patient: string; days: string; out?: string }) => {
    const [{ encodeAdmission, issueAdmission }, { loadActorKeys }, { progress, waiting, withClient }] = await Promise.all([
      import("../../client"),
      import("../actorKeys"),
      import("../session"),
    ]);
    const network = parseNetwork(options, context);
    if (!/^[1-9][0-9]?$/.test(options.days) || Number(options.days) > MAX_ADMISSION_DAYS) {
      throw new CliError(`--days: expected an integer from 1 to ${MAX_ADMISSION_DAYS}, got ${JSON.stringify(options.days)}`);
    }
    const patient = await readPatientPublicInfo(options.patient);
    const keys = loadActorKeys(options, "institution", context);
    await withClient(network, context, async (client) => {
      waiting(context, "checking that this account may admit patients, and signing the admission");
      const admission = await issueAdmission(client.chain, keys.accountKey, patient, BigInt(options.days) * 86_400n);
      const text = encodeAdmission(admission);
      if (options.out === undefined) return void context.stdout(text);
      writeNewFile(options.out, text);
      progress(context, `admission for ${patient.address} valid until chain time ${admission.deadline}`);
      context.stdout(
        network.json
          ? JSON.stringify({ file: options.out, patient: admission.patient, admitter: admission.admitter, deadline: admission.deadline.toString() }) + "\n"
          : `wrote ${options.out}\n`,
      );
    });
  });
};
