// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AffinePoint, RingCheck, RingSignature, VerificationHints, IRingVerifier} from "../interfaces/IRingVerifier.sol";
// The constants are used inside assembly blocks, which no-unused-import does not read.
// solhint-disable-next-line no-unused-import
import {Secp256k1, SECP256K1_P, SECP256K1_N, SECP256K1_B, SECP256K1_GX, SECP256K1_GY} from "./Secp256k1.sol";
import {MultiScalarMul} from "./MultiScalarMul.sol";

/// @title MRS1: verification of MRS-1 linkable ring signatures (shared/spec/ring-signature.md) with caller hints.
/// @notice Accepts exactly what MRS-1 §Verification accepts; the hints only save work, and a wrong hint can only
///         make it reject. The per-member scalar multiplications are replaced by ONE batch check
///             sum_i z_i·(e_i·G + c_i·P_i - L_i) + z'_i·(e_i·H_i + c_i·I - R_i) == O
///         with 128-bit Fiat-Shamir weights z_i, z'_i, except z_n = 1 (soundness argument:
///         docs/batch-verification.md), computed by the MSM core (`MultiScalarMul`, IMultiScalarMulCore) as "the sum
///         of every other term equals L_n", which saves the term -L_n. `tryVerifyBatch` puts the equations of several
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
    ///      singles: -R_i, -L_i for every member of every signature, the last -L (weight 1) just after the input
    ///      instead of in it. Before `Secp256k1.glvSplitPairs`, the first term of a pair holds [x, y, -, k] with the
    ///      full scalar k < n.
    uint256 private constant T = 0x80; // MultiScalarMul.TERM_BYTES: 4 words per term
    uint256 private constant PAIR_TERMS_PER_MEMBER = 4;
    uint256 private constant SINGLE_TERMS_PER_MEMBER = 2;
    /// @dev The failure bits of `_checkMembers`.
    uint256 private constant BAD_POINT = 1;
    uint256 private constant BAD_ORDER = 2;
    uint256 private constant BAD_SCALAR = 4;
    uint256 private constant BAD_COMMITMENT = 8;

    /// @dev Calldata addresses of one signature's arrays (first element) and its ring size, read once by `_layout`
    ///      (the ABI decoder bounds-checks each array there once; every later read is a plain CALLDATALOAD).
    struct Layout {
        uint256 n;
        uint256 ring;
        uint256 keyImage;
        uint256 c;
        uint256 e;
        uint256 hashPointY;
        uint256 hashCounters;
        uint256 nonResidueRoots;
        uint256 commitmentsL;
        uint256 commitmentsR;
    }

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
        Layout memory layout;
        (reason, layout) = _layout(sig, hints);
        if (reason != IRingVerifier.Reason.None) return (false, reason);
        Cursor memory cursor = _allocate(1, layout.n);
        uint256 digest;
        (reason, digest) = _checkSignature(scope, message, layout, cursor.pairs);
        if (reason != IRingVerifier.Reason.None) return (false, reason);
        _writeTerms(layout, _batchSeed(digest, layout), cursor, true);
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
        Layout[] memory layouts = new Layout[](k);
        uint256 members;
        for (uint256 i = 0; i < k; ++i) {
            (reason, layouts[i]) = _layout(checks[i].sig, checks[i].hints);
            if (reason != IRingVerifier.Reason.None) return (false, i, reason);
            members += layouts[i].n;
        }
        Cursor memory cursor = _allocate(k, members);
        uint256 seeds = _allocateWords(k + 2); // [TAG_BATCH_MULTI, k, s_1 .. s_k]
        uint256 pairs = cursor.pairs;
        for (uint256 i = 0; i < k; ++i) {
            RingCheck calldata check = checks[i];
            uint256 digest;
            (reason, digest) = _checkSignature(check.scope, check.message, layouts[i], pairs);
            if (reason != IRingVerifier.Reason.None) return (false, i, reason);
            uint256 seed = _batchSeed(digest, layouts[i]);
            assembly ("memory-safe") {
                mstore(add(seeds, shl(5, add(i, 2))), seed) // s_i
            }
            pairs += (2 + PAIR_TERMS_PER_MEMBER * layouts[i].n) * T;
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
            _writeTerms(layouts[i], signatureSeed, cursor, i == k - 1);
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
    ///      scalar 0) and returns the cursor at the first signature. The last single, -L of the last member of the
    ///      last signature, is not a term: its weight is 1 and the sum of the other terms is compared with L
    ///      (`_combinedCheck`); the 128 bytes after the input hold it.
    function _allocate(uint256 k, uint256 members) private pure returns (Cursor memory cursor) {
        uint256 nPairTerms = 2 + 2 * k + PAIR_TERMS_PER_MEMBER * members;
        uint256 nTerms = nPairTerms + SINGLE_TERMS_PER_MEMBER * members - 1;
        (uint256 algorithm, uint256 window) = MultiScalarMul.plan(nTerms, nPairTerms);
        uint256 terms = MultiScalarMul.allocate(nTerms, nPairTerms, algorithm, window);
        assembly ("memory-safe") {
            mstore(0x40, add(mload(0x40), T)) // the compared L's slot, right after the input
        }
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

    /// @dev Every check of one signature before the commitment equations, in the order of the reasons: MRS-1
    ///      §Verification 3, 2, 4 and the commitment hints on the curve (one pass over the members: `_checkMembers`),
    ///      the H_p hints (written to the H_i pair terms that follow `pairs`), then the commitment hints' verdict, and
    ///      6 (`_checkChallenge`, which returns the digest that seeds the weights).
    function _checkSignature(bytes32 scope, bytes32 message, Layout memory layout, uint256 pairs)
        private
        pure
        returns (IRingVerifier.Reason reason, uint256 digest)
    {
        uint256 bad = _checkMembers(layout);
        if (bad & BAD_POINT != 0) return (IRingVerifier.Reason.PointNotOnCurve, 0);
        if (bad & BAD_ORDER != 0) return (IRingVerifier.Reason.RingNotAscending, 0);
        if (bad & BAD_SCALAR != 0) return (IRingVerifier.Reason.ScalarNotCanonical, 0);
        reason = _hashPoints(scope, layout, pairs + 4 * T);
        if (reason != IRingVerifier.Reason.None) return (reason, 0);
        if (bad & BAD_COMMITMENT != 0) return (IRingVerifier.Reason.CommitmentHintNotOnCurve, 0);
        (reason, digest) = _checkChallenge(scope, message, layout);
    }

    /// @dev MRS-1 §Verification 1 (n >= 1, n values of c and e) and the hint arrays' lengths; on success, the
    ///      signature's `Layout`. Each array is taken from the ABI decoder once, in the order the checks need it.
    function _layout(RingSignature calldata sig, VerificationHints calldata hints)
        private
        pure
        returns (IRingVerifier.Reason reason, Layout memory layout)
    {
        uint256 n;
        {
            AffinePoint[] calldata ring = sig.ring;
            n = ring.length;
            if (n == 0) return (IRingVerifier.Reason.RingEmpty, layout);
            AffinePoint calldata keyImage = sig.keyImage;
            assembly ("memory-safe") {
                mstore(layout, n)
                mstore(add(layout, 0x20), ring.offset)
                mstore(add(layout, 0x40), keyImage)
            }
        }
        {
            uint256[] calldata c = sig.c;
            uint256[] calldata e = sig.e;
            uint256[] calldata ys = hints.hashPointY;
            if (c.length != n || e.length != n || ys.length != n) return (IRingVerifier.Reason.LengthMismatch, layout);
            assembly ("memory-safe") {
                mstore(add(layout, 0x60), c.offset)
                mstore(add(layout, 0x80), e.offset)
                mstore(add(layout, 0xa0), ys.offset)
            }
        }
        uint256 counters;
        {
            uint8[] calldata ctrs = hints.hashCounters;
            AffinePoint[] calldata ls = hints.commitmentsL;
            AffinePoint[] calldata rs = hints.commitmentsR;
            if (ctrs.length != n || ls.length != n || rs.length != n) return (IRingVerifier.Reason.LengthMismatch, layout);
            assembly ("memory-safe") {
                counters := ctrs.offset
                mstore(add(layout, 0xc0), counters)
                mstore(add(layout, 0x100), ls.offset)
                mstore(add(layout, 0x120), rs.offset)
            }
        }
        uint256 rootCount;
        bool badCounter;
        assembly ("memory-safe") {
            for { let i := 0 } lt(i, n) { i := add(i, 1) } {
                let ctr := calldataload(add(counters, shl(5, i))) // hashCounters[i], raw ABI word
                badCounter := or(badCounter, gt(ctr, 255)) // not a uint8: malformed hint
                rootCount := add(rootCount, ctr) // sum of counters = number of non-residue roots
            }
        }
        if (badCounter) return (IRingVerifier.Reason.HashPointHintInvalid, layout);
        uint256[] calldata roots = hints.nonResidueRoots;
        if (roots.length != rootCount) return (IRingVerifier.Reason.LengthMismatch, layout);
        assembly ("memory-safe") {
            mstore(add(layout, 0xe0), roots.offset)
        }
    }

    /// @dev One pass over the members for the checks that only read calldata, each failure a bit of the result:
    ///      BAD_POINT: some P_i or I is not a finite curve point with coordinates < p (MRS-1 §Verification 3);
    ///      BAD_ORDER: the ring is not strictly ascending by (x, y) (rule 2, which also rules out duplicates);
    ///      BAD_SCALAR: some c_i or e_i >= n (rule 4); BAD_COMMITMENT: some L_i or R_i hint is not a finite curve
    ///      point with coordinates < p (O has no encoding: rule 5). `_checkSignature` reports them in that order.
    function _checkMembers(Layout memory layout) private pure returns (uint256 bad) {
        uint256 ring = layout.ring;
        uint256 c = layout.c;
        uint256 e = layout.e;
        uint256 ls = layout.commitmentsL;
        uint256 rs = layout.commitmentsR;
        uint256 size = layout.n << 6; // bytes of n points
        {
            uint256 keyImage = layout.keyImage;
            assembly ("memory-safe") {
                let x := calldataload(keyImage) // I
                let y := calldataload(add(keyImage, 0x20))
                bad := iszero(and(and(lt(x, SECP256K1_P), lt(y, SECP256K1_P)), eq(mulmod(y, y, SECP256K1_P), addmod(mulmod(mulmod(x, x, SECP256K1_P), x, SECP256K1_P), SECP256K1_B, SECP256K1_P))))
            }
        }
        assembly ("memory-safe") {
            let px := 0 // previous member (the first has nothing before it)
            let py := 0
            // o = 64·i: the byte offset of member i's points, and twice that of its words
            for { let o := 0 } lt(o, size) { o := add(o, 0x40) } {
                let x := calldataload(add(ring, o)) // P_i
                let y := calldataload(add(add(ring, o), 0x20))
                bad := or(bad, iszero(and(and(lt(x, SECP256K1_P), lt(y, SECP256K1_P)), eq(mulmod(y, y, SECP256K1_P), addmod(mulmod(mulmod(x, x, SECP256K1_P), x, SECP256K1_P), SECP256K1_B, SECP256K1_P))))) // BAD_POINT
                // (x, y) > (px, py) lexicographically, for i >= 1
                bad := or(bad, shl(1, and(gt(o, 0), iszero(or(gt(x, px), and(eq(x, px), gt(y, py))))))) // BAD_ORDER
                px := x
                py := y
                x := calldataload(add(c, shr(1, o))) // c_i
                y := calldataload(add(e, shr(1, o))) // e_i
                bad := or(bad, shl(2, iszero(and(lt(x, SECP256K1_N), lt(y, SECP256K1_N))))) // BAD_SCALAR
                x := calldataload(add(ls, o)) // L_i
                y := calldataload(add(add(ls, o), 0x20))
                bad := or(bad, shl(3, iszero(and(and(lt(x, SECP256K1_P), lt(y, SECP256K1_P)), eq(mulmod(y, y, SECP256K1_P), addmod(mulmod(mulmod(x, x, SECP256K1_P), x, SECP256K1_P), SECP256K1_B, SECP256K1_P)))))) // BAD_COMMITMENT
                x := calldataload(add(rs, o)) // R_i
                y := calldataload(add(add(rs, o), 0x20))
                bad := or(bad, shl(3, iszero(and(and(lt(x, SECP256K1_P), lt(y, SECP256K1_P)), eq(mulmod(y, y, SECP256K1_P), addmod(mulmod(mulmod(x, x, SECP256K1_P), x, SECP256K1_P), SECP256K1_B, SECP256K1_P)))))) // BAD_COMMITMENT
            }
        }
    }

    /// @dev Checks the H_p hints (MRS-1 §Hash to point) and writes H_i = (X_i, y_i) into the first term of member
    ///      i's H pair (at `hSlot` + i·4 terms; `_writeTerms` adds the scalar, the GLV split the sign).
    ///      For each counter ctr' < ctr_i: X' = keccak256(TAG_H2P || scope || enc(P_i) || byte(ctr')); when X' < p,
    ///      the next root w must satisfy w^2 = p - (X'^3 + 7): since p = 3 mod 4, -1 is a non-square, so f' is a
    ///      non-square and ctr' gave no point (f' = 0 is impossible: it would be a point of order 2, and the group
    ///      order is an odd prime). For ctr_i itself: X < p, y < p, y even, y^2 = X^3 + 7.
    function _hashPoints(bytes32 scope, Layout memory layout, uint256 hSlot) private pure returns (IRingVerifier.Reason reason) {
        uint256 n = layout.n;
        uint256 ringOff = layout.ring;
        uint256 ysOff = layout.hashPointY;
        uint256 ctrOff = layout.hashCounters;
        uint256 root = layout.nonResidueRoots; // calldata address of the next unused non-residue root
        bool bad;
        assembly ("memory-safe") {
            let buf := mload(0x40) // 129-byte hash input, temporary memory above the free pointer
            mstore(buf, TAG_H2P)
            mstore(add(buf, 0x20), scope)
            let slot := hSlot
            for { let i := 0 } lt(i, n) { i := add(i, 1) } {
                calldatacopy(add(buf, 0x40), add(ringOff, shl(6, i)), 0x40) // enc(P_i)
                let ctr := calldataload(add(ctrOff, shl(5, i))) // <= 255, checked in _layout
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

    /// @dev MRS-1 §Verification 6 over the hinted L_i, R_i: sum c_i mod n == keccak256(TAG_CHALLENGE || scope ||
    ///      message || enc(P_1..P_n) || enc(I) || enc(L_1..L_n) || enc(R_1..R_n)) mod n. Returns the full digest,
    ///      which seeds the batch weights.
    function _checkChallenge(bytes32 scope, bytes32 message, Layout memory layout)
        private
        pure
        returns (IRingVerifier.Reason reason, uint256 digest)
    {
        uint256 n = layout.n;
        uint256 ringOff = layout.ring;
        uint256 lOff = layout.commitmentsL;
        uint256 rOff = layout.commitmentsR;
        uint256 cOff = layout.c;
        uint256 keyImage = layout.keyImage;
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
    ///      GLV-split by `_combinedCheck`), its singles' scalars -R_i: enc(z'_i), -L_i: enc(z_i), enc(s) = (s + H_c)·64
    ///      (points: `_writeSingles`), the key image's pair [I, sum z'_i·c_i]; adds sum z_i·e_i to G's scalar (term 0).
    ///      With `weightOne` (the last signature of the input) the last member's z is 1 instead (`_weightOne`).
    ///      Advances the cursor past the signature. One assembly loop per member.
    function _writeTerms(Layout memory layout, uint256 signatureSeed, Cursor memory cursor, bool weightOne) private pure {
        uint256 n = layout.n;
        uint256 ringOff = layout.ring;
        uint256 cOff = layout.c;
        uint256 eOff = layout.e;
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
                mstore(add(single, 0x60), shl(6, add(zr, mload(add(cursor, 0x60))))) // -R_i's scalar (z'_i + H_c)·64
                mstore(add(single, add(T, 0x60)), shl(6, add(z, mload(add(cursor, 0x60))))) // -L_i's: (z_i + H_c)·64
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
        uint256 keyImage = layout.keyImage;
        assembly ("memory-safe") {
            let pairs := mload(add(cursor, 0x20)) // this signature's key-image pair
            calldatacopy(pairs, keyImage, 0x40) // I
            mstore(add(pairs, 0x60), iScalar)
            mstore(add(cursor, 0x20), add(pairs, mul(add(2, mul(PAIR_TERMS_PER_MEMBER, n)), T))) // the next signature's pairs
        }
        if (weightOne) _weightOne(layout, signatureSeed, cursor);
        _writeSingles(layout, cursor);
    }

    /// @dev Sets z_n = 1 for the last member of the signature just written (its P pair is the 4 terms before
    ///      cursor.pairs): G's scalar gets e_n instead of z_n·e_n, P_n's scalar is c_n. Its -L_n is compared with
    ///      the sum instead of being a term (`_combinedCheck`), so its scalar is not used.
    function _weightOne(Layout memory layout, uint256 signatureSeed, Cursor memory cursor) private pure {
        uint256 last = layout.n - 1;
        uint256 c = layout.c;
        uint256 e = layout.e;
        assembly ("memory-safe") {
            mstore(0x00, signatureSeed)
            mstore(0x20, last)
            let z := shr(128, keccak256(0x00, 0x40)) // the z_n that _writeTerms used
            let en := calldataload(add(e, shl(5, last)))
            let gAt := add(mload(cursor), 0x60) // G's scalar
            mstore(gAt, addmod(mload(gAt), addmod(en, sub(SECP256K1_N, mulmod(z, en, SECP256K1_N)), SECP256K1_N), SECP256K1_N)) // - z_n·e_n + e_n
            mstore(add(sub(mload(add(cursor, 0x20)), mul(PAIR_TERMS_PER_MEMBER, T)), 0x60), calldataload(add(c, shl(5, last)))) // P_n's scalar c_n
        }
    }

    /// @dev Writes the points of one signature's singles at cursor.singles: -R_i = (R.x, p - R.y) and
    ///      -L_i = (L.x, p - L.y), each followed by p - (p - y) = y (their scalars: `_writeTerms`). Advances the cursor.
    function _writeSingles(Layout memory layout, Cursor memory cursor) private pure {
        uint256 lOff = layout.commitmentsL;
        uint256 rOff = layout.commitmentsR;
        uint256 n = layout.n;
        assembly ("memory-safe") {
            let single := mload(add(cursor, 0x40)) // cursor.singles
            let end := add(lOff, shl(6, n)) // after L_n
            for {} lt(lOff, end) {} {
                let y := calldataload(add(rOff, 0x20)) // R_i.y
                mstore(single, calldataload(rOff)) // -R_i = (R.x, p - R.y)
                mstore(add(single, 0x20), sub(SECP256K1_P, y))
                mstore(add(single, 0x40), y) // p - (p - R.y)
                y := calldataload(add(lOff, 0x20)) // L_i.y
                mstore(add(single, T), calldataload(lOff)) // -L_i = (L.x, p - L.y)
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
    ///      R_i), as one check: sum_i z_i·(e_i·G + c_i·P_i - L_i) + z'_i·(e_i·H_i + c_i·I - R_i) == O with the last
    ///      member's z = 1, i.e. the multi-scalar multiplication of every term but that member's -L equals L.
    ///      The core's result (X, Y, ZZ, ZZZ) is the point (X/ZZ, Y/ZZZ) when ZZ != 0, so it equals L = (x, y)
    ///      exactly when ZZ != 0, X = x·ZZ and Y = y·ZZZ (mod p). The core's answer to an exceptional addition,
    ///      (0, 0, 1, 1), never matches: no curve point has x = 0 (7 is not a square mod p).
    function _combinedCheck(address core, Cursor memory cursor) private view returns (bool ok) {
        uint256 terms = cursor.terms;
        Secp256k1.glvSplitPairs(terms, terms + cursor.nPairTerms * T, cursor.offset);
        (uint256 x, uint256 y, uint256 zz, uint256 zzz) = MultiScalarMul.sum(core, terms);
        uint256 compared = cursor.singles - T; // the excluded -L = [L.x, p - L.y, L.y, -], written last
        assembly ("memory-safe") {
            let p := SECP256K1_P
            let lx := mload(compared)
            let ly := mload(add(compared, 0x40))
            ok := and(iszero(iszero(mod(zz, p))), and(eq(mod(x, p), mulmod(lx, zz, p)), eq(mod(y, p), mulmod(ly, zzz, p))))
        }
    }

    /// @dev seed = keccak256(TAG_BATCH || digest || c_1..c_n || e_1..e_n): binds the challenge preimage (scope,
    ///      message, ring, I, every L_i, R_i) and every c_i, e_i, so no input can be chosen after the weights.
    function _batchSeed(uint256 digest, Layout memory layout) private pure returns (uint256 seed) {
        uint256 c = layout.c;
        uint256 e = layout.e;
        uint256 n = layout.n;
        assembly ("memory-safe") {
            let buf := mload(0x40) // temporary memory above the free pointer
            let size := shl(5, n)
            mstore(buf, TAG_BATCH)
            mstore(add(buf, 0x20), digest)
            calldatacopy(add(buf, 0x40), c, size) // c_1..c_n
            calldatacopy(add(add(buf, 0x40), size), e, size) // e_1..e_n
            seed := keccak256(buf, add(0x40, shl(1, size)))
        }
    }
}
