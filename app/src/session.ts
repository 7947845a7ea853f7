/**
 * The page's connection to the stack, made once with the same client the CLI uses (src/client MedRingClient):
 * the registry from /config.json is checked against the relayer's, decoys are read from the chain, never from
 * the relayer (src/client/client.ts).
 */
import { MedRingClient } from "../../src/client";
import type { AppConfig } from "./config";

let client: Promise<MedRingClient> | undefined;

export function connect(config: AppConfig): Promise<MedRingClient> {
  client ??= MedRingClient.connect({ relayerUrl: config.relayerUrl, rpcUrl: config.rpcUrl, registry: config.registry }).catch((err: unknown) => {
    client = undefined;
    throw err;
  });
  return client;
}
