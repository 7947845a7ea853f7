import type { Point } from "./curve";

/** An MRS-1 signature with its signed context (MRS-1 §Signing: signature = (I, c_1..c_n, e_1..e_n)). */
export interface Mrs1Signature {
  scope: Uint8Array;
  message: Uint8Array;
  /** P_1..P_n; valid signatures have it strictly ascending. */
  ring: Point[];
  keyImage: Point;
  /** As received: not reduced, so non-canonical values stay visible to verification (rule 4). */
  c: bigint[];
  e: bigint[];
}

/** Why verification rejected a signature, one code per MRS-1 §Verification rule (plus malformed input). */
export type RejectReason =
  | "malformed" //               not parseable into a signature at all (JSON codec)
  | "ring-empty" //              rule 1
  | "length-mismatch" //         rule 1
  | "ring-not-ascending" //      rule 2 (includes duplicates)
  | "point-not-on-curve" //      rule 3
  | "scalar-not-canonical" //    rule 4
  | "commitment-at-infinity" //  rule 5
  | "challenge-mismatch"; //     rule 6

export type Verdict = { valid: true } | { valid: false; reason: RejectReason; detail: string };
