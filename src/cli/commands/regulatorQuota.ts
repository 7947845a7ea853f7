import type { RegisterCommand } from "../context";
import { actorCommand } from "../group";
import { networkOptions, parseAddress, parseNetwork, parseQuota, type ActorOptions } from "../options";

/**
 * `medring regulator quota --key REGULATOR_FILE --admitter ADDRESS --quota N`: the admitter may admit N patients in
 * all (IMedRingRegistry.setAdmissionQuota); relayers stop paying for its registrations once they are used up.
 */
export const registerRegulatorQuota: RegisterCommand = (program, context) => {
  const command = actorCommand(program, "regulator", "quota", "regulator").description("set an admitter's quota of admissions in all");
  command
    .requiredOption("--admitter <address>", "the admitter's account address (a certified institution or an ADMITTER_ROLE holder)")
    .requiredOption("--quota <n>", "patients it may admit in all (0 or its current count: no more)")
    .option("--dry-run", "print the transaction (from, to, data) instead of sending it");
  networkOptions(command).action(async (options: ActorOptions & { admitter: string; quota: string }) => {
    const [{ admissionQuotaTransaction }, { loadActorKeys }, { regulatorSends }] = await Promise.all([
      import("../../client"),
      import("../actorKeys"),
      import("./regulatorSend"),
    ]);
    const network = parseNetwork(options, context);
    const admitter = parseAddress(options.admitter, "--admitter");
    const quota = parseQuota(options.quota);
    const keys = loadActorKeys(options, "regulator", context);
    await regulatorSends(
      network,
      keys,
      context,
      (chain) => admissionQuotaTransaction(chain, admitter, quota),
      options.dryRun,
      async (chain, sent) => {
        const [, admitted] = await chain.registry.admissionQuota(admitter);
        return {
          text: `admitter ${admitter}: quota ${quota}, ${admitted} admitted`,
          json: { admitter, quota: quota.toString(), admitted: admitted.toString(), ...sent },
        };
      },
    );
  });
};
