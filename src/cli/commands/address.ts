import type { RegisterCommand } from "../context";
import { CliError } from "../errors";

/** `medring address --key FILE`: the key file's account address (the public header: no passphrase needed). */
export const registerAddress: RegisterCommand = (program, context) => {
  program
    .command("address")
    .description("print the account address of a key file")
    .requiredOption("--key <file>", "key file (medring keys new)")
    .option("--json", "print the key file's public part as JSON")
    .action(async (options: { key: string; json?: boolean }) => {
      const [{ KeyFileError }, { readKeyFilePublicInfo }] = await Promise.all([import("../../keys"), import("../../keys/file")]);
      let info;
      try {
        info = readKeyFilePublicInfo(options.key);
      } catch (err) {
        if (err instanceof KeyFileError) throw new CliError(`${options.key}: ${err.message}`);
        throw new CliError(`cannot read ${options.key}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      }
      context.stdout(options.json ? JSON.stringify(info) + "\n" : info.address + "\n");
    });
};
