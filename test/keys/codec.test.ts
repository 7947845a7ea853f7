import { expect } from "chai";
import { Wallet } from "ethers";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import {
  decodeKeyFile,
  decodeKeyFilePublicInfo,
  encodeKeyFile,
  generateActorKeys,
  KeyFileError,
  publicInfoOf,
  DEFAULT_SCRYPT_N,
  type KeyFileErrorCode,
} from "../../src/keys";
import { bytesToHex } from "../../src/hex";
import { thrownBy } from "../envelope/helpers/envelope";
import { FAST_N, keyFileJson } from "./helpers/fixtures";

const N = secp256k1.Point.Fn.ORDER;

function expectKeyFileError(fn: () => unknown, code: KeyFileErrorCode, message: string): void {
  const thrown = thrownBy(fn);
  expect(thrown, "expected a KeyFileError").to.be.instanceOf(KeyFileError);
  expect((thrown as KeyFileError).code).to.equal(code);
  expect((thrown as KeyFileError).message).to.include(message);
}

describe("key file codec", () => {
  for (const role of ["patient", "institution", "regulator"] as const) {
    it(`round-trips a ${role} key file, plaintext and passphrase-encrypted`, () => {
      const keys = generateActorKeys(role);
      expect(decodeKeyFile(encodeKeyFile(keys))).to.deep.equal(keys);
      expect(decodeKeyFile(encodeKeyFile(keys, { passphrase: "correct horse", scryptN: FAST_N }), "correct horse")).to.deep.equal(keys);
    });
  }

  it("stores an address that ethers' Wallet derives from the account key", () => {
    const keys = generateActorKeys("patient");
    const info = decodeKeyFilePublicInfo(encodeKeyFile(keys));
    expect(info.address).to.equal(new Wallet(bytesToHex(keys.accountKey)).address);
    expect(info).to.include({ role: "patient", encrypted: false });
    expect(info.ringPublicKey).to.match(/^0x0[23][0-9a-f]{64}$/);
  });

  it("gives patients a ring key in [1, n-1] and institutions none", () => {
    const patient = generateActorKeys("patient");
    expect(patient.role === "patient" && patient.ringKey > 0n && patient.ringKey < N).to.equal(true);
    const institution = generateActorKeys("institution");
    expect(institution).to.not.have.property("ringKey");
    expect(publicInfoOf(institution)).to.not.have.property("ringPublicKey");
  });

  it("gives a regulator an account key only: no encryption key, no ring key", () => {
    const regulator = generateActorKeys("regulator");
    expect(Object.keys(regulator).sort()).to.deep.equal(["accountKey", "role"]);
    const json = JSON.parse(encodeKeyFile(regulator));
    expect(json.publicKeys).to.deep.equal({});
    expect(Object.keys(json.secrets)).to.deep.equal(["account"]);
    expect(decodeKeyFilePublicInfo(JSON.stringify(json))).to.deep.equal({
      role: "regulator",
      address: new Wallet(bytesToHex(regulator.accountKey)).address,
      encrypted: false,
    });
  });

  it("keeps the public part of an encrypted file readable without the passphrase", () => {
    const keys = generateActorKeys("institution");
    const info = decodeKeyFilePublicInfo(encodeKeyFile(keys, { passphrase: "pw", scryptN: FAST_N }));
    expect(info).to.deep.equal({ ...publicInfoOf(keys), encrypted: true });
  });

  it("writes no secret in the clear when a passphrase is given", () => {
    const keys = generateActorKeys("patient");
    const text = encodeKeyFile(keys, { passphrase: "pw", scryptN: FAST_N });
    for (const secret of [keys.accountKey, keys.encryptionKey]) expect(text).to.not.include(bytesToHex(secret).slice(2));
    expect(text).to.not.include('secrets"');
  });

  it("uses scrypt N = 2^15 by default and opens with it", () => {
    const { json } = { json: JSON.parse(encodeKeyFile(generateActorKeys("institution"), { passphrase: "pw" })) };
    expect(json.encryptedSecrets.kdfParams).to.include({ N: DEFAULT_SCRYPT_N, r: 8, p: 1 });
    expect(DEFAULT_SCRYPT_N).to.equal(2 ** 17);
    expect(decodeKeyFile(JSON.stringify(json), "pw").role).to.equal("institution");
  });

  it("throws WRONG_PASSPHRASE for a wrong passphrase and PASSPHRASE_REQUIRED for none", () => {
    const text = encodeKeyFile(generateActorKeys("patient"), { passphrase: "right", scryptN: FAST_N });
    expectKeyFileError(() => decodeKeyFile(text, "wrong"), "WRONG_PASSPHRASE", "wrong passphrase");
    expectKeyFileError(() => decodeKeyFile(text), "PASSPHRASE_REQUIRED", "a passphrase is required");
  });

  it("normalises the passphrase (NFKC): a composed and a decomposed é open the same file", () => {
    const keys = generateActorKeys("institution");
    const text = encodeKeyFile(keys, { passphrase: "caf\u00e9", scryptN: FAST_N });
    expect(decodeKeyFile(text, "cafe\u0301")).to.deep.equal(keys);
  });

  it("throws WRONG_PASSPHRASE when the header of an encrypted file is swapped for another actor's", () => {
    const { json } = keyFileJson("patient", "pw");
    const other = keyFileJson("patient", "pw").json;
    expectKeyFileError(
      () => decodeKeyFile(JSON.stringify({ ...json, address: other.address, publicKeys: other.publicKeys }), "pw"),
      "WRONG_PASSPHRASE",
      "were altered",
    );
    const sealed: string = json.encryptedSecrets.sealed;
    const flipped = sealed.slice(0, -1) + (sealed.endsWith("0") ? "1" : "0");
    expectKeyFileError(
      () => decodeKeyFile(JSON.stringify({ ...json, encryptedSecrets: { ...json.encryptedSecrets, sealed: flipped } }), "pw"),
      "WRONG_PASSPHRASE",
      "wrong passphrase",
    );
  });

  it("throws INCONSISTENT when the address or a public key does not belong to the secrets", () => {
    const { json } = keyFileJson("patient");
    const other = keyFileJson("patient").json;
    expectKeyFileError(
      () => decodeKeyFile(JSON.stringify({ ...json, address: other.address })),
      "INCONSISTENT",
      `key file field "address": ${other.address} is not the account key's address ${json.address}`,
    );
    expectKeyFileError(
      () => decodeKeyFile(JSON.stringify({ ...json, publicKeys: { ...json.publicKeys, encryption: other.publicKeys.encryption } })),
      "INCONSISTENT",
      'key file field "publicKeys.encryption": does not match',
    );
    expectKeyFileError(
      () => decodeKeyFile(JSON.stringify({ ...json, publicKeys: { ...json.publicKeys, ring: other.publicKeys.ring } })),
      "INCONSISTENT",
      'key file field "publicKeys.ring": does not match',
    );
  });

  describe("a malformed file gets a message naming the field and the problem", () => {
    const nHex = "0x" + N.toString(16);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each case reaches into fields of the parsed key file JSON
    type Mutation = (f: Record<string, any>) => unknown;
    const cases: [string, "patient" | "institution" | "regulator", Mutation, string][] = [
      ["format", "patient", (f) => ({ ...f, format: "other" }), 'key file field "format": expected "medring-keyfile"'],
      ["version", "patient", (f) => ({ ...f, version: 2 }), 'key file field "version": expected 1'],
      ["role (unknown)", "patient", (f) => ({ ...f, role: "doctor" }), 'key file field "role": expected one of "patient", "institution", "regulator"'],
      ["role (missing)", "patient", ({ role: _r, ...f }) => f, 'key file field "role": is missing'],
      ["address (not an address)", "patient", (f) => ({ ...f, address: "0x1234" }), 'key file field "address": expected a 20-byte 0x address'],
      [
        "address (bad checksum)",
        "patient",
        (f) => ({ ...f, address: swapCase(f.address) }),
        'key file field "address": expected a 20-byte 0x address (mixed case must be a valid EIP-55 checksum)',
      ],
      ["address (missing)", "institution", ({ address: _a, ...f }) => f, 'key file field "address": is missing'],
      [
        "publicKeys.ring (not on the curve)",
        "patient",
        (f) => ({ ...f, publicKeys: { ...f.publicKeys, ring: "0x02" + "ff".repeat(32) } }),
        'key file field "publicKeys.ring": not a compressed secp256k1 point',
      ],
      [
        "publicKeys.encryption (32 bytes)",
        "patient",
        (f) => ({ ...f, publicKeys: { ...f.publicKeys, encryption: "0x" + "11".repeat(32) } }),
        'key file field "publicKeys.encryption": expected 33 bytes (66 hex digits), got 32 bytes',
      ],
      [
        "publicKeys.ring (on an institution)",
        "institution",
        (f) => ({ ...f, publicKeys: { ...f.publicKeys, ring: f.publicKeys.encryption } }),
        'key file field "publicKeys": Unrecognized key: "ring"',
      ],
      [
        "secrets.account (zero)",
        "patient",
        (f) => ({ ...f, secrets: { ...f.secrets, account: "0x" + "00".repeat(32) } }),
        'key file field "secrets.account": not a secp256k1 secret key: the value must be in [1, n-1]',
      ],
      ["secrets.ring (= n)", "patient", (f) => ({ ...f, secrets: { ...f.secrets, ring: nHex } }), 'key file field "secrets.ring": not a secp256k1 secret key'],
      [
        "secrets.ring (missing)",
        "patient",
        (f) => ({ ...f, secrets: { account: f.secrets.account, encryption: f.secrets.encryption } }),
        'key file field "secrets.ring": is missing',
      ],
      [
        "secrets.ring (on an institution)",
        "institution",
        (f) => ({ ...f, secrets: { ...f.secrets, ring: f.secrets.account } }),
        'key file field "secrets": Unrecognized key: "ring"',
      ],
      [
        "secrets.encryption (comma)",
        "institution",
        (f) => ({ ...f, secrets: { ...f.secrets, encryption: f.secrets.encryption.slice(0, 10) + "," + f.secrets.encryption.slice(11) } }),
        'key file field "secrets.encryption": contains a character that is not a hex digit',
      ],
      [
        "secrets.account (no 0x)",
        "institution",
        (f) => ({ ...f, secrets: { ...f.secrets, account: f.secrets.account.slice(2) } }),
        'key file field "secrets.account": missing 0x prefix',
      ],
      [
        "secrets.account (odd length)",
        "institution",
        (f) => ({ ...f, secrets: { ...f.secrets, account: f.secrets.account.slice(0, -1) } }),
        'key file field "secrets.account": odd number of hex digits',
      ],
      [
        "secrets.account (number)",
        "institution",
        (f) => ({ ...f, secrets: { ...f.secrets, account: 7 } }),
        'key file field "secrets.account": expected a 0x-prefixed hex string, got number',
      ],
      [
        "secrets.encryption (on a regulator)",
        "regulator",
        (f) => ({ ...f, secrets: { ...f.secrets, encryption: f.secrets.account } }),
        'key file field "secrets": Unrecognized key: "encryption"',
      ],
      [
        "publicKeys.encryption (on a regulator)",
        "regulator",
        (f) => ({ ...f, publicKeys: { encryption: "0x02" + "11".repeat(32) } }),
        'key file field "publicKeys": Unrecognized key: "encryption"',
      ],
      ["secrets.account (missing, regulator)", "regulator", (f) => ({ ...f, secrets: {} }), 'key file field "secrets.account": is missing'],
      ["an extra top-level field", "patient", (f) => ({ ...f, comment: "hi" }), 'key file: Unrecognized key: "comment"'],
      [
        "neither secrets nor encryptedSecrets",
        "patient",
        ({ secrets: _s, ...f }) => f,
        'key file: expected exactly one of "secrets" and "encryptedSecrets", found 0',
      ],
      ["not JSON", "patient", () => "{", "key file: not valid JSON"],
      ["a JSON array", "patient", () => [], "key file: expected a JSON object"],
    ];
    for (const [field, role, mutate, message] of cases) {
      it(`${field}: ${message}`, () => {
        const { json } = keyFileJson(role);
        const mutated = mutate(json);
        expectKeyFileError(() => decodeKeyFile(typeof mutated === "string" ? mutated : JSON.stringify(mutated)), "MALFORMED", message);
      });
    }

    const encryptedCases: [string, Mutation, string][] = [
      ["encryptedSecrets.kdf", (e) => ({ ...e, kdf: "pbkdf2" }), 'key file field "encryptedSecrets.kdf": expected "scrypt"'],
      ["encryptedSecrets.cipher", (e) => ({ ...e, cipher: "aes-gcm" }), 'key file field "encryptedSecrets.cipher": expected "xchacha20-poly1305"'],
      [
        "encryptedSecrets.kdfParams.N (not a power of two)",
        (e) => ({ ...e, kdfParams: { ...e.kdfParams, N: 1000 } }),
        'key file field "encryptedSecrets.kdfParams.N": expected a power of two',
      ],
      [
        "encryptedSecrets.kdfParams.N (too large)",
        (e) => ({ ...e, kdfParams: { ...e.kdfParams, N: 2 ** 21 } }),
        'key file field "encryptedSecrets.kdfParams.N": expected an integer in [2, 1048576]',
      ],
      [
        "encryptedSecrets.kdfParams.r (fraction)",
        (e) => ({ ...e, kdfParams: { ...e.kdfParams, r: 1.5 } }),
        'key file field "encryptedSecrets.kdfParams.r": expected an integer in [1, 8]',
      ],
      [
        "encryptedSecrets.kdfParams.p (string)",
        (e) => ({ ...e, kdfParams: { ...e.kdfParams, p: "1" } }),
        'key file field "encryptedSecrets.kdfParams.p": expected an integer in [1, 4]',
      ],
      [
        "encryptedSecrets.kdfParams.salt (16 bytes)",
        (e) => ({ ...e, kdfParams: { ...e.kdfParams, salt: "0x" + "ab".repeat(16) } }),
        'key file field "encryptedSecrets.kdfParams.salt": expected 32 bytes (64 hex digits), got 16 bytes',
      ],
      [
        "encryptedSecrets.sealed (too short)",
        (e) => ({ ...e, sealed: "0x" + "ab".repeat(39) }),
        'key file field "encryptedSecrets.sealed": too short: 39 bytes, at least 40',
      ],
      ["encryptedSecrets.sealed (missing)", ({ sealed: _s, ...e }) => e, 'key file field "encryptedSecrets.sealed": is missing'],
    ];
    for (const [field, mutate, message] of encryptedCases) {
      it(`${field}: ${message}`, () => {
        const { json } = keyFileJson("patient", "pw");
        expectKeyFileError(() => decodeKeyFile(JSON.stringify({ ...json, encryptedSecrets: mutate(json.encryptedSecrets) }), "pw"), "MALFORMED", message);
      });
    }

    it('both secrets and encryptedSecrets: expected exactly one of "secrets" and "encryptedSecrets", found 2', () => {
      const plain = keyFileJson("patient").json;
      const { json } = keyFileJson("patient", "pw");
      expectKeyFileError(() => decodeKeyFile(JSON.stringify({ ...json, secrets: plain.secrets })), "MALFORMED", "found 2");
    });
  });
});

/** Flips the case of every letter of the address body, which breaks a mixed-case EIP-55 checksum. */
function swapCase(address: string): string {
  const body = [...address.slice(2)].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join("");
  const swapped = "0x" + body;
  // An address with no letters, or all one case, has no checksum to break: make it mixed case.
  return swapped === swapped.toLowerCase() || swapped === swapped.toUpperCase().replace("0X", "0x") ? swapped.slice(0, -1) + "G" : swapped;
}
