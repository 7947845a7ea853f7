import type { RegisterCommand } from "../context";
import { commandGroup } from "../group";
import { keyOptions, networkOptions, parseNetwork, parseRecordId, type NetworkOptions } from "../options";
import { emitPlaintext } from "../plaintext";

/**
 * `medring institution read --key FILE --record ID [--out FILE]`: fetches the ciphertext from the record's
 * creation event, checks keccak256 against the content hash the ALC returns, unwraps the data key wrapped for
 * this institution and decrypts. A revoked (or never granted) record exits 3.
 */
export const registerInstitutionRead: RegisterCommand = (program, context) => {
  const command = commandGroup(program, "institution", "an institution's actions")
    .command("read")
    .description("decrypt a record granted to this institution (hash checked)");
  keyOptions(command, "institution");
  command.requiredOption("--record <id>", "record id (0x + 64 hex digits)").option("--out <file>", "write the plaintext here (mode 0600) instead of stdout");
  networkOptions(command).action(async (options: NetworkOptions & { key: string; passphraseFile?: string; record: string; out?: string }) => {
    const [{ readGrantedRecord }, { loadActorKeys }, { progress, withClient }] = await Promise.all([
      import("../../client"),
      import("../actorKeys"),
      import("../session"),
    ]);
    const network = parseNetwork(options, context);
    const recordId = parseRecordId(options.record);
    const keys = loadActorKeys(options.key, "institution", options.passphraseFile, context);
    await withClient(network, context, async (client) => {
      const { plaintext, grant } = await readGrantedRecord(client.chain, keys, recordId);
      progress(context, `content hash ${grant.contentHash} verified, decrypted ${plaintext.length} bytes`);
      emitPlaintext(
        plaintext,
        options.out,
        network.json,
        { recordId: grant.id, record: grant.record, contentHash: grant.contentHash, hashVerified: true },
        context,
      );
    });
  });
};
