import { generateActorKeys, encodeKeyFile, type ActorKeys, type ActorRole } from "../../../src/keys";

/** scrypt N for tests: 2^4 keeps each derivation under a millisecond (the default is 2^15). */
export const FAST_N = 2 ** 4;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests mutate fields of the parsed JSON to build malformed files
export function keyFileJson(role: ActorRole, passphrase?: string): { keys: ActorKeys; json: Record<string, any> } {
  const keys = generateActorKeys(role);
  return { keys, json: JSON.parse(encodeKeyFile(keys, { passphrase, scryptN: FAST_N })) };
}
