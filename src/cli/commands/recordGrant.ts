import type { RegisterCommand } from "../context";
import { actorCommand } from "../group";
import { parseOrExit } from "../io";
import { anonymityOptions, dryRunOption, networkOptions, parseAddress, parseNetwork, parseRecordId, type RingActorOptions } from "../options";
import { parseHexBytes } from "../../hex";

/**
 * `medring record grant --key FILE --record ID --institution ADDRESS` (paper Protocol 2, `warrant`): the record's
 * data key, wrapped for the institution's certified encryption key, goes on chain; the institution's ALC lists
 * the record in the same transaction. Anonymous records are granted with a ring signature in the record's scope,
 * with the ring the record was created with (read back from the chain).
 */
export const registerRecordGrant: RegisterCommand = (program, context) => {
  const command = actorCommand(program, "record", "grant", "patient").description("grant an institution access to one of your records");
  command
    .requiredOption("--record <id>", "record id (0x + 64 hex digits)")
    .requiredOption("--institution <address>", "the institution's account address")
    .option("--encryption-key <hex>", "wrap for this encryption key instead of the one the regulator certified")
    .option("--accept-narrow-grant", "grant to your own admitter even when the public admitters narrow the record's ring below the floor");
  anonymityOptions(networkOptions(dryRunOption(command))).action(
    async (options: RingActorOptions & { record: string; institution: string; encryptionKey?: string; acceptNarrowGrant?: boolean }) => {
      const [{ prepareGrant }, { loadActorKeys }, { progress, sendAndReport, signedHow, waiting, withRingClient }] = await Promise.all([
        import("../../client"),
        import("../actorKeys"),
        import("../session"),
      ]);
      const network = parseNetwork(options, context);
      const recordId = parseRecordId(options.record);
      const institution = parseAddress(options.institution, "--institution");
      const encryptionKey = options.encryptionKey === undefined ? undefined : parseOrExit(() => parseHexBytes(options.encryptionKey, "--encryption-key"));
      const keys = loadActorKeys(options, "patient", context);
      await withRingClient(network, context, { key: options.key, anonymityStore: options.anonymityStore }, async (client) => {
        waiting(context, "reading the record's ring, wrapping the data key for the institution and signing");
        const prepared = await prepareGrant(client, keys, recordId, institution, { encryptionKey, acceptNarrowGrant: options.acceptNarrowGrant });
        const how = signedHow(prepared.info);
        progress(context, `signed: grant to ${institution} (${how})`);
        await sendAndReport(client, prepared, { dryRun: options.dryRun, network, context, text: `granted ${recordId} to ${institution} (${how})` });
      });
    },
  );
};
