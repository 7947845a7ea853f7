// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {SECP256K1_P, SECP256K1_BETA} from "./Secp256k1.sol";

/// @title MultiScalarMul: sum_j s_j·Q_j on secp256k1 for half-size (< 2^128) scalars, without any precompile.
/// @notice Input is a flat memory array of terms, 3 words each: [x, y, s] = affine point Q_j = (x, y) and its scalar
///         s_j < 2^128 (signs are folded into y by the caller: -Q = (x, p - y)). The first `nPairTerms` terms come in
///         pairs (Q, ±phi(Q)) with phi(x, y) = (beta·x, y), the GLV endomorphism; Straus uses that to derive the
///         second table from the first with one multiplication per entry.
///         Two algorithms, picked by an operation-count model (`plan`):
///         - Straus (interleaved fixed signed windows, one table of 1..2^(c-1) multiples per point, shared doublings)
///           for few points;
///         - Pippenger (signed-digit buckets, window c) for many points.
///         Both use XYZZ coordinates (x = X/ZZ, y = Y/ZZZ, ZZ^3 = ZZZ^2; O is ZZ = 0), with the EFD formulas
///         madd-2008-s, add-2008-s, dbl-2008-s-1 and mdbl-2008-s-1 for a = 0, and handle every degenerate case:
///         P + P doubles, P + (-P) = O, O + Q = Q. (A formula that returned O for P + P would make a batch check
///         "sum == O" accept wrong inputs.)
/// @dev    Signed digits without a carry loop: with H = sum_{w<W} 2^(c·w)·2^(c-1), the base-2^c digits d'_w of s + H
///         give s = sum_w (d'_w - 2^(c-1))·2^(c·w), each digit in [-2^(c-1), 2^(c-1)). This needs s + H < 2^(c·W),
///         which holds for s < 2^128 when c·W >= 130.
library MultiScalarMul {
    /// @notice A scalar is not below 2^128 (a caller bug: GLV halves and batch weights are all < 2^128).
    error MultiScalarMulScalarTooLarge(uint256 index, uint256 scalar);
    /// @notice The term array is not 3 words per term, or the pair count is odd or too large (a caller bug).
    error MultiScalarMulMalformedTerms(uint256 words, uint256 nPairTerms);
    /// @notice An unknown algorithm or a window outside [2, 12] was forced (harness misuse).
    error MultiScalarMulBadPlan(uint256 algorithm, uint256 window);

    uint256 internal constant STRAUS = 1;
    uint256 internal constant PIPPENGER = 2;

    /// @dev Scalars are below 2^SCALAR_BITS; windows cover c·W >= SCALAR_BITS + 2 bits (room for the offset H).
    uint256 private constant SCALAR_BITS = 128;

    // Operation costs (gas, measured with bench/gas.ts on this code) used only to choose algorithm and window.
    uint256 private constant COST_MADD = 300; // bucket/table += affine point (madd-2008-s, memory operands)
    uint256 private constant COST_ADD = 390; // XYZZ += XYZZ (add-2008-s)
    uint256 private constant COST_DIGIT = 45; // digit extraction and dispatch for one term in one window
    uint256 private constant COST_PHI = 50; // one phi-table entry (beta·X)

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
                uint256 pip = windows * (nTerms * (COST_MADD + COST_DIGIT) + (busy + half) * COST_ADD);
                if (pip < best) (best, algorithm, window) = (pip, PIPPENGER, c);
                uint256 str = tables * (half - 1) * COST_MADD + (nPairTerms / 2) * half * COST_PHI
                    + windows * nTerms * (COST_ADD + COST_DIGIT);
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
        for (uint256 j; j < nTerms; ++j) {
            uint256 s = terms[3 * j + 2];
            if (s >> SCALAR_BITS != 0) revert MultiScalarMulScalarTooLarge(j, s);
        }
        assembly ("memory-safe") {
            // ---------------------------------------------------------------- XYZZ point operations (in memory)
            // A point at address a is X = [a], Y = [a+32], ZZ = [a+64], ZZZ = [a+96]; ZZ = 0 encodes O.

            // dbl-2008-s-1 (a = 0), in place: a := 2·a. For O (ZZ = 0) the result keeps ZZ = 0.
            function dbl(a) {
                let p := SECP256K1_P
                let x1 := mload(a)
                let y1 := mload(add(a, 0x20))
                let u := addmod(y1, y1, p) // U = 2·Y1
                let v := mulmod(u, u, p) // V = U^2
                let w := mulmod(u, v, p) // W = U·V
                let s := mulmod(x1, v, p) // S = X1·V
                let m := mulmod(3, mulmod(x1, x1, p), p) // M = 3·X1^2 (+ a·ZZ1^2 with a = 0)
                let x3 := addmod(mulmod(m, m, p), sub(p, addmod(s, s, p)), p) // X3 = M^2 - 2·S
                mstore(a, x3)
                mstore(add(a, 0x20), addmod(mulmod(m, addmod(s, sub(p, x3), p), p), sub(p, mulmod(w, y1, p)), p)) // Y3 = M·(S - X3) - W·Y1
                mstore(add(a, 0x40), mulmod(v, mload(add(a, 0x40)), p)) // ZZ3 = V·ZZ1
                mstore(add(a, 0x60), mulmod(w, mload(add(a, 0x60)), p)) // ZZZ3 = W·ZZZ1
            }

            // mdbl-2008-s-1 (a = 0): a := 2·(x2, y2) for an affine point (ZZ1 = ZZZ1 = 1).
            function mdbl(a, x2, y2) {
                let p := SECP256K1_P
                let u := addmod(y2, y2, p) // U = 2·Y1
                let v := mulmod(u, u, p) // V = U^2
                let w := mulmod(u, v, p) // W = U·V
                let s := mulmod(x2, v, p) // S = X1·V
                let m := mulmod(3, mulmod(x2, x2, p), p) // M = 3·X1^2
                let x3 := addmod(mulmod(m, m, p), sub(p, addmod(s, s, p)), p) // X3 = M^2 - 2·S
                mstore(a, x3)
                mstore(add(a, 0x20), addmod(mulmod(m, addmod(s, sub(p, x3), p), p), sub(p, mulmod(w, y2, p)), p)) // Y3 = M·(S - X3) - W·Y1
                mstore(add(a, 0x40), v) // ZZ3 = V
                mstore(add(a, 0x60), w) // ZZZ3 = W
            }

            // madd-2008-s: a := a + (x2, y2) with (x2, y2) affine and finite.
            function madd(a, x2, y2) {
                let p := SECP256K1_P
                let zz1 := mload(add(a, 0x40))
                if iszero(zz1) {
                    // O + Q = Q: (X, Y, ZZ, ZZZ) = (x2, y2, 1, 1)
                    mstore(a, x2)
                    mstore(add(a, 0x20), y2)
                    mstore(add(a, 0x40), 1)
                    mstore(add(a, 0x60), 1)
                    leave
                }
                let zzz1 := mload(add(a, 0x60))
                let x1 := mload(a)
                let y1 := mload(add(a, 0x20))
                let h := addmod(mulmod(x2, zz1, p), sub(p, x1), p) // P = U2 - X1, U2 = X2·ZZ1
                let r := addmod(mulmod(y2, zzz1, p), sub(p, y1), p) // R = S2 - Y1, S2 = Y2·ZZZ1
                if iszero(h) {
                    // same x: either the same point (R = 0) -> double, or its negation -> O
                    if iszero(r) {
                        mdbl(a, x2, y2)
                        leave
                    }
                    mstore(add(a, 0x40), 0) // ZZ = 0: O
                    mstore(add(a, 0x60), 0)
                    leave
                }
                let pp := mulmod(h, h, p) // PP = P^2
                let ppp := mulmod(h, pp, p) // PPP = P·PP
                mstore(add(a, 0x40), mulmod(zz1, pp, p)) // ZZ3 = ZZ1·PP
                mstore(add(a, 0x60), mulmod(zzz1, ppp, p)) // ZZZ3 = ZZZ1·PPP
                let q := mulmod(x1, pp, p) // Q = X1·PP
                let x3 := addmod(mulmod(r, r, p), sub(p, addmod(ppp, addmod(q, q, p), p)), p) // X3 = R^2 - PPP - 2·Q
                mstore(a, x3)
                mstore(add(a, 0x20), addmod(mulmod(r, addmod(q, sub(p, x3), p), p), sub(p, mulmod(y1, ppp, p)), p)) // Y3 = R·(Q - X3) - Y1·PPP
            }

            // add-2008-s: a := a + (neg ? -b : b), both XYZZ (b is not modified; a != b).
            function add4(a, b, neg) {
                let p := SECP256K1_P
                let zz2 := mload(add(b, 0x40))
                if iszero(zz2) { leave } // a + O = a
                let y2 := mload(add(b, 0x20))
                if neg { y2 := sub(p, y2) } // -(X, Y, ZZ, ZZZ) = (X, -Y, ZZ, ZZZ)
                let zz1 := mload(add(a, 0x40))
                if iszero(zz1) {
                    // O + b = b
                    mstore(a, mload(b))
                    mstore(add(a, 0x20), y2)
                    mstore(add(a, 0x40), zz2)
                    mstore(add(a, 0x60), mload(add(b, 0x60)))
                    leave
                }
                let u1 := mulmod(mload(a), zz2, p) // U1 = X1·ZZ2
                let h := addmod(mulmod(mload(b), zz1, p), sub(p, u1), p) // P = U2 - U1, U2 = X2·ZZ1
                let zz3 := mulmod(zz1, zz2, p) // ZZ1·ZZ2 (ZZ3 = ZZ1·ZZ2·PP below)
                let zzz2 := mload(add(b, 0x60))
                let zzz1 := mload(add(a, 0x60))
                let s1 := mulmod(mload(add(a, 0x20)), zzz2, p) // S1 = Y1·ZZZ2
                let r := addmod(mulmod(y2, zzz1, p), sub(p, s1), p) // R = S2 - S1, S2 = Y2·ZZZ1
                let zzz3 := mulmod(zzz1, zzz2, p) // ZZZ1·ZZZ2 (ZZZ3 = ZZZ1·ZZZ2·PPP below)
                if iszero(h) {
                    // same x: the same point (R = 0) -> double, or its negation -> O
                    if iszero(r) {
                        dbl(a)
                        leave
                    }
                    mstore(add(a, 0x40), 0) // ZZ = 0: O
                    mstore(add(a, 0x60), 0)
                    leave
                }
                let pp := mulmod(h, h, p) // PP = P^2
                let ppp := mulmod(h, pp, p) // PPP = P·PP
                mstore(add(a, 0x40), mulmod(zz3, pp, p)) // ZZ3 = ZZ1·ZZ2·PP
                mstore(add(a, 0x60), mulmod(zzz3, ppp, p)) // ZZZ3 = ZZZ1·ZZZ2·PPP
                let q := mulmod(u1, pp, p) // Q = U1·PP
                let x3 := addmod(mulmod(r, r, p), sub(p, addmod(ppp, addmod(q, q, p), p)), p) // X3 = R^2 - PPP - 2·Q
                mstore(a, x3)
                mstore(add(a, 0x20), addmod(mulmod(r, addmod(q, sub(p, x3), p), p), sub(p, mulmod(s1, ppp, p)), p)) // Y3 = R·(Q - X3) - S1·PPP
            }

            // H = sum_{w<W} 2^(c·w) · 2^(c-1): the offset that turns base-2^c digits of s + H into signed digits.
            function digitOffset(c, windows) -> h {
                let half := shl(sub(c, 1), 1) // 2^(c-1)
                for { let w := 0 } lt(w, windows) { w := add(w, 1) } { h := or(h, shl(mul(c, w), half)) } // h += 2^(c·w)·half
            }

            // ---------------------------------------------------------------- Pippenger (bucket method)
            // acc at ws; running sum at ws+128, window sum at ws+256; buckets 1..2^(c-1) from ws+384, 128 bytes each.

            // bucket[|d|] += sign(d)·Q_j for the signed digit d = d' - half of every term in the window at `shift`
            function fillBuckets(termsStart, termsEnd, shift, offset, c, buckets) {
                let half := shl(sub(c, 1), 1) // 2^(c-1)
                let mask := sub(shl(c, 1), 1) // 2^c - 1
                for { let t := termsStart } lt(t, termsEnd) { t := add(t, 0x60) } {
                    let d := and(shr(shift, add(mload(add(t, 0x40)), offset)), mask) // d' = digit of s + H
                    if gt(d, half) {
                        // d = d' - half > 0: bucket d gets +Q (bucket k at buckets + 128·(k-1))
                        madd(add(buckets, shl(7, sub(d, add(half, 1)))), mload(t), mload(add(t, 0x20)))
                        continue
                    }
                    if lt(d, half) {
                        // d = d' - half < 0: bucket -d = half - d' gets -Q = (x, p - y)
                        madd(add(buckets, shl(7, sub(sub(half, d), 1))), mload(t), sub(SECP256K1_P, mload(add(t, 0x20))))
                    }
                }
            }

            // acc += sum_k k·bucket[k], as sum_{k=half..1} (running sum of the buckets >= k)
            function aggregate(ws, buckets, bucketsEnd) {
                let run := add(ws, 0x80)
                let win := add(ws, 0x100)
                mstore(add(run, 0x40), 0) // running = O
                mstore(add(win, 0x40), 0) // window sum = O
                for { let b := bucketsEnd } gt(b, buckets) {} {
                    b := sub(b, 0x80)
                    add4(run, b, 0) // running += bucket[k]
                    add4(win, run, 0) // window += running
                }
                add4(ws, win, 0) // acc += window sum
            }

            function pippenger(termsStart, termsEnd, c, ws) {
                let windows := div(add(130, sub(c, 1)), c) // W = ceil(130 / c): c·W >= 130
                let offset := digitOffset(c, windows)
                let buckets := add(ws, 0x180)
                let bucketsEnd := add(buckets, shl(add(6, c), 1)) // 2^(c-1) buckets of 128 bytes
                mstore(add(ws, 0x40), 0) // acc = O
                for { let w := windows } w {} {
                    w := sub(w, 1)
                    // acc = 2^c · acc (Horner step between windows)
                    if mload(add(ws, 0x40)) { for { let i := 0 } lt(i, c) { i := add(i, 1) } { dbl(ws) } }
                    // all buckets O
                    for { let b := buckets } lt(b, bucketsEnd) { b := add(b, 0x80) } { mstore(add(b, 0x40), 0) }
                    fillBuckets(termsStart, termsEnd, mul(c, w), offset, c, buckets)
                    aggregate(ws, buckets, bucketsEnd)
                }
            }

            // ---------------------------------------------------------------- Straus (interleaved windows)
            // acc at ws; table of term j (multiples 1..half of Q_j, XYZZ) at ws + 128 + j·128·half.

            // tables[j][k-1] = k·Q_j for k = 1..half; the second term of a pair reuses the first's table via phi.
            function buildTables(termsStart, termsEnd, pairsEnd, tables, tsize) {
                let tb := tables
                for { let t := termsStart } lt(t, termsEnd) { t := add(t, 0x60) } {
                    switch and(lt(t, pairsEnd), and(div(sub(t, termsStart), 0x60), 1)) // second of a pair?
                    case 1 {
                        // Q_j = ±phi(Q_{j-1}): k·phi(Q) = (beta·X, Y, ZZ, ZZZ) of k·Q; negate Y when the signs differ
                        let neg := iszero(eq(mload(add(t, 0x20)), mload(sub(t, 0x40))))
                        let src := sub(tb, tsize)
                        for { let k := 0 } lt(k, tsize) { k := add(k, 0x80) } {
                            let e := add(tb, k)
                            let s := add(src, k)
                            mstore(e, mulmod(SECP256K1_BETA, mload(s), SECP256K1_P)) // X' = beta·X
                            let y := mload(add(s, 0x20))
                            if neg { y := sub(SECP256K1_P, y) } // Y' = -Y
                            mstore(add(e, 0x20), y)
                            mstore(add(e, 0x40), mload(add(s, 0x40))) // ZZ' = ZZ
                            mstore(add(e, 0x60), mload(add(s, 0x60))) // ZZZ' = ZZZ
                        }
                    }
                    default {
                        let x := mload(t)
                        let y := mload(add(t, 0x20))
                        mstore(tb, x) // T[1] = (x, y, 1, 1)
                        mstore(add(tb, 0x20), y)
                        mstore(add(tb, 0x40), 1)
                        mstore(add(tb, 0x60), 1)
                        mdbl(add(tb, 0x80), x, y) // T[2] = 2·Q (half >= 2 since c >= 2)
                        for { let k := 0x100 } lt(k, tsize) { k := add(k, 0x80) } {
                            let e := add(tb, k)
                            mstore(e, mload(sub(e, 0x80))) // T[k+1] = T[k] ...
                            mstore(add(e, 0x20), mload(sub(e, 0x60)))
                            mstore(add(e, 0x40), mload(sub(e, 0x40)))
                            mstore(add(e, 0x60), mload(sub(e, 0x20)))
                            madd(e, x, y) // ... + Q
                        }
                    }
                    tb := add(tb, tsize)
                }
            }

            // acc += sum_j d_j·Q_j for the signed digits d_j of the window at `shift`
            function strausWindow(termsStart, termsEnd, shift, offset, c, ws) {
                let half := shl(sub(c, 1), 1) // 2^(c-1)
                let mask := sub(shl(c, 1), 1) // 2^c - 1
                let tsize := shl(add(6, c), 1) // bytes per table: half entries of 128 bytes
                let tb := add(ws, 0x80)
                for { let t := termsStart } lt(t, termsEnd) { t := add(t, 0x60) } {
                    let d := and(shr(shift, add(mload(add(t, 0x40)), offset)), mask) // d' = digit of s + H
                    if gt(d, half) { add4(ws, add(tb, shl(7, sub(d, add(half, 1)))), 0) } // acc += T[d' - half]
                    if lt(d, half) { add4(ws, add(tb, shl(7, sub(sub(half, d), 1))), 1) } // acc -= T[half - d']
                    tb := add(tb, tsize)
                }
            }

            function straus(termsStart, termsEnd, pairsEnd, c, ws) {
                let windows := div(add(130, sub(c, 1)), c) // W = ceil(130 / c)
                let offset := digitOffset(c, windows)
                buildTables(termsStart, termsEnd, pairsEnd, add(ws, 0x80), shl(add(6, c), 1))
                // acc = 2^c·acc + sum_j d_{j,w}·Q_j, windows from the top
                mstore(add(ws, 0x40), 0) // acc = O
                for { let w := windows } w {} {
                    w := sub(w, 1)
                    if mload(add(ws, 0x40)) { for { let i := 0 } lt(i, c) { i := add(i, 1) } { dbl(ws) } } // acc = 2^c·acc
                    strausWindow(termsStart, termsEnd, mul(c, w), offset, c, ws)
                }
            }

            // ---------------------------------------------------------------- dispatch
            let ws := mload(0x40) // workspace above the free memory pointer (not allocated: temporary)
            let termsStart := add(terms, 0x20)
            let termsEnd := add(termsStart, mul(nTerms, 0x60))
            switch algorithm
            case 1 { straus(termsStart, termsEnd, add(termsStart, mul(nPairTerms, 0x60)), window, ws) }
            default { pippenger(termsStart, termsEnd, window, ws) }
            rx := mload(ws)
            ry := mload(add(ws, 0x20))
            rzz := mload(add(ws, 0x40))
            rzzz := mload(add(ws, 0x60))
        }
    }
}
