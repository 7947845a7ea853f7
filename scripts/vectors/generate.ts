/**
 * MRS-1 test vectors from the project's own implementation (src/mrs1), in the format of the external spec's
 * vector file (MRS-1 (external spec) §Test vectors; docs/mrs1.md): `hashToPoint[]`, `keyImage[]` and
 * `signatures[]`, each signature with `valid` and, when invalid, a `reason` naming the rule it breaks.
 *
 * Everything is derived from one integer seed: keys, scopes and messages from keccak256 of the seed and a label,
 * and the signer's randomness from a seeded stream (./seededRandom.ts), so a run with the same seed writes the
 * same bytes. Each invalid signature is a valid one with exactly one thing changed.
 */
import { keccak_256 } from "@noble/hashes/sha3.js";
import { be32, bytesToBigInt, bytesToHex, parseHexUint256, uint256ToHex } from "../../src/hex";
import {
  N_ORDER,
  P_FIELD,
  encodeSignatureJson,
  hashToPoint,
  isOnCurve,
  isStrictlyAscending,
  keyImage,
  parsePoint,
  pointToHex,
  publicKeyOf,
  sign,
  sortRing,
  type Mrs1SignatureJson,
  type Point,
} from "../../src/mrs1";
import { withSeededRandom } from "./seededRandom";

export interface HashToPointVector {
  scope: string;
  publicKey: string;
  ctr: number;
  x: string;
  y: string;
}
export interface KeyImageVector {
  secretKey: string;
  scope: string;
  keyImage: string;
}
export type SignatureVector = Omit<Mrs1SignatureJson, "scheme"> & { scheme: string; valid: boolean; reason?: string };
export interface Mrs1Vectors {
  scheme: "MRS-1";
  seed: number;
  generator: string;
  hashToPoint: HashToPointVector[];
  keyImage: KeyImageVector[];
  signatures: SignatureVector[];
}

export const DEFAULT_SEED = 1;

/** Ring sizes of the valid signatures the invalid ones are made from: the spec's smallest rings, then up to 32. */
const RING_SIZES = [1, 1, 2, 2, 3, 3, 4, 5, 8, 11, 16, 32];
/** H_p counters that must appear: ctr > 0 exercises the "every earlier ctr gave no point" rule (§Hash to point). */
const HASH_COUNTERS = [1, 2, 3, 4, 5, 6];
const ZERO_SCOPE = new Uint8Array(32);

export function generateMrs1Vectors(seed: number = DEFAULT_SEED): Mrs1Vectors {
  if (!Number.isSafeInteger(seed) || seed < 0) throw new RangeError(`seed must be a non-negative integer, got ${seed}`);
  const derive = (label: string, i: number): Uint8Array =>
    keccak_256(Uint8Array.from([...new TextEncoder().encode(`MEDRING-VECTORS-V1|${label}|`), ...be32(BigInt(seed)), ...be32(BigInt(i))]));
  const secret = (label: string, i: number): bigint => (bytesToBigInt(derive(label, i)) % (N_ORDER - 1n)) + 1n;
  return withSeededRandom(derive("rng", 0), () => ({
    scheme: "MRS-1",
    seed,
    generator: "npm run vectors (scripts/vectors.ts) from src/mrs1",
    hashToPoint: hashToPointVectors(secret, derive),
    keyImage: keyImageVectors(secret, derive),
    signatures: signatureVectors(secret, derive),
  }));
}

type Secret = (label: string, i: number) => bigint;
type Derive = (label: string, i: number) => Uint8Array;

function hashToPointVector(scope: Uint8Array, publicKey: Point): HashToPointVector {
  const { point, ctr } = hashToPoint(scope, publicKey);
  const { x, y } = point.toAffine();
  return { scope: bytesToHex(scope), publicKey: pointToHex(publicKey), ctr, x: uint256ToHex(x), y: uint256ToHex(y) };
}

/** Six natural cases (two in the zero scope), then the first key found for each counter in HASH_COUNTERS. */
function hashToPointVectors(secret: Secret, derive: Derive): HashToPointVector[] {
  const candidate = (i: number) => hashToPointVector(i % 3 === 0 ? ZERO_SCOPE : derive("h2p-scope", i), publicKeyOf(secret("h2p-key", i)));
  const out = Array.from({ length: 6 }, (_, i) => candidate(i));
  let i = out.length;
  for (const ctr of HASH_COUNTERS) {
    if (out.some((v) => v.ctr === ctr)) continue;
    for (; ; i++) {
      const v = candidate(i);
      if (v.ctr === ctr) {
        out.push(v);
        i++;
        break;
      }
    }
  }
  return out;
}

