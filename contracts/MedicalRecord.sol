// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC2771Context} from "@openzeppelin/contracts/metatx/ERC2771Context.sol";
import {Initializable} from "@openzeppelin/contracts/proxy/utils/Initializable.sol";
import {IMedicalRecord} from "./interfaces/IMedicalRecord.sol";
import {IAccessList} from "./interfaces/IAccessList.sol";
import {IMedRingRegistry} from "./interfaces/IMedRingRegistry.sol";
import {RecordId, KeyImageHash, RecordInfo} from "./interfaces/MedRingTypes.sol";
import {RecordIds} from "./libraries/RecordIds.sol";

/// @title MedicalRecordLogic
/// @notice The MRC's behaviour, shared by the clone implementation and the paper-style harness.
abstract contract MedicalRecordLogic is IMedicalRecord, ERC2771Context, Initializable {
    /// @inheritdoc IMedicalRecord
    /// @dev An ECIES-wrapped 32-byte key is about 100 bytes (ephemeral key, nonce, ciphertext, tag); 512 leaves
    ///      room for other wrapping schemes while bounding what one grant can make the ALC return.
    uint256 public constant WRAPPED_KEY_MAX_LENGTH = 512;

    /// @dev One authorisation-list entry: position in `_institutions` plus one (0 = absent) and the wrapped key.
    struct Grant {
        uint256 positionPlusOne;
        bytes wrappedKey;
    }

    address private _registry;
    uint64 private _createdAt;
    address private _ownerAccount;
    KeyImageHash private _ownerKeyImage;
    bytes32 private _scope;
    bytes32 private _contentHash;
    bytes private _locator;
    address[] private _institutions;
    mapping(address institution => Grant) private _grants;

    constructor(address trustedForwarder_) ERC2771Context(trustedForwarder_) {}

    /// @dev Identified record: the owner account (directly or via the forwarder). Anonymous record: the registry,
    ///      which has just verified a ring signature by the owning key image.
    modifier onlyController() {
        if (_ownerAccount != address(0)) {
            if (_msgSender() != _ownerAccount) revert MedicalRecordUnauthorized(_msgSender());
        } else if (msg.sender != _registry) {
            revert MedicalRecordUnauthorized(msg.sender);
        }
        _;
    }

    /// @inheritdoc IMedicalRecord
    function initialize(
        bytes32 scope,
        address ownerAccount,
        KeyImageHash ownerKeyImage,
        bytes32 contentHash,
        bytes calldata locator
    ) external initializer {
        _registry = msg.sender;
        _createdAt = uint64(block.timestamp);
        _ownerAccount = ownerAccount;
        _ownerKeyImage = ownerKeyImage;
        _scope = scope;
        _contentHash = contentHash;
        _locator = locator;
    }

    /// @inheritdoc IMedicalRecord
    function warrant(address institution, bytes calldata wrappedKey) external onlyController {
        uint256 length = wrappedKey.length;
        if (length == 0 || length > WRAPPED_KEY_MAX_LENGTH) revert MedicalRecordWrappedKeyLengthInvalid(length);
        Grant storage grant = _grants[institution];
        if (grant.positionPlusOne != 0) revert MedicalRecordInstitutionAlreadyWarranted(institution);
        (address accessList, bool certified) = IMedRingRegistry(_registry).accessListOf(institution);
        if (!certified) revert MedicalRecordInstitutionNotCertified(institution);
        _institutions.push(institution);
        grant.positionPlusOne = _institutions.length;
        grant.wrappedKey = wrappedKey;
        emit RecordWarranted(institution, accessList, wrappedKey);
        IAccessList(accessList).addRecord();
    }

    /// @inheritdoc IMedicalRecord
    function unwarrant(address institution) external onlyController {
        uint256 positionPlusOne = _grants[institution].positionPlusOne;
        if (positionPlusOne == 0) revert MedicalRecordInstitutionNotWarranted(institution);
        uint256 last = _institutions.length - 1;
        if (positionPlusOne - 1 != last) {
            // swap-and-pop: move the last institution into the freed position
            address moved = _institutions[last];
            _institutions[positionPlusOne - 1] = moved;
            _grants[moved].positionPlusOne = positionPlusOne;
        }
        _institutions.pop();
        delete _grants[institution];
        // A warranted institution was certified once, so it has an ALC even if decertified since.
        (address accessList,) = IMedRingRegistry(_registry).accessListOf(institution);
        emit RecordUnwarranted(institution, accessList);
        IAccessList(accessList).removeRecord();
    }

    /// @inheritdoc IMedicalRecord
    function query() external view returns (RecordInfo memory info) {
        if (_ownerAccount != address(0) && _msgSender() != _ownerAccount) revert MedicalRecordUnauthorized(_msgSender());
        info.id = _id();
        info.scope = _scope;
        info.ownerAccount = _ownerAccount;
        info.ownerKeyImage = _ownerKeyImage;
        info.contentHash = _contentHash;
        info.locator = _locator;
        info.createdAt = _createdAt;
        info.institutions = _institutions;
    }

    /// @inheritdoc IMedicalRecord
    function grantOf(address institution)
        external
        view
        returns (RecordId id, bytes32 contentHash, bytes memory locator, uint64 createdAt, bytes memory wrappedKey)
    {
        (address accessList,) = IMedRingRegistry(_registry).accessListOf(institution);
        if (accessList == address(0) || msg.sender != accessList) revert MedicalRecordUnauthorized(msg.sender);
        Grant storage grant = _grants[institution];
        if (grant.positionPlusOne == 0) revert MedicalRecordInstitutionNotWarranted(institution);
        return (_id(), _contentHash, _locator, _createdAt, grant.wrappedKey);
    }

    /// @inheritdoc IMedicalRecord
    function registry() external view returns (address) {
        return _registry;
    }

    /// @inheritdoc IMedicalRecord
    function owner() external view returns (address account, KeyImageHash keyImage) {
        return (_ownerAccount, _ownerKeyImage);
    }

    /// @inheritdoc IMedicalRecord
    function isWarranted(address institution) external view returns (bool) {
        return _grants[institution].positionPlusOne != 0;
    }

    /// @inheritdoc IMedicalRecord
    function warrantedCount() external view returns (uint256) {
        return _institutions.length;
    }

    /// @dev The record id, as IMedRingRegistry.recordIdOf computes it.
    function _id() private view returns (RecordId) {
        return _ownerAccount != address(0)
            ? RecordIds.ofAccount(_ownerAccount, _scope)
            : RecordIds.ofKeyImage(_scope, _ownerKeyImage);
    }
}

/// @title MedicalRecord: the MRC implementation that every record's EIP-1167 clone delegates to.
/// @notice The implementation itself is locked (never initialised); only clones hold state.
contract MedicalRecord is MedicalRecordLogic {
    constructor(address trustedForwarder_) MedicalRecordLogic(trustedForwarder_) {
        _disableInitializers();
    }
}
