/**
 * One IndexedDB object store, opened per operation: the page's key store (./keyStore.ts) and anonymity store
 * (./anonymityStore.ts) each keep their data in one. An operation resolves when its transaction commits, so what a
 * caller awaited is durable (a ring saved before signing is on disk before the signature leaves the page).
 */
export interface ObjectStoreRef {
  db: string;
  store: string;
  /** The store's key path; without one, keys are given with each put (out-of-line keys). */
  keyPath?: string;
  /** Names the data in error messages ("key", "anonymity"). */
  what: string;
}

function open(ref: ObjectStoreRef): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(ref.db, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(ref.store, ref.keyPath === undefined ? undefined : { keyPath: ref.keyPath });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(new Error(`this browser refused local storage (IndexedDB): ${request.error?.message ?? "unknown error"}`));
  });
}

export async function inObjectStore<T>(ref: ObjectStoreRef, mode: IDBTransactionMode, op: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open(ref);
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(ref.store, mode);
      const request = op(tx.objectStore(ref.store));
      tx.oncomplete = () => resolve(request.result);
      tx.onerror = () => reject(new Error(`local ${ref.what} storage failed: ${tx.error?.message ?? "unknown error"}`));
      tx.onabort = () => reject(new Error(`local ${ref.what} storage failed: ${tx.error?.message ?? "aborted"}`));
    });
  } finally {
    db.close();
  }
}
