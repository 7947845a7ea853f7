/**
 * The registry's identifiers computed off chain (contracts/interfaces/MedRingTypes.sol), so that a client can
 * find its anonymous records and a relayer can name replay slots without a chain call.
 */
import { AbiCoder, ZeroAddress, keccak256 } from "ethers";
import type { Point } from "../mrs1";

const abi = AbiCoder.defaultAbiCoder();

/** `KeyImageHash`: keccak256(abi.encode(I.x, I.y)) of an MRS-1 key image (MRS-1 §Key image). */
export function keyImageHash(keyImage: Point): string {
  const { x, y } = keyImage.toAffine();
  return keccak256(abi.encode(["uint256", "uint256"], [x, y]));
}

/** `RecordId`: keccak256(abi.encode(ownerAccount, scope)); ownerAccount = address(0) for an anonymous record. */
export function recordIdOf(ownerAccount: string, scope: string): string {
  return keccak256(abi.encode(["address", "bytes32"], [ownerAccount, scope]));
}

/** The `RecordId` of the anonymous record in `scope`. */
export function anonymousRecordId(scope: string): string {
  return recordIdOf(ZeroAddress, scope);
}
