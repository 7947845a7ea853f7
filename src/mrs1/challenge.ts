/**
 * MRS-1 §Challenge.
 */
import { keccak_256 } from "@noble/hashes/sha3.js";
import { bytesToBigInt } from "../hex";
import { N_ORDER, Point, TAG_CHALLENGE, concatBytes, enc } from "./curve";

/**
 * c = uint256(keccak256(TAG_CHALLENGE || scope || message || enc(P_1..P_n) || enc(I) || enc(L_1..L_n) || enc(R_1..R_n))) mod n
 */
export function challenge(
  scope: Uint8Array,
  message: Uint8Array,
  ring: readonly Point[],
  keyImage: Point,
  commitmentsL: readonly Point[],
  commitmentsR: readonly Point[],
): bigint {
  const preimage = concatBytes(TAG_CHALLENGE, scope, message, ...ring.map(enc), enc(keyImage), ...commitmentsL.map(enc), ...commitmentsR.map(enc));
  return bytesToBigInt(keccak_256(preimage)) % N_ORDER;
}
