// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Pagination} from "./libraries/Pagination.sol";
import {ERC2771Context} from "@openzeppelin/contracts/metatx/ERC2771Context.sol";
import {Initializable} from "@openzeppelin/contracts/proxy/utils/Initializable.sol";
import {IAccessList} from "./interfaces/IAccessList.sol";
import {IMedicalRecord} from "./interfaces/IMedicalRecord.sol";
import {IMedRingRegistry} from "./interfaces/IMedRingRegistry.sol";
import {GrantedRecord} from "./interfaces/MedRingTypes.sol";

/// @title AccessListLogic
/// @notice The ALC's behaviour, shared by the clone implementation and the paper-style harness.
abstract contract AccessListLogic is IAccessList, ERC2771Context, Initializable {
    address private _registry;
    address private _institution;
    address[] private _records;
    /// @dev position in `_records` plus one; 0 = not listed.
    mapping(address record => uint256) private _positionPlusOne;

    constructor(address trustedForwarder_) ERC2771Context(trustedForwarder_) {}

    /// @dev Only MRCs created by the registry change the list, and only for themselves.
    modifier onlyRegistryRecord() {
        if (!IMedRingRegistry(_registry).isRecord(msg.sender)) revert AccessListUnauthorized(msg.sender);
        _;
    }

    /// @inheritdoc IAccessList
    function initialize(address institution_) external initializer {
        _registry = msg.sender;
        _institution = institution_;
    }

    /// @inheritdoc IAccessList
    function addRecord() external onlyRegistryRecord {
        if (_positionPlusOne[msg.sender] != 0) revert AccessListRecordAlreadyListed(msg.sender);
        _records.push(msg.sender);
        uint256 length = _records.length;
        _positionPlusOne[msg.sender] = length;
        emit RecordListed(msg.sender, length - 1);
    }

    /// @inheritdoc IAccessList
    function removeRecord() external onlyRegistryRecord {
        uint256 positionPlusOne = _positionPlusOne[msg.sender];
        if (positionPlusOne == 0) revert AccessListRecordNotListed(msg.sender);
        uint256 last = _records.length - 1;
        if (positionPlusOne - 1 != last) {
            // swap-and-pop: move the last entry into the freed position
            address moved = _records[last];
            _records[positionPlusOne - 1] = moved;
            _positionPlusOne[moved] = positionPlusOne;
        }
        _records.pop();
        delete _positionPlusOne[msg.sender];
        emit RecordDelisted(msg.sender);
    }

    /// @inheritdoc IAccessList
    function getData(uint256 offset, uint256 limit) external view returns (GrantedRecord[] memory data) {
        if (_msgSender() != _institution) revert AccessListUnauthorized(_msgSender());
        uint256 count = Pagination.pageLength(_records.length, offset, limit);
        data = new GrantedRecord[](count);
        for (uint256 i = 0; i < count; ++i) {
            address record = _records[offset + i];
            GrantedRecord memory entry = data[i];
            entry.record = record;
            (entry.id, entry.contentHash, entry.locator, entry.createdAt, entry.wrappedKey) =
                IMedicalRecord(record).grantOf(_institution);
        }
    }

    /// @inheritdoc IAccessList
    function institution() external view returns (address) {
        return _institution;
    }

    /// @inheritdoc IAccessList
    function registry() external view returns (address) {
        return _registry;
    }

    /// @inheritdoc IAccessList
    function recordCount() external view returns (uint256) {
        return _records.length;
    }

    /// @inheritdoc IAccessList
    function isListed(address record) external view returns (bool) {
        return _positionPlusOne[record] != 0;
    }
}

/// @title AccessList: the ALC implementation that every institution's EIP-1167 clone delegates to.
/// @notice The implementation itself is locked (never initialised); only clones hold state.
contract AccessList is AccessListLogic {
    constructor(address trustedForwarder_) AccessListLogic(trustedForwarder_) {
        _disableInitializers();
    }
}
