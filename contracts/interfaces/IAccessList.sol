// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {GrantedRecord} from "./MedRingTypes.sol";

/// @title IAccessList: the paper's access list contract (ALC, section 3 Protocol 3), one per certified institution.
/// @notice Bound to its institution at creation. Lists the records (MRC) currently granted to the institution.
///         Only MRCs created by the registry may add or remove themselves, which they do inside `warrant` /
///         `unwarrant`, so the list is always in step with the records' authorisation lists. Adding and removing
///         are O(1) (index map plus swap-and-pop), so the order of entries changes when one is removed: a client
///         paging through `getData` while records are revoked may see an entry twice or miss a just-moved one.
///
///         `getData` is restricted to the institution, but view access checks protect nothing (anyone can read
///         storage and events): the institution alone can use the data because each data key is wrapped for its
///         encryption key.
/// @dev    Custom errors are named after the contract, as OpenZeppelin's are (`AccessList...`); the paper's
///         abbreviation ALC names it in prose.
interface IAccessList {
    /// @notice `caller` may not perform this action on this access list.
    error AccessListUnauthorized(address caller);
    /// @notice `record` is already listed.
    error AccessListRecordAlreadyListed(address record);
    /// @notice `record` is not listed.
    error AccessListRecordNotListed(address record);

    /// @notice `record` was granted to the institution and listed at `index`.
    event RecordListed(address indexed record, uint256 index);
    /// @notice `record` was revoked and removed from the list.
    event RecordDelisted(address indexed record);

    /// @notice Called once by the registry right after cloning.
    function initialize(address institution_) external;

    /// @notice Lists the calling MRC (only MRCs created by the registry).
    function addRecord() external;
    /// @notice Removes the calling MRC (only MRCs created by the registry).
    function removeRecord() external;

    /// @notice Up to `limit` granted records from `offset` with locator and wrapped key (institution only).
    function getData(uint256 offset, uint256 limit) external view returns (GrantedRecord[] memory data);

    /// @notice The institution this ALC is bound to.
    function institution() external view returns (address);
    /// @notice The registry that created this ALC.
    function registry() external view returns (address);
    /// @notice Number of granted records.
    function recordCount() external view returns (uint256);
    /// @notice Whether `record` is listed.
    function isListed(address record) external view returns (bool);
}
