/**
 * zod (v4) schemas of the key file, format "medring-keyfile" version 1. Files are user input:
 * every field is checked here once, and a malformed file gets a message naming the field and
 * what is wrong (formatKeyFileIssues). Shape:
 *
 *   {
 *     "format": "medring-keyfile", "version": 1, "role": "patient" | "institution" | "regulator",
 *     "address": "0x…",                                  EIP-55 account address
 *     "publicKeys": { "encryption": "0x02…", "ring": "0x03…" },   compressed SEC1; ring for patients only,
 *                                                                  {} for a regulator (account key only)
 *     and exactly one of
 *     "secrets": { "account": "0x…", "ring": "0x…", "encryption": "0x…" },   32-byte keys in [1, n-1]; ring for
 *                                                                  patients only, account only for a regulator
 *     "encryptedSecrets": { "kdf": "scrypt", "kdfParams": { "N", "r", "p", "salt" },
 *                           "cipher": "xchacha20-poly1305", "sealed": "0x…" }   the "secrets" object, encrypted (./passphrase.ts)
 *   }
 */
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { getAddress, isAddress } from "ethers";
import { z } from "zod";
import { HexFormatError, parseHexBytes } from "../hex";
import { ACTOR_ROLES } from "./types";

export const KEYFILE_FORMAT = "medring-keyfile";
export const KEYFILE_VERSION = 1;
/** scrypt bounds accepted when reading: N up to 2^20 with r <= 8 keeps memory (128·N·r) at most 1 GiB. */
export const SCRYPT_MAX_N = 2 ** 20;
export const SCRYPT_MAX_R = 8;
export const SCRYPT_MAX_P = 4;
export const SCRYPT_SALT_LENGTH = 32;

/** A strict-hex field of exactly `length` bytes (or any even length when undefined), plus an optional value check. */
function hexField(length: number | undefined, check?: (bytes: Uint8Array) => string | undefined) {
  return z.unknown().transform((value, ctx) => {
    let bytes: Uint8Array;
    try {
      bytes = parseHexBytes(value, "hex", length);
    } catch (err) {
      if (!(err instanceof HexFormatError)) throw err;
      // zod adds the field's path itself (formatKeyFileIssues), so only the detail goes in the message.
      ctx.addIssue({ code: "custom", message: err.detail });
      return z.NEVER;
    }
    const problem = check?.(bytes);
    if (problem !== undefined) {
      ctx.addIssue({ code: "custom", message: problem });
      return z.NEVER;
    }
    return bytes;
  });
}

const secretKeyField = hexField(32, (b) => (secp256k1.utils.isValidSecretKey(b) ? undefined : "not a secp256k1 secret key: the value must be in [1, n-1]"));
const publicKeyField = hexField(33, (b) =>
  secp256k1.utils.isValidPublicKey(b, true) ? undefined : "not a compressed secp256k1 point (0x02/0x03 prefix and an x on the curve)",
);

const addressField = z.unknown().transform((value, ctx) => {
  if (typeof value !== "string" || !isAddress(value)) {
    ctx.addIssue({ code: "custom", message: "expected a 20-byte 0x address (mixed case must be a valid EIP-55 checksum)" });
    return z.NEVER;
  }
  return getAddress(value);
});

const integerIn = (min: number, max: number) =>
  z
    .number({ error: `expected an integer in [${min}, ${max}]` })
    .int({ error: `expected an integer in [${min}, ${max}]` })
    .min(min, { error: `expected an integer in [${min}, ${max}]` })
    .max(max, { error: `expected an integer in [${min}, ${max}]` });

export const headerSchema = z.looseObject({
  format: z.literal(KEYFILE_FORMAT, { error: `expected "${KEYFILE_FORMAT}"` }),
  version: z.literal(KEYFILE_VERSION, { error: `expected ${KEYFILE_VERSION} (the only version this program reads)` }),
  role: z.enum(ACTOR_ROLES as [string, ...string[]], { error: `expected one of ${ACTOR_ROLES.map((r) => `"${r}"`).join(", ")}` }),
});

export const patientSecretsSchema = z.strictObject({ account: secretKeyField, ring: secretKeyField, encryption: secretKeyField });
export const institutionSecretsSchema = z.strictObject({ account: secretKeyField, encryption: secretKeyField });
export const regulatorSecretsSchema = z.strictObject({ account: secretKeyField });

export const scryptParamsSchema = z.strictObject({
  N: integerIn(2, SCRYPT_MAX_N).refine((n) => (n & (n - 1)) === 0, { error: "expected a power of two" }),
  r: integerIn(1, SCRYPT_MAX_R),
  p: integerIn(1, SCRYPT_MAX_P),
  salt: hexField(SCRYPT_SALT_LENGTH),
});

export const encryptedSecretsSchema = z.strictObject({
  kdf: z.literal("scrypt", { error: 'expected "scrypt"' }),
  kdfParams: scryptParamsSchema,
  cipher: z.literal("xchacha20-poly1305", { error: 'expected "xchacha20-poly1305"' }),
  // nonce(24) || ciphertext || tag(16): at least 40 bytes.
  sealed: hexField(undefined, (b) => (b.length >= 40 ? undefined : `too short: ${b.length} bytes, at least 40 (nonce + tag)`)),
});

function fileSchema<S extends z.ZodType, P extends z.ZodType>(secrets: S, publicKeys: P) {
  return z
    .strictObject({
      format: headerSchema.shape.format,
      version: headerSchema.shape.version,
      role: headerSchema.shape.role,
      address: addressField,
      publicKeys,
      secrets: secrets.optional(),
      encryptedSecrets: encryptedSecretsSchema.optional(),
    })
    .superRefine((file, ctx) => {
      const count = Number(file.secrets !== undefined) + Number(file.encryptedSecrets !== undefined);
      if (count !== 1) {
        ctx.addIssue({ code: "custom", path: [], message: `expected exactly one of "secrets" and "encryptedSecrets", found ${count}` });
      }
    });
}

export const patientFileSchema = fileSchema(patientSecretsSchema, z.strictObject({ encryption: publicKeyField, ring: publicKeyField }));
export const institutionFileSchema = fileSchema(institutionSecretsSchema, z.strictObject({ encryption: publicKeyField }));
export const regulatorFileSchema = fileSchema(regulatorSecretsSchema, z.strictObject({}));

export type EncryptedSecrets = z.output<typeof encryptedSecretsSchema>;

/**
 * One line per issue: `field "publicKeys.ring": not a compressed secp256k1 point …`. A field
 * absent from the input reads `field "x": is missing` whatever zod's own wording.
 */
export function formatKeyFileIssues(issues: readonly z.core.$ZodIssue[], input: unknown, prefix = ""): string {
  return issues
    .map((issue) => {
      const path = [prefix, issue.path.map(String).join(".")].filter((s) => s !== "").join(".");
      const where = path === "" ? "key file" : `key file field "${path}"`;
      const missing = issue.path.length > 0 && issue.code !== "unrecognized_keys" && valueAt(input, issue.path) === undefined;
      return `${where}: ${missing ? "is missing" : issue.message}`;
    })
    .join("; ");
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = input;
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}