/** Ten keys, half in the zero scope; then one key in three scopes (one image per key per scope, §Key image). */
function keyImageVectors(secret: Secret, derive: Derive): KeyImageVector[] {
  const vector = (x: bigint, scope: Uint8Array): KeyImageVector => ({
    secretKey: uint256ToHex(x),
    scope: bytesToHex(scope),
    keyImage: pointToHex(keyImage(x, scope)),
  });
  const out = Array.from({ length: 10 }, (_, i) => vector(secret("ki-key", i), i % 2 === 0 ? ZERO_SCOPE : derive("ki-scope", i)));
  const x = secret("ki-key", 0);
  out.push(vector(x, derive("ki-scope", 100)), vector(x, derive("ki-scope", 101)));
  return out;
}

const clone = (v: SignatureVector): SignatureVector => JSON.parse(JSON.stringify(v)) as SignatureVector;
const addMod = (hex: string, k: bigint) => uint256ToHex((parseHexUint256(hex, "scalar") + k) % N_ORDER);

/** The uncompressed encoding of (x, y + j) for the smallest j >= 1 that is off the curve: same x, so the order holds. */
function offCurve(hex: string): string {
  const { x, y } = parsePoint(hex, "point").toAffine();
  let j = 1n;
  while (isOnCurve(x, (y + j) % P_FIELD)) j++;
  return "0x04" + uint256ToHex(x).slice(2) + uint256ToHex((y + j) % P_FIELD).slice(2);
}

function signatureVectors(secret: Secret, derive: Derive): SignatureVector[] {
  const out: SignatureVector[] = [];
  RING_SIZES.forEach((n, j) => {
    const keys = Array.from({ length: n }, (_, k) => secret("ring-key", j * 64 + k));
    const ring = sortRing(keys.map(publicKeyOf));
    const signerKey = keys[Number(bytesToBigInt(derive("signer", j)) % BigInt(n))];
    const scope = j % 3 === 0 ? ZERO_SCOPE : derive("scope", j);
    const base: SignatureVector = { ...encodeSignatureJson(sign({ secretKey: signerKey, ring, scope, message: derive("message", j) })), valid: true };
    out.push(base);
    const invalid = (reason: string, change: (v: SignatureVector) => void) => {
      const v = clone(base);
      change(v);
      out.push({ ...v, valid: false, reason });
    };
    const last = n - 1;
    // Rule 6: the challenge no longer matches.
    invalid("challenge mismatch: c tampered", (v) => (v.c[0] = addMod(v.c[0], 1n)));
    invalid("challenge mismatch: e tampered", (v) => (v.e[last] = addMod(v.e[last], 1n)));
    invalid("challenge mismatch: key image replaced", (v) => (v.keyImage = pointToHex(keyImage(secret("outsider", j), scope))));
    invalid("challenge mismatch: message changed", (v) => (v.message = bytesToHex(derive("other-message", j))));
    invalid("challenge mismatch: scope changed", (v) => (v.scope = bytesToHex(derive("other-scope", j))));
    invalid("challenge mismatch: ring member replaced", (v) => {
      // A fresh key in place of the last member, drawn until the ring stays strictly ascending (only rule 6 breaks).
      for (let t = 0; ; t++) {
        const members = [...ring.slice(0, last), publicKeyOf(secret(`replacement-${j}`, t))];
        if (isStrictlyAscending(members)) {
          v.ring[last] = pointToHex(members[last]);
          return;
        }
      }
    });
    // Rule 4: n itself is a non-canonical encoding of 0.
    invalid("non-canonical scalar: c_1 = n", (v) => (v.c[0] = uint256ToHex(N_ORDER)));
    invalid(`non-canonical scalar: e_${n} = n`, (v) => (v.e[last] = uint256ToHex(N_ORDER)));
    // Rule 3.
    invalid("point not on curve: key image (x, y + 1)", (v) => (v.keyImage = offCurve(v.keyImage)));
    invalid(`point not on curve: ring member ${n} (x, y + 1)`, (v) => (v.ring[last] = offCurve(v.ring[last])));
    if (n >= 2) {
      // Rule 2: the same signature with two members (and their scalars) listed in the other order, or a member twice.
      invalid("ring not strictly ascending: members 1 and 2 swapped", (v) => {
        for (const list of [v.ring, v.c, v.e]) [list[0], list[1]] = [list[1], list[0]];
      });
      invalid("ring not strictly ascending: duplicate member", (v) => (v.ring[1] = v.ring[0]));
    }
    if (j === 0) {
      // Rule 1, once: no members at all, and a missing e value.
      invalid("empty ring", (v) => Object.assign(v, { ring: [], c: [], e: [] }));
      // Rule 5, once: with the signer's own key x, e_1 = -c_1·x makes L_1 = e_1·G + c_1·P_1 = O and R_1 = O.
      invalid("commitment at infinity: e_1 = -c_1·x, so L_1 = R_1 = O", (v) => {
        v.c[0] = uint256ToHex(1n);
        v.e[0] = uint256ToHex(N_ORDER - signerKey);
      });
    }
    if (j === 2) invalid("length mismatch: one e value missing", (v) => v.e.pop());
  });
  return out;
}
