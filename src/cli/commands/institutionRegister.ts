import type { RegisterCommand } from "../context";
import { actorCommand } from "../group";
import { writeNewFile } from "../io";

/**
 * `medring institution register --key FILE [--out FILE] [--json]`: an institution cannot certify itself (only the
 * regulator can: IMedRingRegistry.certifyInstitution). Registering is handing the regulator the institution's
 * public info, {"role":"institution","address","encryptionKey"}, which `medring regulator certify
 * --institution-info FILE` reads. Nothing is sent; no passphrase-protected secret leaves the key file.
 */
export const registerInstitutionRegister: RegisterCommand = (program, context) => {
  const command = actorCommand(program, "institution", "register", "institution").description(
    "print (or --out) the address and encryption key the regulator certifies; sends nothing",
  );
  command.option("--out <file>", "also write the public info JSON here, for the regulator").option("--json", "print the public info as JSON");
  command.action(async (options: { key: string; passphraseFile?: string; out?: string; json?: boolean }) => {
    const [{ institutionPublicInfo }, { loadActorKeys }] = await Promise.all([import("../../client"), import("../actorKeys")]);
    const info = institutionPublicInfo(loadActorKeys(options, "institution", context));
    const json = JSON.stringify(info, null, 2) + "\n";
    if (options.out !== undefined) {
      writeNewFile(options.out, json);
    }
    if (options.json) return void context.stdout(JSON.stringify(info) + "\n");
    context.stdout(
      [
        `institution ${info.address}`,
        `encryption key ${info.encryptionKey}`,
        `Ask the regulator to certify it: npx medring regulator certify --key REGULATOR.json --institution ${info.address} --encryption-key ${info.encryptionKey}`,
        ...(options.out !== undefined ? [`(or --institution-info ${options.out})`] : []),
      ].join("\n") + "\n",
    );
  });
};
