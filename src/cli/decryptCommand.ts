/**
 * The commands that decrypt one record (`record show` for its owner, `institution read` for a granted institution):
 * the same options, key loading and output; only who reads and how the data key is found differ.
 */
import type { Command } from "commander";
import type { MedRingChain } from "../client";
import type { ActorKeys } from "../keys";
import type { CommandContext } from "./context";
import { actorCommand, type CommandGroupName } from "./group";
import { networkOptions, parseNetwork, parseRecordId, type ActorOptions } from "./options";
import { emitPlaintext } from "./plaintext";

/** A record decrypted by its reader, with its checked content hash and what `--json` reports beside the plaintext. */
export interface DecryptedRecord {
  plaintext: Uint8Array;
  contentHash: string;
  details: Record<string, unknown>;
}

export function registerDecryptCommand<R extends "patient" | "institution">(
  program: Command,
  context: CommandContext,
  spec: {
    group: CommandGroupName;
    name: string;
    role: R;
    description: string;
    /** Reads and decrypts the record with the client library, which is loaded only when the command runs (src/cli/main.ts). */
    read: (sdk: typeof import("../client"), chain: MedRingChain, keys: Extract<ActorKeys, { role: R }>, recordId: string) => Promise<DecryptedRecord>;
  },
): void {
  const command = actorCommand(program, spec.group, spec.name, spec.role).description(spec.description);
  command.requiredOption("--record <id>", "record id (0x + 64 hex digits)").option("--out <file>", "write the plaintext here (mode 0600) instead of stdout");
  networkOptions(command).action(async (options: ActorOptions & { record: string; out?: string }) => {
    const [sdk, { loadActorKeys }, { progress, withClient }] = await Promise.all([import("../client"), import("./actorKeys"), import("./session")]);
    const network = parseNetwork(options, context);
    const recordId = parseRecordId(options.record);
    const keys = loadActorKeys(options, spec.role, context);
    await withClient(network, context, async (client) => {
      const { plaintext, contentHash, details } = await spec.read(sdk, client.chain, keys, recordId);
      progress(context, `content hash ${contentHash} verified, decrypted ${plaintext.length} bytes`);
      emitPlaintext(plaintext, options.out, network.json, details, context);
    });
  });
}
