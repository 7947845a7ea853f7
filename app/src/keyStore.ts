/**
 * The page's key store: MedRing key files (src/keys, format "medring-keyfile" v1) in IndexedDB, always with their
 * secrets encrypted under a passphrase (scrypt + XChaCha20-Poly1305, the CLI's own format and code). The stored
 * text is exactly what the CLI reads: "Export" downloads it unchanged, and a CLI key file is imported as is (a
 * plaintext one is encrypted first). Secrets are decrypted into memory only when a key is unlocked, and never
 * leave the page.
 */
import { inObjectStore, type ObjectStoreRef } from "./idb";
import { DEFAULT_SCRYPT_N, decodeKeyFile, decodeKeyFilePublicInfo, encodeKeyFile, generateActorKeys, type ActorKeys, type ActorRole } from "../../src/keys";

const DB_NAME = "medring";
const STORE = "keys";

export interface StoredKey {
  /** role:address, so one account is stored once per role. */
  id: string;
  label: string;
  role: ActorRole;
  address: string;
  /** The key file's text, secrets encrypted. */
  file: string;
  savedAt: string;
}

const KEYS: ObjectStoreRef = { db: DB_NAME, store: STORE, keyPath: "id", what: "key" };

function transaction<T>(mode: IDBTransactionMode, run: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  return inObjectStore(KEYS, mode, run);
}

export async function listKeys(): Promise<StoredKey[]> {
  const all = await transaction("readonly", (store) => store.getAll() as IDBRequest<StoredKey[]>);
  return all.sort((a, b) => a.savedAt.localeCompare(b.savedAt));
}

export function removeKey(id: string): Promise<undefined> {
  return transaction("readwrite", (store) => store.delete(id));
}

async function save(file: string, label: string): Promise<StoredKey> {
  const info = decodeKeyFilePublicInfo(file);
  if (!info.encrypted) throw new Error("refusing to store a key file whose secrets are not encrypted");
  const entry: StoredKey = {
    id: `${info.role}:${info.address}`,
    label: label.trim() || `${info.role} ${info.address.slice(0, 8)}`,
    role: info.role,
    address: info.address,
    file,
    savedAt: new Date().toISOString(),
  };
  await transaction("readwrite", (store) => store.put(entry));
  return entry;
}

export const MIN_PASSPHRASE_LENGTH = 8;

function checkNewPassphrase(passphrase: string): void {
  if (passphrase.length < MIN_PASSPHRASE_LENGTH) throw new Error(`choose a passphrase of at least ${MIN_PASSPHRASE_LENGTH} characters`);
}

/** New keys for `role`, stored encrypted under `passphrase`; returns them unlocked. */
export async function createKey(role: ActorRole, label: string, passphrase: string): Promise<{ entry: StoredKey; keys: ActorKeys }> {
  checkNewPassphrase(passphrase);
  const keys = generateActorKeys(role);
  const entry = await save(encodeKeyFile(keys, { passphrase, scryptN: DEFAULT_SCRYPT_N }) + "\n", label);
  return { entry, keys };
}

/**
 * Imports a CLI key file. An encrypted file must open with `passphrase` and is stored unchanged; a plaintext one
 * (e.g. the devnet regulator's, written by npm start) is encrypted under `passphrase` first.
 */
export async function importKey(text: string, label: string, passphrase: string): Promise<{ entry: StoredKey; keys: ActorKeys }> {
  const info = decodeKeyFilePublicInfo(text);
  if (info.encrypted) {
    const keys = decodeKeyFile(text, passphrase);
    return { entry: await save(text.trim() + "\n", label), keys };
  }
  checkNewPassphrase(passphrase);
  const keys = decodeKeyFile(text);
  return { entry: await save(encodeKeyFile(keys, { passphrase }) + "\n", label), keys };
}

/** Decrypts a stored key (KeyFileError WRONG_PASSPHRASE when the passphrase does not open it). */
export function unlockKey(entry: StoredKey, passphrase: string): ActorKeys {
  return decodeKeyFile(entry.file, passphrase);
}
