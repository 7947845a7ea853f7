import type { RegisterCommand } from "../context";
import { commandGroup } from "../group";
import { keyOptions, networkOptions, parseNetwork, parseRecordId, type NetworkOptions } from "../options";
import { emitPlaintext } from "../plaintext";

/** `medring record show --key FILE --record ID [--out FILE]`: decrypts one of your records (content hash checked first). */
export const registerRecordShow: RegisterCommand = (program, context) => {
  const command = commandGroup(program, "record", "a patient's record actions").command("show").description("decrypt one of your records");
  keyOptions(command, "patient");
  command.requiredOption("--record <id>", "record id (0x + 64 hex digits)").option("--out <file>", "write the plaintext here (mode 0600) instead of stdout");
  networkOptions(command).action(async (options: NetworkOptions & { key: string; passphraseFile?: string; record: string; out?: string }) => {
    const [{ readOwnRecord }, { loadActorKeys }, { progress, withClient }] = await Promise.all([
      import("../../client"),
      import("../actorKeys"),
      import("../session"),
    ]);
    const network = parseNetwork(options, context);
    const recordId = parseRecordId(options.record);
    const keys = loadActorKeys(options.key, "patient", options.passphraseFile, context);
    await withClient(network, context, async (client) => {
      const { plaintext, info, anonymous } = await readOwnRecord(client.chain, keys, recordId);
      progress(context, `content hash ${info.contentHash} verified, decrypted ${plaintext.length} bytes`);
      emitPlaintext(
        plaintext,
        options.out,
        network.json,
        { recordId: info.id, anonymous, contentHash: info.contentHash, createdAt: info.createdAt, institutions: info.institutions },
        context,
      );
    });
  });
};
