/**
 * Key file <-> ActorKeys (format in ./schema.ts). `encodeKeyFile` writes; `decodeKeyFile` parses
 * once at the edge (STYLE.md "validate at the edges, trust inside") and checks that the public
 * header (address, public keys) matches the secret keys, so a hand-edited file cannot claim an
 * address or encryption key that is not its own.
 */
import { utf8ToBytes } from "@noble/hashes/utils.js";
import { be32, bytesToBigInt, bytesToHex } from "../hex";
import { publicInfoOf } from "./derive";
import { KeyFileError } from "./errors";
import { openSecrets, sealSecrets, DEFAULT_SCRYPT_N } from "./passphrase";
import {
  formatKeyFileIssues,
  headerSchema,
  institutionFileSchema,
  institutionSecretsSchema,
  KEYFILE_FORMAT,
  KEYFILE_VERSION,
  patientFileSchema,
  patientSecretsSchema,
  regulatorFileSchema,
  regulatorSecretsSchema,
} from "./schema";
import type { ActorKeys, ActorPublicInfo, ActorRole } from "./types";

export interface EncodeKeyFileOptions {
  /** Encrypt the secrets with this passphrase (scrypt + XChaCha20-Poly1305). */
  passphrase?: string;
  /** scrypt N (power of two); default 2^15. Tests pass a small N to stay fast. */
  scryptN?: number;
}

export type KeyFilePublicInfo = ActorPublicInfo & { encrypted: boolean };

/** Serialises `keys` as key file JSON (2-space indented). */
export function encodeKeyFile(keys: ActorKeys, options: EncodeKeyFileOptions = {}): string {
  const info = publicInfoOf(keys);
  const publicKeys = {
    ...(info.encryptionPublicKey !== undefined && { encryption: info.encryptionPublicKey }),
    ...(info.ringPublicKey !== undefined && { ring: info.ringPublicKey }),
  };
  const secrets = {
    account: bytesToHex(keys.accountKey),
    ...(keys.role === "patient" && { ring: bytesToHex(be32(keys.ringKey)) }),
    ...(keys.role !== "regulator" && { encryption: bytesToHex(keys.encryptionKey) }),
  };
  const header = { format: KEYFILE_FORMAT, version: KEYFILE_VERSION, role: keys.role, address: info.address, publicKeys };
  const body =
    options.passphrase === undefined
      ? { ...header, secrets }
      : {
          ...header,
          encryptedSecrets: sealSecrets(utf8ToBytes(JSON.stringify(secrets)), options.passphrase, headerAad(info), options.scryptN ?? DEFAULT_SCRYPT_N),
        };
  return JSON.stringify(body, null, 2);
}

/** The public part, readable without the passphrase (e.g. `medring address --key FILE`). */
export function decodeKeyFilePublicInfo(text: string): KeyFilePublicInfo {
  const file = parseFile(text);
  return { ...fileInfo(file), encrypted: file.encryptedSecrets !== undefined };
}

/** Parses and validates a key file; decrypts it with `passphrase` when its secrets are encrypted. */
export function decodeKeyFile(text: string, passphrase?: string): ActorKeys {
  const file = parseFile(text);
  const info = fileInfo(file);
  let secrets: ParsedSecrets;
  if (file.encryptedSecrets === undefined) {
    secrets = file.secrets as ParsedSecrets; // the file schema requires exactly one of the two
  } else {
    if (passphrase === undefined) throw new KeyFileError("PASSPHRASE_REQUIRED", "key file: the secrets are encrypted; a passphrase is required");
    secrets = parseDecryptedSecrets(info.role, openSecrets(file.encryptedSecrets, passphrase, headerAad(info)));
  }
  const keys: ActorKeys =
    "ring" in secrets
      ? { role: "patient", accountKey: secrets.account, ringKey: bytesToBigInt(secrets.ring), encryptionKey: secrets.encryption }
      : "encryption" in secrets
        ? { role: "institution", accountKey: secrets.account, encryptionKey: secrets.encryption }
        : { role: "regulator", accountKey: secrets.account };
  checkConsistent(info, publicInfoOf(keys));
  return keys;
}

