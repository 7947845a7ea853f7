/**
 * The MRS-1 key file written by `medring keygen`: {"secretKey":"0x<64 hex>","publicKey":"0x02…"}.
 */
import { N_ORDER, pointToHex, publicKeyOf, type Point } from "../mrs1";
import { parseHexUint256, uint256ToHex } from "../hex";
import { CliError } from "./errors";
import { parseOrExit, parsePointOrExit, readJson } from "./io";

export interface RingKeyFile {
  secretKey: string;
  publicKey: string;
}

export function encodeRingKeyFile(secretKey: bigint): RingKeyFile {
  return { secretKey: uint256ToHex(secretKey), publicKey: pointToHex(publicKeyOf(secretKey)) };
}

/** Reads and checks a key file: the secret key is in [1, n-1] and matches the stored public key. */
export function readRingKeyFile(path: string): { secretKey: bigint; publicKey: Point } {
  const json = readJson(path);
  if (typeof json !== "object" || json === null) throw new CliError(`${path}: expected a JSON object with secretKey and publicKey`);
  const file = json as Record<string, unknown>;
  const secretKey = parseOrExit(() => parseHexUint256(file.secretKey, `${path}: secretKey`));
  if (secretKey < 1n || secretKey >= N_ORDER) throw new CliError(`${path}: secretKey is not in [1, n-1]`);
  const publicKey = publicKeyOf(secretKey);
  if (file.publicKey !== undefined) {
    const stored = parsePointOrExit(file.publicKey, `${path}: publicKey`);
    if (!stored.equals(publicKey)) throw new CliError(`${path}: publicKey does not belong to secretKey`);
  }
  return { secretKey, publicKey };
}
