// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AffinePoint} from "../interfaces/IRingVerifier.sol";

/// @title Secp256k1Point: the two point facts the MedRing contracts need outside the verifier.
library Secp256k1Point {
    /// @dev secp256k1 field prime p = 2^256 - 2^32 - 977 (SEC 2 §2.4.1).
    uint256 internal constant FIELD_PRIME = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC2F;
    /// @dev The curve's `b` in y^2 = x^3 + 7 (SEC 2 §2.4.1; `a` = 0).
    uint256 internal constant CURVE_B = 7;

    /// @notice Whether (x, y) is a finite secp256k1 point with canonical coordinates (MRS-1 §Verification rule 3).
    ///         The point at infinity has no affine encoding; (0, 0) fails because 0 != 7.
    function isOnCurve(uint256 x, uint256 y) internal pure returns (bool) {
        if (x >= FIELD_PRIME || y >= FIELD_PRIME) return false;
        // y^2 == x^3 + 7 (mod p)
        return mulmod(y, y, FIELD_PRIME) == addmod(mulmod(mulmod(x, x, FIELD_PRIME), x, FIELD_PRIME), CURVE_B, FIELD_PRIME);
    }

    /// @notice keccak256(abi.encode(x, y)) = keccak256(enc(P)) (MRS-1 §Notation): the key under which MedRing
    ///         stores ring keys and key images.
    function hash(AffinePoint calldata point) internal pure returns (bytes32) {
        return keccak256(abi.encode(point.x, point.y));
    }
}
