/**
 * What each actor holds (docs/design.md#actors; `medring keys new`):
 * - patient: an Ethereum account key, an MRS-1 ring key (spec §Keys: x in [1, n-1], P = x·G)
 *   and an encryption key (secp256k1, for ../envelope/wrap.ts);
 * - institution: an Ethereum account key and an encryption key;
 * - regulator: an Ethereum account key only (it holds REGULATOR_ROLE and sends its own transactions:
 *   certify / decertify institutions, ring policy). `npm start` writes the devnet regulator's file.
 * Secret keys live only in memory and in key files (mode 0600); never log them.
 */
export type ActorRole = "patient" | "institution" | "regulator";
export const ACTOR_ROLES: readonly ActorRole[] = ["patient", "institution", "regulator"];

export interface PatientKeys {
  role: "patient";
  /** Ethereum account secret key (32 bytes, in [1, n-1]). */
  accountKey: Uint8Array;
  /** MRS-1 ring secret key x in [1, n-1]. */
  ringKey: bigint;
  /** Encryption secret key (32 bytes, in [1, n-1]). */
  encryptionKey: Uint8Array;
}

export interface InstitutionKeys {
  role: "institution";
  accountKey: Uint8Array;
  encryptionKey: Uint8Array;
}

export interface RegulatorKeys {
  role: "regulator";
  accountKey: Uint8Array;
}

export type ActorKeys = PatientKeys | InstitutionKeys | RegulatorKeys;

/** The non-secret part of a key file: readable without the passphrase. */
export interface ActorPublicInfo {
  role: ActorRole;
  /** EIP-55 checksummed account address. */
  address: string;
  /** Compressed SEC1 encryption public key, 0x + 66 hex digits (patients and institutions; not regulators). */
  encryptionPublicKey?: `0x${string}`;
  /** Compressed SEC1 MRS-1 ring public key (patients only). */
  ringPublicKey?: `0x${string}`;
}
