// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

// secp256k1 (SEC 2 §2.4.1): y^2 = x^3 + 7 over F_p, a prime-order group (cofactor 1) of order n.
// The constants are file-level so that inline assembly in the other crypto libraries can name them.

/// @dev Field prime p = 2^256 - 2^32 - 977.
uint256 constant SECP256K1_P = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC2F;
/// @dev Group order n (prime): every finite point P has n·P = O.
uint256 constant SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141;
/// @dev Curve constant b in y^2 = x^3 + b.
uint256 constant SECP256K1_B = 7;
/// @dev Generator G (SEC 2 §2.4.1), affine.
uint256 constant SECP256K1_GX = 0x79BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798;
uint256 constant SECP256K1_GY = 0x483ADA7726A3C4655DA4FBFC0E1108A8FD17B448A68554199C47D08FFB10D4B8;

/// @dev GLV endomorphism phi(x, y) = (beta·x, y), which equals lambda·(x, y) for every point:
///      beta is a primitive cube root of unity mod p (beta^3 = 1 mod p) and lambda one mod n (lambda^3 = 1 mod n),
///      paired so that phi = [lambda] (the pair used by libsecp256k1 and noble-curves).
uint256 constant SECP256K1_BETA = 0x7AE96A2B657C07106E64479EAC3434E99CF0497512F58995C1396C28719501EE;
uint256 constant SECP256K1_LAMBDA = 0x5363AD4CC05C30E0A5261C028812645A122E22EA20816678DF02967C1B23BD72;

