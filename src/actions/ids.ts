/**
 * The registry's identifiers computed off chain (contracts/libraries/RecordIds.sol, MedRingTypes.RecordId), so
 * that a client can find its anonymous records and a relayer can name replay slots without a chain call.
 */
import { AbiCoder, ZeroHash, concat, dataLength, keccak256, toBeHex } from "ethers";
import type { Point } from "../mrs1";

const abi = AbiCoder.defaultAbiCoder();

/** `KeyImageHash`: keccak256(abi.encode(I.x, I.y)) of an MRS-1 key image (MRS-1 §Key image). */
export function keyImageHash(keyImage: Point): string {
  return pointHash(keyImage);
}

/** keccak256(enc(P)) = keccak256(abi.encode(x, y)): how the registry keys ring keys and key images. */
export function pointHash(point: Point): string {
  const { x, y } = point.toAffine();
  return coordinatesHash(x, y);
}

/** keccak256(abi.encode(x, y)) of raw coordinates (not checked to be on the curve): two static words, be32(x) ‖ be32(y). */
export function coordinatesHash(x: bigint, y: bigint): string {
  return keccak256(concat([toBeHex(x, 32), toBeHex(y, 32)]));
}

/** The id of `ownerAccount`'s identified record in `scope`: keccak256(abi.encode(ownerAccount, scope)). */
export function identifiedRecordId(ownerAccount: string, scope: string): string {
  return keccak256(abi.encode(["address", "bytes32"], [ownerAccount, scope]));
}

/**
 * The id of the anonymous record of key image hash `keyImage` in `scope`:
 * keccak256(abi.encode(address(0), scope, keyImage)). Bound to the signer, so nobody else can take the scope.
 */
export function anonymousRecordId(scope: string, keyImage: string): string {
  // abi.encode of three static words: address(0) left-padded, then the two bytes32 as they are.
  return keccak256(concat([ZeroHash, bytes32Of(scope), bytes32Of(keyImage)]));
}

function bytes32Of(value: string): string {
  if (dataLength(value) !== 32) throw new TypeError(`expected 32 bytes, got ${value}`);
  return value;
}

/**
 * The hash the registry keeps of an anonymous record's ring (`recordRingHash`): keccak256 of the points packed
 * as be32(x_1) || be32(y_1) || … || be32(x_n) || be32(y_n), in ring order (MRS-1 §Ring: strictly ascending).
 */
export function ringHash(ring: readonly Point[]): string {
  return keccak256(
    concat(
      ring.flatMap((p) => {
        const { x, y } = p.toAffine();
        return [toBeHex(x, 32), toBeHex(y, 32)];
      }),
    ),
  );
}
