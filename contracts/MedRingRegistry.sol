// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Pagination} from "./libraries/Pagination.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {Context} from "@openzeppelin/contracts/utils/Context.sol";
import {ERC2771Context} from "@openzeppelin/contracts/metatx/ERC2771Context.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {AffinePoint, IRingVerifier, RingCheck} from "./interfaces/IRingVerifier.sol";
import {IMedRingRegistry} from "./interfaces/IMedRingRegistry.sol";
import {IPatientRegister} from "./interfaces/IPatientRegister.sol";
import {IMedicalRecord} from "./interfaces/IMedicalRecord.sol";
import {IAccessList} from "./interfaces/IAccessList.sol";
import {
    RecordId,
    KeyImageHash,
    RingAction,
    RingAuthorization,
    RingActionRequest,
    InstitutionInfo,
    Admission,
    RingKeyPossession
} from "./interfaces/MedRingTypes.sol";
import {RecordIds} from "./libraries/RecordIds.sol";
import {Secp256k1} from "./crypto/Secp256k1.sol";

/// @title MedRingRegistry
/// @notice The hub that creates and wires RC, MRC and ALC clones and authorises ring-signed actions.
contract MedRingRegistry is IMedRingRegistry, AccessControl, ERC2771Context, EIP712 {
    /// @inheritdoc IMedRingRegistry
    bytes32 public constant REGULATOR_ROLE = keccak256("MEDRING_REGULATOR_ROLE");
    /// @inheritdoc IMedRingRegistry
    bytes32 public constant ADMITTER_ROLE = keccak256("MEDRING_ADMITTER_ROLE");

    /// @inheritdoc IMedRingRegistry
    /// @dev Measured, not chosen: the largest ring for which every anonymous action, alone and as an
    ///      executeRingActions batch of one, fits under EIP-7825's 2^24 per-transaction gas cap with 63/64 gas
    ///      forwarding (`npm run bench:gas`, bench/registryRingLimit.ts), minus a safety margin. The value and its
    ///      margin live in src/api/ringSizeLimit.ts, which test/contracts/ringSizeLimit.test.ts holds this equal to.
    ///      The regulator picks the working maximum below it from `npm run bench:actions`.
    uint256 public constant RING_SIZE_LIMIT = 231;

    /// @notice Default policy minimum. With n = 8 an observer who knows nothing else guesses the signer with
    ///         probability 1/8; below that (2-4) background knowledge and intersection across a patient's actions
    ///         break anonymity quickly, and 8 is also a common k-anonymity floor. It costs 8 members of
    ///         verification per action and needs 8 registered patients before any anonymous action is possible.
    uint256 public constant DEFAULT_RING_MIN = 8;
    /// @notice Default policy maximum: a ring size the verifier handles comfortably in one transaction.
    uint256 public constant DEFAULT_RING_MAX = 64;

    /// @inheritdoc IMedRingRegistry
    bytes public constant LOCATOR_CREATION_EVENT = "medring:event";

    /// @inheritdoc IMedRingRegistry
    /// @dev 32 ring-16 actions are about as much gas as one signature of the largest ring the verifier fits under
    ///      EIP-7825's per-transaction cap; the relayer sizes its batches by a gas budget below this.
    uint256 public constant MAX_RING_ACTIONS_PER_BATCH = 32;

    /// @dev EIP-712 type hashes of the ring-authorised actions (type strings in IMedRingRegistry's NatSpec).
    bytes32 private constant CREATE_RECORD_TYPEHASH = keccak256(
        "CreateRecord(bytes32 scope,bytes32 contentHash,bytes locator,bytes ciphertext,uint256 nonce,uint256 deadline)"
    );
    bytes32 private constant WARRANT_TYPEHASH =
        keccak256("Warrant(bytes32 scope,address institution,bytes wrappedKey,uint256 nonce,uint256 deadline)");
    bytes32 private constant UNWARRANT_TYPEHASH =
        keccak256("Unwarrant(bytes32 scope,address institution,uint256 nonce,uint256 deadline)");
    /// @inheritdoc IMedRingRegistry
    bytes32 public constant RING_KEY_POSSESSION_SCOPE = keccak256("MedRing ring key possession");
    /// @dev EIP-712 type hash of a ring-key possession proof's message (MedRingTypes.RingKeyPossession).
    bytes32 private constant RING_KEY_POSSESSION_TYPEHASH = keccak256("RingKeyPossession(address patient)");

    /// @inheritdoc IMedRingRegistry
    /// @dev 1,000 patients: a hospital's first intake, large enough not to hinder a real admitter before the
    ///      regulator sets its quota, small enough that one rogue admitter adds a bounded share of the set.
    uint256 public constant DEFAULT_ADMISSION_QUOTA = 1000;

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
    /// @dev An admitter's admissions so far and its quota; `quotaSet` false means DEFAULT_ADMISSION_QUOTA.
    struct AdmitterQuota {
        uint64 admitted;
        uint64 quota;
        bool quotaSet;
    }

    mapping(address admitter => AdmitterQuota) private _admitterQuotas;
    mapping(address patient => address register) private _registerOf;
    mapping(address institution => InstitutionInfo) private _institutions;
    mapping(RecordId id => RecordEntry) private _records;
    mapping(address record => bool) private _isRecord;
    RecordId[] private _anonymousRecords;

    /// @notice Grants the first roles and fixes the verifier, the forwarder and the clone implementations for good.
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
    function registerPatient(
        AffinePoint calldata ringKey,
        bytes calldata encryptedInfo,
        Admission calldata admission,
        RingKeyPossession calldata possession
    ) external returns (address register) {
        address patient = _msgSender();
        if (_registerOf[patient] != address(0)) revert RegistryPatientAlreadyRegistered(patient);
        if (!Secp256k1.isOnCurve(ringKey.x, ringKey.y)) revert RegistryRingKeyInvalid(ringKey.x, ringKey.y);
        bytes32 ringKeyHash = Secp256k1.hashPoint(ringKey.x, ringKey.y);
        if (_ringKeyAdmitter[ringKeyHash] != address(0)) revert RegistryRingKeyTaken(ringKey.x, ringKey.y);
        _checkAdmission(patient, ringKey, admission);
        _countAdmission(admission.admitter);
        _checkPossession(patient, ringKey, possession);
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
    function hashRingKeyPossession(address patient) public view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(RING_KEY_POSSESSION_TYPEHASH, patient)));
    }

    /// @inheritdoc IMedRingRegistry
    function admissionQuota(address admitter) public view returns (uint256 quota, uint256 admitted) {
        AdmitterQuota storage q = _admitterQuotas[admitter];
        return (q.quotaSet ? q.quota : DEFAULT_ADMISSION_QUOTA, q.admitted);
    }

    /// @inheritdoc IMedRingRegistry
    function setAdmissionQuota(address admitter, uint256 quota) external onlyRole(REGULATOR_ROLE) {
        if (quota > type(uint64).max) revert RegistryAdmissionQuotaInvalid(quota);
        AdmitterQuota storage q = _admitterQuotas[admitter];
        q.quota = uint64(quota);
        q.quotaSet = true;
        emit AdmissionQuotaSet(admitter, quota);
    }

    /// @inheritdoc IMedRingRegistry
    function ringMemberAdmitter(uint256 x, uint256 y) external view returns (address) {
        return _ringKeyAdmitter[Secp256k1.hashPoint(x, y)];
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
        return _ringKeyAdmitter[Secp256k1.hashPoint(x, y)] != address(0);
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
        if (!Secp256k1.isCompressedPoint(encryptionKey)) revert RegistryEncryptionKeyInvalid(encryptionKey);
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
        (, bytes memory failure) = _contentFailure(contentHash, locator, ciphertext);
        _revertIf(failure);
        record = _createRecord(id, scope, patient, KeyImageHash.wrap(0), contentHash, locator, ciphertext);
    }

    // ------------------------------------------------------------------ ring-authorised (anonymous) actions
    //
    // Each action runs as: cheap state checks (returning the custom error's encoding instead of reverting, so that
    // a batch can skip the action), the signature (verified here for a single action, or beforehand for the whole
    // batch with one multi-scalar multiplication), then the effects. The single-action entry points revert with
    // the first failure; `executeRingActions` logs it in RingActionSkipped and goes on.

    /// @inheritdoc IMedRingRegistry
    function createRecordAnonymous(
        bytes32 scope,
        bytes32 contentHash,
        bytes calldata locator,
        bytes calldata ciphertext,
        RingAuthorization calldata auth
    ) external returns (RecordId id, address record) {
        bytes memory failure;
        (id, record, failure) = _createAnonymous(scope, contentHash, locator, ciphertext, auth, false);
        _revertIf(failure);
    }

    /// @inheritdoc IMedRingRegistry
    function warrantAnonymous(
        bytes32 scope,
        address institution,
        bytes calldata wrappedKey,
        RingAuthorization calldata auth
    ) external {
        (, bytes memory failure) = _warrantAnonymous(scope, institution, wrappedKey, auth, false);
        _revertIf(failure);
    }

    /// @inheritdoc IMedRingRegistry
    function unwarrantAnonymous(bytes32 scope, address institution, RingAuthorization calldata auth) external {
        (, bytes memory failure) = _unwarrantAnonymous(scope, institution, auth, false);
        _revertIf(failure);
    }

    /// @inheritdoc IMedRingRegistry
    /// @dev Three passes (docs/batch-verification.md, "Stale members"):
    ///      1. each member's state checks against the state before the batch, unless an earlier member acts on the
    ///         same record (only such a member can change what the checks read: the record's existence, ring hash
    ///         and nonce; the deadline, the ring policy, ring membership and the content no member changes). A
    ///         member that fails here is left out of the verification, so a member made stale by someone else's
    ///         transaction costs the relayer its checks, not its share of the multi-scalar multiplication;
    ///      2. the signatures of the remaining members with one multi-scalar multiplication (none: no call);
    ///      3. each member in order: a pre-checked one straight to its effects (nothing before it touched its
    ///         record, so its checks still hold), one after a member on the same record through all its checks on
    ///         the state the earlier ones left (a batch may create a record and warrant it).
    function executeRingActions(RingActionRequest[] calldata requests) external returns (uint256 executed) {
        uint256 count = requests.length;
        if (count == 0 || count > MAX_RING_ACTIONS_PER_BATCH) {
            revert RegistryBatchSizeInvalid(count, MAX_RING_ACTIONS_PER_BATCH);
        }
        RecordId[] memory ids = new RecordId[](count);
        bool[] memory checkedLate = new bool[](count);
        bytes[] memory failures = new bytes[](count);
        RingCheck[] memory checks = new RingCheck[](count);
        uint256[] memory checkedIndex = new uint256[](count);
        uint256 verified = 0;
        for (uint256 i = 0; i < count; ++i) {
            RingActionRequest calldata request = requests[i];
            ids[i] = RecordIds.ofKeyImage(request.scope, _keyImageHash(request.auth));
            checkedLate[i] = _actedOnEarlier(ids, i);
            if (!checkedLate[i]) failures[i] = _requestFailure(request);
            if (failures[i].length != 0) continue;
            RingCheck memory check = checks[verified];
            check.scope = request.scope;
            check.message = _hashTypedDataV4(_structHash(request));
            check.sig = request.auth.signature;
            check.hints = request.auth.hints;
            checkedIndex[verified] = i;
            ++verified;
        }
        if (verified != 0) {
            assembly ("memory-safe") {
                mstore(checks, verified) // only the members still to run; the array only shrinks
            }
            // The relayer verified each signature before, so an invalid one means a bug: the whole batch reverts.
            (bool ok, uint256 failedCheck, IRingVerifier.Reason reason) = verifier.tryVerifyBatch(checks);
            if (!ok) revert RegistryBatchSignatureInvalid(checkedIndex[failedCheck], reason);
        }
        for (uint256 i = 0; i < count; ++i) {
            bytes memory failure = failures[i];
            if (failure.length == 0) failure = checkedLate[i] ? _executeVerified(requests[i]) : _executeChecked(requests[i], ids[i]);
            if (failure.length == 0) ++executed;
            else emit RingActionSkipped(i, ids[i], failure);
        }
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
        return _hashTypedDataV4(_warrantStructHash(scope, institution, wrappedKey, nonce, deadline));
    }

    /// @inheritdoc IMedRingRegistry
    function hashUnwarrant(bytes32 scope, address institution, uint256 nonce, uint256 deadline)
        external
        view
        returns (bytes32)
    {
        return _hashTypedDataV4(_unwarrantStructHash(scope, institution, nonce, deadline));
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

    /// @dev The content rules of createRecord / createRecordAnonymous: the failing rule's custom error encoded
    ///      (empty when the content is fine), and keccak256(ciphertext).
    function _contentFailure(bytes32 contentHash, bytes calldata locator, bytes calldata ciphertext)
        private
        pure
        returns (bytes32 ciphertextHash, bytes memory failure)
    {
        ciphertextHash = keccak256(ciphertext);
        if (contentHash == bytes32(0)) {
            failure = abi.encodeWithSelector(RegistryContentHashZero.selector);
        } else if (ciphertext.length != 0) {
            if (locator.length != 0) {
                failure = abi.encodeWithSelector(RegistryContentAmbiguous.selector, ciphertext.length, locator.length);
            } else if (ciphertextHash != contentHash) {
                failure = abi.encodeWithSelector(RegistryContentHashMismatch.selector, contentHash, ciphertextHash);
            }
        } else if (locator.length == 0) {
            failure = abi.encodeWithSelector(RegistryContentMissing.selector);
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

    function _warrantStructHash(bytes32 scope, address institution, bytes calldata wrappedKey, uint256 nonce, uint256 deadline)
        private
        pure
        returns (bytes32)
    {
        return keccak256(abi.encode(WARRANT_TYPEHASH, scope, institution, keccak256(wrappedKey), nonce, deadline));
    }

    function _unwarrantStructHash(bytes32 scope, address institution, uint256 nonce, uint256 deadline)
        private
        pure
        returns (bytes32)
    {
        return keccak256(abi.encode(UNWARRANT_TYPEHASH, scope, institution, nonce, deadline));
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

    /// @dev Counts one admission by `admitter`, which must have some of its quota left.
    function _countAdmission(address admitter) private {
        (uint256 quota, uint256 admitted) = admissionQuota(admitter);
        if (admitted >= quota) revert RegistryAdmissionQuotaExceeded(admitter, quota, admitted);
        _admitterQuotas[admitter].admitted = uint64(admitted + 1); // admitted < quota <= 2^64 - 1
    }

    /// @dev `possession` is a valid ring-of-one MRS-1 signature by `ringKey` over `patient` (MedRingTypes.RingKeyPossession).
    function _checkPossession(address patient, AffinePoint calldata ringKey, RingKeyPossession calldata possession)
        private
        view
    {
        AffinePoint[] calldata ring = possession.signature.ring;
        if (ring.length != 1 || ring[0].x != ringKey.x || ring[0].y != ringKey.y) revert RegistryPossessionRingInvalid();
        (bool ok, IRingVerifier.Reason reason) = verifier.tryVerify(
            RING_KEY_POSSESSION_SCOPE, hashRingKeyPossession(patient), possession.signature, possession.hints
        );
        if (!ok) revert RegistryPossessionProofInvalid(reason);
    }

    /// @dev Whether a member of a batch before `index` acts on record `ids[index]`.
    function _actedOnEarlier(RecordId[] memory ids, uint256 index) private pure returns (bool) {
        RecordId id = ids[index];
        for (uint256 j = 0; j < index; ++j) {
            if (RecordId.unwrap(ids[j]) == RecordId.unwrap(id)) return true;
        }
        return false;
    }

    /// @dev The state checks of a batch member (those of its single-action function, before the signature).
    function _requestFailure(RingActionRequest calldata request) private view returns (bytes memory failure) {
        if (request.action == RingAction.CreateRecord) {
            (,, failure) = _createFailure(request.scope, request.contentHash, request.locator, request.ciphertext, request.auth);
        } else {
            (,, failure) = _laterActionFailure(request.scope, request.auth);
        }
    }

    /// @dev The effects of a batch member that passed its checks in the batch's first pass on record `id`, which
    ///      no earlier member touched, and whose signature is verified: the checks still hold and are not repeated.
    function _executeChecked(RingActionRequest calldata request, RecordId id) private returns (bytes memory failure) {
        RingAuthorization calldata auth = request.auth;
        if (request.action == RingAction.CreateRecord) {
            _createAnonymousEffects(id, request.scope, request.contentHash, request.locator, request.ciphertext, auth);
        } else if (request.action == RingAction.Warrant) {
            bytes memory call = abi.encodeCall(IMedicalRecord.warrant, (request.institution, request.wrappedKey));
            failure = _laterActionEffects(id, _keyImageHash(auth), call, RingAction.Warrant, auth);
        } else {
            bytes memory call = abi.encodeCall(IMedicalRecord.unwarrant, (request.institution));
            failure = _laterActionEffects(id, _keyImageHash(auth), call, RingAction.Unwarrant, auth);
        }
    }

    /// @dev A batch member after an earlier member on the same record, its signature verified: its checks on the
    ///      state the earlier members left, then its effects.
    function _executeVerified(RingActionRequest calldata request) private returns (bytes memory failure) {
        if (request.action == RingAction.CreateRecord) {
            (,, failure) = _createAnonymous(
                request.scope, request.contentHash, request.locator, request.ciphertext, request.auth, true
            );
        } else if (request.action == RingAction.Warrant) {
            (, failure) = _warrantAnonymous(request.scope, request.institution, request.wrappedKey, request.auth, true);
        } else {
            (, failure) = _unwarrantAnonymous(request.scope, request.institution, request.auth, true);
        }
    }

    /// @dev The EIP-712 struct hash a request's signature must cover (the type strings in IMedRingRegistry).
    function _structHash(RingActionRequest calldata request) private pure returns (bytes32) {
        RingAuthorization calldata auth = request.auth;
        if (request.action == RingAction.CreateRecord) {
            return _createRecordStructHash(
                request.scope,
                request.contentHash,
                keccak256(request.locator),
                keccak256(request.ciphertext),
                auth.nonce,
                auth.deadline
            );
        }
        if (request.action == RingAction.Warrant) {
            return _warrantStructHash(request.scope, request.institution, request.wrappedKey, auth.nonce, auth.deadline);
        }
        return _unwarrantStructHash(request.scope, request.institution, auth.nonce, auth.deadline);
    }

    /// @dev Ring-signed creation: checks (deadline, ring policy and membership, nonce 0, no record yet, content),
    ///      the signature unless `alreadyVerified`, then the record with its fixed ring. Returns the custom error's
    ///      encoding as `failure` instead of reverting when a check fails; nothing has changed then.
    function _createAnonymous(
        bytes32 scope,
        bytes32 contentHash,
        bytes calldata locator,
        bytes calldata ciphertext,
        RingAuthorization calldata auth,
        bool alreadyVerified
    ) private returns (RecordId id, address record, bytes memory failure) {
        bytes32 structHash;
        (id, structHash, failure) = _createFailure(scope, contentHash, locator, ciphertext, auth);
        if (failure.length != 0) return (id, address(0), failure);
        if (!alreadyVerified) _verifyRing(scope, structHash, auth);
        record = _createAnonymousEffects(id, scope, contentHash, locator, ciphertext, auth);
    }

    /// @dev The effects of a checked, verified ring-signed creation: nonce 0 consumed, ring fixed, MRC deployed.
    function _createAnonymousEffects(
        RecordId id,
        bytes32 scope,
        bytes32 contentHash,
        bytes calldata locator,
        bytes calldata ciphertext,
        RingAuthorization calldata auth
    ) private returns (address record) {
        KeyImageHash keyImage = _keyImageHash(auth);
        _consumeNonce(_records[id], id, keyImage, RingAction.CreateRecord, auth);
        _fixRing(id, auth.signature.ring);
        record = _createRecord(id, scope, address(0), keyImage, contentHash, locator, ciphertext);
    }

    /// @dev The checks of a ring-signed creation; also the EIP-712 struct hash its signature must cover.
    function _createFailure(
        bytes32 scope,
        bytes32 contentHash,
        bytes calldata locator,
        bytes calldata ciphertext,
        RingAuthorization calldata auth
    ) private view returns (RecordId id, bytes32 structHash, bytes memory failure) {
        id = RecordIds.ofKeyImage(scope, _keyImageHash(auth));
        failure = _newRecordFailure(id, auth);
        if (failure.length != 0) return (id, 0, failure);
        bytes32 ciphertextHash;
        (ciphertextHash, failure) = _contentFailure(contentHash, locator, ciphertext);
        structHash = _createRecordStructHash(scope, contentHash, keccak256(locator), ciphertextHash, auth.nonce, auth.deadline);
    }

    /// @dev Ring-signed warrant on the signer's record of `scope`: checks, the signature unless `alreadyVerified`,
    ///      the MRC's warrant (its refusal is returned as `failure`), then the nonce.
    function _warrantAnonymous(
        bytes32 scope,
        address institution,
        bytes calldata wrappedKey,
        RingAuthorization calldata auth,
        bool alreadyVerified
    ) private returns (RecordId id, bytes memory failure) {
        KeyImageHash keyImage;
        (id, keyImage, failure) = _laterActionFailure(scope, auth);
        if (failure.length != 0) return (id, failure);
        if (!alreadyVerified) {
            _verifyRing(scope, _warrantStructHash(scope, institution, wrappedKey, auth.nonce, auth.deadline), auth);
        }
        failure = _laterActionEffects(
            id, keyImage, abi.encodeCall(IMedicalRecord.warrant, (institution, wrappedKey)), RingAction.Warrant, auth
        );
    }

    /// @dev Ring-signed unwarrant on the signer's record of `scope`, like `_warrantAnonymous`.
    function _unwarrantAnonymous(bytes32 scope, address institution, RingAuthorization calldata auth, bool alreadyVerified)
        private
        returns (RecordId id, bytes memory failure)
    {
        KeyImageHash keyImage;
        (id, keyImage, failure) = _laterActionFailure(scope, auth);
        if (failure.length != 0) return (id, failure);
        if (!alreadyVerified) {
            _verifyRing(scope, _unwarrantStructHash(scope, institution, auth.nonce, auth.deadline), auth);
        }
        failure = _laterActionEffects(
            id, keyImage, abi.encodeCall(IMedicalRecord.unwarrant, (institution)), RingAction.Unwarrant, auth
        );
    }

    /// @dev The effects of a checked, verified later action on record `id`: the MRC's `call` (its refusal is
    ///      returned as `failure`, nothing changed), then the nonce.
    function _laterActionEffects(
        RecordId id,
        KeyImageHash keyImage,
        bytes memory call,
        RingAction action,
        RingAuthorization calldata auth
    ) private returns (bytes memory failure) {
        RecordEntry storage entry = _records[id];
        failure = _callRecord(entry.record, call);
        if (failure.length == 0) _consumeNonce(entry, id, keyImage, action, auth);
    }

    /// @dev Calls our own MRC `record` (trusted code: it calls only the registry and our ALCs); its revert data,
    ///      or empty on success. The MRC changes nothing when it reverts, so the action can be skipped as a whole.
    function _callRecord(address record, bytes memory data) private returns (bytes memory failure) {
        // A low-level call on purpose: the revert data is kept so that a batch can skip this action as a whole.
        // solhint-disable-next-line avoid-low-level-calls
        (bool ok, bytes memory returned) = record.call(data);
        if (!ok) failure = returned.length != 0 ? returned : abi.encodeWithSelector(RegistryRecordCallFailed.selector, record);
    }

    /// @dev Reverts with `failure` (a custom error's encoding) when it is not empty.
    function _revertIf(bytes memory failure) private pure {
        if (failure.length != 0) {
            assembly ("memory-safe") {
                revert(add(failure, 0x20), mload(failure)) // revert(failure.data, failure.length)
            }
        }
    }

    function _deadlineFailure(RingAuthorization calldata auth) private view returns (bytes memory) {
        if (block.timestamp > auth.deadline) return abi.encodeWithSelector(RegistryDeadlineExpired.selector, auth.deadline);
        return "";
    }

    function _nonceFailure(RecordId id, RecordEntry storage entry, RingAuthorization calldata auth)
        private
        view
        returns (bytes memory)
    {
        uint256 expected = entry.ringNonce;
        if (auth.nonce != expected) return abi.encodeWithSelector(RegistryNonceMismatch.selector, id, expected, auth.nonce);
        return "";
    }

    /// @dev The checks of a ring-signed creation before the content and the signature: deadline, ring policy and
    ///      membership, nonce 0 not yet consumed, and no record of (scope, key image) yet.
    function _newRecordFailure(RecordId id, RingAuthorization calldata auth) private view returns (bytes memory failure) {
        failure = _deadlineFailure(auth);
        if (failure.length == 0) failure = _newRingFailure(auth.signature.ring);
        RecordEntry storage entry = _records[id];
        if (failure.length == 0) failure = _nonceFailure(id, entry, auth);
        if (failure.length == 0 && entry.record != address(0)) {
            failure = abi.encodeWithSelector(RegistryRecordExists.selector, id);
        }
    }

    /// @dev The ring of a new record: size within policy, every member a registered patient ring key.
    function _newRingFailure(AffinePoint[] calldata ring) private view returns (bytes memory) {
        uint256 size = ring.length;
        if (size < _ringMin) return abi.encodeWithSelector(RegistryRingTooSmall.selector, size, _ringMin);
        if (size > _ringMax) return abi.encodeWithSelector(RegistryRingTooLarge.selector, size, _ringMax);
        for (uint256 i = 0; i < size; ++i) {
            if (_ringKeyAdmitter[Secp256k1.hashPoint(ring[i].x, ring[i].y)] == address(0)) {
                return abi.encodeWithSelector(RegistryRingMemberNotRegistered.selector, i, ring[i].x, ring[i].y);
            }
        }
        return "";
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
    function _laterActionFailure(bytes32 scope, RingAuthorization calldata auth)
        private
        view
        returns (RecordId id, KeyImageHash keyImage, bytes memory failure)
    {
        keyImage = _keyImageHash(auth);
        id = RecordIds.ofKeyImage(scope, keyImage);
        RecordEntry storage entry = _records[id];
        failure = _deadlineFailure(auth);
        if (failure.length != 0) return (id, keyImage, failure);
        if (entry.record == address(0)) return (id, keyImage, abi.encodeWithSelector(RegistryRecordNotFound.selector, id));
        bytes32 given = _ringHash(auth.signature.ring);
        if (given != entry.ringHash) {
            return (id, keyImage, abi.encodeWithSelector(RegistryRingMismatch.selector, id, entry.ringHash, given));
        }
        failure = _nonceFailure(id, entry, auth);
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
        return KeyImageHash.wrap(Secp256k1.hashPoint(auth.signature.keyImage.x, auth.signature.keyImage.y));
    }

    /// @dev Verifies the MRS-1 signature over the EIP-712 digest of `structHash` in `scope`.
    function _verifyRing(bytes32 scope, bytes32 structHash, RingAuthorization calldata auth) private view {
        (bool ok, IRingVerifier.Reason reason) =
            verifier.tryVerify(scope, _hashTypedDataV4(structHash), auth.signature, auth.hints);
        if (!ok) revert RegistrySignatureInvalid(reason);
    }

    /// @dev Consumes the record's current ring nonce (checked equal to auth.nonce) and logs the action.
    function _consumeNonce(
        RecordEntry storage entry,
        RecordId id,
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
