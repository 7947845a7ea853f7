// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

// Test-only code, documented with @dev for the tests that use it; the NatSpec spec lives in the interfaces.
// solhint-disable use-natspec

import {P256} from "@openzeppelin/contracts/utils/cryptography/P256.sol";

/// @dev Test/benchmark only: OpenZeppelin's pure-Solidity P-256 verification (one double scalar multiplication
///      u1·G + u2·Q), the reference row of bench/gas.ts.
contract P256Harness {
    /// @notice The verification failed (so the benchmark never measures a rejected signature by mistake).
    error P256HarnessInvalidSignature(bytes32 h);

    function verifySolidity(bytes32 h, bytes32 r, bytes32 s, bytes32 qx, bytes32 qy) external view {
        if (!P256.verifySolidity(h, r, s, qx, qy)) revert P256HarnessInvalidSignature(h);
    }
}
