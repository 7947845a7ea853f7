import type { RegisterCommand } from "../context";
import { parseBytes32Option } from "../io";
import { keyOptions } from "../options";

/** `medring key-image --key FILE --scope 0x..`: I = x·H_p(scope, P) (MRS-1 §Key image), compressed SEC1. */
export const registerKeyImage: RegisterCommand = (program, context) => {
  const command = program.command("key-image").description("print the key image of the key file's ring key in a scope (compressed SEC1 hex)");
  keyOptions(command, "patient (or `medring keygen`)");
  command.requiredOption("--scope <hex>", "0x + 64 hex digits").action(async (options: { key: string; passphraseFile?: string; scope: string }) => {
    const [{ keyImage, pointToHex }, { loadActorKeys }] = await Promise.all([import("../../mrs1"), import("../actorKeys")]);
    const scope = parseBytes32Option(options.scope, "--scope");
    const keys = loadActorKeys(options, "patient", context);
    context.stdout(pointToHex(keyImage(keys.ringKey, scope)) + "\n");
  });
};
