// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AffinePoint, RingCheck, RingSignature, VerificationHints, IRingVerifier} from "../interfaces/IRingVerifier.sol";
// The constants are used inside assembly blocks, which no-unused-import does not read.
// solhint-disable-next-line no-unused-import
import {Secp256k1, SECP256K1_P, SECP256K1_N, SECP256K1_B, SECP256K1_GX, SECP256K1_GY, SECP256K1_BETA} from "./Secp256k1.sol";
import {MultiScalarMul} from "./MultiScalarMul.sol";

/// @title MRS1: verification of MRS-1 linkable ring signatures (shared/spec/ring-signature.md) with caller hints.
/// @notice Accepts exactly what MRS-1 §Verification accepts; the hints only save work, and a wrong hint can only
///         make it reject. The per-member scalar multiplications are replaced by ONE batch check
///             sum_i z_i·(e_i·G + c_i·P_i - L_i) + z'_i·(e_i·H_i + c_i·I - R_i) == O
///         with 128-bit Fiat-Shamir weights z_i, z'_i (soundness argument: docs/batch-verification.md), computed by
///         the MSM core (`MultiScalarMul`, IMultiScalarMulCore). `tryVerifyBatch` puts the equations of several
///         signatures into one such check.
library MRS1 {
    /// @dev TAG_H2P = keccak256("MEDRING-V1-H2P"), the domain tag of MRS-1 §Hash to point.
    uint256 internal constant TAG_H2P = 0x24bcb9bde71412ab007b343fc7b9a18ec95ddd0d99bb4868504b261ec82b75de;
    /// @dev TAG_CHALLENGE = keccak256("MEDRING-V1-CHALLENGE"), the domain tag of MRS-1 §Challenge.
    uint256 internal constant TAG_CHALLENGE = 0xec4bd23fa0702e5b75ccb73c3d137b292f57d52cb6252729015ffef9c521c10d;
    /// @dev TAG_BATCH = keccak256("MEDRING-V1-BATCH-WEIGHTS"): not part of MRS-1 (no signer computes it); it
    ///      separates this verifier's Fiat-Shamir batch weights from every hash the scheme itself defines.
    uint256 internal constant TAG_BATCH = 0x440c34be017868d28a0f4b6259439b1c5724b5c55394bcc8bd0c7113d9e2faca;
    /// @dev TAG_BATCH_MULTI = keccak256("MEDRING-V1-BATCH-MULTI-WEIGHTS"): the seed of a multi-signature batch
    ///      (`tryVerifyBatch`); separates its weights from the single-signature weights of `tryVerify`.
    uint256 internal constant TAG_BATCH_MULTI = 0xea1305665cafa8ccb6d919440061376ecad04131402f3d958b793036cdc3742d;

    /// @dev MSM terms (4 words each, IMultiScalarMulCore). Pair terms come first: G's pair (term 0, 1), then for
    ///      each signature its key image's pair and, per member, the pairs of P_i and H_i (4 terms). Then the
    ///      singles: -L_i, -R_i for every member of every signature. Before `_splitPairs`, the first term of a pair
    ///      holds [x, y, -, k] with the full scalar k < n.
    uint256 private constant T = 0x80; // MultiScalarMul.TERM_BYTES: 4 words per term
    uint256 private constant PAIR_TERMS_PER_MEMBER = 4;
    uint256 private constant SINGLE_TERMS_PER_MEMBER = 2;

    /// @notice MRS-1 §Verification with hints; never reverts on bad data.
    /// @param core the MSM core (created by the caller: `MultiScalarMul.deployCore`).
    /// @return ok true exactly when MRS-1 accepts (scope, message, sig).
    /// @return reason the first failed check, `None` when ok.
    function tryVerify(
        address core,
        bytes32 scope,
        bytes32 message,
        RingSignature calldata sig,
        VerificationHints calldata hints
    ) internal view returns (bool ok, IRingVerifier.Reason reason) {
        reason = _checkShape(sig, hints);
        if (reason != IRingVerifier.Reason.None) return (false, reason);
        Cursor memory cursor = _allocate(1, sig.ring.length);
        uint256 digest;
        (reason, digest) = _checkSignature(scope, message, sig, hints, cursor.pairs);
        if (reason != IRingVerifier.Reason.None) return (false, reason);
        _writeTerms(sig, hints, _batchSeed(digest, sig.c, sig.e), cursor);
        ok = _combinedCheck(core, cursor);
        reason = ok ? IRingVerifier.Reason.None : IRingVerifier.Reason.CommitmentMismatch;
    }

    /// @notice Several signatures, one batch check (IRingVerifier.tryVerifyBatch); never reverts on bad data.
    ///         Every signature gets all the checks of `tryVerify` except the commitment equations, in order; then the
    ///         equations of all of them are checked together, with weights z_ij || z'_ij =
    ///         keccak256(keccak256(seed || i) || j), seed = keccak256(TAG_BATCH_MULTI || k || s_1 .. s_k), s_i the
    ///         single-signature seed of signature i (`_batchSeed`).
    function tryVerifyBatch(address core, RingCheck[] calldata checks)
        internal
        view
        returns (bool ok, uint256 failedIndex, IRingVerifier.Reason reason)
    {
        uint256 k = checks.length;
        if (k == 0) return (false, 0, IRingVerifier.Reason.BatchEmpty);
        uint256 members;
        for (uint256 i = 0; i < k; ++i) {
            reason = _checkShape(checks[i].sig, checks[i].hints);
            if (reason != IRingVerifier.Reason.None) return (false, i, reason);
            members += checks[i].sig.ring.length;
        }
        Cursor memory cursor = _allocate(k, members);
        uint256 seeds = _allocateWords(k + 2); // [TAG_BATCH_MULTI, k, s_1 .. s_k]
        uint256 pairs = cursor.pairs;
        for (uint256 i = 0; i < k; ++i) {
            RingCheck calldata check = checks[i];
            uint256 digest;
            (reason, digest) = _checkSignature(check.scope, check.message, check.sig, check.hints, pairs);
            if (reason != IRingVerifier.Reason.None) return (false, i, reason);
            uint256 seed = _batchSeed(digest, check.sig.c, check.sig.e);
            assembly ("memory-safe") {
                mstore(add(seeds, shl(5, add(i, 2))), seed) // s_i
            }
            pairs += (2 + PAIR_TERMS_PER_MEMBER * check.sig.ring.length) * T;
        }
        uint256 batchSeed;
        assembly ("memory-safe") {
            mstore(seeds, TAG_BATCH_MULTI)
            mstore(add(seeds, 0x20), k)
            batchSeed := keccak256(seeds, shl(5, add(k, 2))) // keccak256(TAG_BATCH_MULTI || k || s_1 .. s_k)
        }
        for (uint256 i = 0; i < k; ++i) {
            uint256 signatureSeed;
            assembly ("memory-safe") {
                mstore(0x00, batchSeed)
                mstore(0x20, i)
                signatureSeed := keccak256(0x00, 0x40) // keccak256(seed || i)
            }
            _writeTerms(checks[i].sig, checks[i].hints, signatureSeed, cursor);
        }
        if (!_combinedCheck(core, cursor)) return (false, k, IRingVerifier.Reason.CommitmentMismatch);
        return (true, 0, IRingVerifier.Reason.None);
    }

    /// @dev The MSM input and where `_writeTerms` writes next: term 0 (G's pair, shared), the next signature's
    ///      pairs (its key image's pair first) and singles (`_writeTerms` advances both), H_c, the pair-term count.
    struct Cursor {
        uint256 terms;
        uint256 pairs;
        uint256 singles;
        uint256 offset;
        uint256 nPairTerms;
    }

    /// @dev Allocates the MSM input for k signatures with `members` members in all (plan, header, G's pair with
    ///      scalar 0) and returns the cursor at the first signature.
    function _allocate(uint256 k, uint256 members) private pure returns (Cursor memory cursor) {
        uint256 nPairTerms = 2 + 2 * k + PAIR_TERMS_PER_MEMBER * members;
        uint256 nTerms = nPairTerms + SINGLE_TERMS_PER_MEMBER * members;
        (uint256 algorithm, uint256 window) = MultiScalarMul.plan(nTerms, nPairTerms);
        uint256 terms = MultiScalarMul.allocate(nTerms, nPairTerms, algorithm, window);
        cursor = Cursor(terms, terms + 2 * T, terms + nPairTerms * T, MultiScalarMul.digitOffset(window), nPairTerms);
        assembly ("memory-safe") {
            mstore(terms, SECP256K1_GX) // term 0: G, scalar sum z_i·e_i (accumulated by _writeTerms)
            mstore(add(terms, 0x20), SECP256K1_GY)
            mstore(add(terms, 0x60), 0)
        }
    }

    /// @dev Allocates `words` words of memory and returns their address.
    function _allocateWords(uint256 words) private pure returns (uint256 at) {
        assembly ("memory-safe") {
            at := mload(0x40)
            mstore(0x40, add(at, shl(5, words)))
        }
    }

    /// @dev Every check of one signature before the commitment equations: MRS-1 §Verification 3, 2 (`_checkRing`),
    ///      4 (`_checkScalars`), the H_p hints (written to the H_i pair terms that follow `pairs`), the commitment
    ///      hints on the curve, and 6 (`_checkChallenge`, which returns the digest that seeds the weights).
    function _checkSignature(
        bytes32 scope,
        bytes32 message,
        RingSignature calldata sig,
        VerificationHints calldata hints,
        uint256 pairs
    ) private pure returns (IRingVerifier.Reason reason, uint256 digest) {
        reason = _checkRing(sig);
        if (reason == IRingVerifier.Reason.None) reason = _checkScalars(sig.c, sig.e);
        if (reason == IRingVerifier.Reason.None) reason = _hashPoints(scope, sig.ring, hints, pairs + 4 * T);
        if (reason == IRingVerifier.Reason.None) reason = _checkCommitments(hints.commitmentsL, hints.commitmentsR);
        if (reason == IRingVerifier.Reason.None) (reason, digest) = _checkChallenge(scope, message, sig, hints);
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

    /// @dev Checks the H_p hints (MRS-1 §Hash to point) and writes H_i = (X_i, y_i) into the first term of member
    ///      i's H pair (at `hSlot` + i·4 terms; `_writeTerms` adds the scalar, `_splitPairs` the sign).
    ///      For each counter ctr' < ctr_i: X' = keccak256(TAG_H2P || scope || enc(P_i) || byte(ctr')); when X' < p,
    ///      the next root w must satisfy w^2 = p - (X'^3 + 7): since p = 3 mod 4, -1 is a non-square, so f' is a
    ///      non-square and ctr' gave no point (f' = 0 is impossible: it would be a point of order 2, and the group
    ///      order is an odd prime). For ctr_i itself: X < p, y < p, y even, y^2 = X^3 + 7.
    function _hashPoints(bytes32 scope, AffinePoint[] calldata ring, VerificationHints calldata hints, uint256 hSlot)
        private
        pure
        returns (IRingVerifier.Reason reason)
    {
        uint256 n = ring.length;
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
            let slot := hSlot
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
                slot := add(slot, mul(PAIR_TERMS_PER_MEMBER, T))
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

    /// @dev Writes one signature's terms with the weights z_i || z'_i = keccak256(signatureSeed || i) (high and low
    ///      128 bits): member i's P pair [P_i, z_i·c_i] and H pair [H_i (already there), z'_i·e_i] (full scalars,
    ///      split by `_splitPairs`), its singles -L_i = [L.x, p - L.y, L.y, z_i] and -R_i = [R.x, p - R.y, R.y, z'_i]
    ///      (scalars encoded; points: `_writeSingles`), the key image's pair [I, sum z'_i·c_i]; adds sum z_i·e_i to
    ///      G's scalar (term 0). Advances the cursor past the signature. One assembly loop per member.
    function _writeTerms(RingSignature calldata sig, VerificationHints calldata hints, uint256 signatureSeed, Cursor memory cursor)
        private
        pure
    {
        uint256 n = sig.ring.length;
        uint256 ringOff = _pointsAt(sig.ring);
        uint256 cOff = _wordsAt(sig.c);
        uint256 eOff = _wordsAt(sig.e);
        uint256 iScalar; // sum z'_i·c_i
        assembly ("memory-safe") {
            let slot := add(mload(add(cursor, 0x20)), mul(2, T)) // member 0's P pair (after the key image's pair)
            let single := mload(add(cursor, 0x40)) // cursor.singles
            mstore(0x00, signatureSeed) // scratch space: the hash input is signatureSeed || i
            for { let i := 0 } lt(i, n) { i := add(i, 1) } {
                mstore(0x20, i)
                let zr := keccak256(0x00, 0x40) // keccak256(signatureSeed || i)
                let z := shr(128, zr) // z_i = high 128 bits
                zr := and(zr, 0xffffffffffffffffffffffffffffffff) // z'_i = low 128 bits (mask 2^128 - 1)
                mstore(add(single, 0x60), shl(6, add(z, mload(add(cursor, 0x60))))) // -L_i's scalar (z_i + H_c)·64
                mstore(add(single, add(T, 0x60)), shl(6, add(zr, mload(add(cursor, 0x60))))) // -R_i's: (z'_i + H_c)·64
                let e := calldataload(add(eOff, shl(5, i))) // e_i
                let gAt := add(mload(cursor), 0x60) // G's scalar (term 0), shared by all signatures
                mstore(gAt, addmod(mload(gAt), mulmod(z, e, SECP256K1_N), SECP256K1_N)) // += z_i·e_i
                mstore(add(slot, add(mul(2, T), 0x60)), mulmod(zr, e, SECP256K1_N)) // H_i's scalar z'_i·e_i
                e := calldataload(add(cOff, shl(5, i))) // c_i
                iScalar := addmod(iScalar, mulmod(zr, e, SECP256K1_N), SECP256K1_N) // += z'_i·c_i
                calldatacopy(slot, add(ringOff, shl(6, i)), 0x40) // P_i = (x, y)
                mstore(add(slot, 0x60), mulmod(z, e, SECP256K1_N)) // P_i's scalar z_i·c_i
                slot := add(slot, mul(PAIR_TERMS_PER_MEMBER, T))
                single := add(single, mul(SINGLE_TERMS_PER_MEMBER, T))
            }
        }
        uint256 keyImage = _pointAt(sig.keyImage);
        assembly ("memory-safe") {
            let pairs := mload(add(cursor, 0x20)) // this signature's key-image pair
            calldatacopy(pairs, keyImage, 0x40) // I
            mstore(add(pairs, 0x60), iScalar)
            mstore(add(cursor, 0x20), add(pairs, mul(add(2, mul(PAIR_TERMS_PER_MEMBER, n)), T))) // the next signature's pairs
        }
        _writeSingles(hints, cursor);
    }

    /// @dev Writes the points of one signature's singles at cursor.singles: -L_i = (L.x, p - L.y) and
    ///      -R_i = (R.x, p - R.y), each followed by p - (p - y) = y (their scalars: `_writeTerms`). Advances the cursor.
    function _writeSingles(VerificationHints calldata hints, Cursor memory cursor) private pure {
        uint256 lOff = _pointsAt(hints.commitmentsL);
        uint256 rOff = _pointsAt(hints.commitmentsR);
        uint256 n = hints.commitmentsL.length;
        assembly ("memory-safe") {
            let single := mload(add(cursor, 0x40)) // cursor.singles
            let end := add(lOff, shl(6, n)) // after L_n
            for {} lt(lOff, end) {} {
                let y := calldataload(add(lOff, 0x20)) // L_i.y
                mstore(single, calldataload(lOff)) // -L_i = (L.x, p - L.y)
                mstore(add(single, 0x20), sub(SECP256K1_P, y))
                mstore(add(single, 0x40), y) // p - (p - L.y)
                y := calldataload(add(rOff, 0x20)) // R_i.y
                mstore(add(single, T), calldataload(rOff)) // -R_i = (R.x, p - R.y)
                mstore(add(single, add(T, 0x20)), sub(SECP256K1_P, y))
                mstore(add(single, add(T, 0x40)), y)
                lOff := add(lOff, 0x40) // next L (64 bytes)
                rOff := add(rOff, 0x40) // next R
                single := add(single, mul(SINGLE_TERMS_PER_MEMBER, T))
            }
            mstore(add(cursor, 0x40), single) // the next signature's singles
        }
    }

    /// @dev The commitment equations of every signature written so far (MRS-1 §Verification 5 with hinted L_i,
    ///      R_i): splits the pairs, runs the core, true when the sum is O.
    function _combinedCheck(address core, Cursor memory cursor) private view returns (bool) {
        _splitPairs(cursor.terms, cursor.nPairTerms, cursor.offset);
        (,, uint256 zz,) = MultiScalarMul.sum(core, cursor.terms);
        return zz == 0;
    }

    /// @dev Replaces every pair slot [Q, k] (k < n) in the first `nPairTerms` terms by the GLV pair
    ///      k = k1 + k2·lambda: [x, ±y, p - ±y, enc(|k1|)], [beta·x, ±y, p - ±y, enc(|k2|)], the sign of each half
    ///      folded into y (-Q = (x, p - y)), enc(s) = (s + H_c)·64.
    function _splitPairs(uint256 terms, uint256 nPairTerms, uint256 offset) private pure {
        uint256 neg = Secp256k1.NEGATIVE;
        uint256 end;
        unchecked {
            end = terms + nPairTerms * T; // a memory address: no overflow
        }
        for (uint256 slot = terms; slot < end;) {
            uint256 k;
            assembly ("memory-safe") {
                k := mload(add(slot, 0x60))
            }
            (uint256 k1, uint256 k2) = Secp256k1.glvSplit(k);
            assembly ("memory-safe") {
                let p := SECP256K1_P
                let x := mload(slot)
                let y := mload(add(slot, 0x20))
                let y1 := xor(y, mul(iszero(iszero(and(k1, neg))), xor(y, sub(p, y)))) // k1 < 0 ? p - y : y
                mstore(add(slot, 0x20), y1)
                mstore(add(slot, 0x40), sub(p, y1))
                mstore(add(slot, 0x60), shl(6, add(and(k1, not(neg)), offset))) // (|k1| + H_c)·64
                let y2 := xor(y, mul(iszero(iszero(and(k2, neg))), xor(y, sub(p, y)))) // k2 < 0 ? p - y : y
                mstore(add(slot, T), mulmod(SECP256K1_BETA, x, p)) // phi(Q).x = beta·x
                mstore(add(slot, add(T, 0x20)), y2)
                mstore(add(slot, add(T, 0x40)), sub(p, y2))
                mstore(add(slot, add(T, 0x60)), shl(6, add(and(k2, not(neg)), offset))) // (|k2| + H_c)·64
                slot := add(slot, mul(2, T)) // next pair
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
