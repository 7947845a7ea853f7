import type { RegisterCommand } from "../context";

/**
 * `medring keygen [--out FILE] [--passphrase-file FILE]`: a fresh MRS-1 ring key (MRS-1 §Keys) in a patient key
 * file, the one key file format of the project (src/keys; the same as `keys new --role patient`), so that `sign`
 * and `key-image` read the keys a patient registers with. Without --out the key file is printed.
 */
export const registerKeygen: RegisterCommand = (program, context) => {
  program
    .command("keygen")
    .description("generate a patient key file holding an MRS-1 ring key; prints it, or writes it to FILE (mode 0600, never overwrites)")
    .option("--out <file>", "write the key file here (mode 0600; the path must not exist) instead of printing it")
    .option("--passphrase-file <file>", "encrypt the secrets with the passphrase on this file's first line (or env MEDRING_PASSPHRASE)")
    .action(async (options: { out?: string; passphraseFile?: string }) => {
      const [{ encodeKeyFile, generateActorKeys, ringPublicKey }, { readPassphrase, writeNewKeyFile }] = await Promise.all([
        import("../../keys"),
        import("../actorKeys"),
      ]);
      if (options.out === undefined) {
        context.stdout(encodeKeyFile(generateActorKeys("patient"), { passphrase: readPassphrase(options.passphraseFile, context) }) + "\n");
        return;
      }
      const { keys } = writeNewKeyFile(options.out, "patient", options.passphraseFile, context);
      context.stdout(`wrote ${options.out}: MRS-1 ring public key ${ringPublicKey(keys.ringKey)}\n`);
    });
};
