import type { Point } from "../../mrs1";
import { CliError } from "../errors";
import type { RegisterCommand } from "../context";
import { parseBytes32Option, parsePointOrExit, readJson } from "../io";
import { loadRingSecretKey, ringSecretKeyOptions, type RingSecretKeyOptions } from "../ringSecretKey";

/** Reads a ring file: a JSON array of SEC1 hex public keys in any order; returns it in canonical order. */
export function readRingFile(path: string): Point[] {
  const { sortRing } = require("../../mrs1") as typeof import("../../mrs1");
  const json = readJson(path);
  if (!Array.isArray(json) || json.length === 0) throw new CliError(`${path}: expected a non-empty JSON array of SEC1 hex public keys`);
  const members = json.map((value, i) => parsePointOrExit(value, `${path}[${i}]`));
  try {
    return sortRing(members);
  } catch (err) {
    throw new CliError(`${path}: ${(err as Error).message}`);
  }
}

/**
 * `medring sign --key FILE --ring FILE --scope 0x.. --message 0x..` (MRS-1 §Signing, §Interchange); the key is a patient
 * key file or a bare MRS-1 key (../ringSecretKey.ts).
 */
export const registerSign: RegisterCommand = (program, context) => {
  const command = program.command("sign").description("sign a 32-byte message in a 32-byte scope; prints the signature in the MRS-1 interchange format");
  ringSecretKeyOptions(command)
    .requiredOption("--ring <file>", "JSON array of SEC1 hex public keys, any order, including the signer's")
    .requiredOption("--scope <hex>", "0x + 64 hex digits")
    .requiredOption("--message <hex>", "0x + 64 hex digits")
    .action(async (options: RingSecretKeyOptions & { ring: string; scope: string; message: string }) => {
      const { encodeSignatureJson, publicKeyOf, sign } = await import("../../mrs1");
      const scope = parseBytes32Option(options.scope, "--scope");
      const message = parseBytes32Option(options.message, "--message");
      const secretKey = loadRingSecretKey(options, context);
      const ring = readRingFile(options.ring);
      if (!ring.some((member) => member.equals(publicKeyOf(secretKey)))) {
        throw new CliError(`${options.ring}: the ring does not contain the signer's public key`);
      }
      const signature = sign({ secretKey, ring, scope, message });
      context.stdout(JSON.stringify(encodeSignatureJson(signature), null, 2) + "\n");
    });
};