type ParsedFile = ReturnType<typeof patientFileSchema.parse> | ReturnType<typeof institutionFileSchema.parse> | ReturnType<typeof regulatorFileSchema.parse>;

/** Each role's file and secrets schemas (the header's `role` picks one). */
const ROLE_SCHEMAS = {
  patient: { file: patientFileSchema, secrets: patientSecretsSchema },
  institution: { file: institutionFileSchema, secrets: institutionSecretsSchema },
  regulator: { file: regulatorFileSchema, secrets: regulatorSecretsSchema },
} as const;

function parseFile(text: string): ParsedFile {
  if (typeof text !== "string") throw new TypeError("decodeKeyFile: expected the file's text");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new KeyFileError("MALFORMED", `key file: not valid JSON (${(err as Error).message})`);
  }
  if (json === null || typeof json !== "object" || Array.isArray(json)) throw new KeyFileError("MALFORMED", "key file: expected a JSON object");
  const header = headerSchema.safeParse(json);
  if (!header.success) throw new KeyFileError("MALFORMED", formatKeyFileIssues(header.error.issues, json));
  const parsed = ROLE_SCHEMAS[header.data.role as ActorRole].file.safeParse(json);
  if (!parsed.success) throw new KeyFileError("MALFORMED", formatKeyFileIssues(parsed.error.issues, json));
  return parsed.data;
}

function fileInfo(file: ParsedFile): ActorPublicInfo {
  const info: ActorPublicInfo = { role: file.role as ActorRole, address: file.address };
  if ("encryption" in file.publicKeys) info.encryptionPublicKey = bytesToHex(file.publicKeys.encryption) as `0x${string}`;
  if ("ring" in file.publicKeys) info.ringPublicKey = bytesToHex(file.publicKeys.ring) as `0x${string}`;
  return info;
}

type ParsedSecrets =
  { account: Uint8Array } | { account: Uint8Array; encryption: Uint8Array } | { account: Uint8Array; ring: Uint8Array; encryption: Uint8Array };

/** The decrypted "secrets" JSON goes through the same schema as a plaintext file's "secrets". */
function parseDecryptedSecrets(role: ActorRole, opened: Uint8Array): ParsedSecrets {
  const where = "encryptedSecrets (decrypted)";
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(opened));
  } catch {
    throw new KeyFileError("MALFORMED", `key file field "${where}": is not JSON`);
  }
  const parsed = ROLE_SCHEMAS[role].secrets.safeParse(json);
  if (!parsed.success) throw new KeyFileError("MALFORMED", formatKeyFileIssues(parsed.error.issues, json, where));
  return parsed.data;
}

/** The header bound as AEAD associated data: canonical JSON of the normalised public info. */
function headerAad(info: ActorPublicInfo): Uint8Array {
  return utf8ToBytes(JSON.stringify([KEYFILE_FORMAT, KEYFILE_VERSION, info.role, info.address, info.encryptionPublicKey ?? null, info.ringPublicKey ?? null]));
}

function checkConsistent(claimed: ActorPublicInfo, derived: ActorPublicInfo): void {
  const problems: string[] = [];
  if (claimed.address !== derived.address) problems.push(`key file field "address": ${claimed.address} is not the account key's address ${derived.address}`);
  if (claimed.encryptionPublicKey !== derived.encryptionPublicKey)
    problems.push(`key file field "publicKeys.encryption": does not match the encryption secret key`);
  if (claimed.ringPublicKey !== derived.ringPublicKey) problems.push(`key file field "publicKeys.ring": does not match the ring secret key`);
  if (problems.length > 0) throw new KeyFileError("INCONSISTENT", problems.join("; "));
}
