import type { RegisterCommand } from "../context";
import { writeSecretFile } from "../io";

/** `medring keygen [--out FILE]`: a fresh MRS-1 key pair (MRS-1 §Keys). */
export const registerKeygen: RegisterCommand = (program, context) => {
  program
    .command("keygen")
    .description("generate an MRS-1 ring key pair; prints it, or writes it to FILE with mode 0600")
    .option("--out <file>", "write the key file here (mode 0600) instead of printing it")
    .action(async (options: { out?: string }) => {
      const [{ generateKeyPair }, { encodeRingKeyFile }] = await Promise.all([import("../../mrs1"), import("../keyFile")]);
      const text = JSON.stringify(encodeRingKeyFile(generateKeyPair().secretKey), null, 2) + "\n";
      if (options.out) {
        writeSecretFile(options.out, text);
        context.stdout(`wrote ${options.out}\n`);
      } else {
        context.stdout(text);
      }
    });
};
