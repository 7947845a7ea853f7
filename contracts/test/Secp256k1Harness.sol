// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Secp256k1, SECP256K1_P} from "../crypto/Secp256k1.sol";
import {MultiScalarMul} from "../crypto/MultiScalarMul.sol";

/// @dev Test-only: exposes the curve helpers and the multi-scalar multiplication so tests can compare them with
///      noble-curves. Never deployed outside tests.
contract Secp256k1Harness {
    function isOnCurve(uint256 x, uint256 y) external pure returns (bool) {
        return Secp256k1.isOnCurve(x, y);
    }

    function glvSplit(uint256 k) external pure returns (uint256 k1, uint256 k2) {
        return Secp256k1.glvSplit(k);
    }

    function invModP(uint256 x) external pure returns (uint256) {
        return Secp256k1.invModP(x);
    }

    function plan(uint256 nTerms, uint256 nPairTerms) external pure returns (uint256 algorithm, uint256 window) {
        return MultiScalarMul.plan(nTerms, nPairTerms);
    }

    /// @dev sum_j s_j·Q_j as affine (infinity = true for O) with the planner's choice (algorithm = 0) or a forced one.
    function msm(uint256[] memory terms, uint256 nPairTerms, uint256 algorithm, uint256 window)
        external
        pure
        returns (bool infinity, uint256 x, uint256 y)
    {
        (uint256 px, uint256 py, uint256 zz, uint256 zzz) = algorithm == 0
            ? MultiScalarMul.sum(terms, nPairTerms)
            : MultiScalarMul.sumWith(terms, nPairTerms, algorithm, window);
        if (zz == 0) return (true, 0, 0);
        // x = X / ZZ, y = Y / ZZZ
        x = mulmod(px, Secp256k1.invModP(zz), SECP256K1_P);
        y = mulmod(py, Secp256k1.invModP(zzz), SECP256K1_P);
    }
}
