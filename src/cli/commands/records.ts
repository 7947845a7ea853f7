import type { RegisterCommand } from "../context";
import { keyOptions, networkOptions, parseNetwork, type ActorOptions } from "../options";
import { parseGapLimit } from "./recordCreate";

/**
 * `medring records --key FILE`: the patient's records, recovered from the key file alone (no local state): scopes
 * are derived from the ring key; anonymous records are matched locally against the registry's whole public index
 * (so the RPC node learns none of their ids or scopes) and identified ones are looked up by id. Anonymous records
 * are listed without their on-chain details, which would have to be asked for record by record: `record show`
 * reads one. See src/client/discovery.ts; the output is the institution's listing's (src/cli/recordListing.ts).
 */
export const registerRecords: RegisterCommand = (program, context) => {
  const command = program.command("records").description("list your records, recovered from the key file alone");
  keyOptions(command, "patient");
  command.option("--gap-limit <n>", "stop after this many unused scopes in a row", "5");
  networkOptions(command).action(async (options: ActorOptions & { gapLimit: string }) => {
    const [{ listOwnRecords }, { accountAddress }, { loadActorKeys }, { printRecordListing }, { waiting, withClient }] = await Promise.all([
      import("../../client"),
      import("../../keys"),
      import("../actorKeys"),
      import("../recordListing"),
      import("../session"),
    ]);
    const network = parseNetwork(options, context);
    const gapLimit = parseGapLimit(options.gapLimit);
    const keys = loadActorKeys(options, "patient", context);
    const patient = accountAddress(keys.accountKey);
    await withClient(network, context, async (client) => {
      waiting(context, "reading the public index of anonymous records and matching it locally");
      const records = await listOwnRecords(client.chain, keys, { gapLimit });
      const headline = `patient ${patient}: ${records.length} record(s) found from the key file`;
      printRecordListing(context, network.json, { about: { patient }, headline, records });
    });
  });
};
