import type { RegisterCommand } from "../context";
import { parseBytes32Option } from "../io";
import { loadRingSecretKey, ringSecretKeyOptions, type RingSecretKeyOptions } from "../ringSecretKey";

/**
 * `medring key-image --key FILE --scope 0x..`: I = x·H_p(scope, P) (MRS-1 §Key image), compressed SEC1; the key is a
 * patient key file or a bare MRS-1 key (../ringSecretKey.ts).
 */
export const registerKeyImage: RegisterCommand = (program, context) => {
  const command = program.command("key-image").description("print the key image of an MRS-1 secret key in a scope (compressed SEC1 hex)");
  ringSecretKeyOptions(command)
    .requiredOption("--scope <hex>", "0x + 64 hex digits")
    .action(async (options: RingSecretKeyOptions & { scope: string }) => {
      const { keyImage, pointToHex } = await import("../../mrs1");
      const scope = parseBytes32Option(options.scope, "--scope");
      context.stdout(pointToHex(keyImage(loadRingSecretKey(options, context), scope)) + "\n");
    });
};
