// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {SECP256K1_P, SECP256K1_BETA} from "./Secp256k1.sol";

/// @title MultiScalarMul: sum_j s_j·Q_j on secp256k1 for half-size (< 2^128) scalars, without any precompile.
/// @notice Input is a flat memory array of terms, 3 words each: [x, y, s] = affine point Q_j = (x, y) and its scalar
///         s_j < 2^128 (signs are folded into y by the caller: -Q = (x, p - y)). Every Q_j must be a finite curve
///         point (the caller checks this). The first `nPairTerms` terms come in pairs (Q, ±phi(Q)) with
///         phi(x, y) = (beta·x, y), the GLV endomorphism; Straus derives the second table from the first with one
///         multiplication per entry. The array is consumed: the scalars are overwritten (with s + H, below), and
///         Pippenger reorders the terms.
///         Two algorithms, picked by an operation-count model (`plan`):
///         - Straus (interleaved fixed signed windows over AFFINE tables of 1..2^(c-1) multiples per point, made
///           affine with one batch inversion, shared doublings) for few points;
///         - Pippenger (signed-digit buckets, window c) for many points.
///         Accumulators and buckets are XYZZ (x = X/ZZ, y = Y/ZZZ, ZZ^3 = ZZZ^2; O is ZZ = 0), with the EFD formulas
///         madd-2008-s, add-2008-s, dbl-2008-s-1 and mdbl-2008-s-1 for a = 0. Every degenerate case is handled:
///         P + P doubles, P + (-P) = O, O + Q = Q. (A formula that returned O for P + P would make a batch check
///         "sum == O" accept wrong inputs.)
/// @dev    Signed digits without a carry loop: with H = sum_{w<W} 2^(c·w)·2^(c-1), the base-2^c digits d'_w of s + H
///         give s = sum_w (d'_w - 2^(c-1))·2^(c·w), each digit in [-2^(c-1), 2^(c-1)). This needs s + H < 2^(c·W),
///         which holds for s < 2^128 when c·W >= 130.
///         The hot loop (`accumulate`: one mixed addition per term and window) is inline Yul with the point kept
///         in memory at its bucket and every temporary on the stack; gas profile in docs/verifier-gas.md.
library MultiScalarMul {
    /// @notice A scalar is not below 2^128 (a caller bug: GLV halves and batch weights are all < 2^128).
    error MultiScalarMulScalarTooLarge(uint256 index, uint256 scalar);
    /// @notice The term array is not 3 words per term, or the pair count is odd or too large (a caller bug).
    error MultiScalarMulMalformedTerms(uint256 words, uint256 nPairTerms);
    /// @notice Some k·Q_j with 1 <= k <= 2^(c-1) was O: Q_j was not a curve point (a caller bug; MRS1 checks every
    ///         point first).
    error MultiScalarMulNotOnCurve();
    /// @notice An unknown algorithm or a window outside [2, 12] was forced (harness misuse).
    error MultiScalarMulBadPlan(uint256 algorithm, uint256 window);

    uint256 internal constant STRAUS = 1;
    uint256 internal constant PIPPENGER = 2;

    /// @dev Scalars are below 2^SCALAR_BITS; windows cover c·W >= SCALAR_BITS + 2 bits (room for the offset H).
    uint256 private constant SCALAR_BITS = 128;

    // Operation costs (execution gas, measured on this code with debug_traceTransaction opcode totals, see
    // docs/verifier-gas.md) used only to choose algorithm and window.
    uint256 private constant COST_MADD = 612; // Pippenger bucket += affine point, incl. digit dispatch (inline madd)
    uint256 private constant COST_STRAUS_MADD = 660; // Straus acc += table entry (madd via a Yul call)
    uint256 private constant COST_ADD = 460; // XYZZ += XYZZ (add-2008-s), bucket aggregation
    uint256 private constant COST_TABLE = 1040; // one Straus table entry: a mixed addition + its share of the batch inversion
    uint256 private constant COST_PHI = 60; // one phi-table entry (beta·x)

    /// @notice sum_j s_j·Q_j in XYZZ coordinates (zz == 0 means O), algorithm and window chosen by `plan`.
    function sum(uint256[] memory terms, uint256 nPairTerms)
        internal
        pure
        returns (uint256 x, uint256 y, uint256 zz, uint256 zzz)
    {
        (uint256 algorithm, uint256 window) = plan(terms.length / 3, nPairTerms);
        return sumWith(terms, nPairTerms, algorithm, window);
    }

    /// @notice Chooses the cheaper of Straus and Pippenger and its window for `nTerms` terms (of which `nPairTerms`
    ///         form endomorphism pairs) with the operation-count model above.
    function plan(uint256 nTerms, uint256 nPairTerms) internal pure returns (uint256 algorithm, uint256 window) {
        unchecked {
            uint256 best = type(uint256).max;
            uint256 tables = nTerms - nPairTerms / 2; // points whose table Straus builds with additions
            for (uint256 c = 2; c <= 10; ++c) {
                uint256 windows = (SCALAR_BITS + 2 + c - 1) / c;
                uint256 half = 1 << (c - 1);
                uint256 busy = nTerms < half ? nTerms : half; // buckets that can be non-empty
                uint256 pip = windows * (nTerms * COST_MADD + (busy + half) * COST_ADD);
                if (pip < best) (best, algorithm, window) = (pip, PIPPENGER, c);
                uint256 str = tables * half * COST_TABLE + (nPairTerms / 2) * half * COST_PHI
                    + windows * nTerms * COST_STRAUS_MADD;
                if (str < best) (best, algorithm, window) = (str, STRAUS, c);
            }
        }
    }

    /// @notice `sum` with a forced algorithm (`STRAUS` or `PIPPENGER`) and window c in [2, 12] (tests, benchmarks).
    function sumWith(uint256[] memory terms, uint256 nPairTerms, uint256 algorithm, uint256 window)
        internal
        pure
        returns (uint256 rx, uint256 ry, uint256 rzz, uint256 rzzz)
    {
        uint256 nTerms = terms.length / 3;
        if (terms.length % 3 != 0 || nPairTerms % 2 != 0 || nPairTerms > nTerms) {
            revert MultiScalarMulMalformedTerms(terms.length, nPairTerms);
        }
        if ((algorithm != STRAUS && algorithm != PIPPENGER) || window < 2 || window > 12) {
            revert MultiScalarMulBadPlan(algorithm, window);
        }
        _offsetScalars(terms, window);
        (uint256 acc, bool finite) = _run(terms, nPairTerms, algorithm, window);
        if (!finite) revert MultiScalarMulNotOnCurve();
        assembly ("memory-safe") {
            rx := mload(acc) // X
            ry := mload(add(acc, 0x20)) // Y
            rzz := mload(add(acc, 0x40)) // ZZ
            rzzz := mload(add(acc, 0x60)) // ZZZ
        }
    }

    /// @dev Checks every s_j < 2^128 and replaces it by s_j + H, H = sum_{w<W} 2^(c·w)·2^(c-1) (library @dev).
    function _offsetScalars(uint256[] memory terms, uint256 c) private pure {
        uint256 tooLarge; // memory address of the first scalar >= 2^128, 0 if none
        assembly ("memory-safe") {
            let windows := div(add(130, sub(c, 1)), c) // W = ceil(130 / c): c·W >= 130
            let half := shl(sub(c, 1), 1) // 2^(c-1)
            let h := 0
            for { let w := 0 } lt(w, windows) { w := add(w, 1) } { h := or(h, shl(mul(c, w), half)) } // H += 2^(c·w)·half
            let end := add(terms, mul(mload(terms), 0x20)) // address of the last word
            for { let s := add(terms, 0x60) } iszero(gt(s, end)) { s := add(s, 0x60) } {
                let v := mload(s) // s_j, the third word of term j
                if shr(SCALAR_BITS, v) {
                    tooLarge := s
                    break
                }
                mstore(s, add(v, h)) // s_j + H < 2^(c·W) <= 2^256 since s_j < 2^128
            }
        }
        if (tooLarge != 0) {
            uint256 value;
            assembly ("memory-safe") {
                value := mload(tooLarge)
            }
            revert MultiScalarMulScalarTooLarge((tooLarge - 0x60 - _addressOf(terms)) / 0x60, value);
        }
    }

    /// @dev Memory address of an array's length word.
    function _addressOf(uint256[] memory a) private pure returns (uint256 at) {
        assembly ("memory-safe") {
            at := a
        }
    }

    /// @dev The multi-scalar multiplication proper, in ONE assembly block (Yul functions are local to a block, so
    ///      every point operation exists once). Returns the memory address of the XYZZ result, in a temporary
    ///      workspace above the free memory pointer (not allocated), and whether every Straus table entry was finite
    ///      (always true for curve points: k·Q != O for 1 <= k < n; false only for a caller that broke the
    ///      precondition, which `sumWith` turns into a revert rather than a wrong sum).
    function _run(uint256[] memory terms, uint256 nPairTerms, uint256 algorithm, uint256 window)
        private
        pure
        returns (uint256 result, bool allFinite)
    {
        assembly ("memory-safe") {
            // ======================================================== point operations
            // A point at address a is X = [a], Y = [a+32], ZZ = [a+64], ZZZ = [a+96] (XYZZ); ZZ = 0 encodes O.
            // Every value is reduced mod p; p - v (v < p) is the field negation -v, fed to addmod as an operand.

            // mdbl-2008-s-1 (a = 0): a := 2·(x, y) for an affine point (ZZ1 = ZZZ1 = 1).
            function mdbl(a, x, y) {
                let u := addmod(y, y, SECP256K1_P) // U = 2·Y1
                let v := mulmod(u, u, SECP256K1_P) // V = U^2
                let w := mulmod(u, v, SECP256K1_P) // W = U·V
                let s := mulmod(x, v, SECP256K1_P) // S = X1·V
                let m := mulmod(3, mulmod(x, x, SECP256K1_P), SECP256K1_P) // M = 3·X1^2
                let x3 := addmod(mulmod(m, m, SECP256K1_P), sub(SECP256K1_P, addmod(s, s, SECP256K1_P)), SECP256K1_P) // X3 = M^2 - 2·S
                mstore(a, x3)
                mstore(add(a, 0x20), addmod(mulmod(m, addmod(s, sub(SECP256K1_P, x3), SECP256K1_P), SECP256K1_P), sub(SECP256K1_P, mulmod(w, y, SECP256K1_P)), SECP256K1_P)) // Y3 = M·(S - X3) - W·Y1
                mstore(add(a, 0x40), v) // ZZ3 = V
                mstore(add(a, 0x60), w) // ZZZ3 = W
            }

            // dbl-2008-s-1 (a = 0), k times in place: a := 2^k·a, with the point on the stack between doublings.
            // O (ZZ = 0) stays O: ZZ3 = V·ZZ1 = 0.
            function dblN(a, k) {
                let x := mload(a)
                let y := mload(add(a, 0x20))
                let zz := mload(add(a, 0x40))
                let zzz := mload(add(a, 0x60))
                for {} k { k := sub(k, 1) } {
                    let u := addmod(y, y, SECP256K1_P) // U = 2·Y1
                    let v := mulmod(u, u, SECP256K1_P) // V = U^2
                    let w := mulmod(u, v, SECP256K1_P) // W = U·V
                    let s := mulmod(x, v, SECP256K1_P) // S = X1·V
                    let m := mulmod(3, mulmod(x, x, SECP256K1_P), SECP256K1_P) // M = 3·X1^2
                    zz := mulmod(v, zz, SECP256K1_P) // ZZ3 = V·ZZ1
                    zzz := mulmod(w, zzz, SECP256K1_P) // ZZZ3 = W·ZZZ1
                    x := addmod(mulmod(m, m, SECP256K1_P), sub(SECP256K1_P, addmod(s, s, SECP256K1_P)), SECP256K1_P) // X3 = M^2 - 2·S
                    y := addmod(mulmod(m, addmod(s, sub(SECP256K1_P, x), SECP256K1_P), SECP256K1_P), sub(SECP256K1_P, mulmod(w, y, SECP256K1_P)), SECP256K1_P) // Y3 = M·(S - X3) - W·Y1
                }
                mstore(a, x)
                mstore(add(a, 0x20), y)
                mstore(add(a, 0x40), zz)
                mstore(add(a, 0x60), zzz)
            }

            // madd-2008-s: a := a + (x2, y2) with (x2, y2) affine and finite; a may be O, equal to it or its negation.
            function madd(a, x2, y2) {
                let zz1 := mload(add(a, 0x40))
                if iszero(zz1) {
                    // O + Q = Q: (X, Y, ZZ, ZZZ) = (x2, y2, 1, 1)
                    mstore(a, x2)
                    mstore(add(a, 0x20), y2)
                    mstore(add(a, 0x40), 1)
                    mstore(add(a, 0x60), 1)
                    leave
                }
                let x1 := mload(a)
                let h := addmod(mulmod(x2, zz1, SECP256K1_P), sub(SECP256K1_P, x1), SECP256K1_P) // P = U2 - X1, U2 = X2·ZZ1
                let zzz1 := mload(add(a, 0x60))
                let r := addmod(mulmod(y2, zzz1, SECP256K1_P), sub(SECP256K1_P, mload(add(a, 0x20))), SECP256K1_P) // R = S2 - Y1, S2 = Y2·ZZZ1
                if iszero(h) {
                    // same x: the same point (R = 0) doubles, its negation gives O
                    if iszero(r) {
                        mdbl(a, x2, y2)
                        leave
                    }
                    mstore(add(a, 0x40), 0) // ZZ = 0: O
                    mstore(add(a, 0x60), 0)
                    leave
                }
                let pp := mulmod(h, h, SECP256K1_P) // PP = P^2
                let ppp := mulmod(h, pp, SECP256K1_P) // PPP = P·PP
                mstore(add(a, 0x40), mulmod(zz1, pp, SECP256K1_P)) // ZZ3 = ZZ1·PP
                mstore(add(a, 0x60), mulmod(zzz1, ppp, SECP256K1_P)) // ZZZ3 = ZZZ1·PPP
                let q := mulmod(x1, pp, SECP256K1_P) // Q = X1·PP
                let x3 := addmod(mulmod(r, r, SECP256K1_P), sub(SECP256K1_P, addmod(ppp, addmod(q, q, SECP256K1_P), SECP256K1_P)), SECP256K1_P) // X3 = R^2 - PPP - 2·Q
                mstore(a, x3)
                mstore(add(a, 0x20), addmod(mulmod(r, addmod(q, sub(SECP256K1_P, x3), SECP256K1_P), SECP256K1_P), sub(SECP256K1_P, mulmod(mload(add(a, 0x20)), ppp, SECP256K1_P)), SECP256K1_P)) // Y3 = R·(Q - X3) - Y1·PPP
            }

            // add-2008-s: a := a + b, both XYZZ (b is not modified; a != b as addresses).
            function add4(a, b) {
                let zz2 := mload(add(b, 0x40))
                if iszero(zz2) { leave } // a + O = a
                let zz1 := mload(add(a, 0x40))
                if iszero(zz1) {
                    // O + b = b
                    mcopy(a, b, 0x80)
                    leave
                }
                let u1 := mulmod(mload(a), zz2, SECP256K1_P) // U1 = X1·ZZ2
                let h := addmod(mulmod(mload(b), zz1, SECP256K1_P), sub(SECP256K1_P, u1), SECP256K1_P) // P = U2 - U1, U2 = X2·ZZ1
                let zzz2 := mload(add(b, 0x60))
                let zzz1 := mload(add(a, 0x60))
                let s1 := mulmod(mload(add(a, 0x20)), zzz2, SECP256K1_P) // S1 = Y1·ZZZ2
                let r := addmod(mulmod(mload(add(b, 0x20)), zzz1, SECP256K1_P), sub(SECP256K1_P, s1), SECP256K1_P) // R = S2 - S1, S2 = Y2·ZZZ1
                if iszero(h) {
                    // same x: the same point (R = 0) doubles, its negation gives O
                    if iszero(r) {
                        dblN(a, 1)
                        leave
                    }
                    mstore(add(a, 0x40), 0) // ZZ = 0: O
                    mstore(add(a, 0x60), 0)
                    leave
                }
                let pp := mulmod(h, h, SECP256K1_P) // PP = P^2
                let ppp := mulmod(h, pp, SECP256K1_P) // PPP = P·PP
                mstore(add(a, 0x40), mulmod(mulmod(zz1, zz2, SECP256K1_P), pp, SECP256K1_P)) // ZZ3 = ZZ1·ZZ2·PP
                mstore(add(a, 0x60), mulmod(mulmod(zzz1, zzz2, SECP256K1_P), ppp, SECP256K1_P)) // ZZZ3 = ZZZ1·ZZZ2·PPP
                let q := mulmod(u1, pp, SECP256K1_P) // Q = U1·PP
                let x3 := addmod(mulmod(r, r, SECP256K1_P), sub(SECP256K1_P, addmod(ppp, addmod(q, q, SECP256K1_P), SECP256K1_P)), SECP256K1_P) // X3 = R^2 - PPP - 2·Q
                mstore(a, x3)
                mstore(add(a, 0x20), addmod(mulmod(r, addmod(q, sub(SECP256K1_P, x3), SECP256K1_P), SECP256K1_P), sub(SECP256K1_P, mulmod(s1, ppp, SECP256K1_P)), SECP256K1_P)) // Y3 = R·(Q - X3) - S1·PPP
            }

            // ======================================================== field inversion
            // r = x^(2^k) (k squarings), four per loop iteration while k >= 4.
            function sqn(x, k) -> r {
                r := x
                for {} gt(k, 3) { k := sub(k, 4) } {
                    r := mulmod(r, r, SECP256K1_P) // r = r^2
                    r := mulmod(r, r, SECP256K1_P) // r = r^2
                    r := mulmod(r, r, SECP256K1_P) // r = r^2
                    r := mulmod(r, r, SECP256K1_P) // r = r^2
                }
                for {} k { k := sub(k, 1) } { r := mulmod(r, r, SECP256K1_P) } // r = r^2
            }

            // a^-1 = a^(p-2) mod p (Fermat) for a != 0, by libsecp256k1's addition chain: p - 2 has blocks of ones of
            // lengths 223, 22, 2, 1 (and single ones), built from a^(2^m - 1) for m = 2, 3, 6, 9, 11, 22, 44, 88, 176,
            // 220, 223: 255 squarings and 15 multiplications.
            function invP(a) -> r {
                let x2 := mulmod(mulmod(a, a, SECP256K1_P), a, SECP256K1_P) // a^(2^2 - 1)
                let x3 := mulmod(mulmod(x2, x2, SECP256K1_P), a, SECP256K1_P) // a^(2^3 - 1)
                let x6 := mulmod(sqn(x3, 3), x3, SECP256K1_P) // a^(2^6 - 1)
                let x9 := mulmod(sqn(x6, 3), x3, SECP256K1_P) // a^(2^9 - 1)
                let x11 := mulmod(sqn(x9, 2), x2, SECP256K1_P) // a^(2^11 - 1)
                let x22 := mulmod(sqn(x11, 11), x11, SECP256K1_P) // a^(2^22 - 1)
                let x44 := mulmod(sqn(x22, 22), x22, SECP256K1_P) // a^(2^44 - 1)
                r := mulmod(sqn(x44, 44), x44, SECP256K1_P) // a^(2^88 - 1)
                r := mulmod(sqn(r, 88), r, SECP256K1_P) // a^(2^176 - 1)
                r := mulmod(sqn(r, 44), x44, SECP256K1_P) // a^(2^220 - 1)
                r := mulmod(sqn(r, 3), x3, SECP256K1_P) // a^(2^223 - 1)
                r := mulmod(sqn(r, 23), x22, SECP256K1_P) // 223 ones, 1 zero, 22 ones
                r := mulmod(sqn(r, 5), a, SECP256K1_P) // ... 0000 1
                r := mulmod(sqn(r, 3), x2, SECP256K1_P) // ... 0 11
                r := mulmod(sqn(r, 2), a, SECP256K1_P) // ... 0 1: a^(p-2)
            }

            // ======================================================== Pippenger (signed-digit buckets)
            // bucket[|d|] += sign(d)·Q for the signed digit d = d' - half of every term in the window at `shift`.
            // lut[d'] (32 bytes each) is the address of bucket |d' - half|; digit 0 (d' = half) goes to a scratch
            // bucket that is never read, which is cheaper than a branch for the 1 in 2^c terms it concerns.
            // The mixed addition is `madd`, inlined: this loop is where almost all the gas of a large ring goes.
            function fill(t, end, shift, c, lut) {
                let half := shl(sub(c, 1), 1) // 2^(c-1)
                let mask := sub(shl(c, 1), 1) // 2^c - 1
                for {} lt(t, end) { t := add(t, 0x60) } {
                    let d := and(shr(shift, mload(add(t, 0x40))), mask) // d' = digit of s + H
                    let b := mload(add(lut, shl(5, d))) // bucket |d' - half|
                    let y2 := mload(add(t, 0x20)) // d' >= half: +Q
                    if lt(d, half) { y2 := sub(SECP256K1_P, y2) } // d' < half: -Q = (x, p - y)
                    // madd-2008-s: bucket := bucket + (x2, y2), the same formula as `madd`, deliberately inlined: calling
                    // `madd` here measured 92,562 instead of 89,317 gas per member at n = 128 (docs/verifier-gas.md)
                    let zz1 := mload(add(b, 0x40))
                    if iszero(zz1) {
                        // O + Q = Q: (X, Y, ZZ, ZZZ) = (x2, y2, 1, 1)
                        mstore(b, mload(t))
                        mstore(add(b, 0x20), y2)
                        mstore(add(b, 0x40), 1)
                        mstore(add(b, 0x60), 1)
                        continue
                    }
                    let x1 := mload(b)
                    let h := addmod(mulmod(mload(t), zz1, SECP256K1_P), sub(SECP256K1_P, x1), SECP256K1_P) // P = U2 - X1, U2 = X2·ZZ1
                    let zzz1 := mload(add(b, 0x60))
                    let r := addmod(mulmod(y2, zzz1, SECP256K1_P), sub(SECP256K1_P, mload(add(b, 0x20))), SECP256K1_P) // R = S2 - Y1, S2 = Y2·ZZZ1
                    if iszero(h) {
                        // same x: the same point (R = 0) doubles, its negation gives O
                        switch r
                        case 0 { mdbl(b, mload(t), y2) }
                        default {
                            mstore(add(b, 0x40), 0) // ZZ = 0: O
                            mstore(add(b, 0x60), 0)
                        }
                        continue
                    }
                    let pp := mulmod(h, h, SECP256K1_P) // PP = P^2
                    let ppp := mulmod(h, pp, SECP256K1_P) // PPP = P·PP
                    mstore(add(b, 0x40), mulmod(zz1, pp, SECP256K1_P)) // ZZ3 = ZZ1·PP
                    mstore(add(b, 0x60), mulmod(zzz1, ppp, SECP256K1_P)) // ZZZ3 = ZZZ1·PPP
                    let q := mulmod(x1, pp, SECP256K1_P) // Q = X1·PP
                    let x3 := addmod(mulmod(r, r, SECP256K1_P), sub(SECP256K1_P, addmod(ppp, addmod(q, q, SECP256K1_P), SECP256K1_P)), SECP256K1_P) // X3 = R^2 - PPP - 2·Q
                    mstore(b, x3)
                    mstore(add(b, 0x20), addmod(mulmod(r, addmod(q, sub(SECP256K1_P, x3), SECP256K1_P), SECP256K1_P), sub(SECP256K1_P, mulmod(mload(add(b, 0x20)), ppp, SECP256K1_P)), SECP256K1_P)) // Y3 = R·(Q - X3) - Y1·PPP
                }
            }

            // acc at ws; running sum at ws + 128, window sum at ws + 256, scratch bucket at ws + 384, buckets
            // 1..half from ws + 512 (128 bytes each), then lut (2^c words).
            function pippenger(termsStart, termsEnd, c, ws) {
                let windows := div(add(130, sub(c, 1)), c) // W = ceil(130 / c): c·W >= 130
                let half := shl(sub(c, 1), 1) // 2^(c-1)
                let buckets := add(ws, 0x200)
                let bucketsEnd := add(buckets, shl(7, half)) // half buckets of 128 bytes
                let lut := bucketsEnd
                for { let d := 0 } lt(d, shl(c, 1)) { d := add(d, 1) } {
                    let k := sub(d, half) // signed digit d' - half ...
                    if lt(d, half) { k := sub(half, d) } // ... its magnitude
                    let b := add(buckets, shl(7, sub(k, 1))) // bucket k at buckets + 128·(k - 1)
                    if iszero(k) { b := add(ws, 0x180) } // digit 0: scratch bucket
                    mstore(add(lut, shl(5, d)), b)
                }
                // The top window is mostly empty (for c = 8 its signed digit is 0 or 1: s < 2^128 leaves only H's
                // half plus a carry there), so its digit-0 terms are not visited at all: the terms with a nonzero top
                // digit (d' != half) are moved to the front of the array (the order of terms does not change the sum)
                // and the top window's fill stops after them.
                let topEnd := termsStart // end of the terms with a nonzero top digit
                {
                    let topShift := mul(c, sub(windows, 1)) // bit position of the top window
                    let mask := sub(shl(c, 1), 1) // 2^c - 1
                    for { let t := termsStart } lt(t, termsEnd) { t := add(t, 0x60) } {
                        let s := mload(add(t, 0x40))
                        if iszero(eq(and(shr(topShift, s), mask), half)) {
                            // top digit d' != half: swap term t with the term at topEnd (3 words each)
                            if iszero(eq(t, topEnd)) {
                                let x := mload(t)
                                let y := mload(add(t, 0x20))
                                mstore(t, mload(topEnd))
                                mstore(add(t, 0x20), mload(add(topEnd, 0x20)))
                                mstore(add(t, 0x40), mload(add(topEnd, 0x40)))
                                mstore(topEnd, x)
                                mstore(add(topEnd, 0x20), y)
                                mstore(add(topEnd, 0x40), s)
                            }
                            topEnd := add(topEnd, 0x60)
                        }
                    }
                }
                let run := add(ws, 0x80)
                let win := add(ws, 0x100)
                mstore(add(ws, 0x40), 0) // acc = O
                for { let w := windows } w {} {
                    w := sub(w, 1)
                    if mload(add(ws, 0x40)) { dblN(ws, c) } // acc = 2^c·acc (Horner step between windows)
                    for { let b := buckets } lt(b, bucketsEnd) { b := add(b, 0x80) } { mstore(add(b, 0x40), 0) } // buckets = O
                    let end := termsEnd
                    if eq(w, sub(windows, 1)) { end := topEnd } // top window: only the nonzero-digit terms
                    fill(termsStart, end, mul(c, w), c, lut)
                    // window sum = sum_k k·bucket[k] = sum_{k=half..1} (running sum of the buckets >= k)
                    mstore(add(run, 0x40), 0) // running = O
                    mstore(add(win, 0x40), 0) // window sum = O
                    for { let b := bucketsEnd } gt(b, buckets) {} {
                        b := sub(b, 0x80)
                        add4(run, b) // running += bucket[k]
                        add4(win, run) // window += running
                    }
                    add4(ws, win) // acc += window sum
                }
            }

            // ======================================================== Straus (interleaved windows, affine tables)
            // Table of term j: affine multiples k·Q_j, k = 1..half, at tables + j·tsize + 64·(k - 1), tsize = 64·half.

            // Builds every table; returns false if some entry was O (impossible for curve points).
            // 1. XYZZ multiples of each term that is not the second of a pair, in `stage` (128 bytes per entry);
            // 2. one batch inversion of all their ZZZ (Montgomery: prefix products, one inversion, a backward pass),
            //    giving x = X/ZZ, y = Y/ZZZ with 1/ZZ = (ZZ/ZZZ)^2 (since ZZ^3 = ZZZ^2);
            // 3. the second term of a pair, ±phi(Q), gets (beta·x, ±y) of its partner's entries: k·phi(Q) = phi(k·Q).
            function strausTables(termsStart, termsEnd, pairsEnd, c, tables) -> finite {
                let tsize := shl(add(c, 5), 1) // half entries of 64 bytes
                let stage := add(tables, mul(div(sub(termsEnd, termsStart), 0x60), tsize)) // 2·tsize per term
                let pre := add(stage, shl(1, mul(div(sub(termsEnd, termsStart), 0x60), tsize))) // tsize/2 per term
                let prod := 1 // product of the ZZZ of all entries so far
                for { let t := termsStart } lt(t, termsEnd) { t := add(t, 0x60) } {
                    let j := div(sub(t, termsStart), 0x60)
                    if and(lt(t, pairsEnd), and(j, 1)) { continue } // second of a pair: step 3
                    let sg := add(stage, mul(j, shl(1, tsize)))
                    let x := mload(t)
                    let y := mload(add(t, 0x20))
                    mstore(sg, x) // 1·Q = (x, y, 1, 1)
                    mstore(add(sg, 0x20), y)
                    mstore(add(sg, 0x40), 1)
                    mstore(add(sg, 0x60), 1)
                    mdbl(add(sg, 0x80), x, y) // 2·Q (half >= 2 since c >= 2)
                    for { let e := add(sg, 0x100) } lt(e, add(sg, shl(1, tsize))) { e := add(e, 0x80) } {
                        mcopy(e, sub(e, 0x80), 0x80) // (k+1)·Q = k·Q ...
                        madd(e, x, y) // ... + Q
                    }
                    let pr := add(pre, mul(j, shr(1, tsize)))
                    for { let k := 0 } lt(k, shr(6, tsize)) { k := add(k, 1) } {
                        mstore(add(pr, shl(5, k)), prod) // pre[k] = product of the ZZZ before entry k
                        prod := mulmod(prod, mload(add(sg, add(shl(7, k), 0x60))), SECP256K1_P) // prod ·= ZZZ_k
                    }
                }
                finite := iszero(iszero(prod)) // every ZZZ != 0
                let inv := invP(prod) // 1 / (product of all ZZZ)
                for { let t := termsEnd } gt(t, termsStart) {} {
                    t := sub(t, 0x60)
                    let j := div(sub(t, termsStart), 0x60)
                    if and(lt(t, pairsEnd), and(j, 1)) { continue }
                    let sg := add(stage, mul(j, shl(1, tsize)))
                    let pr := add(pre, mul(j, shr(1, tsize)))
                    let tb := add(tables, mul(j, tsize))
                    for { let k := shr(6, tsize) } k {} {
                        k := sub(k, 1)
                        let e := add(sg, shl(7, k))
                        let izzz := mulmod(inv, mload(add(pr, shl(5, k))), SECP256K1_P) // 1/ZZZ_k = inv · pre[k]
                        inv := mulmod(inv, mload(add(e, 0x60)), SECP256K1_P) // inv = 1 / (product before entry k)
                        let iz := mulmod(mload(add(e, 0x40)), izzz, SECP256K1_P) // ZZ/ZZZ = 1/Z
                        mstore(add(tb, shl(6, k)), mulmod(mload(e), mulmod(iz, iz, SECP256K1_P), SECP256K1_P)) // x = X·(1/Z)^2 = X/ZZ
                        mstore(add(tb, add(shl(6, k), 0x20)), mulmod(mload(add(e, 0x20)), izzz, SECP256K1_P)) // y = Y/ZZZ
                    }
                }
                for { let t := add(termsStart, 0x60) } lt(t, pairsEnd) { t := add(t, 0xc0) } {
                    let tb := add(tables, mul(div(sub(t, termsStart), 0x60), tsize))
                    let neg := iszero(eq(mload(add(t, 0x20)), mload(sub(t, 0x40)))) // ±phi: y differs from the partner's
                    for { let e := tb } lt(e, add(tb, tsize)) { e := add(e, 0x40) } {
                        mstore(e, mulmod(SECP256K1_BETA, mload(sub(e, tsize)), SECP256K1_P)) // x' = beta·x
                        let y := mload(add(sub(e, tsize), 0x20))
                        if neg { y := sub(SECP256K1_P, y) } // y' = -y
                        mstore(add(e, 0x20), y)
                    }
                }
            }

            // acc += sum_j d_j·Q_j for the signed digits d_j = d'_j - half of the window at `shift`
            function strausWindow(t, end, shift, c, tb, acc) {
                let half := shl(sub(c, 1), 1) // 2^(c-1)
                let mask := sub(shl(c, 1), 1) // 2^c - 1
                let tsize := shl(add(c, 5), 1) // bytes per table
                let up := sub(tb, shl(6, add(half, 1))) // entry d' - half of table 0 at up + 64·d'
                let down := add(tb, shl(6, sub(half, 1))) // entry half - d' of table 0 at down - 64·d'
                for {} lt(t, end) { t := add(t, 0x60) } {
                    let d := and(shr(shift, mload(add(t, 0x40))), mask) // d' = digit of s + H
                    if gt(d, half) {
                        let e := add(up, shl(6, d))
                        madd(acc, mload(e), mload(add(e, 0x20))) // acc += T[d' - half]
                    }
                    if lt(d, half) {
                        let e := sub(down, shl(6, d))
                        madd(acc, mload(e), sub(SECP256K1_P, mload(add(e, 0x20)))) // acc += -T[half - d']
                    }
                    up := add(up, tsize) // next table
                    down := add(down, tsize)
                }
            }

            function straus(termsStart, termsEnd, pairsEnd, c, ws) -> finite {
                let tables := add(ws, 0x80)
                finite := strausTables(termsStart, termsEnd, pairsEnd, c, tables)
                let windows := div(add(130, sub(c, 1)), c) // W = ceil(130 / c)
                mstore(add(ws, 0x40), 0) // acc = O
                for { let w := windows } w {} {
                    w := sub(w, 1)
                    if mload(add(ws, 0x40)) { dblN(ws, c) } // acc = 2^c·acc
                    strausWindow(termsStart, termsEnd, mul(c, w), c, tables, ws)
                }
            }

            // ======================================================== dispatch
            let ws := mload(0x40)
            result := ws
            let termsStart := add(terms, 0x20)
            let termsEnd := add(termsStart, mul(mload(terms), 0x20))
            allFinite := 1
            switch algorithm
            case 1 { allFinite := straus(termsStart, termsEnd, add(termsStart, mul(nPairTerms, 0x60)), window, ws) }
            default { pippenger(termsStart, termsEnd, window, ws) }
        }
    }
}
