// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Pagination} from "./libraries/Pagination.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {Context} from "@openzeppelin/contracts/utils/Context.sol";
import {ERC2771Context} from "@openzeppelin/contracts/metatx/ERC2771Context.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {AffinePoint, IRingVerifier} from "./interfaces/IRingVerifier.sol";
import {IMedRingRegistry} from "./interfaces/IMedRingRegistry.sol";
import {IPatientRegister} from "./interfaces/IPatientRegister.sol";
import {IMedicalRecord} from "./interfaces/IMedicalRecord.sol";
import {IAccessList} from "./interfaces/IAccessList.sol";
import {
    RecordId, KeyImageHash, RingAction, RingAuthorization, InstitutionInfo, Admission
} from "./interfaces/MedRingTypes.sol";
import {Secp256k1Point} from "./libraries/Secp256k1Point.sol";
import {RecordIds} from "./libraries/RecordIds.sol";

/// @title MedRingRegistry: the hub that creates and wires RC, MRC and ALC clones and authorises ring-signed actions.
contract MedRingRegistry is IMedRingRegistry, AccessControl, ERC2771Context, EIP712 {
    /// @inheritdoc IMedRingRegistry
    bytes32 public constant REGULATOR_ROLE = keccak256("MEDRING_REGULATOR_ROLE");
    /// @inheritdoc IMedRingRegistry
    bytes32 public constant ADMITTER_ROLE = keccak256("MEDRING_ADMITTER_ROLE");

    /// @inheritdoc IMedRingRegistry
    /// @dev 256 members: each costs the verifier several hundred bytes of calldata and its share of the on-chain
    ///      check, so rings much larger than this cannot fit under the 2^24 per-transaction gas cap (EIP-7825).
    ///      The regulator picks the working maximum below it from `npm run bench:actions`.
    uint256 public constant RING_SIZE_LIMIT = 256;

    /// @notice Default policy minimum. With n = 8 an observer who knows nothing else guesses the signer with
    ///         probability 1/8; below that (2-4) background knowledge and intersection across a patient's actions
    ///         break anonymity quickly, and 8 is also a common k-anonymity floor. It costs 8 members of
    ///         verification per action and needs 8 registered patients before any anonymous action is possible.
    uint256 public constant DEFAULT_RING_MIN = 8;
    /// @notice Default policy maximum: a ring size the verifier handles comfortably in one transaction.
    uint256 public constant DEFAULT_RING_MAX = 64;

    /// @inheritdoc IMedRingRegistry
    bytes public constant LOCATOR_CREATION_EVENT = "medring:event";

    /// @dev EIP-712 type hashes of the ring-authorised actions (type strings in IMedRingRegistry's NatSpec).
    bytes32 private constant CREATE_RECORD_TYPEHASH = keccak256(
        "CreateRecord(bytes32 scope,bytes32 contentHash,bytes locator,bytes ciphertext,uint256 nonce,uint256 deadline)"
    );
    bytes32 private constant WARRANT_TYPEHASH =
        keccak256("Warrant(bytes32 scope,address institution,bytes wrappedKey,uint256 nonce,uint256 deadline)");
    bytes32 private constant UNWARRANT_TYPEHASH =
        keccak256("Unwarrant(bytes32 scope,address institution,uint256 nonce,uint256 deadline)");
    /// @dev EIP-712 type hash of a patient's admission (MedRingTypes.Admission).
    bytes32 private constant ADMISSION_TYPEHASH =
        keccak256("Admission(address patient,uint256 ringKeyX,uint256 ringKeyY,uint256 deadline)");

    /// @dev A record's MRC and the next nonce of ring-authorised actions on it (one slot), and for an anonymous
    ///      record the hash of the ring it was created with (`_ringHash`; 0 for an identified record).
    struct RecordEntry {
        address record;
        uint96 ringNonce;
        bytes32 ringHash;
    }

    /// @inheritdoc IMedRingRegistry
    IRingVerifier public immutable verifier;
    address private immutable _registerImplementation;
    address private immutable _recordImplementation;
    address private immutable _accessListImplementation;

    uint128 private _ringMin;
    uint128 private _ringMax;
    AffinePoint[] private _ringKeys;
    /// @dev Membership of the anonymity set and who admitted it: a ring key is registered iff its admitter != 0.
    mapping(bytes32 ringKeyHash => address admitter) private _ringKeyAdmitter;
    mapping(address patient => address register) private _registerOf;
    mapping(address institution => InstitutionInfo) private _institutions;
    mapping(RecordId id => RecordEntry) private _records;
    mapping(address record => bool) private _isRecord;
    RecordId[] private _anonymousRecords;

    /// @param admin holder of DEFAULT_ADMIN_ROLE (grants and revokes roles).
    /// @param regulator first holder of REGULATOR_ROLE.
    /// @param verifier_ the MRS-1 verifier.
    /// @param trustedForwarder_ the ERC-2771 forwarder trusted by this registry and by every clone.
    /// @param registerImplementation, recordImplementation, accessListImplementation the clone implementations,
    ///        deployed with the same forwarder.
    constructor(
        address admin,
        address regulator,
        IRingVerifier verifier_,
        address trustedForwarder_,
        address registerImplementation,
        address recordImplementation,
        address accessListImplementation
    ) ERC2771Context(trustedForwarder_) EIP712("MedRing", "1") {
        if (admin == address(0) || regulator == address(0)) revert RegistryZeroAccount();
        _requireContract(address(verifier_));
        _requireContract(trustedForwarder_);
        _requireContract(registerImplementation);
        _requireContract(recordImplementation);
        _requireContract(accessListImplementation);
        verifier = verifier_;
        _registerImplementation = registerImplementation;
        _recordImplementation = recordImplementation;
        _accessListImplementation = accessListImplementation;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(REGULATOR_ROLE, regulator);
        _setRoleAdmin(ADMITTER_ROLE, REGULATOR_ROLE);
        _setRingPolicy(DEFAULT_RING_MIN, DEFAULT_RING_MAX);
    }

    // ------------------------------------------------------------------ wiring

    /// @inheritdoc IMedRingRegistry
    function implementations() external view returns (address register, address record, address accessList) {
        return (_registerImplementation, _recordImplementation, _accessListImplementation);
    }

    // ------------------------------------------------------------------ patients and the anonymity set

    /// @inheritdoc IMedRingRegistry
    function registerPatient(AffinePoint calldata ringKey, bytes calldata encryptedInfo, Admission calldata admission)
        external
        returns (address register)
    {
        address patient = _msgSender();
        if (_registerOf[patient] != address(0)) revert RegistryPatientAlreadyRegistered(patient);
        if (!Secp256k1Point.isOnCurve(ringKey.x, ringKey.y)) revert RegistryRingKeyInvalid(ringKey.x, ringKey.y);
        bytes32 ringKeyHash = Secp256k1Point.hash(ringKey);
        if (_ringKeyAdmitter[ringKeyHash] != address(0)) revert RegistryRingKeyTaken(ringKey.x, ringKey.y);
        _checkAdmission(patient, ringKey, admission);
        _ringKeyAdmitter[ringKeyHash] = admission.admitter;
        _ringKeys.push(ringKey);

        register = _deployRegister();
        _registerOf[patient] = register;
        IPatientRegister(register).initialize(patient, ringKey, encryptedInfo);
        emit PatientRegistered(patient, register, admission.admitter, ringKey.x, ringKey.y, _ringKeys.length - 1);
    }

    /// @inheritdoc IMedRingRegistry
    function isAdmitter(address account) public view returns (bool) {
        return _institutions[account].certified || hasRole(ADMITTER_ROLE, account);
    }

    /// @inheritdoc IMedRingRegistry
    function hashAdmission(address patient, AffinePoint calldata ringKey, uint256 deadline)
        public
        view
        returns (bytes32)
    {
        return _hashTypedDataV4(keccak256(abi.encode(ADMISSION_TYPEHASH, patient, ringKey.x, ringKey.y, deadline)));
    }

    /// @inheritdoc IMedRingRegistry
    function ringMemberAdmitter(uint256 x, uint256 y) external view returns (address) {
        return _ringKeyAdmitter[keccak256(abi.encode(x, y))];
    }

    /// @inheritdoc IMedRingRegistry
    function registerOf(address patient) external view returns (address) {
        return _registerOf[patient];
    }

    /// @inheritdoc IMedRingRegistry
    function ringMemberCount() external view returns (uint256) {
        return _ringKeys.length;
    }

    /// @inheritdoc IMedRingRegistry
    function ringMembers(uint256 offset, uint256 limit) external view returns (AffinePoint[] memory members) {
        uint256 count = Pagination.pageLength(_ringKeys.length, offset, limit);
        members = new AffinePoint[](count);
        for (uint256 i = 0; i < count; ++i) {
            members[i] = _ringKeys[offset + i];
        }
    }

    /// @inheritdoc IMedRingRegistry
    function isRingMember(uint256 x, uint256 y) external view returns (bool) {
        return _ringKeyAdmitter[keccak256(abi.encode(x, y))] != address(0);
    }

    // ------------------------------------------------------------------ ring policy

    /// @inheritdoc IMedRingRegistry
    function ringPolicy() external view returns (uint256 min, uint256 max) {
        return (_ringMin, _ringMax);
    }

    /// @inheritdoc IMedRingRegistry
    function setRingPolicy(uint256 min, uint256 max) external onlyRole(REGULATOR_ROLE) {
        _setRingPolicy(min, max);
    }

    // ------------------------------------------------------------------ institutions

    /// @inheritdoc IMedRingRegistry
    function certifyInstitution(address institution, bytes calldata encryptionKey)
        external
        onlyRole(REGULATOR_ROLE)
        returns (address accessList)
    {
        if (institution == address(0)) revert RegistryZeroAccount();
        // The key data keys are wrapped for (src/envelope): a compressed SEC1 secp256k1 point.
        if (!Secp256k1Point.isCompressedPoint(encryptionKey)) revert RegistryEncryptionKeyInvalid(encryptionKey);
        InstitutionInfo storage info = _institutions[institution];
        if (info.certified) revert RegistryInstitutionAlreadyCertified(institution);
        accessList = info.accessList;
        if (accessList == address(0)) {
            accessList = _deployAccessList();
            info.accessList = accessList;
            IAccessList(accessList).initialize(institution);
        }
        info.certified = true;
        info.encryptionKey = encryptionKey;
        emit InstitutionCertified(institution, accessList, encryptionKey);
    }

    /// @inheritdoc IMedRingRegistry
    function decertifyInstitution(address institution) external onlyRole(REGULATOR_ROLE) {
        InstitutionInfo storage info = _institutions[institution];
        if (!info.certified) revert RegistryInstitutionNotCertified(institution);
        info.certified = false;
        emit InstitutionDecertified(institution, info.accessList);
    }

    /// @inheritdoc IMedRingRegistry
    function institutionInfo(address institution) external view returns (InstitutionInfo memory) {
        return _institutions[institution];
    }

    /// @inheritdoc IMedRingRegistry
    function accessListOf(address institution) external view returns (address accessList, bool certified) {
        InstitutionInfo storage info = _institutions[institution];
        return (info.accessList, info.certified);
    }

    // ------------------------------------------------------------------ records

    /// @inheritdoc IMedRingRegistry
    function identifiedRecordIdOf(address ownerAccount, bytes32 scope) external pure returns (RecordId) {
        return RecordIds.ofAccount(ownerAccount, scope);
    }

    /// @inheritdoc IMedRingRegistry
    function anonymousRecordIdOf(bytes32 scope, KeyImageHash keyImage) external pure returns (RecordId) {
        return RecordIds.ofKeyImage(scope, keyImage);
    }

    /// @inheritdoc IMedRingRegistry
    function recordOf(RecordId id) external view returns (address) {
        return _records[id].record;
    }

    /// @inheritdoc IMedRingRegistry
    function isRecord(address record) external view returns (bool) {
        return _isRecord[record];
    }

    /// @inheritdoc IMedRingRegistry
    function ringNonce(RecordId id) external view returns (uint256) {
        return _records[id].ringNonce;
    }

    /// @inheritdoc IMedRingRegistry
    function recordRingHash(RecordId id) external view returns (bytes32) {
        return _records[id].ringHash;
    }

    /// @inheritdoc IMedRingRegistry
    function anonymousRecordCount() external view returns (uint256) {
        return _anonymousRecords.length;
    }

    /// @inheritdoc IMedRingRegistry
    function anonymousRecords(uint256 offset, uint256 limit) external view returns (RecordId[] memory ids) {
        uint256 count = Pagination.pageLength(_anonymousRecords.length, offset, limit);
        ids = new RecordId[](count);
        for (uint256 i = 0; i < count; ++i) {
            ids[i] = _anonymousRecords[offset + i];
        }
    }

    /// @inheritdoc IMedRingRegistry
    function createRecord(bytes32 scope, bytes32 contentHash, bytes calldata locator, bytes calldata ciphertext)
        external
        returns (RecordId id, address record)
    {
        address patient = _msgSender();
        if (_registerOf[patient] == address(0)) revert RegistryPatientNotRegistered(patient);
        id = RecordIds.ofAccount(patient, scope);
        if (_records[id].record != address(0)) revert RegistryRecordExists(id);
        _checkContent(contentHash, locator, ciphertext);
        record = _createRecord(id, scope, patient, KeyImageHash.wrap(0), contentHash, locator, ciphertext);
    }

    // ------------------------------------------------------------------ ring-authorised (anonymous) actions

    /// @inheritdoc IMedRingRegistry
    function createRecordAnonymous(
        bytes32 scope,
        bytes32 contentHash,
        bytes calldata locator,
        bytes calldata ciphertext,
        RingAuthorization calldata auth
    ) external returns (RecordId id, address record) {
        KeyImageHash keyImage = _keyImageHash(auth);
        id = RecordIds.ofKeyImage(scope, keyImage);
        _checkNewRecord(id, auth);
        bytes32 ciphertextHash = _checkContent(contentHash, locator, ciphertext);
        _verifyRing(
            scope,
            _createRecordStructHash(scope, contentHash, keccak256(locator), ciphertextHash, auth.nonce, auth.deadline),
            auth
        );
        _consumeNonce(id, _records[id], keyImage, RingAction.CreateRecord, auth);
        _fixRing(id, auth.signature.ring);
        record = _createRecord(id, scope, address(0), keyImage, contentHash, locator, ciphertext);
    }

    /// @inheritdoc IMedRingRegistry
    function warrantAnonymous(
        bytes32 scope,
        address institution,
        bytes calldata wrappedKey,
        RingAuthorization calldata auth
    ) external {
        (RecordId id, RecordEntry storage entry, KeyImageHash keyImage) = _checkLaterAction(scope, auth);
        _verifyRing(
            scope,
            keccak256(abi.encode(WARRANT_TYPEHASH, scope, institution, keccak256(wrappedKey), auth.nonce, auth.deadline)),
            auth
        );
        _consumeNonce(id, entry, keyImage, RingAction.Warrant, auth);
        IMedicalRecord(entry.record).warrant(institution, wrappedKey);
    }

    /// @inheritdoc IMedRingRegistry
    function unwarrantAnonymous(bytes32 scope, address institution, RingAuthorization calldata auth) external {
        (RecordId id, RecordEntry storage entry, KeyImageHash keyImage) = _checkLaterAction(scope, auth);
        _verifyRing(
            scope, keccak256(abi.encode(UNWARRANT_TYPEHASH, scope, institution, auth.nonce, auth.deadline)), auth
        );
        _consumeNonce(id, entry, keyImage, RingAction.Unwarrant, auth);
        IMedicalRecord(entry.record).unwarrant(institution);
    }

    /// @inheritdoc IMedRingRegistry
    function hashCreateRecord(
        bytes32 scope,
        bytes32 contentHash,
        bytes calldata locator,
        bytes calldata ciphertext,
        uint256 nonce,
        uint256 deadline
    ) external view returns (bytes32) {
        return _hashTypedDataV4(
            _createRecordStructHash(scope, contentHash, keccak256(locator), keccak256(ciphertext), nonce, deadline)
        );
    }

    /// @inheritdoc IMedRingRegistry
    function hashWarrant(bytes32 scope, address institution, bytes calldata wrappedKey, uint256 nonce, uint256 deadline)
        external
        view
        returns (bytes32)
    {
        return _hashTypedDataV4(
            keccak256(abi.encode(WARRANT_TYPEHASH, scope, institution, keccak256(wrappedKey), nonce, deadline))
        );
    }

    /// @inheritdoc IMedRingRegistry
    function hashUnwarrant(bytes32 scope, address institution, uint256 nonce, uint256 deadline)
        external
        view
        returns (bytes32)
    {
        return _hashTypedDataV4(keccak256(abi.encode(UNWARRANT_TYPEHASH, scope, institution, nonce, deadline)));
    }

    // ------------------------------------------------------------------ deployment hooks

    /// @dev Deploys a patient's RC: an EIP-1167 clone. The paper-style harness overrides this with `new`.
    function _deployRegister() internal virtual returns (address) {
        return Clones.clone(_registerImplementation);
    }

    /// @dev Deploys a record's MRC: an EIP-1167 clone at a CREATE2 address fixed by the record id, so a client
    ///      can predict it (e.g. to batch `createRecord` and `subjoin` in one forwarder call).
    function _deployRecord(RecordId id) internal virtual returns (address) {
        return Clones.cloneDeterministic(_recordImplementation, RecordId.unwrap(id));
    }

    /// @dev Deploys an institution's ALC: an EIP-1167 clone.
    function _deployAccessList() internal virtual returns (address) {
        return Clones.clone(_accessListImplementation);
    }

    // ------------------------------------------------------------------ internals

    function _setRingPolicy(uint256 min, uint256 max) private {
        if (min == 0 || min > max || max > RING_SIZE_LIMIT) revert RegistryRingPolicyInvalid(min, max);
        _ringMin = uint128(min);
        _ringMax = uint128(max);
        emit RingPolicyUpdated(min, max);
    }

    /// @dev Validates the content rules of createRecord / createRecordAnonymous; returns keccak256(ciphertext).
    function _checkContent(bytes32 contentHash, bytes calldata locator, bytes calldata ciphertext)
        private
        pure
        returns (bytes32 ciphertextHash)
    {
        if (contentHash == bytes32(0)) revert RegistryContentHashZero();
        ciphertextHash = keccak256(ciphertext);
        if (ciphertext.length != 0) {
            if (locator.length != 0) revert RegistryContentAmbiguous(ciphertext.length, locator.length);
            if (ciphertextHash != contentHash) revert RegistryContentHashMismatch(contentHash, ciphertextHash);
        } else if (locator.length == 0) {
            revert RegistryContentMissing();
        }
    }

    /// @dev Deploys and initialises the MRC and records it; the caller has checked id, owner and content.
    function _createRecord(
        RecordId id,
        bytes32 scope,
        address ownerAccount,
        KeyImageHash ownerKeyImage,
        bytes32 contentHash,
        bytes calldata locator,
        bytes calldata ciphertext
    ) private returns (address record) {
        record = _deployRecord(id);
        _records[id].record = record;
        _isRecord[record] = true;
        bytes memory storedLocator = ciphertext.length != 0 ? LOCATOR_CREATION_EVENT : locator;
        IMedicalRecord(record).initialize(scope, ownerAccount, ownerKeyImage, contentHash, storedLocator);
        emit RecordCreated(id, record, ownerAccount, ownerKeyImage, scope, contentHash, storedLocator, ciphertext);
    }

    function _createRecordStructHash(
        bytes32 scope,
        bytes32 contentHash,
        bytes32 locatorHash,
        bytes32 ciphertextHash,
        uint256 nonce,
        uint256 deadline
    ) private pure returns (bytes32) {
        return keccak256(
            abi.encode(CREATE_RECORD_TYPEHASH, scope, contentHash, locatorHash, ciphertextHash, nonce, deadline)
        );
    }

    /// @dev The admission of `patient` with `ringKey` (MedRingTypes.Admission): not expired, by an authorised
    ///      admitter, signed by it (ECDSA for an account, ERC-1271 for a contract).
    function _checkAdmission(address patient, AffinePoint calldata ringKey, Admission calldata admission)
        private
        view
    {
        if (block.timestamp > admission.deadline) revert RegistryAdmissionExpired(admission.deadline);
        if (!isAdmitter(admission.admitter)) revert RegistryAdmitterNotAuthorized(admission.admitter);
        bytes32 digest = hashAdmission(patient, ringKey, admission.deadline);
        if (!SignatureChecker.isValidSignatureNow(admission.admitter, digest, admission.signature)) {
            revert RegistryAdmissionSignatureInvalid(admission.admitter);
        }
    }

    function _checkDeadline(RingAuthorization calldata auth) private view {
        if (block.timestamp > auth.deadline) revert RegistryDeadlineExpired(auth.deadline);
    }

    /// @dev The ring of a new record: size within policy, every member a registered patient ring key.
    function _checkNewRing(AffinePoint[] calldata ring) private view {
        uint256 size = ring.length;
        if (size < _ringMin) revert RegistryRingTooSmall(size, _ringMin);
        if (size > _ringMax) revert RegistryRingTooLarge(size, _ringMax);
        for (uint256 i = 0; i < size; ++i) {
            if (_ringKeyAdmitter[Secp256k1Point.hash(ring[i])] == address(0)) {
                revert RegistryRingMemberNotRegistered(i, ring[i].x, ring[i].y);
            }
        }
    }

    function _checkNonce(RecordId id, RecordEntry storage entry, RingAuthorization calldata auth) private view {
        uint256 expected = entry.ringNonce;
        if (auth.nonce != expected) revert RegistryNonceMismatch(id, expected, auth.nonce);
    }

    /// @dev The checks of a ring-signed creation before the content and the signature: deadline, ring policy and
    ///      membership, nonce 0 not yet consumed, and no record of (scope, key image) yet.
    function _checkNewRecord(RecordId id, RingAuthorization calldata auth) private view {
        _checkDeadline(auth);
        _checkNewRing(auth.signature.ring);
        RecordEntry storage entry = _records[id];
        _checkNonce(id, entry, auth);
        if (entry.record != address(0)) revert RegistryRecordExists(id);
    }

    /// @dev Fixes the new anonymous record's ring (one ring per record), lists the record in the public index and
    ///      emits the ring for clients to read back.
    function _fixRing(RecordId id, AffinePoint[] calldata ring) private {
        bytes32 ringHash = _ringHash(ring);
        _records[id].ringHash = ringHash;
        _anonymousRecords.push(id);
        emit RecordRingFixed(id, ringHash, ring);
    }

    /// @dev The checks of a ring-signed action on an existing anonymous record, before the signature: deadline,
    ///      the record of (scope, key image) exists, the ring is its creation ring, the nonce is its next one.
    function _checkLaterAction(bytes32 scope, RingAuthorization calldata auth)
        private
        view
        returns (RecordId id, RecordEntry storage entry, KeyImageHash keyImage)
    {
        keyImage = _keyImageHash(auth);
        id = RecordIds.ofKeyImage(scope, keyImage);
        _checkDeadline(auth);
        entry = _records[id];
        if (entry.record == address(0)) revert RegistryRecordNotFound(id);
        bytes32 given = _ringHash(auth.signature.ring);
        if (given != entry.ringHash) revert RegistryRingMismatch(id, entry.ringHash, given);
        _checkNonce(id, entry, auth);
    }

    /// @dev keccak256 of the ring's points packed as x_1, y_1, ..., x_n, y_n: the calldata of the AffinePoint[]
    ///      elements, 64 bytes each, hashed as they are (no copy into an ABI-encoded array).
    function _ringHash(AffinePoint[] calldata ring) private pure returns (bytes32 ringHash) {
        assembly ("memory-safe") {
            let ptr := mload(0x40) // scratch above the free memory pointer; not kept
            let length := shl(6, ring.length) // n points × 64 bytes
            calldatacopy(ptr, ring.offset, length)
            ringHash := keccak256(ptr, length)
        }
    }

    function _keyImageHash(RingAuthorization calldata auth) private pure returns (KeyImageHash) {
        return KeyImageHash.wrap(Secp256k1Point.hash(auth.signature.keyImage));
    }

    /// @dev Verifies the MRS-1 signature over the EIP-712 digest of `structHash` in `scope`.
    function _verifyRing(bytes32 scope, bytes32 structHash, RingAuthorization calldata auth) private view {
        (bool ok, IRingVerifier.Reason reason) =
            verifier.tryVerify(scope, _hashTypedDataV4(structHash), auth.signature, auth.hints);
        if (!ok) revert RegistrySignatureInvalid(reason);
    }

    /// @dev Consumes the record's current ring nonce (checked equal to auth.nonce) and logs the action.
    function _consumeNonce(
        RecordId id,
        RecordEntry storage entry,
        KeyImageHash keyImage,
        RingAction action,
        RingAuthorization calldata auth
    ) private {
        entry.ringNonce = uint96(auth.nonce + 1);
        emit RingActionExecuted(id, keyImage, action, auth.nonce, auth.signature.ring.length);
    }

    function _requireContract(address account) private view {
        if (account.code.length == 0) revert RegistryNotAContract(account);
    }

    // ------------------------------------------------------------------ ERC-2771 plumbing

    function _msgSender() internal view override(Context, ERC2771Context) returns (address) {
        return ERC2771Context._msgSender();
    }

    function _msgData() internal view override(Context, ERC2771Context) returns (bytes calldata) {
        return ERC2771Context._msgData();
    }

    function _contextSuffixLength() internal view override(Context, ERC2771Context) returns (uint256) {
        return ERC2771Context._contextSuffixLength();
    }
}
