// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AffinePoint, RingSignature, VerificationHints, IRingVerifier} from "../interfaces/IRingVerifier.sol";
import {Secp256k1, SECP256K1_P, SECP256K1_N, SECP256K1_B, SECP256K1_GX, SECP256K1_GY, SECP256K1_BETA} from "./Secp256k1.sol";
import {MultiScalarMul} from "./MultiScalarMul.sol";

/// @title MRS1: verification of MRS-1 linkable ring signatures (shared/spec/ring-signature.md) with caller hints.
/// @notice Accepts exactly what MRS-1 §Verification accepts; the hints only save work, and a wrong hint can only
///         make it reject. The per-member scalar multiplications are replaced by ONE batch check
///             sum_i z_i·(e_i·G + c_i·P_i - L_i) + z'_i·(e_i·H_i + c_i·I - R_i) == O
///         with 128-bit Fiat-Shamir weights z_i, z'_i (soundness argument: docs/batch-verification.md).
library MRS1 {
    /// @dev TAG_H2P = keccak256("MEDRING-V1-H2P"), the domain tag of MRS-1 §Hash to point.
    uint256 internal constant TAG_H2P = 0x24bcb9bde71412ab007b343fc7b9a18ec95ddd0d99bb4868504b261ec82b75de;
    /// @dev TAG_CHALLENGE = keccak256("MEDRING-V1-CHALLENGE"), the domain tag of MRS-1 §Challenge.
    uint256 internal constant TAG_CHALLENGE = 0xec4bd23fa0702e5b75ccb73c3d137b292f57d52cb6252729015ffef9c521c10d;
    /// @dev TAG_BATCH = keccak256("MEDRING-V1-BATCH-WEIGHTS"): not part of MRS-1 (no signer computes it); it
    ///      separates this verifier's Fiat-Shamir batch weights from every hash the scheme itself defines.
    uint256 internal constant TAG_BATCH = 0x440c34be017868d28a0f4b6259439b1c5724b5c55394bcc8bd0c7113d9e2faca;

    /// @dev Terms per member in the multi-scalar multiplication: P_i, phi(P_i), H_i, phi(H_i) (two GLV pairs) and
    ///      the singles L_i, R_i. G and I add one pair each. Term = 3 words [x, y, s] (MultiScalarMul).
    uint256 private constant PAIR_TERMS_PER_MEMBER = 4;
    uint256 private constant SINGLE_TERMS_PER_MEMBER = 2;

    /// @notice MRS-1 §Verification with hints; never reverts on bad data.
    /// @return ok true exactly when MRS-1 accepts (scope, message, sig).
    /// @return reason the first failed check, `None` when ok.
    function tryVerify(bytes32 scope, bytes32 message, RingSignature calldata sig, VerificationHints calldata hints)
        internal
        pure
        returns (bool ok, IRingVerifier.Reason reason)
    {
        reason = _checkShape(sig, hints);
        if (reason == IRingVerifier.Reason.None) reason = _checkRing(sig);
        if (reason == IRingVerifier.Reason.None) reason = _checkScalars(sig.c, sig.e);
        uint256[] memory terms;
        if (reason == IRingVerifier.Reason.None) (reason, terms) = _hashPoints(scope, sig.ring, hints);
        if (reason == IRingVerifier.Reason.None) reason = _checkCommitments(hints.commitmentsL, hints.commitmentsR);
        uint256 digest;
        if (reason == IRingVerifier.Reason.None) (reason, digest) = _checkChallenge(scope, message, sig, hints);
        if (reason == IRingVerifier.Reason.None) reason = _batchCheck(digest, sig, hints, terms);
        ok = reason == IRingVerifier.Reason.None;
    }

    /// @dev MRS-1 §Verification 1 (n >= 1, n values of c and e) and the hint arrays' lengths.
    function _checkShape(RingSignature calldata sig, VerificationHints calldata hints)
        private
        pure
        returns (IRingVerifier.Reason)
    {
        uint256 n = sig.ring.length;
        if (n == 0) return IRingVerifier.Reason.RingEmpty;
        if (
            sig.c.length != n || sig.e.length != n || hints.hashPointY.length != n || hints.hashCounters.length != n
                || hints.commitmentsL.length != n || hints.commitmentsR.length != n
        ) return IRingVerifier.Reason.LengthMismatch;
        uint8[] calldata counters = hints.hashCounters;
        uint256 roots;
        bool badCounter;
        assembly ("memory-safe") {
            for { let i := 0 } lt(i, n) { i := add(i, 1) } {
                let ctr := calldataload(add(counters.offset, shl(5, i))) // hashCounters[i], raw ABI word
                badCounter := or(badCounter, gt(ctr, 255)) // not a uint8: malformed hint
                roots := add(roots, ctr) // sum of counters = number of non-residue roots
            }
        }
        if (badCounter) return IRingVerifier.Reason.HashPointHintInvalid;
        if (hints.nonResidueRoots.length != roots) return IRingVerifier.Reason.LengthMismatch;
        return IRingVerifier.Reason.None;
    }

    /// @dev MRS-1 §Verification 3 (every P_i and I a finite curve point, coordinates < p), then 2 (strictly
    ///      ascending by (x, y), which also rules out duplicates).
    function _checkRing(RingSignature calldata sig) private pure returns (IRingVerifier.Reason) {
        if (!Secp256k1.isOnCurve(sig.keyImage.x, sig.keyImage.y)) return IRingVerifier.Reason.PointNotOnCurve;
        AffinePoint[] calldata ring = sig.ring;
        bool offCurve;
        bool unordered;
        assembly ("memory-safe") {
            let p := SECP256K1_P
            let px := 0 // previous member (the first has nothing before it)
            let py := 0
            for { let i := 0 } lt(i, ring.length) { i := add(i, 1) } {
                let x := calldataload(add(ring.offset, shl(6, i))) // P_i.x
                let y := calldataload(add(ring.offset, add(shl(6, i), 0x20))) // P_i.y
                // on curve: x < p, y < p, y^2 == x^3 + 7
                let on := and(and(lt(x, p), lt(y, p)), eq(mulmod(y, y, p), addmod(mulmod(mulmod(x, x, p), x, p), SECP256K1_B, p)))
                offCurve := or(offCurve, iszero(on))
                // (x, y) > (px, py) lexicographically, for i >= 1
                let above := or(gt(x, px), and(eq(x, px), gt(y, py)))
                unordered := or(unordered, and(gt(i, 0), iszero(above)))
                px := x
                py := y
            }
        }
        if (offCurve) return IRingVerifier.Reason.PointNotOnCurve;
        if (unordered) return IRingVerifier.Reason.RingNotAscending;
        return IRingVerifier.Reason.None;
    }

    /// @dev MRS-1 §Verification 4: every c_i and e_i < n.
    function _checkScalars(uint256[] calldata c, uint256[] calldata e) private pure returns (IRingVerifier.Reason) {
        bool bad;
        assembly ("memory-safe") {
            let n := SECP256K1_N
            for { let i := 0 } lt(i, c.length) { i := add(i, 1) } {
                // bad |= c_i >= n or e_i >= n
                bad := or(bad, or(iszero(lt(calldataload(add(c.offset, shl(5, i))), n)), iszero(lt(calldataload(add(e.offset, shl(5, i))), n))))
            }
        }
        return bad ? IRingVerifier.Reason.ScalarNotCanonical : IRingVerifier.Reason.None;
    }

    /// @dev Checks the H_p hints (MRS-1 §Hash to point) and allocates the multi-scalar multiplication terms with
    ///      H_i = (X_i, y_i) already written at its slot (term 6 + 4i, unsigned; `_batchCheck` adds the sign).
    ///      For each counter ctr' < ctr_i: X' = keccak256(TAG_H2P || scope || enc(P_i) || byte(ctr')); when X' < p,
    ///      the next root w must satisfy w^2 = p - (X'^3 + 7): since p = 3 mod 4, -1 is a non-square, so f' is a
    ///      non-square and ctr' gave no point (f' = 0 is impossible: it would be a point of order 2, and the group
    ///      order is an odd prime). For ctr_i itself: X < p, y < p, y even, y^2 = X^3 + 7.
    function _hashPoints(bytes32 scope, AffinePoint[] calldata ring, VerificationHints calldata hints)
        private
        pure
        returns (IRingVerifier.Reason reason, uint256[] memory terms)
    {
        uint256 n = ring.length;
        terms = new uint256[](3 * ((PAIR_TERMS_PER_MEMBER + SINGLE_TERMS_PER_MEMBER) * n + 4));
        uint256 ringOff;
        uint256 ysOff;
        uint256 ctrOff;
        uint256 root; // calldata address of the next unused non-residue root
        {
            uint256[] calldata ys = hints.hashPointY;
            uint8[] calldata counters = hints.hashCounters;
            uint256[] calldata roots = hints.nonResidueRoots;
            assembly ("memory-safe") {
                ringOff := ring.offset
                ysOff := ys.offset
                ctrOff := counters.offset
                root := roots.offset
            }
        }
        bool bad;
        assembly ("memory-safe") {
            let buf := mload(0x40) // 129-byte hash input, temporary memory above the free pointer
            mstore(buf, TAG_H2P)
            mstore(add(buf, 0x20), scope)
            let slot := add(terms, add(0x20, mul(6, 0x60))) // term 6 = H_1; member i's H at + i·4 terms
            for { let i := 0 } lt(i, n) { i := add(i, 1) } {
                calldatacopy(add(buf, 0x40), add(ringOff, shl(6, i)), 0x40) // enc(P_i)
                let ctr := calldataload(add(ctrOff, shl(5, i))) // <= 255, checked in _checkShape
                for { let k := 0 } lt(k, ctr) { k := add(k, 1) } {
                    mstore8(add(buf, 0x80), k) // byte(ctr')
                    let x := keccak256(buf, 129) // X'
                    if lt(x, SECP256K1_P) {
                        let f := addmod(mulmod(mulmod(x, x, SECP256K1_P), x, SECP256K1_P), SECP256K1_B, SECP256K1_P) // f' = X'^3 + 7
                        let w := calldataload(root)
                        bad := or(bad, iszero(eq(mulmod(w, w, SECP256K1_P), sub(SECP256K1_P, f)))) // need w^2 = -f' (mod p)
                    }
                    root := add(root, 0x20) // one root slot per skipped counter, used or not
                }
                mstore8(add(buf, 0x80), ctr)
                let x := keccak256(buf, 129) // X = candidate at ctr_i
                let y := calldataload(add(ysOff, shl(5, i))) // hinted y
                // X < p, y < p, y even, y^2 == X^3 + 7
                let on := and(and(lt(x, SECP256K1_P), lt(y, SECP256K1_P)), eq(mulmod(y, y, SECP256K1_P), addmod(mulmod(mulmod(x, x, SECP256K1_P), x, SECP256K1_P), SECP256K1_B, SECP256K1_P)))
                bad := or(bad, or(iszero(on), and(y, 1)))
                mstore(slot, x) // H_i.x
                mstore(add(slot, 0x20), y) // H_i.y
                slot := add(slot, mul(PAIR_TERMS_PER_MEMBER, 0x60))
            }
        }
        reason = bad ? IRingVerifier.Reason.HashPointHintInvalid : IRingVerifier.Reason.None;
    }

    /// @dev Every L_i, R_i hint is a finite curve point with coordinates < p (O has no encoding: MRS-1 rule 5).
    function _checkCommitments(AffinePoint[] calldata ls, AffinePoint[] calldata rs)
        private
        pure
        returns (IRingVerifier.Reason)
    {
        bool bad;
        assembly ("memory-safe") {
            let p := SECP256K1_P
            for { let i := 0 } lt(i, ls.length) { i := add(i, 1) } {
                let x := calldataload(add(ls.offset, shl(6, i))) // L_i
                let y := calldataload(add(ls.offset, add(shl(6, i), 0x20)))
                bad := or(bad, iszero(and(and(lt(x, p), lt(y, p)), eq(mulmod(y, y, p), addmod(mulmod(mulmod(x, x, p), x, p), SECP256K1_B, p)))))
                x := calldataload(add(rs.offset, shl(6, i))) // R_i
                y := calldataload(add(rs.offset, add(shl(6, i), 0x20)))
                bad := or(bad, iszero(and(and(lt(x, p), lt(y, p)), eq(mulmod(y, y, p), addmod(mulmod(mulmod(x, x, p), x, p), SECP256K1_B, p)))))
            }
        }
        return bad ? IRingVerifier.Reason.CommitmentHintNotOnCurve : IRingVerifier.Reason.None;
    }

    /// @dev MRS-1 §Verification 6 over the hinted L_i, R_i: sum c_i mod n == keccak256(TAG_CHALLENGE || scope ||
    ///      message || enc(P_1..P_n) || enc(I) || enc(L_1..L_n) || enc(R_1..R_n)) mod n. Returns the full digest,
    ///      which seeds the batch weights.
    function _checkChallenge(
        bytes32 scope,
        bytes32 message,
        RingSignature calldata sig,
        VerificationHints calldata hints
    ) private pure returns (IRingVerifier.Reason reason, uint256 digest) {
        uint256 n = sig.ring.length;
        uint256 ringOff = _pointsAt(sig.ring);
        uint256 lOff = _pointsAt(hints.commitmentsL);
        uint256 rOff = _pointsAt(hints.commitmentsR);
        uint256 cOff = _wordsAt(sig.c);
        uint256 keyImage = _pointAt(sig.keyImage);
        uint256 sumC;
        assembly ("memory-safe") {
            let buf := mload(0x40) // temporary memory above the free pointer
            let size := shl(6, n) // n points of 64 bytes
            mstore(buf, TAG_CHALLENGE)
            mstore(add(buf, 0x20), scope)
            mstore(add(buf, 0x40), message)
            let q := add(buf, 0x60)
            calldatacopy(q, ringOff, size) // enc(P_1) .. enc(P_n)
            q := add(q, size)
            calldatacopy(q, keyImage, 0x40) // enc(I)
            q := add(q, 0x40)
            calldatacopy(q, lOff, size) // enc(L_1) .. enc(L_n)
            q := add(q, size)
            calldatacopy(q, rOff, size) // enc(R_1) .. enc(R_n)
            q := add(q, size)
            digest := keccak256(buf, sub(q, buf))
            for { let i := 0 } lt(i, n) { i := add(i, 1) } {
                sumC := addmod(sumC, calldataload(add(cOff, shl(5, i))), SECP256K1_N) // sum c_i mod n
            }
        }
        reason = sumC == digest % SECP256K1_N ? IRingVerifier.Reason.None : IRingVerifier.Reason.ChallengeMismatch;
    }

    /// @dev The batch check of all 2n commitment equations (MRS-1 §Verification 5 with hinted L_i, R_i):
    ///      sum_i z_i·(e_i·G + c_i·P_i - L_i) + z'_i·(e_i·H_i + c_i·I - R_i) == O, with
    ///      seed = keccak256(TAG_BATCH || digest || c_1..c_n || e_1..e_n) and z_i || z'_i = keccak256(seed || i)
    ///      (two 128-bit halves). Coefficients: G gets sum z_i·e_i, I gets sum z'_i·c_i, P_i gets z_i·c_i,
    ///      H_i gets z'_i·e_i (each split by GLV into a (Q, phi(Q)) pair), L_i gets -z_i, R_i gets -z'_i.
    function _batchCheck(
        uint256 digest,
        RingSignature calldata sig,
        VerificationHints calldata hints,
        uint256[] memory terms
    ) private pure returns (IRingVerifier.Reason) {
        uint256 n = sig.ring.length;
        uint256 seed = _batchSeed(digest, sig.c, sig.e);
        uint256 base; // memory address of term 0
        assembly ("memory-safe") {
            base := add(terms, 0x20)
        }
        (uint256 gScalar, uint256 iScalar) = _memberTerms(sig, seed, base);
        _memberSingles(hints, base, n);
        uint256 keyImage = _pointAt(sig.keyImage);
        assembly ("memory-safe") {
            mstore(base, SECP256K1_GX) // term 0: G, sum z_i·e_i
            mstore(add(base, 0x20), SECP256K1_GY)
            mstore(add(base, 0x40), gScalar)
            calldatacopy(add(base, 0xc0), keyImage, 0x40) // term 2: I, sum z'_i·c_i
            mstore(add(base, 0x100), iScalar)
        }
        _splitPairs(base, PAIR_TERMS_PER_MEMBER * n + 4);
        (,,uint256 zz,) = MultiScalarMul.sum(terms, PAIR_TERMS_PER_MEMBER * n + 4);
        return zz == 0 ? IRingVerifier.Reason.None : IRingVerifier.Reason.CommitmentMismatch;
    }

    /// @dev Writes every member's terms with full scalars (< n; `_splitPairs` then splits the pairs by GLV):
    ///      term 4 + 4i [P_i, z_i·c_i], term 6 + 4i [H_i, z'_i·e_i] (H_i itself was written there by _hashPoints),
    ///      and the weights of the singles at term 4n + 4 + 2i: [·, ·, z_i] for -L_i and [·, ·, z'_i] for -R_i
    ///      (points: `_memberSingles`), where z_i || z'_i = keccak256(seed || i) (high and low 128 bits). Returns
    ///      the G and I scalars. One assembly loop per member (two functions: one would be stack-too-deep).
    function _memberTerms(RingSignature calldata sig, uint256 seed, uint256 base)
        private
        pure
        returns (uint256 gScalar, uint256 iScalar)
    {
        uint256 n = sig.ring.length;
        uint256 ringOff = _pointsAt(sig.ring);
        uint256 cOff = _wordsAt(sig.c);
        uint256 eOff = _wordsAt(sig.e);
        assembly ("memory-safe") {
            mstore(0x00, seed) // scratch space: the hash input is seed || i
            let slot := add(base, mul(4, 0x60)) // term 4 + 4i: P_i
            let single := add(base, mul(add(4, mul(PAIR_TERMS_PER_MEMBER, n)), 0x60)) // term 4n + 4 + 2i: -L_i
            for { let i := 0 } lt(i, n) { i := add(i, 1) } {
                mstore(0x20, i)
                let zr := keccak256(0x00, 0x40) // keccak256(seed || i)
                let z := shr(128, zr) // z_i = high 128 bits
                zr := and(zr, 0xffffffffffffffffffffffffffffffff) // z'_i = low 128 bits (mask 2^128 - 1)
                mstore(add(single, 0x40), z) // -L_i's weight z_i
                mstore(add(single, 0xa0), zr) // -R_i's weight z'_i
                let ci := calldataload(add(cOff, shl(5, i))) // c_i
                let ei := calldataload(add(eOff, shl(5, i))) // e_i
                gScalar := addmod(gScalar, mulmod(z, ei, SECP256K1_N), SECP256K1_N) // += z_i·e_i
                iScalar := addmod(iScalar, mulmod(zr, ci, SECP256K1_N), SECP256K1_N) // += z'_i·c_i
                calldatacopy(slot, add(ringOff, shl(6, i)), 0x40) // P_i = (x, y)
                mstore(add(slot, 0x40), mulmod(z, ci, SECP256K1_N)) // P_i's scalar z_i·c_i
                mstore(add(slot, 0x100), mulmod(zr, ei, SECP256K1_N)) // H_i's scalar z'_i·e_i (term 6 + 4i, word 2)
                slot := add(slot, mul(PAIR_TERMS_PER_MEMBER, 0x60))
                single := add(single, mul(SINGLE_TERMS_PER_MEMBER, 0x60))
            }
        }
    }

    /// @dev Writes the points of the singles at term 4n + 4 + 2i: -L_i = (L.x, p - L.y) and -R_i = (R.x, p - R.y)
    ///      (their weights were written by `_memberTerms`).
    function _memberSingles(VerificationHints calldata hints, uint256 base, uint256 n) private pure {
        uint256 lOff = _pointsAt(hints.commitmentsL);
        uint256 rOff = _pointsAt(hints.commitmentsR);
        assembly ("memory-safe") {
            let single := add(base, mul(add(4, mul(PAIR_TERMS_PER_MEMBER, n)), 0x60)) // term 4n + 4 + 2i: -L_i
            let end := add(lOff, shl(6, n)) // after L_n
            for {} lt(lOff, end) {} {
                mstore(single, calldataload(lOff)) // L_i.x
                mstore(add(single, 0x20), sub(SECP256K1_P, calldataload(add(lOff, 0x20)))) // -L_i: p - y
                mstore(add(single, 0x60), calldataload(rOff)) // R_i.x
                mstore(add(single, 0x80), sub(SECP256K1_P, calldataload(add(rOff, 0x20)))) // -R_i: p - y
                lOff := add(lOff, 0x40) // next L (64 bytes)
                rOff := add(rOff, 0x40) // next R
                single := add(single, mul(SINGLE_TERMS_PER_MEMBER, 0x60))
            }
        }
    }

    /// @dev Replaces every pair slot [Q, k], [·, ·] (k < n) in the first `nPairTerms` terms by the GLV pair
    ///      k = k1 + k2·lambda: [x, ±y, |k1|], [beta·x, ±y, |k2|], the sign of each half folded into y
    ///      (-Q = (x, p - y)).
    function _splitPairs(uint256 base, uint256 nPairTerms) private pure {
        uint256 neg = Secp256k1.NEGATIVE;
        uint256 end;
        unchecked {
            end = base + nPairTerms * 0x60; // a memory address: no overflow
        }
        for (uint256 slot = base; slot < end;) {
            uint256 k;
            assembly ("memory-safe") {
                k := mload(add(slot, 0x40))
            }
            (uint256 k1, uint256 k2) = Secp256k1.glvSplit(k);
            assembly ("memory-safe") {
                let p := SECP256K1_P
                let x := mload(slot)
                let y := mload(add(slot, 0x20))
                mstore(add(slot, 0x20), xor(y, mul(iszero(iszero(and(k1, neg))), xor(y, sub(p, y))))) // k1 < 0 ? p - y : y
                mstore(add(slot, 0x40), and(k1, not(neg))) // |k1|
                mstore(add(slot, 0x60), mulmod(SECP256K1_BETA, x, p)) // phi(Q).x = beta·x
                mstore(add(slot, 0x80), xor(y, mul(iszero(iszero(and(k2, neg))), xor(y, sub(p, y))))) // k2 < 0 ? p - y : y
                mstore(add(slot, 0xa0), and(k2, not(neg))) // |k2|
                slot := add(slot, 0xc0) // next pair: 2 terms of 96 bytes
            }
        }
    }

    /// @dev seed = keccak256(TAG_BATCH || digest || c_1..c_n || e_1..e_n): binds the challenge preimage (scope,
    ///      message, ring, I, every L_i, R_i) and every c_i, e_i, so no input can be chosen after the weights.
    function _batchSeed(uint256 digest, uint256[] calldata c, uint256[] calldata e) private pure returns (uint256 seed) {
        assembly ("memory-safe") {
            let buf := mload(0x40) // temporary memory above the free pointer
            let size := shl(5, c.length)
            mstore(buf, TAG_BATCH)
            mstore(add(buf, 0x20), digest)
            calldatacopy(add(buf, 0x40), c.offset, size) // c_1..c_n
            calldatacopy(add(add(buf, 0x40), size), e.offset, size) // e_1..e_n
            seed := keccak256(buf, add(0x40, shl(1, size)))
        }
    }

    /// @dev Calldata address of the first element of a point array (elements are 64 bytes, contiguous).
    function _pointsAt(AffinePoint[] calldata points) private pure returns (uint256 at) {
        assembly ("memory-safe") {
            at := points.offset
        }
    }

    /// @dev Calldata address of the first element of a word array.
    function _wordsAt(uint256[] calldata words) private pure returns (uint256 at) {
        assembly ("memory-safe") {
            at := words.offset
        }
    }

    /// @dev Calldata address of one point.
    function _pointAt(AffinePoint calldata point) private pure returns (uint256 at) {
        assembly ("memory-safe") {
            at := point
        }
    }
}
