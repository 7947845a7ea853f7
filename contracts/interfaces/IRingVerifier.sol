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

/// @notice One signature of a batch (`IRingVerifier.tryVerifyBatch`): what `tryVerify` takes, in one struct.
struct RingCheck {
    bytes32 scope;
    bytes32 message;
    RingSignature sig;
    VerificationHints hints;
}

/// @title IRingVerifier: precompile-free MRS-1 linkable ring-signature verification.
/// @notice The verifier makes no external call except STATICCALLs to its own multi-scalar multiplication contract
///         (`multiScalarMulCore`, created in its constructor; IMultiScalarMulCore), and none to a precompile.
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
        ChallengeMismatch, //        rule 6: sum c_i != challenge
        BatchEmpty //                a batch without any signature
    }

    /// @notice The signature was rejected.
    error RingVerifierInvalidSignature(Reason reason);

    /// @notice A batch was rejected: signature `index` failed `reason`, or, with `index == checks.length` and
    ///         `CommitmentMismatch`, the combined commitment check failed (it cannot name one signature).
    error RingVerifierInvalidBatch(uint256 index, Reason reason);

    /// @notice Verifies `sig` over (`scope`, `message`) with the caller's `hints`, never reverting on bad data.
    /// @return ok true exactly when MRS-1 §Verification accepts the signature.
    /// @return reason None when ok, otherwise the first failed check.
    function tryVerify(bytes32 scope, bytes32 message, RingSignature calldata sig, VerificationHints calldata hints)
        external
        view
        returns (bool ok, Reason reason);

    /// @notice Like `tryVerify`, but reverts with `RingVerifierInvalidSignature` when the signature is rejected.
    function verify(bytes32 scope, bytes32 message, RingSignature calldata sig, VerificationHints calldata hints)
        external
        view;

    /// @notice Verifies every signature of `checks` with one multi-scalar multiplication (Fiat-Shamir weights over
    ///         all of them, docs/batch-verification.md), never reverting on bad data. Accepts exactly when
    ///         `tryVerify` accepts every one of them (up to the 2^-128 soundness error per attempt of the batch
    ///         check). For one signature it accepts exactly what `tryVerify` accepts.
    /// @return ok true exactly when every signature is valid.
    /// @return failedIndex when not ok: the first signature whose own checks fail (shape, ring order, points,
    ///         scalars, H_p hints, commitment hints on the curve, challenge), in order; `checks.length` when they all
    ///         pass and only the combined commitment check fails (reason `CommitmentMismatch`): that check
    ///         cannot tell which signature's L_i / R_i hints are wrong. 0 for an empty batch (`BatchEmpty`).
    /// @return reason None when ok, otherwise the failed check.
    function tryVerifyBatch(RingCheck[] calldata checks)
        external
        view
        returns (bool ok, uint256 failedIndex, Reason reason);

    /// @notice Like `tryVerifyBatch`, but reverts with `RingVerifierInvalidBatch` when the batch is rejected.
    function verifyBatch(RingCheck[] calldata checks) external view;

    /// @notice The multi-scalar multiplication contract this verifier created and calls (IMultiScalarMulCore).
    function multiScalarMulCore() external view returns (address);
}
