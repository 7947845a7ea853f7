import type { RegisterCommand } from "../context";
import { parseBytes32Option } from "../io";

/** `medring key-image --key FILE --scope 0x..`: I = x·H_p(scope, P) (MRS-1 §Key image), compressed SEC1. */
export const registerKeyImage: RegisterCommand = (program, context) => {
  program
    .command("key-image")
    .description("print the key image of the key in a scope (compressed SEC1 hex)")
    .requiredOption("--key <file>", "key file written by `medring keygen`")
    .requiredOption("--scope <hex>", "0x + 64 hex digits")
    .action(async (options: { key: string; scope: string }) => {
      const [{ keyImage, pointToHex }, { readRingKeyFile }] = await Promise.all([import("../../mrs1"), import("../keyFile")]);
      const scope = parseBytes32Option(options.scope, "--scope");
      context.stdout(pointToHex(keyImage(readRingKeyFile(options.key).secretKey, scope)) + "\n");
    });
};
