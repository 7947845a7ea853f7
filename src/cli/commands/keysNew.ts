import { Option } from "commander";
import { ACTOR_ROLES, type ActorRole } from "../../keys/types";
import type { RegisterCommand } from "../context";
import { commandGroup } from "../group";

/**
 * `medring keys new --role patient|institution|regulator --out FILE`: fresh keys for one actor (src/keys): the
 * account key, plus the ring key (patients) and the encryption key (patients, institutions). Mode 0600, never
 * overwrites; encrypted with scrypt + XChaCha20-Poly1305 when a passphrase is given (--passphrase-file or
 * MEDRING_PASSPHRASE).
 */
export const registerKeysNew: RegisterCommand = (program, context) => {
  commandGroup(program, "keys", "actor key files")
    .command("new")
    .description("write a new key file (mode 0600) for a patient, an institution or a regulator")
    .addOption(new Option("--role <role>", "who the keys are for").choices(ACTOR_ROLES as string[]).makeOptionMandatory())
    .requiredOption("--out <file>", "where to write the key file (must not exist)")
    .option("--passphrase-file <file>", "encrypt the secrets with the passphrase on this file's first line (or env MEDRING_PASSPHRASE)")
    .option("--json", "print the public part as JSON")
    .action(async (options: { role: ActorRole; out: string; passphraseFile?: string; json?: boolean }) => {
      const { writeNewKeyFile } = await import("../actorKeys");
      const { info: publicInfo, encrypted } = writeNewKeyFile(options.out, options.role, options.passphraseFile, context);
      const info = { file: options.out, ...publicInfo, encrypted };
      context.stdout(
        options.json ? JSON.stringify(info) + "\n" : `wrote ${options.out}: ${info.role} ${info.address}${info.encrypted ? " (passphrase-encrypted)" : ""}\n`,
      );
    });
};
