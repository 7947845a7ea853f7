// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AffinePoint} from "../interfaces/IRingVerifier.sol";
import {Secp256k1, SECP256K1_P, SECP256K1_B} from "../crypto/Secp256k1.sol";

/// @title Secp256k1Point: the point facts the MedRing contracts need outside the verifier.
library Secp256k1Point {
    /// @dev (p - 1) / 2, the exponent of Euler's criterion: a != 0 is a square mod p iff a^((p-1)/2) = 1.
    uint256 private constant HALF_P_MINUS_ONE = (SECP256K1_P - 1) / 2;

    /// @notice Whether (x, y) is a finite secp256k1 point with canonical coordinates (MRS-1 §Verification rule 3).
    function isOnCurve(uint256 x, uint256 y) internal pure returns (bool) {
        return Secp256k1.isOnCurve(x, y);
    }

    /// @notice Whether `key` is a compressed SEC1 secp256k1 point: 33 bytes, prefix 0x02 or 0x03, x < p, and
    ///         x^3 + 7 a square mod p (so some y exists). This is the form src/envelope wraps data keys for.
    function isCompressedPoint(bytes calldata key) internal pure returns (bool) {
        if (key.length != 33 || (key[0] != 0x02 && key[0] != 0x03)) return false;
        uint256 x = uint256(bytes32(key[1:33]));
        if (x >= SECP256K1_P) return false;
        uint256 f = addmod(mulmod(mulmod(x, x, SECP256K1_P), x, SECP256K1_P), SECP256K1_B, SECP256K1_P); // x^3 + 7
        return _powModP(f, HALF_P_MINUS_ONE) == 1; // f != 0 always: -7 is not a cube mod p (no point of order 2)
    }

    /// @notice keccak256(abi.encode(x, y)) = keccak256(enc(P)) (MRS-1 §Notation): the key under which MedRing
    ///         stores ring keys and key images.
    function hash(AffinePoint calldata point) internal pure returns (bytes32) {
        return keccak256(abi.encode(point.x, point.y));
    }

    /// @dev base^exponent mod p by left-to-right square-and-multiply, without the modexp precompile.
    function _powModP(uint256 base, uint256 exponent) private pure returns (uint256 result) {
        assembly ("memory-safe") {
            result := 1
            for { let bit := 256 } gt(bit, 0) {} {
                bit := sub(bit, 1)
                result := mulmod(result, result, SECP256K1_P) // result = result^2
                if and(shr(bit, exponent), 1) { result := mulmod(result, base, SECP256K1_P) } // result *= base
            }
        }
    }
}
