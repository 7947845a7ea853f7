// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

// Test-only code, documented with @dev for the tests that use it; the NatSpec spec lives in the interfaces.
// solhint-disable use-natspec

import {Secp256k1, SECP256K1_P} from "../crypto/Secp256k1.sol";
import {MultiScalarMul} from "../crypto/MultiScalarMul.sol";
import {IMultiScalarMulCore} from "../interfaces/IMultiScalarMulCore.sol";

/// @dev Test-only: exposes the curve helpers and the MSM core (through the same Solidity wrapper RingVerifier
///      uses) so tests can compare them with noble-curves. Creates its own core. Never deployed outside tests.
contract Secp256k1Harness is IMultiScalarMulCore {
    address public immutable core;

    constructor() {
        core = MultiScalarMul.deployCore();
    }

    function isOnCurve(uint256 x, uint256 y) external pure returns (bool) {
        return Secp256k1.isOnCurve(x, y);
    }

    /// @dev The GLV split of k through the verifier's own routine (`Secp256k1.glvSplitPairs` on one pair with the
    ///      stand-in point (0, 1) and offset 0): |k1|, |k2|, each with bit 255 set when negative (y became p - 1).
    function glvSplit(uint256 k) external pure returns (uint256 k1, uint256 k2) {
        uint256 pair;
        assembly ("memory-safe") {
            pair := mload(0x40)
            mstore(0x40, add(pair, 0x100))
            mstore(pair, 0)
            mstore(add(pair, 0x20), 1)
            mstore(add(pair, 0x60), k)
        }
        Secp256k1.glvSplitPairs(pair, pair + 0x100, 0);
        assembly ("memory-safe") {
            k1 := or(shr(6, mload(add(pair, 0x60))), shl(255, iszero(eq(mload(add(pair, 0x20)), 1))))
            k2 := or(shr(6, mload(add(pair, 0xe0))), shl(255, iszero(eq(mload(add(pair, 0xa0)), 1))))
        }
    }

    /// @dev x^-1 mod p for x != 0 mod p, by Fermat (x^(p-2)); 0 for x = 0. Only the harness needs it, to return the
    ///      core's projective results as affine points: the verifier only asks whether a combination is O.
    function invModP(uint256 x) public pure returns (uint256) {
        return Secp256k1.powModP(x, SECP256K1_P - 2);
    }

    function plan(uint256 nTerms, uint256 nPairTerms) external pure returns (uint256 algorithm, uint256 window) {
        return MultiScalarMul.plan(nTerms, nPairTerms);
    }

    /// @dev sum_j s_j·Q_j for flat terms [x, y, s] (s < 2^128) as affine (infinity = true for O), with the planner's
    ///      choice (algorithm = 0) or a forced algorithm and window, and the core's exact fallback on (a general
    ///      multi-scalar multiplication; the verifier runs without it: `msmXYZZ`).
    function msm(uint256[] calldata terms, uint256 nPairTerms, uint256 algorithm, uint256 window)
        external
        view
        returns (bool infinity, uint256 x, uint256 y)
    {
        (uint256 px2, uint256 py2, uint256 zz, uint256 zzz) = _msm(terms, nPairTerms, algorithm, window, true);
        if (zz == 0) return (true, 0, 0);
        // x = X / ZZ, y = Y / ZZZ
        x = mulmod(px2, invModP(zz), SECP256K1_P);
        y = mulmod(py2, invModP(zzz), SECP256K1_P);
    }

    /// @dev The core's XYZZ result for the same input, with or without the exact fallback.
    function msmXYZZ(uint256[] calldata terms, uint256 nPairTerms, uint256 algorithm, uint256 window, bool exact)
        external
        view
        returns (uint256[4] memory out)
    {
        (out[0], out[1], out[2], out[3]) = _msm(terms, nPairTerms, algorithm, window, exact);
    }

    function _msm(uint256[] calldata terms, uint256 nPairTerms, uint256 algorithm, uint256 window, bool exact)
        private
        view
        returns (uint256, uint256, uint256, uint256)
    {
        uint256 nTerms = terms.length / 3;
        if (algorithm == 0) (algorithm, window) = MultiScalarMul.plan(nTerms, nPairTerms);
        if (exact) algorithm |= MultiScalarMul.EXACT_FALLBACK;
        uint256 input = MultiScalarMul.allocate(nTerms, nPairTerms, algorithm, window);
        _writeTerms(terms, input, MultiScalarMul.digitOffset(window));
        return MultiScalarMul.sum(core, input);
    }

    function _writeTerms(uint256[] calldata terms, uint256 input, uint256 offset) private pure {
        for (uint256 j = 0; j < terms.length / 3; ++j) {
            uint256 u = MultiScalarMul.encodeScalar(terms[3 * j + 2], offset, j);
            uint256 px = terms[3 * j];
            uint256 py = terms[3 * j + 1];
            assembly ("memory-safe") {
                let t := add(input, shl(7, j)) // term j: 128 bytes
                mstore(t, px)
                mstore(add(t, 0x20), py)
                mstore(add(t, 0x40), sub(SECP256K1_P, py)) // p - y
                mstore(add(t, 0x60), u)
            }
        }
    }

    /// @dev The core with raw input (header and terms exactly as IMultiScalarMulCore specifies): returns the XYZZ
    ///      words, or reverts with the core's error.
    function rawCore(bytes calldata input) external view returns (uint256[4] memory out) {
        (bool ok, bytes memory ret) = core.staticcall(input);
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(ret, 0x20), mload(ret))
            }
        }
        out = abi.decode(ret, (uint256[4]));
    }
}
