/** Loads the normative MRS-1 vectors from shared/spec/vectors (outside this repo, beside it). */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";

export const VECTORS_PATH = resolve(__dirname, "../../../shared/spec/vectors/mrs1-vectors.json");

export interface HashToPointVector { scope: string; publicKey: string; ctr: number; x: string; y: string }
export interface KeyImageVector { secretKey: string; scope: string; keyImage: string }
export interface SignatureVector {
  scheme: string; scope: string; message: string; ring: string[]; keyImage: string; c: string[]; e: string[];
  valid: boolean; reason?: string;
}
export interface Mrs1Vectors { hashToPoint: HashToPointVector[]; keyImage: KeyImageVector[]; signatures: SignatureVector[] }

export function loadVectors(): Mrs1Vectors {
  return JSON.parse(readFileSync(VECTORS_PATH, "utf8")) as Mrs1Vectors;
}
