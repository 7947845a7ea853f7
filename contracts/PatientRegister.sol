// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Pagination} from "./libraries/Pagination.sol";
import {ERC2771Context} from "@openzeppelin/contracts/metatx/ERC2771Context.sol";
import {Initializable} from "@openzeppelin/contracts/proxy/utils/Initializable.sol";
import {AffinePoint} from "./interfaces/IRingVerifier.sol";
import {IPatientRegister} from "./interfaces/IPatientRegister.sol";
import {IMedicalRecord} from "./interfaces/IMedicalRecord.sol";
import {IMedRingRegistry} from "./interfaces/IMedRingRegistry.sol";

/// @title PatientRegisterLogic
/// @notice The RC's behaviour, shared by the clone implementation and the paper-style harness.
abstract contract PatientRegisterLogic is IPatientRegister, ERC2771Context, Initializable {
    /// @inheritdoc IPatientRegister
    /// @dev 8 KiB holds a sealed FHIR Patient resource with room to spare (the envelope adds about 150 bytes) and
    ///      bounds what a relayer-paid registration costs in calldata (16 gas per byte: about 131k gas at most).
    uint256 public constant PERSON_INFO_MAX_LENGTH = 8192;

    address private _registry;
    /// @dev Block of the last `PersonInfoUpdated` (0 if none), packed beside `_registry`.
    uint64 private _infoBlock;
    address private _owner;
    AffinePoint private _ringKey;
    bytes32 private _infoHash;
    address[] private _records;
    mapping(address record => bool) private _listed;

    constructor(address trustedForwarder_) ERC2771Context(trustedForwarder_) {}

    modifier onlyOwner() {
        if (_msgSender() != _owner) revert PatientRegisterUnauthorized(_msgSender());
        _;
    }

    /// @inheritdoc IPatientRegister
    function initialize(address owner_, AffinePoint calldata ringKey_, bytes calldata encryptedInfo)
        external
        initializer
    {
        _registry = msg.sender;
        _owner = owner_;
        _ringKey = ringKey_;
        if (encryptedInfo.length != 0) _setPersonInfo(encryptedInfo);
    }

    /// @inheritdoc IPatientRegister
    function subjoin(address record) external onlyOwner {
        if (!IMedRingRegistry(_registry).isRecord(record)) revert PatientRegisterRecordUnknown(record);
        (address recordOwner,) = IMedicalRecord(record).owner();
        if (recordOwner != _owner) revert PatientRegisterRecordNotOwned(record, recordOwner);
        if (_listed[record]) revert PatientRegisterRecordAlreadyListed(record);
        _listed[record] = true;
        _records.push(record);
        emit RecordSubjoined(record, _records.length - 1);
    }

    /// @inheritdoc IPatientRegister
    function personInfo(bytes calldata encryptedInfo) external onlyOwner {
        if (encryptedInfo.length == 0) revert PatientRegisterPersonInfoEmpty();
        _setPersonInfo(encryptedInfo);
    }

    /// @inheritdoc IPatientRegister
    function owner() external view returns (address) {
        return _owner;
    }

    /// @inheritdoc IPatientRegister
    function registry() external view returns (address) {
        return _registry;
    }

    /// @inheritdoc IPatientRegister
    function ringKey() external view returns (AffinePoint memory) {
        return _ringKey;
    }

    /// @inheritdoc IPatientRegister
    function personInfoHash() external view returns (bytes32 infoHash, uint256 updatedAtBlock) {
        return (_infoHash, _infoBlock);
    }

    /// @inheritdoc IPatientRegister
    function recordCount() external view returns (uint256) {
        return _records.length;
    }

    /// @inheritdoc IPatientRegister
    function records(uint256 offset, uint256 limit) external view returns (address[] memory page) {
        uint256 count = Pagination.pageLength(_records.length, offset, limit);
        page = new address[](count);
        for (uint256 i = 0; i < count; ++i) {
            page[i] = _records[offset + i];
        }
    }

    /// @dev Stores the ciphertext's hash and emits the ciphertext (event data lives as long as the chain and
    ///      costs far less than storage).
    function _setPersonInfo(bytes calldata encryptedInfo) private {
        if (encryptedInfo.length > PERSON_INFO_MAX_LENGTH) {
            revert PatientRegisterPersonInfoTooLarge(encryptedInfo.length, PERSON_INFO_MAX_LENGTH);
        }
        bytes32 infoHash = keccak256(encryptedInfo);
        _infoHash = infoHash;
        _infoBlock = uint64(block.number);
        emit PersonInfoUpdated(infoHash, encryptedInfo);
    }
}

/// @title PatientRegister: the RC implementation that every patient's EIP-1167 clone delegates to.
/// @notice The implementation itself is locked (never initialised); only clones hold state.
contract PatientRegister is PatientRegisterLogic {
    constructor(address trustedForwarder_) PatientRegisterLogic(trustedForwarder_) {
        _disableInitializers();
    }
}
