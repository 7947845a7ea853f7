/**
 * A patient's public part as an institution receives it to issue an admission (./admission.ts): the output of
 * `medring address --key PATIENT.json --json`, the page's "public file" download (app/), or the patient's key file
 * itself (only its public header is read; no passphrase needed). Shared by `medring institution admit` and the page.
 */
import { getAddress, isAddress } from "ethers";
import { KeyFileError, decodeKeyFilePublicInfo } from "../keys";
import { parsePoint, type Point } from "../mrs1";
import { ClientError } from "./errors";

/** Parses `text` (from `source`, named in messages); ClientError "input" says what is wrong. */
export function parsePatientPublicInfo(text: string, source: string): { address: string; ringPublicKey: Point } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ClientError("input", `${source} is not valid JSON: ${(err as Error).message}`);
  }
  let info: { role?: unknown; address?: unknown; ringPublicKey?: unknown };
  if (typeof json === "object" && json !== null && (json as { format?: unknown }).format !== undefined) {
    try {
      info = decodeKeyFilePublicInfo(text);
    } catch (err) {
      if (err instanceof KeyFileError) throw new ClientError("input", `${source}: ${err.message}`);
      throw err;
    }
  } else if (typeof json === "object" && json !== null) {
    info = json as typeof info;
  } else {
    throw new ClientError("input", `${source}: expected the patient's public info (medring address --key FILE --json)`);
  }
  if (info.role !== "patient") throw new ClientError("input", `${source}: not a patient's public info (role ${JSON.stringify(info.role)})`);
  if (typeof info.address !== "string" || !isAddress(info.address))
    throw new ClientError("input", `${source}: address: expected a 0x-prefixed 20-byte address`);
  let ringPublicKey: Point;
  try {
    ringPublicKey = parsePoint(info.ringPublicKey, `${source}: ringPublicKey`);
  } catch (err) {
    throw new ClientError("input", (err as Error).message);
  }
  return { address: getAddress(info.address), ringPublicKey };
}
