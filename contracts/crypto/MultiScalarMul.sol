// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {
    MULTI_SCALAR_MUL_CORE_INITCODE,
    MSM_EXACT_FALLBACK,
    MSM_HEADER_BYTES,
    MSM_MEASURED_PLANS,
    MSM_PIPPENGER,
    MSM_PIPPENGER_MAX_WINDOW,
    MSM_PIPPENGER_MIN_WINDOW,
    MSM_SCALAR_BITS,
    MSM_STRAUS,
    MSM_STRAUS_MAX_WINDOW,
    MSM_TERM_BYTES
} from "./MultiScalarMulCoreCode.sol";

/// @title MultiScalarMul: the Solidity side of the MSM core (IMultiScalarMulCore): deployment, planning, input
///        encoding and the STATICCALL.
/// @notice The multiplication itself runs in the core, hand-scheduled EVM code (contracts/crypto/msm/core.ts,
///         docs/verifier-gas.md). Callers build the input in memory: `allocate` writes the header and returns the
///         address of term 0; each term is 4 words [x, y, p - y, encodeScalar(s, c)].
library MultiScalarMul {
    /// @notice Creating the core failed (out of gas in the constructor).
    error MultiScalarMulCoreNotCreated();
    /// @notice A scalar is not below 2^128 (GLV halves and batch weights always are: a caller bug).
    error MultiScalarMulScalarTooLarge(uint256 index, uint256 scalar);

    // The core's parameters come from the generated MultiScalarMulCoreCode.sol (contracts/crypto/msm/constants.ts).
    uint256 internal constant STRAUS = MSM_STRAUS;
    uint256 internal constant PIPPENGER = MSM_PIPPENGER;
    /// @dev Flag of the algorithm word: recompute an exceptional input exactly (IMultiScalarMulCore). Without it the
    ///      core returns a value that is not O, which is what the verifier wants (docs/verifier-gas.md).
    uint256 internal constant EXACT_FALLBACK = MSM_EXACT_FALLBACK;
    /// @dev Bytes of the input header (algorithm, window, nPairTerms, nTerms) and of one term.
    uint256 internal constant HEADER_BYTES = MSM_HEADER_BYTES;
    uint256 internal constant TERM_BYTES = MSM_TERM_BYTES;
    /// @dev Scalars are below 2^SCALAR_BITS.
    uint256 internal constant SCALAR_BITS = MSM_SCALAR_BITS;

    // Execution gas of the core's operations, measured (docs/verifier-gas.md, `bench/profile.ts` with PROFILE_OPS),
    // used only to choose the algorithm and window.
    uint256 private constant COST_BUCKET_ADD = 465; // Pippenger: bucket += term, per term and window (loop included)
    uint256 private constant COST_TOP_SCAN = 20; // Pippenger: the top-bit test per term
    uint256 private constant COST_TOP_ADD = 470; // Pippenger: the top-bit addition, about half of the terms
    uint256 private constant COST_AGGREGATE = 960; // Pippenger: two XYZZ additions per bucket and window
    uint256 private constant COST_RESET = 25; // Pippenger: one bucket set to T per window (doubling MCOPYs)
    uint256 private constant COST_STRAUS_ADD = 420; // Straus: acc += table entry, per term and window
    uint256 private constant COST_TABLE_ENTRY = 960; // Straus: one odd multiple (XYZZ add, affine conversion, mirror)
    uint256 private constant COST_PHI_ENTRY = 140; // Straus: one entry of a phi table (beta·x)
    uint256 private constant COST_DOUBLE = 320; // one doubling of the accumulator

    /// @notice Creates a core owned by the calling contract (the core serves only its creator).
    function deployCore() internal returns (address core) {
        bytes memory initcode = MULTI_SCALAR_MUL_CORE_INITCODE;
        assembly ("memory-safe") {
            core := create(0, add(initcode, 0x20), mload(initcode))
        }
        if (core == address(0)) revert MultiScalarMulCoreNotCreated();
    }

    /// @notice Chooses the algorithm and window for `nTerms` terms (of which `nPairTerms` form GLV pairs): the plan
    ///         measured cheapest at that size (MSM_MEASURED_PLANS, generated from bench/msmPlans.ts by
    ///         contracts/crypto/msm/plans.ts), and above the measured sizes the cheaper of Straus and Pippenger by
    ///         the operation-count model below.
    function plan(uint256 nTerms, uint256 nPairTerms) internal pure returns (uint256 algorithm, uint256 window) {
        unchecked {
            // entries [maxTerms: 16][algorithm: 8][window: 8] from the low bits, ascending maxTerms, 0 ends
            for (uint256 table = MSM_MEASURED_PLANS; table != 0; table >>= 32) {
                if (nTerms <= (table >> 16) & 0xffff) return ((table >> 8) & 0xff, table & 0xff);
            }
        }
        return _modelPlan(nTerms, nPairTerms);
    }

    /// @dev The operation-count model: the cheaper of Straus and Pippenger and its window by the costs above.
    function _modelPlan(uint256 nTerms, uint256 nPairTerms) private pure returns (uint256 algorithm, uint256 window) {
        unchecked {
            uint256 best = type(uint256).max;
            for (uint256 c = MSM_PIPPENGER_MIN_WINDOW; c <= MSM_PIPPENGER_MAX_WINDOW; ++c) {
                uint256 windows = (SCALAR_BITS + c - 1) / c; // W = ceil(128 / c) full windows
                uint256 half = 1 << (c - 1);
                uint256 pip = windows * (nTerms * COST_BUCKET_ADD + half * (COST_AGGREGATE + COST_RESET))
                    + nTerms * COST_TOP_SCAN + (nTerms / 2) * COST_TOP_ADD + c * windows * COST_DOUBLE;
                if (pip < best) (best, algorithm, window) = (pip, PIPPENGER, c);
                if (c > MSM_STRAUS_MAX_WINDOW) continue; // Straus starts at the same window (build.ts checks)
                uint256 str = _strausCost(nTerms, nPairTerms, c);
                if (str < best) (best, algorithm, window) = (str, STRAUS, c);
            }
        }
    }

    /// @dev The Straus part of `plan`'s model for window c.
    function _strausCost(uint256 nTerms, uint256 nPairTerms, uint256 c) private pure returns (uint256) {
        unchecked {
            uint256 half = 1 << (c - 1);
            uint256 sw = (SCALAR_BITS + c) / c; // Straus: W = ceil(129 / c)
            uint256 built = nTerms - nPairTerms / 2; // tables built with additions (G's would come from the code)
            // memory: nTerms records (E, 2^c entries) and, per built table, the XYZZ multiples and their prefix
            // products; its expansion (3 gas a word + words^2 / 512) and the parity corrections (an addition for
            // about half of the terms) are what the model lacked when it picked Straus at ring 8, where Pippenger
            // measured cheaper (docs/verifier-gas.md, "Choice of algorithm")
            uint256 words = nTerms * (1 + 2 * (1 << c)) + built * 5 * half + 16;
            return built * half * COST_TABLE_ENTRY + (nPairTerms / 2) * (2 * half) * COST_PHI_ENTRY
                + sw * nTerms * COST_STRAUS_ADD + c * (sw - 1) * COST_DOUBLE + (nTerms / 2) * COST_STRAUS_ADD
                + 3 * words + words * words / 512;
        }
    }

    /// @notice H_c = sum_{w < W} 2^(c-1)·2^(c·w), W = ceil(128 / c): the offset that makes the digits of s + H_c
    ///         signed digits of s (IMultiScalarMulCore).
    function digitOffset(uint256 window) internal pure returns (uint256 h) {
        unchecked {
            uint256 windows = (SCALAR_BITS + window - 1) / window;
            for (uint256 w = 0; w < windows; ++w) h |= (1 << (window - 1)) << (window * w);
        }
    }

    /// @notice The fourth word of a term: (s + H_c)·64 for s < 2^128 (`index` only labels the error).
    function encodeScalar(uint256 s, uint256 offset, uint256 index) internal pure returns (uint256) {
        if (s >> SCALAR_BITS != 0) revert MultiScalarMulScalarTooLarge(index, s);
        unchecked {
            return (s + offset) << 6; // s + H_c < 2^129 + 2^(c·W): no overflow
        }
    }

    /// @notice Allocates the input for `nTerms` terms, writes the header, and returns the memory address of term 0
    ///         (the header is the 128 bytes before it).
    function allocate(uint256 nTerms, uint256 nPairTerms, uint256 algorithm, uint256 window)
        internal
        pure
        returns (uint256 terms)
    {
        assembly ("memory-safe") {
            let input := mload(0x40)
            mstore(input, algorithm) // header word 0
            mstore(add(input, 0x20), window) // header word 1
            mstore(add(input, 0x40), nPairTerms) // header word 2
            mstore(add(input, 0x60), nTerms) // header word 3
            terms := add(input, HEADER_BYTES)
            mstore(0x40, add(terms, mul(nTerms, TERM_BYTES))) // allocate header and terms
        }
    }

    /// @notice Runs the core on the input whose term 0 is at `terms` (from `allocate`): sum_j s_j·Q_j in XYZZ
    ///         coordinates (zz = 0 means O). A revert of the core is passed on unchanged.
    function sum(address core, uint256 terms)
        internal
        view
        returns (uint256 x, uint256 y, uint256 zz, uint256 zzz)
    {
        bool ok;
        assembly ("memory-safe") {
            let input := sub(terms, HEADER_BYTES)
            let size := add(HEADER_BYTES, mul(mload(add(input, 0x60)), TERM_BYTES)) // header + nTerms terms
            let out := mload(0x40) // scratch for the 4-word result, above the allocated memory
            ok := staticcall(gas(), core, input, size, out, 0x80)
            if iszero(ok) {
                returndatacopy(out, 0, returndatasize())
                revert(out, returndatasize()) // the core's custom error
            }
            x := mload(out) // X
            y := mload(add(out, 0x20)) // Y
            zz := mload(add(out, 0x40)) // ZZ
            zzz := mload(add(out, 0x60)) // ZZZ
        }
    }
}
