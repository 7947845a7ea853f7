/**
 * The page's anonymity store (src/client/anonymityStore.ts): the anonymity set this browser has seen and the ring
 * used in each scope, kept in IndexedDB as the CLI keeps them in a file next to its key file. It is what lets the
 * page refuse a node or relayer that shrinks the set, and sign every retry in a scope with the same ring
 * (README, "Security model"). Only public data is stored (ring keys, admitters, scopes' rings); nothing secret.
 */
import { emptyAnonymityState, type AnonymityState, type AnonymityStore } from "../../src/client";

const DB_NAME = "medring-anonymity";
const STORE = "deployments";

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(new Error(`this browser refused local storage (IndexedDB): ${request.error?.message ?? "unknown error"}`));
  });
}

async function run<T>(mode: IDBTransactionMode, op: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const request = op(tx.objectStore(STORE));
      // Resolved on commit, not on the request's success: a write is durable before the signature leaves the page.
      tx.oncomplete = () => resolve(request.result);
      tx.onerror = () => reject(new Error(`local anonymity storage failed: ${tx.error?.message ?? "unknown error"}`));
      tx.onabort = () => reject(new Error(`local anonymity storage failed: ${tx.error?.message ?? "aborted"}`));
    });
  } finally {
    db.close();
  }
}

export class IndexedDbAnonymityStore implements AnonymityStore {
  async read(deployment: string): Promise<AnonymityState> {
    const text = await run("readonly", (store) => store.get(deployment) as IDBRequest<string | undefined>);
    return text === undefined ? emptyAnonymityState() : (JSON.parse(text) as AnonymityState);
  }

  async write(deployment: string, state: AnonymityState): Promise<void> {
    await run("readwrite", (store) => store.put(JSON.stringify(state), deployment));
  }
}
