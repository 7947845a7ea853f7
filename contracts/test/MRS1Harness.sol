// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

// Test-only code, documented with @dev for the tests that use it; the NatSpec spec lives in the interfaces.
// solhint-disable use-natspec

import {AffinePoint, RingSignature, VerificationHints, IRingVerifier} from "../interfaces/IRingVerifier.sol";
import {MRS1} from "../crypto/MRS1.sol";
import {MultiScalarMul} from "../crypto/MultiScalarMul.sol";

/// @dev Test-only: checks one H_p(scope, P) hint through the verifier's own code path, by verifying a one-member
///      "signature" whose only meaningful content is the ring member and its hash-to-point hints. The hint is
///      accepted exactly when tryVerify gets past the H_p check (any later reason means the H_p hints passed).
contract MRS1Harness {
    address private immutable core;

    constructor() {
        core = MultiScalarMul.deployCore();
    }

    function hashPointHintAccepted(bytes32 scope, AffinePoint calldata member, uint256 y, uint8 ctr, uint256[] calldata roots)
        external
        view
        returns (bool)
    {
        RingSignature memory sig;
        sig.ring = new AffinePoint[](1);
        sig.ring[0] = member;
        sig.keyImage = member; // any curve point: only the H_p step matters here
        sig.c = new uint256[](1);
        sig.e = new uint256[](1);
        VerificationHints memory hints;
        hints.hashPointY = new uint256[](1);
        hints.hashPointY[0] = y;
        hints.hashCounters = new uint8[](1);
        hints.hashCounters[0] = ctr;
        hints.nonResidueRoots = roots;
        hints.commitmentsL = new AffinePoint[](1);
        hints.commitmentsR = new AffinePoint[](1);
        (, IRingVerifier.Reason reason) = this.tryVerifyExternal(scope, sig, hints);
        return reason != IRingVerifier.Reason.HashPointHintInvalid;
    }

    function tryVerifyExternal(bytes32 scope, RingSignature calldata sig, VerificationHints calldata hints)
        external
        view
        returns (bool, IRingVerifier.Reason)
    {
        return MRS1.tryVerify(core, scope, bytes32(0), sig, hints);
    }
}
