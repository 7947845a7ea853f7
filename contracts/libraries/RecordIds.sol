// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {RecordId} from "../interfaces/MedRingTypes.sol";

/// @title RecordIds: the one definition of a record id (see MedRingTypes.RecordId).
library RecordIds {
    /// @notice keccak256(abi.encode(ownerAccount, scope)); ownerAccount = address(0) for a key-image owner, so an
    ///         identified record can never take the id of an anonymous record's scope (no front-running squat).
    function derive(address ownerAccount, bytes32 scope) internal pure returns (RecordId) {
        return RecordId.wrap(keccak256(abi.encode(ownerAccount, scope)));
    }
}
