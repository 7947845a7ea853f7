// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {RecordId, KeyImageHash, RecordInfo} from "./MedRingTypes.sol";

/// @title IMedicalRecord: the paper's medical records contract (MRC, section 3 Protocol 2), one per record.
/// @notice Bound at creation to its owner, never rebindable: either an account (identified record) or an MRS-1
///         key image in the record's scope (anonymous record). Holds the record info (content hash of the
///         ciphertext, locator, timestamp) and the authorisation list (institution -> data key wrapped for it).
///
///         Who may `warrant` / `unwarrant`: for an identified record, the owner account as `_msgSender()` (directly
///         or through the trusted ERC-2771 forwarder); for an anonymous record, only the registry, which calls
///         after verifying a ring signature by the owning key image.
///
///         Both update the institution's access list contract (ALC) in the same transaction. `warrant` needs the
///         institution to be certified now; `unwarrant` works whatever the institution's status.
///
///         View access checks protect nothing (anyone can read storage): confidentiality comes from encryption.
///         They are kept to follow the paper and to stop honest clients from misusing the API.
/// @dev    Custom errors are named after the contract, as OpenZeppelin's are (`MedicalRecord...`); the paper's
///         abbreviation MRC names it in prose.
interface IMedicalRecord {
    /// @notice `caller` may not perform this action on this record.
    error MedicalRecordUnauthorized(address caller);
    /// @notice `institution` is not certified, so it cannot be warranted.
    error MedicalRecordInstitutionNotCertified(address institution);
    /// @notice `institution` is already warranted on this record.
    error MedicalRecordInstitutionAlreadyWarranted(address institution);
    /// @notice `institution` is not warranted on this record.
    error MedicalRecordInstitutionNotWarranted(address institution);
    /// @notice The wrapped key is empty or longer than `WRAPPED_KEY_MAX_LENGTH`.
    error MedicalRecordWrappedKeyLengthInvalid(uint256 length);

    /// @notice `institution` was granted this record; `wrappedKey` is the data key wrapped for it.
    event RecordWarranted(address indexed institution, address indexed accessList, bytes wrappedKey);
    /// @notice `institution`'s grant on this record was revoked (future reads only: what it decrypted, it keeps).
    event RecordUnwarranted(address indexed institution, address indexed accessList);

    /// @notice Upper bound on a wrapped key's length in bytes.
    function WRAPPED_KEY_MAX_LENGTH() external view returns (uint256);

    /// @notice Called once by the registry right after cloning. Exactly one of `ownerAccount` / `ownerKeyImage`
    ///         is non-zero. The record id is derived from them and `scope` (RecordIds), so it is not stored.
    function initialize(
        bytes32 scope,
        address ownerAccount,
        KeyImageHash ownerKeyImage,
        bytes32 contentHash,
        bytes calldata locator
    ) external;

    /// @notice Grants `institution` access: stores `wrappedKey` and adds this record to its ALC.
    function warrant(address institution, bytes calldata wrappedKey) external;
    /// @notice Revokes `institution`'s access: deletes its entry and removes this record from its ALC.
    function unwarrant(address institution) external;

    /// @notice The record info (paper: "query", owner only). For an identified record only the owner account may
    ///         call; an anonymous record's owner cannot identify itself in a call, so anyone may read it.
    function query() external view returns (RecordInfo memory);
    /// @notice What `institution`'s ALC returns for this record: id, content hash, locator, creation time and the
    ///         key wrapped for the institution. Only that ALC may call (`MedicalRecordUnauthorized` otherwise).
    function grantOf(address institution)
        external
        view
        returns (RecordId id, bytes32 contentHash, bytes memory locator, uint64 createdAt, bytes memory wrappedKey);

    /// @notice The registry that created this record.
    function registry() external view returns (address);
    /// @notice The owner: an account, or (account 0) a key-image hash.
    function owner() external view returns (address account, KeyImageHash keyImage);
    /// @notice Whether `institution` is warranted now.
    function isWarranted(address institution) external view returns (bool);
    /// @notice Number of institutions warranted now.
    function warrantedCount() external view returns (uint256);
}
