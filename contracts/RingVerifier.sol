// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IRingVerifier, RingSignature, VerificationHints} from "./interfaces/IRingVerifier.sol";
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
    function verify(bytes32 scope, bytes32 message, RingSignature calldata sig, VerificationHints calldata hints)
        external
        pure
    {
        (bool ok, Reason reason) = MRS1.tryVerify(scope, message, sig, hints);
        if (!ok) revert RingVerifierInvalidSignature(reason);
    }
}
