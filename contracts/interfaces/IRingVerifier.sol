// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @notice A finite secp256k1 point in affine coordinates (MRS-1 §Notation, `enc(P)` = be32(x) || be32(y)).
struct AffinePoint {
    uint256 x;
    uint256 y;
}

/// @notice An MRS-1 signature as the verifier takes it: the interchange format (MRS-1 §Interchange) decoded to
///         affine points. `ring` must be strictly ascending by (x, y) (MRS-1 §Ring).
struct RingSignature {
    AffinePoint[] ring;
    AffinePoint keyImage;
    uint256[] c;
    uint256[] e;
}

/// @notice Caller-supplied hints that let the verifier skip square roots and per-member scalar multiplications.
///         A wrong hint can only make verification fail (MRS-1 §Verification, last paragraph). The TypeScript
///         module computes them (`src/mrs1/hints.ts`).
/// @dev    hashPointY[i]      the even `y` of H_p(scope, P_i) (MRS-1 §Hash to point); `x` is recomputed on chain.
///         hashCounters[i]    the `ctr` that produced H_p(scope, P_i).
///         nonResidueRoots    for each member i in order, for each ctr' < hashCounters[i]: a `w` with
///                            w^2 = -(X^3 + 7) mod p, proving that counter gave no point (ignored when X >= p).
///         commitments[i]     L_i = e_i·G + c_i·P_i and R_i = e_i·H_p(scope, P_i) + c_i·I (MRS-1 §Verification 5).
struct VerificationHints {
    uint256[] hashPointY;
    uint8[] hashCounters;
    uint256[] nonResidueRoots;
    AffinePoint[] commitmentsL;
    AffinePoint[] commitmentsR;
}

/// @notice One signature of a batch: what `tryVerify` takes.
struct RingCheck {
    bytes32 scope;
    bytes32 message;
    RingSignature sig;
    VerificationHints hints;
}

/// @title IRingVerifier: precompile-free MRS-1 linkable ring-signature verification.
interface IRingVerifier {
    /// @notice Why a signature was rejected; `None` means valid. Numbers follow MRS-1 §Verification where they can.
    enum Reason {
        None,
        RingEmpty, //                rule 1: n = 0
        LengthMismatch, //           rule 1: c, e or a hint array does not have n entries
        RingNotAscending, //         rule 2
        PointNotOnCurve, //          rule 3: a ring member or the key image
        ScalarNotCanonical, //       rule 4
        HashPointHintInvalid, //     H_p hint: wrong y, wrong parity, a skipped counter not proven empty
        CommitmentHintNotOnCurve, // an L_i / R_i hint is not a finite curve point (covers rule 5's O)
        CommitmentMismatch, //       rule 5: an L_i / R_i hint does not equal e_i·G + c_i·P_i / e_i·H_i + c_i·I
        ChallengeMismatch //         rule 6: sum c_i != challenge
    }

    /// @notice The signature was rejected.
    error RingVerifierInvalidSignature(Reason reason);

    /// @notice Verifies `sig` over (`scope`, `message`) with the caller's `hints`, never reverting on bad data.
    /// @return ok true exactly when MRS-1 §Verification accepts the signature.
    /// @return reason None when ok, otherwise the first failed check.
    function tryVerify(bytes32 scope, bytes32 message, RingSignature calldata sig, VerificationHints calldata hints)
        external
        view
        returns (bool ok, Reason reason);

    /// @notice Verifies every signature of `checks`; never reverts on bad data.
    /// @return ok true exactly when MRS-1 §Verification accepts every signature.
    /// @return failedIndex the first rejected signature's index when ok is false.
    /// @return reason None when ok, otherwise why.
    function tryVerifyBatch(RingCheck[] calldata checks)
        external
        view
        returns (bool ok, uint256 failedIndex, Reason reason);

    /// @notice Like `tryVerify`, but reverts with `RingVerifierInvalidSignature` when the signature is rejected.
    function verify(bytes32 scope, bytes32 message, RingSignature calldata sig, VerificationHints calldata hints)
        external
        view;
}
