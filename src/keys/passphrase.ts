/**
 * Passphrase encryption of a key file's secrets: scrypt (RFC 7914, @noble/hashes) derives a
 * 32-byte key from the passphrase, and the secrets JSON is sealed with the same
 * XChaCha20-Poly1305 layer as records (../envelope/aead.ts), so `sealed` = nonce(24) || ct || tag(16).
 *
 * The associated data is the key file's public header (role, address, public keys), so the
 * encrypted secrets cannot be spliced under another header. The passphrase is NFKC-normalised
 * before UTF-8 encoding, so the same passphrase typed on different systems gives the same key.
 */
import { randomBytes } from "@noble/ciphers/utils.js";
import { scrypt } from "@noble/hashes/scrypt.js";
import { AEAD_KEY_LENGTH, aeadOpen, aeadSeal } from "../envelope/aead";
import { EnvelopeError } from "../envelope/errors";
import { bytesToHex } from "../hex";
import { KeyFileError } from "./errors";
import { SCRYPT_MAX_N, SCRYPT_SALT_LENGTH, type EncryptedSecrets } from "./schema";

/**
 * Default scrypt work factor for new key files: N = 2^17, r = 8, p = 1 (128 MiB, about a second here), the
 * minimum of OWASP's Password Storage Cheat Sheet for scrypt. N, r and p are stored in the file (`kdfParams`),
 * so files written with another N (the former 2^15) keep opening.
 */
export const DEFAULT_SCRYPT_N = 2 ** 17;
const SCRYPT_R = 8;
const SCRYPT_P = 1;
const NO_HEADER = new Uint8Array(0);

/** The JSON written under "encryptedSecrets". */
export interface EncryptedSecretsJson {
  kdf: "scrypt";
  kdfParams: { N: number; r: number; p: number; salt: string };
  cipher: "xchacha20-poly1305";
  sealed: string;
}

export function sealSecrets(secrets: Uint8Array, passphrase: string, aad: Uint8Array, scryptN = DEFAULT_SCRYPT_N): EncryptedSecretsJson {
  requirePassphrase(passphrase);
  if (!Number.isInteger(scryptN) || scryptN < 2 || scryptN > SCRYPT_MAX_N || (scryptN & (scryptN - 1)) !== 0) {
    throw new RangeError(`scryptN: expected a power of two in [2, ${SCRYPT_MAX_N}], got ${scryptN}`);
  }
  const salt = randomBytes(SCRYPT_SALT_LENGTH);
  const key = deriveKey(passphrase, { N: scryptN, r: SCRYPT_R, p: SCRYPT_P, salt });
  try {
    const sealed = aeadSeal(key, NO_HEADER, secrets, aad);
    return {
      kdf: "scrypt",
      kdfParams: { N: scryptN, r: SCRYPT_R, p: SCRYPT_P, salt: bytesToHex(salt) },
      cipher: "xchacha20-poly1305",
      sealed: bytesToHex(sealed),
    };
  } finally {
    key.fill(0);
  }
}

/** Opens the secrets; a wrong passphrase (or altered bytes or header) is KeyFileError WRONG_PASSPHRASE. */
export function openSecrets(encrypted: EncryptedSecrets, passphrase: string, aad: Uint8Array): Uint8Array {
  requirePassphrase(passphrase);
  const key = deriveKey(passphrase, encrypted.kdfParams);
  try {
    return aeadOpen(key, encrypted.sealed, NO_HEADER.length, aad);
  } catch (err) {
    if (err instanceof EnvelopeError) {
      throw new KeyFileError("WRONG_PASSPHRASE", "key file: wrong passphrase (or the encrypted secrets or the public header were altered)");
    }
    throw err;
  } finally {
    key.fill(0);
  }
}

function deriveKey(passphrase: string, params: { N: number; r: number; p: number; salt: Uint8Array }): Uint8Array {
  return scrypt(passphrase.normalize("NFKC"), params.salt, { N: params.N, r: params.r, p: params.p, dkLen: AEAD_KEY_LENGTH });
}

function requirePassphrase(passphrase: unknown): void {
  if (typeof passphrase !== "string" || passphrase.length === 0) {
    throw new TypeError("passphrase: expected a non-empty string");
  }
}
