import type { RegisterCommand } from "../context";
import { keyOptions, networkOptions, parseNetwork, type NetworkOptions } from "../options";
import { parseGapLimit } from "./recordCreate";

/**
 * `medring records --key FILE`: the patient's records, recovered from the key file alone (no local state): scopes
 * are derived from the ring key, and each scope's record is the patient's when its owner is the patient's key
 * image there (anonymous) or account (identified). See src/client/discovery.ts.
 */
export const registerRecords: RegisterCommand = (program, context) => {
  const command = program.command("records").description("list your records, recovered from the key file alone");
  keyOptions(command, "patient");
  command.option("--gap-limit <n>", "stop after this many unused scopes in a row", "5");
  networkOptions(command).action(async (options: NetworkOptions & { key: string; passphraseFile?: string; gapLimit: string }) => {
    const [{ listOwnRecords }, { loadActorKeys }, { progress, withClient }] = await Promise.all([import("../../client"), import("../actorKeys"), import("../session")]);
    const network = parseNetwork(options, context);
    const gapLimit = parseGapLimit(options.gapLimit);
    const keys = loadActorKeys(options.key, "patient", options.passphraseFile, context);
    await withClient(network, context, async (client) => {
      const { records, scan } = await listOwnRecords(client.chain, keys, { gapLimit, onScan: (n) => progress(context, `checked ${n} record scopes`) });
      if (scan.taken.length > 0) progress(context, `scope indices used by someone else (skipped): ${scan.taken.join(", ")}`);
      if (network.json) {
        context.stdout(JSON.stringify(records.map((r) => ({ recordId: r.id, record: r.address, index: r.index, anonymous: r.anonymous, scope: r.scope, contentHash: r.contentHash, createdAt: r.createdAt, institutions: r.institutions }))) + "\n");
        return;
      }
      if (records.length === 0) context.stdout("no records\n");
      for (const r of records) {
        const granted = r.institutions.length === 0 ? "not granted" : `granted to ${r.institutions.join(", ")}`;
        context.stdout(`${r.id}  #${r.index}  ${r.anonymous ? "anonymous " : "identified"}  ${new Date(r.createdAt * 1000).toISOString()}  ${granted}\n`);
      }
    });
  });
};
