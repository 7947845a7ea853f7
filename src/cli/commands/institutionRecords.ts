import type { RegisterCommand } from "../context";
import { actorCommand } from "../group";
import { networkOptions, parseNetwork, type ActorOptions } from "../options";

/**
 * `medring institution records --key FILE`: the records granted to the institution now (its ALC, paper Protocol 3),
 * printed as the patient's `records` prints its own (src/cli/recordListing.ts).
 */
export const registerInstitutionRecords: RegisterCommand = (program, context) => {
  const command = actorCommand(program, "institution", "records", "institution").description("list the records granted to this institution");
  networkOptions(command).action(async (options: ActorOptions) => {
    const [{ listGrantedRecords }, { accountAddress }, { loadActorKeys }, { printRecordListing }, { withClient }] = await Promise.all([
      import("../../client"),
      import("../../keys"),
      import("../actorKeys"),
      import("../recordListing"),
      import("../session"),
    ]);
    const network = parseNetwork(options, context);
    const institution = accountAddress(loadActorKeys(options, "institution", context).accountKey);
    await withClient(network, context, async (client) => {
      const [{ certified, accessList }, records] = await Promise.all([client.chain.institution(institution), listGrantedRecords(client.chain, institution)]);
      const headline = `institution ${institution}: ${certified ? "certified" : "not certified"}, ${records.length} record(s) granted`;
      printRecordListing(context, network.json, { about: { institution, certified, accessList }, headline, records });
    });
  });
};
