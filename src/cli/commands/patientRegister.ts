import { readFileSync } from "node:fs";
import type { RegisterCommand } from "../context";
import { CliError } from "../errors";
import { actorCommand } from "../group";
import { readJson } from "../io";
import { dryRunOption, networkOptions, parseNetwork, type ActorOptions } from "../options";

/**
 * `medring patient register --key FILE --admission FILE [--info FILE]` (paper Protocol 1): the patient's register
 * contract (RC) with its ring key in the anonymity set and the personal info encrypted for the patient's own key.
 * The admission is the one an institution issued (`medring institution admit`): without it nobody joins the
 * anonymity set. An identified action: the patient signs an ERC-2771 request and the relayer pays the gas.
 */
export const registerPatientRegister: RegisterCommand = (program, context) => {
  const command = actorCommand(program, "patient", "register", "patient").description(
    "register as a patient (RC); personal info is encrypted before it leaves this machine",
  );
  command
    .requiredOption("--admission <file>", "the admission an institution issued for you (medring institution admit)")
    .option("--info <file>", "personal information to store encrypted in the RC (any file)");
  networkOptions(dryRunOption(command)).action(async (options: ActorOptions & { admission: string; info?: string }) => {
    const [{ parseAdmission, prepareRegister }, { loadActorKeys }, { progress, submissionResult, submitOrPrint, waiting, withClient }] = await Promise.all([
      import("../../client"),
      import("../actorKeys"),
      import("../session"),
    ]);
    const network = parseNetwork(options, context);
    const admission = parseAdmission(readJson(options.admission), options.admission);
    const keys = loadActorKeys(options, "patient", context);
    let info: Uint8Array | undefined;
    if (options.info !== undefined) {
      try {
        info = readFileSync(options.info);
      } catch (err) {
        throw new CliError(`cannot read ${options.info}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      }
    }
    await withClient(network, context, async (client) => {
      waiting(context, "encrypting the personal info and signing the registration");
      const prepared = await prepareRegister(client.chain, keys, admission, info);
      progress(
        context,
        `signed: registration of ${prepared.info.address}, admitted by ${prepared.info.admitter} (identified: an ERC-2771 request the relayer pays for)`,
      );
      const view = await submitOrPrint(client, prepared.body, options.dryRun, context);
      if (!view) return;
      waiting(context, "reading the register contract's address");
      const register = await client.chain.registerOf(prepared.info.address);
      context.stdout(
        network.json
          ? JSON.stringify({ ...prepared.info, register, ...submissionResult(view) }) + "\n"
          : `registered ${prepared.info.address}: register contract ${register}\n`,
      );
    });
  });
};
