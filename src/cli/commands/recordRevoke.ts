import type { RegisterCommand } from "../context";
import { actorCommand } from "../group";
import { anonymityOptions, dryRunOption, networkOptions, parseAddress, parseNetwork, parseRecordId, type RingActorOptions } from "../options";

/**
 * `medring record revoke --key FILE --record ID --institution ADDRESS` (paper Protocol 2, `unwarrant`): the MRC
 * deletes the grant and removes the record from the institution's ALC in the same transaction. Revocation stops
 * future reads only: whatever the institution already decrypted, it keeps. An anonymous record's revocation is
 * signed with the ring the record was created with.
 */
export const registerRecordRevoke: RegisterCommand = (program, context) => {
  const command = actorCommand(program, "record", "revoke", "patient").description("revoke an institution's access to one of your records");
  command.requiredOption("--record <id>", "record id (0x + 64 hex digits)").requiredOption("--institution <address>", "the institution's account address");
  anonymityOptions(networkOptions(dryRunOption(command))).action(async (options: RingActorOptions & { record: string; institution: string }) => {
    const [{ prepareRevoke }, { loadActorKeys }, { progress, sendAndReport, signedHow, waiting, withRingClient }] = await Promise.all([
      import("../../client"),
      import("../actorKeys"),
      import("../session"),
    ]);
    const network = parseNetwork(options, context);
    const recordId = parseRecordId(options.record);
    const institution = parseAddress(options.institution, "--institution");
    const keys = loadActorKeys(options, "patient", context);
    await withRingClient(network, context, { key: options.key, anonymityStore: options.anonymityStore }, async (client) => {
      waiting(context, "reading the record's ring and signing the revocation");
      const prepared = await prepareRevoke(client, keys, recordId, institution);
      const how = signedHow(prepared.info);
      progress(context, `signed: revocation of ${institution} (${how})`);
      await sendAndReport(client, prepared, { dryRun: options.dryRun, network, context, text: `revoked ${institution} on ${recordId} (${how})` });
    });
  });
};
