import type { RegisterCommand } from "../context";
import { actorCommand } from "../group";
import { networkOptions, parseAddress, parseNetwork, type ActorOptions } from "../options";

/**
 * `medring regulator decertify --key REGULATOR_FILE --institution ADDRESS`: the institution gets no new grants;
 * existing grants stay until patients revoke them (IMedRingRegistry.decertifyInstitution).
 */
export const registerRegulatorDecertify: RegisterCommand = (program, context) => {
  const command = actorCommand(program, "regulator", "decertify", "regulator").description("decertify an institution: no new grants");
  command
    .requiredOption("--institution <address>", "the institution's account address")
    .option("--dry-run", "print the transaction (from, to, data) instead of sending it");
  networkOptions(command).action(async (options: ActorOptions & { institution: string }) => {
    const [{ decertifyTransaction }, { loadActorKeys }, { regulatorSends }] = await Promise.all([
      import("../../client"),
      import("../actorKeys"),
      import("./regulatorSend"),
    ]);
    const network = parseNetwork(options, context);
    const institution = parseAddress(options.institution, "--institution");
    const keys = loadActorKeys(options, "regulator", context);
    await regulatorSends(
      network,
      keys,
      context,
      (chain) => decertifyTransaction(chain, institution),
      options.dryRun,
      async (_chain, sent) => ({
        text: `decertified ${institution}`,
        json: { institution, certified: false, ...sent },
      }),
    );
  });
};
