/**
 * MRS-1, the MedRing linkable ring signature (MRS-1 (external spec); docs/mrs1.md). The one implementation
 * used by the CLI, the relayer, the scripts and the tests.
 */
export { Point, N_ORDER, P_FIELD, TAG_H2P, TAG_CHALLENGE, enc, isOnCurve, pointToHex } from "./curve";
export { hashToPoint, hashToPointCandidate, type HashToPointResult } from "./hashToPoint";
export { generateKeyPair, keyImage, publicKeyOf, type KeyPair } from "./keys";
export { sortRing, compareMembers, isStrictlyAscending } from "./ring";
export { challenge } from "./challenge";
export { sign, type SignInput } from "./sign";
export { verify } from "./verify";
export { verifyJson } from "./verifyJson";
export { parseSignatureJson, encodeSignatureJson, parsePoint, SCHEME, type Mrs1SignatureJson, type ParseResult, type PointDecoder } from "./json";
export {
  toVerifierArgs,
  verifyForChain,
  verifierArgsAllowInvalid,
  verifierReasonName,
  VerifierReason,
  hashToPointHints,
  toAffineStruct,
  type VerifierArgs,
  type RingSignatureStruct,
  type VerificationHintsStruct,
  type AffinePointStruct,
  type HashToPointHints,
} from "./hints";
export type { Mrs1Signature, RejectReason, Verdict } from "./types";
