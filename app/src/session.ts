/**
 * The page's connection to the stack, made once with the same client the CLI uses (src/client MedRingClient):
 * the registry from /config.json is checked against the relayer's, and the anonymity set and every record's ring are
 * checked against both the node and the relayer, with the same floor as the CLI (src/client/anonymityGuard.ts).
 */
import { MedRingClient } from "../../src/client";
import { IndexedDbAnonymityStore } from "./anonymityStore";
import type { AppConfig } from "./config";

let client: Promise<MedRingClient> | undefined;

export function connect(config: AppConfig): Promise<MedRingClient> {
  client ??= MedRingClient.connect({
    relayerUrl: config.relayerUrl,
    rpcUrl: config.rpcUrl,
    registry: config.registry,
    // The anonymity set is checked against the node and the relayer, and kept here (README, "Security model").
    store: new IndexedDbAnonymityStore(),
  }).catch((err: unknown) => {
    client = undefined;
    throw err;
  });
  return client;
}
