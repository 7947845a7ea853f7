// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {RecordId, KeyImageHash} from "../interfaces/MedRingTypes.sol";

/// @title RecordIds
/// @notice The one definition of a record id (see MedRingTypes.RecordId).
library RecordIds {
    /// @notice The id of the record `ownerAccount` creates in `scope`: keccak256(abi.encode(ownerAccount, scope)).
    function ofAccount(address ownerAccount, bytes32 scope) internal pure returns (RecordId) {
        return RecordId.wrap(keccak256(abi.encode(ownerAccount, scope)));
    }

    /// @notice The id of the record owned by key image `keyImage` in `scope`:
    ///         keccak256(abi.encode(address(0), scope, keyImage)). Bound to the signer, so a front-runner with
    ///         another key creates another record instead of taking this one.
    function ofKeyImage(bytes32 scope, KeyImageHash keyImage) internal pure returns (RecordId) {
        return RecordId.wrap(keccak256(abi.encode(address(0), scope, keyImage)));
    }
}
