// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IRingVerifier, RingCheck, RingSignature, VerificationHints} from "./interfaces/IRingVerifier.sol";
import {MRS1} from "./crypto/MRS1.sol";
import {MultiScalarMul} from "./crypto/MultiScalarMul.sol";

/// @title RingVerifier: deployable, stateless, precompile-free MRS-1 verifier.
/// @notice Creates its multi-scalar multiplication core in the constructor: the core's code is part of this
///         contract's creation code, so the verifier's behaviour is fixed by its own bytecode and no address needs
///         to be trusted or wired at deployment.
contract RingVerifier is IRingVerifier {
    /// @inheritdoc IRingVerifier
    address public immutable multiScalarMulCore;

    constructor() {
        multiScalarMulCore = MultiScalarMul.deployCore();
    }

    /// @inheritdoc IRingVerifier
    function tryVerify(bytes32 scope, bytes32 message, RingSignature calldata sig, VerificationHints calldata hints)
        external
        view
        returns (bool ok, Reason reason)
    {
        return MRS1.tryVerify(multiScalarMulCore, scope, message, sig, hints);
    }

    /// @inheritdoc IRingVerifier
    function verify(bytes32 scope, bytes32 message, RingSignature calldata sig, VerificationHints calldata hints)
        external
        view
    {
        (bool ok, Reason reason) = MRS1.tryVerify(multiScalarMulCore, scope, message, sig, hints);
        if (!ok) revert RingVerifierInvalidSignature(reason);
    }

    /// @inheritdoc IRingVerifier
    function tryVerifyBatch(RingCheck[] calldata checks)
        external
        view
        returns (bool ok, uint256 failedIndex, Reason reason)
    {
        return MRS1.tryVerifyBatch(multiScalarMulCore, checks);
    }

    /// @inheritdoc IRingVerifier
    function verifyBatch(RingCheck[] calldata checks) external view {
        (bool ok, uint256 failedIndex, Reason reason) = MRS1.tryVerifyBatch(multiScalarMulCore, checks);
        if (!ok) revert RingVerifierInvalidBatch(failedIndex, reason);
    }
}
