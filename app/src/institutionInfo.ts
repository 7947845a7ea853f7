/** An institution's public file (`medring institution register` output, or the page's download), read for certification. */
import { getAddress, isAddress } from "ethers";
import { bytesToHex, parseHexBytes } from "../../src/hex";

export function parseInstitutionInfo(text: string, source: string): { address: string; encryptionKey: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${source} is not JSON: choose the institution's public file (it starts with {"role":"institution", …)`);
  }
  const info = json as { role?: unknown; address?: unknown; encryptionKey?: unknown } | null;
  if (info === null || typeof info !== "object" || info.role !== "institution")
    throw new Error(
      `${source} is not an institution's public file (role "institution"): ask the institution for the file its page or \`medring institution register\` wrote`,
    );
  if (typeof info.address !== "string" || !isAddress(info.address)) throw new Error(`${source}: the address is not a valid account address`);
  let key: Uint8Array;
  try {
    key = parseHexBytes(info.encryptionKey, "encryptionKey", 33);
  } catch (err) {
    throw new Error(`${source}: ${(err as Error).message}`);
  }
  return { address: getAddress(info.address), encryptionKey: bytesToHex(key) };
}
