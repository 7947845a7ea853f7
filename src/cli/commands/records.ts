import type { RegisterCommand } from "../context";
import { keyOptions, networkOptions, parseNetwork, type NetworkOptions } from "../options";
import { parseGapLimit } from "./recordCreate";

/**
 * `medring records --key FILE`: the patient's records, recovered from the key file alone (no local state): scopes
 * are derived from the ring key; anonymous records are matched locally against the registry's whole public index
 * (so the RPC node learns none of their ids or scopes) and identified ones are looked up by id. Anonymous records
 * are listed without their on-chain details, which would have to be asked for record by record: `record show`
 * reads one. See src/client/discovery.ts.
 */
export const registerRecords: RegisterCommand = (program, context) => {
  const command = program.command("records").description("list your records, recovered from the key file alone");
  keyOptions(command, "patient");
  command.option("--gap-limit <n>", "stop after this many unused scopes in a row", "5");
  networkOptions(command).action(async (options: NetworkOptions & { key: string; passphraseFile?: string; gapLimit: string }) => {
    const [{ listOwnRecords }, { loadActorKeys }, { waiting, withClient }] = await Promise.all([
      import("../../client"),
      import("../actorKeys"),
      import("../session"),
    ]);
    const network = parseNetwork(options, context);
    const gapLimit = parseGapLimit(options.gapLimit);
    const keys = loadActorKeys(options, "patient", context);
    await withClient(network, context, async (client) => {
      waiting(context, "reading the public index of anonymous records and matching it locally");
      const records = await listOwnRecords(client.chain, keys, { gapLimit });
      if (network.json) {
        const rows = records.map((r) => ({
          recordId: r.recordId,
          index: r.index,
          anonymous: r.anonymous,
          scope: r.scope,
          ...(r.info ? { record: r.info.address, contentHash: r.info.contentHash, createdAt: r.info.createdAt, institutions: r.info.institutions } : {}),
        }));
        context.stdout(JSON.stringify(rows) + "\n");
        return;
      }
      if (records.length === 0) context.stdout("no records\n");
      for (const r of records) {
        const details = r.info
          ? `${new Date(r.info.createdAt * 1000).toISOString()}  ${r.info.institutions.length === 0 ? "not granted" : `granted to ${r.info.institutions.join(", ")}`}`
          : "details: medring record show --record <id>";
        context.stdout(`${r.recordId}  #${r.index}  ${r.anonymous ? "anonymous " : "identified"}  ${details}\n`);
      }
    });
  });
};
