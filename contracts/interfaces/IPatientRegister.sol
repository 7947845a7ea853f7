// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AffinePoint} from "./IRingVerifier.sol";

/// @title IPatientRegister: the paper's register contract (RC, section 3 Protocol 1), one per patient.
/// @notice Bound to its owner at creation (never rebindable). Holds the patient's MRS-1 ring public key, the
///         hash of the patient's encrypted personal info (the ciphertext itself is in the `PersonInfoUpdated`
///         event of the block that `personInfoHash()` returns), and the list of the patient's identified records.
///         `subjoin` appends to that list; there is no delete and no edit. Both mutators are owner-only; the
///         owner may call through the trusted ERC-2771 forwarder.
///         Anonymous records (owned by a key image) are never listed here: listing one would link it to the
///         patient.
/// @dev    Custom errors are named after the contract, as OpenZeppelin's are (`PatientRegister...`); the paper's
///         abbreviation RC names it in prose.
interface IPatientRegister {
    /// @notice `caller` is not the owner.
    error PatientRegisterUnauthorized(address caller);
    /// @notice `record` was not created by the registry.
    error PatientRegisterRecordUnknown(address record);
    /// @notice `record` is not owned by this RC's owner account (`recordOwner` is its owner account).
    error PatientRegisterRecordNotOwned(address record, address recordOwner);
    /// @notice `record` is already in the list.
    error PatientRegisterRecordAlreadyListed(address record);
    /// @notice The encrypted personal info is empty.
    error PatientRegisterPersonInfoEmpty();
    /// @notice The encrypted personal info is `length` bytes, more than PERSON_INFO_MAX_LENGTH (`max`).
    error PatientRegisterPersonInfoTooLarge(uint256 length, uint256 max);

    /// @notice The owner replaced the personal info with `encryptedInfo` (ciphertext) whose keccak256 is `infoHash`.
    event PersonInfoUpdated(bytes32 indexed infoHash, bytes encryptedInfo);
    /// @notice The owner appended `record` to the MRC list at `index`.
    event RecordSubjoined(address indexed record, uint256 index);

    /// @notice Upper bound on the encrypted personal info in bytes (at registration and in `personInfo`).
    function PERSON_INFO_MAX_LENGTH() external view returns (uint256);

    /// @notice Called once by the registry right after cloning. `encryptedInfo` may be empty.
    function initialize(address owner_, AffinePoint calldata ringKey_, bytes calldata encryptedInfo) external;

    /// @notice Appends `record` (an MRC of the registry owned by the owner account) to the list (owner only).
    function subjoin(address record) external;
    /// @notice Replaces the personal info with `encryptedInfo`, ciphertext only (owner only).
    function personInfo(bytes calldata encryptedInfo) external;

    /// @notice The patient account this RC is bound to.
    function owner() external view returns (address);
    /// @notice The registry that created this RC.
    function registry() external view returns (address);
    /// @notice The patient's MRS-1 ring public key.
    function ringKey() external view returns (AffinePoint memory);
    /// @notice keccak256 of the current encrypted personal info (0 if none) and the block that emitted it.
    function personInfoHash() external view returns (bytes32 infoHash, uint256 updatedAtBlock);
    /// @notice Number of listed records.
    function recordCount() external view returns (uint256);
    /// @notice Up to `limit` listed records from `offset` (empty past the end).
    function records(uint256 offset, uint256 limit) external view returns (address[] memory);
}
