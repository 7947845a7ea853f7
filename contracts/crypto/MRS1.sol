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
        uint256 gScalar; // sum z_i·e_i mod n
        uint256 iScalar; // sum z'_i·c_i mod n
        for (uint256 i; i < n; ++i) {
            (uint256 dG, uint256 dI) = _memberTerms(sig, hints, i, seed, base);
            gScalar = addmod(gScalar, dG, SECP256K1_N);
            iScalar = addmod(iScalar, dI, SECP256K1_N);
        }
        _putPair(base, SECP256K1_GX, SECP256K1_GY, gScalar); // terms 0, 1: G, phi(G)
        _putPair(base + 2 * 0x60, sig.keyImage.x, sig.keyImage.y, iScalar); // terms 2, 3: I, phi(I)
        (,,uint256 zz,) = MultiScalarMul.sum(terms, PAIR_TERMS_PER_MEMBER * n + 4);
        return zz == 0 ? IRingVerifier.Reason.None : IRingVerifier.Reason.CommitmentMismatch;
    }

    /// @dev z_i || z'_i = keccak256(seed || i): the high and low 128 bits.
    function _weights(uint256 seed, uint256 i) private pure returns (uint256 z, uint256 zr) {
        assembly ("memory-safe") {
            mstore(0x00, seed) // scratch space
            mstore(0x20, i)
            let h := keccak256(0x00, 0x40) // keccak256(seed || i)
            z := shr(128, h) // z_i = high 128 bits
            zr := and(h, 0xffffffffffffffffffffffffffffffff) // z'_i = low 128 bits (mask 2^128 - 1)
        }
    }

    /// @dev Writes member i's terms: (P_i, phi(P_i)) for z_i·c_i at term 4 + 4i, (H_i, phi(H_i)) for z'_i·e_i at
    ///      term 6 + 4i (H_i itself was written there by _hashPoints), -L_i for z_i and -R_i for z'_i at term
    ///      4n + 4 + 2i. Returns member i's share of the G and I scalars: z_i·e_i and z'_i·c_i (mod n).
    function _memberTerms(
        RingSignature calldata sig,
        VerificationHints calldata hints,
        uint256 i,
        uint256 seed,
        uint256 base
    ) private pure returns (uint256 dG, uint256 dI) {
        (uint256 z, uint256 zr) = _weights(seed, i);
        uint256 slot = base + (4 + PAIR_TERMS_PER_MEMBER * i) * 0x60; // P_i
        {
            uint256 ci = sig.c[i];
            uint256 ei = sig.e[i];
            dG = mulmod(z, ei, SECP256K1_N);
            dI = mulmod(zr, ci, SECP256K1_N);
            AffinePoint calldata member = sig.ring[i];
            _putPair(slot, member.x, member.y, mulmod(z, ci, SECP256K1_N)); // P_i: z_i·c_i
            slot += 2 * 0x60; // H_i
            uint256 hx;
            uint256 hy;
            assembly ("memory-safe") {
                hx := mload(slot)
                hy := mload(add(slot, 0x20))
            }
            _putPair(slot, hx, hy, mulmod(zr, ei, SECP256K1_N)); // H_i: z'_i·e_i
        }
        slot = base + (4 + PAIR_TERMS_PER_MEMBER * sig.ring.length + SINGLE_TERMS_PER_MEMBER * i) * 0x60; // L_i
        _putSingles(slot, hints, i, z, zr);
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

    /// @dev Writes the GLV pair for k·(x, y) at `slot`: k = k1 + k2·lambda, terms [x, ±y, |k1|], [beta·x, ±y, |k2|]
    ///      with the sign of each half folded into y (-Q = (x, p - y)).
    function _putPair(uint256 slot, uint256 x, uint256 y, uint256 k) private pure {
        (uint256 k1, uint256 k2) = Secp256k1.glvSplit(k);
        uint256 neg = Secp256k1.NEGATIVE;
        assembly ("memory-safe") {
            let p := SECP256K1_P
            mstore(slot, x) // Q
            mstore(add(slot, 0x20), xor(y, mul(iszero(iszero(and(k1, neg))), xor(y, sub(p, y))))) // k1 < 0 ? p - y : y
            mstore(add(slot, 0x40), and(k1, not(neg))) // |k1|
            mstore(add(slot, 0x60), mulmod(SECP256K1_BETA, x, p)) // phi(Q).x = beta·x
            mstore(add(slot, 0x80), xor(y, mul(iszero(iszero(and(k2, neg))), xor(y, sub(p, y))))) // k2 < 0 ? p - y : y
            mstore(add(slot, 0xa0), and(k2, not(neg))) // |k2|
        }
    }

    /// @dev Writes -z_i·L_i and -z'_i·R_i as [L.x, p - L.y, z_i], [R.x, p - R.y, z'_i].
    function _putSingles(uint256 slot, VerificationHints calldata hints, uint256 i, uint256 z, uint256 zr) private pure {
        AffinePoint[] calldata ls = hints.commitmentsL;
        AffinePoint[] calldata rs = hints.commitmentsR;
        assembly ("memory-safe") {
            let p := SECP256K1_P
            let l := add(ls.offset, shl(6, i))
            mstore(slot, calldataload(l)) // L_i.x
            mstore(add(slot, 0x20), sub(p, calldataload(add(l, 0x20)))) // -L_i: p - y
            mstore(add(slot, 0x40), z) // z_i
            let r := add(rs.offset, shl(6, i))
            mstore(add(slot, 0x60), calldataload(r)) // R_i.x
            mstore(add(slot, 0x80), sub(p, calldataload(add(r, 0x20)))) // -R_i: p - y
            mstore(add(slot, 0xa0), zr) // z'_i
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
