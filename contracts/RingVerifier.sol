// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IRingVerifier, RingCheck, RingSignature, VerificationHints} from "./interfaces/IRingVerifier.sol";
import {MRS1} from "./crypto/MRS1.sol";

/// @title RingVerifier: deployable, stateless, precompile-free MRS-1 verifier.
contract RingVerifier is IRingVerifier {
    /// @inheritdoc IRingVerifier
    function tryVerify(bytes32 scope, bytes32 message, RingSignature calldata sig, VerificationHints calldata hints)
        external
        pure
        returns (bool ok, Reason reason)
    {
        return MRS1.tryVerify(scope, message, sig, hints);
    }

    /// @inheritdoc IRingVerifier
    /// @dev PLACEHOLDER on the coordinator's branch until the verifier branch's one-MSM batch check lands.
    function tryVerifyBatch(RingCheck[] calldata checks)
        external
        pure
        returns (bool ok, uint256 failedIndex, Reason reason)
    {
        for (uint256 i = 0; i < checks.length; ++i) {
            (ok, reason) = MRS1.tryVerify(checks[i].scope, checks[i].message, checks[i].sig, checks[i].hints);
            if (!ok) return (false, i, reason);
        }
        return (checks.length != 0, 0, checks.length != 0 ? Reason.None : Reason.RingEmpty);
    }

    /// @inheritdoc IRingVerifier
    function verify(bytes32 scope, bytes32 message, RingSignature calldata sig, VerificationHints calldata hints)
        external
        pure
    {
        (bool ok, Reason reason) = MRS1.tryVerify(scope, message, sig, hints);
        if (!ok) revert RingVerifierInvalidSignature(reason);
    }
}
