// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

// Test-only code, documented with @dev for the tests that use it; the NatSpec spec lives in the interfaces.
// solhint-disable use-natspec

import {PatientRegisterLogic} from "../PatientRegister.sol";
import {MedicalRecordLogic} from "../MedicalRecord.sol";
import {AccessListLogic} from "../AccessList.sol";

// TEST/BENCH ONLY. The paper's way (section 3, Protocols 1-3): every RC, MRC and ALC is a full contract with its
// own copy of the code, deployed with `new`. Same logic as the clone implementations (the shared *Logic bases);
// only the implementation lock is absent, because each instance is initialised by the registry in the same
// transaction that deploys it.

/// @notice A full RC per patient, as in Protocol 1.
contract PaperStyleRegister is PatientRegisterLogic {
    constructor(address trustedForwarder_) PatientRegisterLogic(trustedForwarder_) {}
}

/// @notice A full MRC per record, as in Protocol 2.
contract PaperStyleRecord is MedicalRecordLogic {
    constructor(address trustedForwarder_) MedicalRecordLogic(trustedForwarder_) {}
}

/// @notice A full ALC per institution, as in Protocol 3.
contract PaperStyleAccessList is AccessListLogic {
    constructor(address trustedForwarder_) AccessListLogic(trustedForwarder_) {}
}
