import { Option } from "commander";
import { ACTOR_ROLES, type ActorRole } from "../../keys/types";
import type { RegisterCommand } from "../context";
import { commandGroup } from "../group";

/**
 * `medring keys new --role patient|institution|regulator [--out FILE]`: fresh keys for one actor (src/keys): the
 * account key, plus the MRS-1 ring key (patients; MRS-1 §Keys) and the encryption key (patients, institutions). Written
 * to FILE with mode 0600, never over an existing path, or printed without --out; encrypted with scrypt +
 * XChaCha20-Poly1305 when a passphrase is given (--passphrase-file or MEDRING_PASSPHRASE).
 */
export const registerKeysNew: RegisterCommand = (program, context) => {
  commandGroup(program, "keys")
    .command("new")
    .description("write a new key file (mode 0600) for a patient, an institution or a regulator; prints it without --out")
    .addOption(new Option("--role <role>", "who the keys are for").choices(ACTOR_ROLES as string[]).makeOptionMandatory())
    .option("--out <file>", "where to write the key file (must not exist); without it the key file is printed")
    .option("--passphrase-file <file>", "encrypt the secrets with the passphrase on this file's first line (or env MEDRING_PASSPHRASE)")
    .option("--json", "print the public part as JSON")
    .action(async (options: { role: ActorRole; out?: string; passphraseFile?: string; json?: boolean }) => {
      const [{ encodeKeyFile, generateActorKeys }, { readPassphrase, writeNewKeyFile }] = await Promise.all([import("../../keys"), import("../actorKeys")]);
      if (options.out === undefined) {
        context.stdout(encodeKeyFile(generateActorKeys(options.role), { passphrase: readPassphrase(options.passphraseFile, context) }) + "\n");
        return;
      }
      const { info: publicInfo, encrypted } = writeNewKeyFile(options.out, options.role, options.passphraseFile, context);
      const info = { file: options.out, ...publicInfo, encrypted };
      context.stdout(
        options.json ? JSON.stringify(info) + "\n" : `wrote ${options.out}: ${info.role} ${info.address}${info.encrypted ? " (passphrase-encrypted)" : ""}\n`,
      );
    });
};
