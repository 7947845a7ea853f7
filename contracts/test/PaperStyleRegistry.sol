// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {MedRingRegistry} from "../MedRingRegistry.sol";
import {IRingVerifier} from "../interfaces/IRingVerifier.sol";
import {RecordId} from "../interfaces/MedRingTypes.sol";
import {PaperStyleRegister, PaperStyleRecord, PaperStyleAccessList} from "./PaperStyleContracts.sol";

/// @title PaperStyleRegistry (TEST/BENCH ONLY): MedRingRegistry deploying a full contract per entity with `new`.
/// @notice Used by `npm run bench:actions` to measure the paper's way beside the clones in the same run. The
///         difference per action is the code deposit (200 gas per byte of runtime code) and init-code cost of
///         a full contract against a 45-byte EIP-1167 proxy; each instance still gets one `initialize` call,
///         as the clones do, so the logic executed is identical.
contract PaperStyleRegistry is MedRingRegistry {
    constructor(
        address admin,
        address regulator,
        IRingVerifier verifier_,
        address trustedForwarder_,
        address registerImplementation,
        address recordImplementation,
        address accessListImplementation
    )
        MedRingRegistry(
            admin,
            regulator,
            verifier_,
            trustedForwarder_,
            registerImplementation,
            recordImplementation,
            accessListImplementation
        )
    {}

    function _deployRegister() internal override returns (address) {
        return address(new PaperStyleRegister(trustedForwarder()));
    }

    function _deployRecord(RecordId id) internal override returns (address) {
        return address(new PaperStyleRecord{salt: RecordId.unwrap(id)}(trustedForwarder()));
    }

    function _deployAccessList() internal override returns (address) {
        return address(new PaperStyleAccessList(trustedForwarder()));
    }
}
