/**
 * The MRS-1 vectors the tests run: the repository's own (test/vectors/mrs1-vectors.json, written by
 * `npm run vectors` from src/mrs1) and, when it is beside the clone, the external spec's file
 * (shared/spec/vectors/mrs1-vectors.json in the folder that holds the clone; test/mrs1/sharedVectors.test.ts). Both have the same format.
 */
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { RejectReason } from "../../../src/mrs1";
import type { HashToPointVector, KeyImageVector, SignatureVector } from "../../../scripts/vectors/generate";

export type { HashToPointVector, KeyImageVector, SignatureVector };

export const VECTORS_PATH = resolve(__dirname, "../../vectors/mrs1-vectors.json");
/** Beside the repository's folder, not inside it: only a checkout in the MedRing workspace has it. */
export const SHARED_VECTORS_PATH = resolve(__dirname, "../../../../shared/spec/vectors/mrs1-vectors.json");

export interface Mrs1VectorSet {
  hashToPoint: HashToPointVector[];
  keyImage: KeyImageVector[];
  signatures: SignatureVector[];
}

export function loadVectors(path: string = VECTORS_PATH): Mrs1VectorSet {
  return JSON.parse(readFileSync(path, "utf8")) as Mrs1VectorSet;
}

export function sharedVectorsPresent(): boolean {
  return existsSync(SHARED_VECTORS_PATH);
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
