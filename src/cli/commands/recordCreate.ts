import { readFileSync } from "node:fs";
import type { RegisterCommand } from "../context";
import { CliError } from "../errors";
import { actorCommand } from "../group";
import { anonymityOptions, dryRunOption, networkOptions, parseNetwork, parseRingSize, type RingActorOptions } from "../options";

/**
 * Largest record accepted: the relayer takes at most 96 KiB per `bytes` argument (src/api/schemas.ts
 * MAX_BYTES_HEX_DIGITS; not imported, because the CLI loads zod only when a command runs), and a record travels
 * inline as owner-wrapped key (106 bytes) + envelope overhead (41 bytes) + the plaintext padded to its size bucket
 * (src/envelope/padding.ts: a 4-byte length prefix, buckets in steps of 16 KiB above 64 KiB). The 96 KiB bucket
 * leaves no room for the 147 bytes around it, so the largest bucket that fits is 80 KiB.
 */
const MAX_RECORD_BYTES = 80 * 1024 - 4;

/**
 * `medring record create --key FILE --file RECORD.json [--raw] [--ring-size N] [--identified]` (paper Protocol 2):
 * validates FHIR R4 (src/fhir) unless --raw, encrypts on this machine, and creates the record anonymously
 * (ring-signed, owned by a key image in a scope derived from the key; its ring stays the record's ring for good)
 * unless --identified. Prints the record id.
 */
export const registerRecordCreate: RegisterCommand = (program, context) => {
  const command = actorCommand(program, "record", "create", "patient").description(
    "encrypt a FHIR R4 record (or any file with --raw) and create it on chain, anonymously by default",
  );
  command
    .requiredOption("--file <file>", "the record: FHIR R4 JSON (a resource or a Bundle), or any file with --raw")
    .option("--raw", "skip FHIR validation and accept any file (a PDF, an image)")
    .option("--ring-size <n>", "ring size of an anonymous record, fixed for all its later actions (default: the registry's policy minimum)")
    .option("--identified", "create the record from the patient's account instead of anonymously")
    .option("--gap-limit <n>", "stop the scope scan after this many unused scopes in a row", "5");
  anonymityOptions(networkOptions(dryRunOption(command))).action(
    async (options: RingActorOptions & { file: string; raw?: boolean; ringSize?: string; identified?: boolean; gapLimit: string }) => {
      const [{ prepareCreateRecord }, { validateFhirR4Text }, { loadActorKeys }, { progress, sendAndReport, waiting, withRingClient }] = await Promise.all([
        import("../../client"),
        import("../../fhir"),
        import("../actorKeys"),
        import("../session"),
      ]);
      const network = parseNetwork(options, context);
      const ringSize = parseRingSize(options.ringSize);
      if (options.identified && ringSize !== undefined) throw new CliError("--ring-size applies to anonymous records only, not with --identified");
      const gapLimit = parseGapLimit(options.gapLimit);
      let plaintext: Uint8Array;
      try {
        plaintext = readFileSync(options.file);
      } catch (err) {
        throw new CliError(`cannot read ${options.file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      }
      if (plaintext.length > MAX_RECORD_BYTES) throw new CliError(`${options.file} is ${plaintext.length} bytes; at most ${MAX_RECORD_BYTES} bytes fit inline`);
      if (!options.raw) {
        const verdict = validateFhirR4Text(Buffer.from(plaintext).toString("utf8"));
        if (!verdict.ok) throw new CliError(`${options.file}: ${verdict.message}`);
        progress(context, `${options.file}: valid FHIR R4 ${verdict.resourceType}`);
      }
      const keys = loadActorKeys(options, "patient", context);
      await withRingClient(network, context, { key: options.key, anonymityStore: options.anonymityStore }, async (client) => {
        waiting(context, "finding the next free record scope, drawing the ring and signing");
        const prepared = await prepareCreateRecord(client, keys, { plaintext, identified: options.identified, ringSize, gapLimit });
        const how = prepared.info.anonymous ? `anonymously, ring of ${prepared.info.ringSize}` : "identified";
        progress(context, `signed: record ${prepared.info.recordId} at scope index ${prepared.info.index} (${how})`);
        await sendAndReport(client, prepared, {
          dryRun: options.dryRun,
          network,
          context,
          text: prepared.info.recordId,
          jsonExtra: async () => ({ record: await client.chain.recordAddress(prepared.info.recordId) }),
        });
      });
    },
  );
};

export function parseGapLimit(value: string): number {
  if (!/^[1-9][0-9]{0,3}$/.test(value)) throw new CliError(`--gap-limit: expected a positive integer, got ${JSON.stringify(value)}`);
  return Number(value);
}
