import { bytesToHex, parseHexBytes } from "../../hex";
import type { RegisterCommand } from "../context";
import { CliError } from "../errors";
import { actorCommand } from "../group";
import { parseOrExit, readJson } from "../io";
import { networkOptions, parseAddress, parseNetwork, type ActorOptions } from "../options";

/** Reads `medring institution register --json` output: {"role":"institution","address","encryptionKey"}. */
function readInstitutionInfo(path: string): { address: string; encryptionKey: string } {
  const json = readJson(path) as Record<string, unknown> | null;
  if (json === null || typeof json !== "object" || json.role !== "institution")
    throw new CliError(`${path}: expected the JSON of \`medring institution register\` (role "institution")`);
  if (typeof json.address !== "string") throw new CliError(`${path}: field "address" is not an address`);
  return {
    address: parseAddress(json.address, `${path}: field "address"`),
    encryptionKey: bytesToHex(parseOrExit(() => parseHexBytes(json.encryptionKey, `${path}: field "encryptionKey"`, 33))),
  };
}

/**
 * `medring regulator certify --key REGULATOR_FILE (--institution ADDRESS --encryption-key 0x… | --institution-info FILE)`:
 * certifies an institution with its encryption key; the registry deploys its ALC on the first certification.
 * Sent from the regulator's own account (it holds REGULATOR_ROLE and ETH), not through the relayer.
 */
export const registerRegulatorCertify: RegisterCommand = (program, context) => {
  const command = actorCommand(program, "regulator", "certify", "regulator").description("certify an institution with its encryption key");
  command
    .option("--institution <address>", "the institution's account address")
    .option("--encryption-key <hex>", "the institution's compressed secp256k1 encryption key (0x02/03 + 32 bytes)")
    .option("--institution-info <file>", "JSON written by `medring institution register --json` (instead of the two options above)")
    .option("--dry-run", "print the transaction (from, to, data) instead of sending it");
  networkOptions(command).action(async (options: ActorOptions & { institution?: string; encryptionKey?: string; institutionInfo?: string }) => {
    const [{ certifyTransaction }, { loadActorKeys }, { regulatorSends }] = await Promise.all([
      import("../../client"),
      import("../actorKeys"),
      import("./regulatorSend"),
    ]);
    const network = parseNetwork(options, context);
    let target: { address: string; encryptionKey: string };
    if (options.institutionInfo !== undefined) {
      if (options.institution !== undefined || options.encryptionKey !== undefined)
        throw new CliError("give either --institution-info or --institution with --encryption-key, not both");
      target = readInstitutionInfo(options.institutionInfo);
    } else {
      if (options.institution === undefined || options.encryptionKey === undefined)
        throw new CliError("give --institution and --encryption-key, or --institution-info FILE");
      target = {
        address: parseAddress(options.institution, "--institution"),
        encryptionKey: bytesToHex(parseOrExit(() => parseHexBytes(options.encryptionKey, "--encryption-key", 33))),
      };
    }
    const keys = loadActorKeys(options, "regulator", context);
    await regulatorSends(
      network,
      keys,
      context,
      (chain) => certifyTransaction(chain, target.address, target.encryptionKey),
      options.dryRun,
      async (chain, sent) => {
        const info = await chain.institution(target.address);
        return {
          text: `certified ${target.address}: access list ${info.accessList}`,
          json: { institution: target.address, accessList: info.accessList, certified: info.certified, ...sent },
        };
      },
    );
  });
};
