/**
 * The MRS-1 vectors the tests run: the repository's own (test/vectors/mrs1-vectors.json, written by
 * `npm run vectors` from src/mrs1) and, when MRS1_EXTERNAL_VECTORS names one, a file from outside the repository
 * (test/mrs1/externalVectors.test.ts). Both have the same format.
 */
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { RejectReason } from "../../../src/mrs1";
import type { HashToPointVector, KeyImageVector, SignatureVector } from "../../../scripts/vectors/generate";

export type { HashToPointVector, KeyImageVector, SignatureVector };

export const VECTORS_PATH = resolve(__dirname, "../../vectors/mrs1-vectors.json");
/** The environment variable that names an external vector file (an absolute path, or relative to the working directory). */
export const EXTERNAL_VECTORS_ENV = "MRS1_EXTERNAL_VECTORS";

export interface Mrs1VectorSet {
  hashToPoint: HashToPointVector[];
  keyImage: KeyImageVector[];
  signatures: SignatureVector[];
}

export function loadVectors(path: string = VECTORS_PATH): Mrs1VectorSet {
  return JSON.parse(readFileSync(path, "utf8")) as Mrs1VectorSet;
}

/** The external vector file to check, if the environment names one; a named file that is missing is an error, not a skip. */
export function externalVectorsPath(): string | undefined {
  const named = process.env[EXTERNAL_VECTORS_ENV];
  if (named === undefined || named === "") return undefined;
  const path = resolve(named);
  if (!existsSync(path)) throw new Error(`${EXTERNAL_VECTORS_ENV}=${named}: no such file`);
  return path;
}

/** A vector's reason prose, by prefix, as the rule code src/mrs1 reports; prose not listed only checks the verdict. */
const REASON_BY_PREFIX: Array<[string, Exclude<RejectReason, "malformed">]> = [
  ["challenge mismatch", "challenge-mismatch"],
  ["non-canonical scalar", "scalar-not-canonical"],
  ["ring not strictly ascending", "ring-not-ascending"],
  ["point not on curve", "point-not-on-curve"],
  ["length mismatch", "length-mismatch"],
  ["empty ring", "ring-empty"],
  ["commitment at infinity", "commitment-at-infinity"],
];

export function expectedReason(v: SignatureVector): Exclude<RejectReason, "malformed"> | undefined {
  return REASON_BY_PREFIX.find(([prefix]) => v.reason?.startsWith(prefix))?.[1];
}