/// @title Secp256k1: field and curve helpers for secp256k1 without any precompile.
/// @notice Point arithmetic for the multi-scalar multiplication lives in the MSM core (IMultiScalarMulCore,
///         contracts/crypto/msm/core.ts); this library holds what the verifier needs outside it, and the point
///         facts the registry needs (curve membership, compressed keys, the point hash).
library Secp256k1 {
    // GLV decomposition constants (libsecp256k1 `secp256k1_scalar_split_lambda`, Gallant-Lambert-Vanstone 2001 §4).
    // The lattice {(a, b) : a + b·lambda = 0 mod n} has the short basis v1 = (a1, b1), v2 = (a2, b2) with
    //   a1 = b2 = 0x3086d221a7d46bcde86c90e49284eb15, b1 = -0xe4437ed6010e88286f547fa90abfe4c3,
    //   a2 = 0x114ca50f7a8e2f3f657c1108d9d44cfd8.
    // k is split as k = k1 + k2·lambda (mod n) with c1 = round(b2·k / n), c2 = round(-b1·k / n),
    // k2 = -c1·b1 - c2·b2, k1 = k - k2·lambda; both |k1|, |k2| < 2^128.

    /// @dev G1 = round(2^384 · b2 / n): c1 = round(k · G1 / 2^384) approximates round(b2·k / n).
    uint256 private constant GLV_G1 = 0x3086D221A7D46BCDE86C90E49284EB153DAA8A1471E8CA7FE893209A45DBB031;
    /// @dev G2 = round(2^384 · (-b1) / n): c2 = round(k · G2 / 2^384) approximates round(-b1·k / n).
    uint256 private constant GLV_G2 = 0xE4437ED6010E88286F547FA90ABFE4C4221208AC9DF506C61571B4AE8AC47F71;
    /// @dev -b1 = 0xe4437ed6010e88286f547fa90abfe4c3 (positive).
    uint256 private constant GLV_MINUS_B1 = 0xE4437ED6010E88286F547FA90ABFE4C3;
    /// @dev -b2 mod n = n - 0x3086d221a7d46bcde86c90e49284eb15.
    uint256 private constant GLV_MINUS_B2 = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFE8A280AC50774346DD765CDA83DB1562C;
    /// @dev floor(n / 2): a residue r mod n above this stands for the negative number r - n.
    uint256 private constant HALF_N = 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0;
    /// @dev (p - 1) / 2, the exponent of Euler's criterion: a != 0 is a square mod p iff a^((p-1)/2) = 1.
    uint256 private constant HALF_P_MINUS_ONE = (SECP256K1_P - 1) / 2;

    /// @notice True when (x, y) is a finite point of secp256k1: x, y < p and y^2 = x^3 + 7 (mod p).
    /// @dev    The point at infinity has no affine encoding, so this also excludes O (MRS-1 §Verification 3).
    function isOnCurve(uint256 x, uint256 y) internal pure returns (bool on) {
        assembly ("memory-safe") {
            let p := SECP256K1_P
            // on = (x < p) ∧ (y < p) ∧ (y^2 == x^3 + 7 mod p)
            on := and(
                and(lt(x, p), lt(y, p)),
                eq(mulmod(y, y, p), addmod(mulmod(mulmod(x, x, p), x, p), SECP256K1_B, p))
            )
        }
    }

    /// @notice Replaces every GLV pair slot [Q, k] (two terms of 4 words, IMultiScalarMulCore; k < n in the first
    ///         term's fourth word) in memory [from, end) by the pair k = k1 + k2·lambda (mod n), |k1|, |k2| < 2^128:
    ///         [x, ±y, p - ±y, enc(|k1|)], [beta·x, ±y, p - ±y, enc(|k2|)], the sign of each half folded into y
    ///         (-Q = (x, p - y)), enc(s) = (s + offset)·64. One loop over the pairs, the split inline: the verifier
    ///         splits 4n + 4 scalars (MRS1).
    function glvSplitPairs(uint256 from, uint256 end, uint256 offset) internal pure {
        assembly ("memory-safe") {
            for { let slot := from } lt(slot, end) { slot := add(slot, 0x100) } {
                let k1 := mload(add(slot, 0x60))
                let k2
                {
                    // hi(k·g) = floor(k·g / 2^256) by the 512-bit product trick: mm = k·g mod (2^256 - 1),
                    // lo = k·g mod 2^256, hi = mm - lo - borrow. Then round(k·g / 2^384) = (hi >> 128) + bit 127 of hi.
                    let mm := mulmod(k1, GLV_G1, not(0))
                    let lo := mul(k1, GLV_G1)
                    let hi := sub(sub(mm, lo), lt(mm, lo))
                    let c1 := add(shr(128, hi), and(shr(127, hi), 1)) // c1 = round(k·b2 / n)
                    mm := mulmod(k1, GLV_G2, not(0))
                    lo := mul(k1, GLV_G2)
                    hi := sub(sub(mm, lo), lt(mm, lo))
                    // k2 = c1·(-b1) + c2·(-b2) mod n, c2 = round(-k·b1 / n)
                    k2 := addmod(mulmod(c1, GLV_MINUS_B1, SECP256K1_N), mulmod(add(shr(128, hi), and(shr(127, hi), 1)), GLV_MINUS_B2, SECP256K1_N), SECP256K1_N)
                    // k1 = k - k2·lambda mod n
                    k1 := addmod(k1, sub(SECP256K1_N, mulmod(k2, SECP256K1_LAMBDA, SECP256K1_N)), SECP256K1_N)
                }
                let y := mload(add(slot, 0x20))
                let ny := sub(SECP256K1_P, y)
                // a residue r > n/2 stands for r - n < 0: the term gets |r| = n - r and the point -Q = (x, p - y)
                switch gt(k1, HALF_N)
                case 0 {
                    mstore(add(slot, 0x20), y)
                    mstore(add(slot, 0x40), ny)
                }
                default {
                    k1 := sub(SECP256K1_N, k1)
                    mstore(add(slot, 0x20), ny)
                    mstore(add(slot, 0x40), y)
                }
                mstore(add(slot, 0x60), shl(6, add(k1, offset))) // enc(|k1|)
                switch gt(k2, HALF_N)
                case 0 {
                    mstore(add(slot, 0xa0), y)
                    mstore(add(slot, 0xc0), ny)
                }
                default {
                    k2 := sub(SECP256K1_N, k2)
                    mstore(add(slot, 0xa0), ny)
                    mstore(add(slot, 0xc0), y)
                }
                mstore(add(slot, 0xe0), shl(6, add(k2, offset))) // enc(|k2|)
                mstore(add(slot, 0x80), mulmod(SECP256K1_BETA, mload(slot), SECP256K1_P)) // phi(Q).x = beta·x
            }
        }
    }

    /// @notice Whether `key` is a compressed SEC1 secp256k1 point: 33 bytes, prefix 0x02 or 0x03, x < p, and
    ///         x^3 + 7 a square mod p (so some y exists). This is the form src/envelope wraps data keys for.
    function isCompressedPoint(bytes calldata key) internal pure returns (bool) {
        if (key.length != 33 || (key[0] != 0x02 && key[0] != 0x03)) return false;
        uint256 x = uint256(bytes32(key[1:33]));
        if (x >= SECP256K1_P) return false;
        uint256 f = addmod(mulmod(mulmod(x, x, SECP256K1_P), x, SECP256K1_P), SECP256K1_B, SECP256K1_P); // x^3 + 7
        return powModP(f, HALF_P_MINUS_ONE) == 1; // f != 0 always: -7 is not a cube mod p (no point of order 2)
    }

    /// @notice keccak256(abi.encode(x, y)) = keccak256(enc(P)) (MRS-1 §Notation): the key under which MedRing
    ///         stores ring keys and key images.
    function hashPoint(uint256 x, uint256 y) internal pure returns (bytes32) {
        return keccak256(abi.encode(x, y));
    }

    /// @notice base^exponent mod p by left-to-right square-and-multiply, without the modexp precompile.
    function powModP(uint256 base, uint256 exponent) internal pure returns (uint256 r) {
        assembly ("memory-safe") {
            let p := SECP256K1_P
            r := 1
            // left-to-right binary exponentiation: r = r^2 · base^(bit) for the bits of exponent from the top
            for { let i := 256 } i {} {
                i := sub(i, 1)
                r := mulmod(r, r, p) // r = r^2
                if and(shr(i, exponent), 1) { r := mulmod(r, base, p) } // r = r·base when bit i of exponent is set
            }
        }
    }
}
