/**
 * The page's anonymity store (src/client/anonymityStore.ts): the anonymity set this browser has seen and the ring
 * used in each scope, kept in IndexedDB as the CLI keeps them in a file next to its key file. It is what lets the
 * page refuse a node or relayer that shrinks the set, and sign every retry in a scope with the same ring
 * (README, "Security model"). Each item is public (ring keys, admitters, rings), but the scopes it lists say which
 * anonymous records are this device's: like the CLI's 0600 file, it never leaves the device.
 */
import { inObjectStore, type ObjectStoreRef } from "./idb";
import { emptyAnonymityState, type AnonymityState, type AnonymityStore } from "../../src/client";

const ANONYMITY: ObjectStoreRef = { db: "medring-anonymity", store: "deployments", what: "anonymity" };

export class IndexedDbAnonymityStore implements AnonymityStore {
  async read(deployment: string): Promise<AnonymityState> {
    const text = await inObjectStore(ANONYMITY, "readonly", (store) => store.get(deployment) as IDBRequest<string | undefined>);
    return text === undefined ? emptyAnonymityState() : (JSON.parse(text) as AnonymityState);
  }

  async write(deployment: string, state: AnonymityState): Promise<void> {
    await inObjectStore(ANONYMITY, "readwrite", (store) => store.put(JSON.stringify(state), deployment));
  }
}
