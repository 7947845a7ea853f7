import type { RegisterCommand } from "../context";
import { actorCommand } from "../group";
import { networkOptions, parseNetwork, type NetworkOptions } from "../options";

/** `medring institution records --key FILE`: the records granted to the institution now (its ALC, paper Protocol 3). */
export const registerInstitutionRecords: RegisterCommand = (program, context) => {
  const command = actorCommand(program, "institution", "records", "institution").description("list the records granted to this institution");
  networkOptions(command).action(async (options: NetworkOptions & { key: string; passphraseFile?: string }) => {
    const [{ accountAddress }, { loadActorKeys }, { withClient }] = await Promise.all([import("../../keys"), import("../actorKeys"), import("../session")]);
    const network = parseNetwork(options, context);
    const address = accountAddress(loadActorKeys(options, "institution", context).accountKey);
    await withClient(network, context, async (client) => {
      const [status, grants] = await Promise.all([client.chain.institution(address), client.chain.grants(address)]);
      if (network.json) {
        const rows = grants.map((g) => ({ recordId: g.id, record: g.record, contentHash: g.contentHash, createdAt: g.createdAt }));
        return void context.stdout(JSON.stringify({ institution: address, certified: status.certified, accessList: status.accessList, records: rows }) + "\n");
      }
      context.stdout(`institution ${address}: ${status.certified ? "certified" : "not certified"}, ${grants.length} record(s) granted\n`);
      for (const g of grants) context.stdout(`${g.id}  ${new Date(g.createdAt * 1000).toISOString()}  hash ${g.contentHash}\n`);
    });
  });
};
