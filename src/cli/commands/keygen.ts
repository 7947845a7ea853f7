import { generateKeyPair } from "../../mrs1";
import type { RegisterCommand } from "../context";
import { writeSecretFile } from "../io";
import { encodeRingKeyFile } from "../keyFile";

/** `medring keygen [--out FILE]`: a fresh MRS-1 key pair (MRS-1 §Keys). */
export const registerKeygen: RegisterCommand = (program, context) => {
  program
    .command("keygen")
    .description("generate an MRS-1 ring key pair; prints it, or writes it to FILE with mode 0600")
    .option("--out <file>", "write the key file here (mode 0600) instead of printing it")
    .action((options: { out?: string }) => {
      const text = JSON.stringify(encodeRingKeyFile(generateKeyPair().secretKey), null, 2) + "\n";
      if (options.out) {
        writeSecretFile(options.out, text);
        context.stdout(`wrote ${options.out}\n`);
      } else {
        context.stdout(text);
      }
    });
};
