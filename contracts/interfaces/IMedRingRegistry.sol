// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AffinePoint, IRingVerifier} from "./IRingVerifier.sol";
import {
    RecordId,
    KeyImageHash,
    RingAction,
    RingAuthorization,
    RingActionRequest,
    InstitutionInfo,
    Admission,
    RingKeyPossession
} from "./MedRingTypes.sol";

/// @title IMedRingRegistry: the hub of MedRing (paper section 3 plus section 2.1's anonymous transactions).
/// @notice Registers patients (one register contract, RC, each), keeps the anonymity set of patients' MRS-1 ring
///         keys, certifies institutions (one access list contract, ALC, each), creates medical record contracts
///         (MRC) and executes ring-authorised (anonymous) actions on them. RC, MRC and ALC are OpenZeppelin
///         `Clones` (EIP-1167) of implementations fixed at construction.
///
///         Roles (OpenZeppelin AccessControl): DEFAULT_ADMIN_ROLE grants and revokes roles; REGULATOR_ROLE
///         certifies and decertifies institutions, sets the ring policy and grants/revokes ADMITTER_ROLE;
///         ADMITTER_ROLE (like every certified institution) may sign patients' admissions.
///
///         Admission (docs/design.md#who-learns-what): a patient joins the anonymity set only with an `Admission`
///         signed by a certified institution or an ADMITTER_ROLE holder, binding the patient's account, ring key
///         and a deadline, so that nobody can fill the set with keys of their own. It is checked once, at
///         registration. A patient stays a member when the admitter is later decertified or loses the role: the
///         key may already be in the fixed rings of existing records (removing it would strand them), and the
///         patient keeps acting on their records. Decertification stops further admissions by that admitter;
///         every member's admitter is public (`PatientRegistered`, `ringMemberAdmitter`), so the regulator can
///         audit how many members each admitter added. Each admitter may admit at most its quota of patients
///         (`admissionQuota`; the regulator sets it per admitter, `DEFAULT_ADMISSION_QUOTA` until then), so a
///         compromised or careless admitter cannot fill the set, nor make a relayer pay for endless registrations.
///
///         Possession: a registration also carries a `RingKeyPossession` proof made with the ring key's secret key
///         over the registering account, so only the key's owner can register it: an admitter (or anyone copying
///         a pending registration) cannot register a patient's ring key under another account first.
///
///         Identified actions without ETH: the registry, RC, MRC and ALC are ERC-2771 recipients of one
///         OpenZeppelin `ERC2771Forwarder` (`trustedForwarder()`). The owner signs an EIP-712 `ForwardRequest`
///         for the forwarder's domain and anyone (a relayer) submits it; the callee sees the owner as
///         `_msgSender()`. Clones share their implementation's immutable forwarder address.
///
///         Ring-authorised actions (`createRecordAnonymous`, `warrantAnonymous`, `unwarrantAnonymous`) are
///         callable by anyone; `msg.sender` plays no part in authorisation. The MRS-1 `message` is the EIP-712
///         digest (domain: name "MedRing", version "1", chainId, verifyingContract = this registry) of one of:
///           CreateRecord(bytes32 scope,bytes32 contentHash,bytes locator,bytes ciphertext,uint256 nonce,uint256 deadline)
///           Warrant(bytes32 scope,address institution,bytes wrappedKey,uint256 nonce,uint256 deadline)
///           Unwarrant(bytes32 scope,address institution,uint256 nonce,uint256 deadline)
///         and the MRS-1 `scope` is the record's scope. An anonymous record's id is derived from its scope and the
///         signature's key image (`anonymousRecordIdOf`), so only the key that created a record can name it.
///
///         One ring per record (docs/design.md#anonymous-actions): creation fixes the record's ring (its hash is
///         kept, the ring itself is emitted in `RecordRingFixed`) and every later ring-signed action on the record
///         must present exactly that ring. An observer who intersects the rings of a record's actions therefore
///         learns nothing beyond the creation ring. Later actions are not re-checked against the ring policy or
///         membership: the ring passed both at creation and members are never removed, and a policy raised
///         later must not lock a patient out of revoking a grant.
///
///         The contract checks, cheapest first, then the signature with the verifier. For create: deadline; ring
///         size within policy and every ring member a registered patient key; nonce equal to the record's
///         `ringNonce` (0); the record's absence. For later actions: deadline; the record's existence; the ring
///         equal to the record's ring; nonce equal to the record's `ringNonce`. Each accepted action consumes one nonce of the record (create consumes nonce 0), so
///         a signature executes at most once.
interface IMedRingRegistry {
    // ------------------------------------------------------------------ errors

    /// @notice The admin or the regulator given to the constructor is the zero address.
    error RegistryZeroAccount();
    /// @notice The verifier, forwarder or an implementation given to the constructor has no code.
    error RegistryNotAContract(address account);
    /// @notice `patient` already has a register contract.
    error RegistryPatientAlreadyRegistered(address patient);
    /// @notice `account` has no register contract.
    error RegistryPatientNotRegistered(address account);
    /// @notice The ring key (x, y) is not a finite secp256k1 point with coordinates below p.
    error RegistryRingKeyInvalid(uint256 x, uint256 y);
    /// @notice The ring key (x, y) is already registered by another patient.
    error RegistryRingKeyTaken(uint256 x, uint256 y);
    /// @notice The ring policy [min, max] is not 1 <= min <= max <= RING_SIZE_LIMIT.
    error RegistryRingPolicyInvalid(uint256 min, uint256 max);
    /// @notice The signature's ring has `size` members, fewer than the policy minimum `min`.
    error RegistryRingTooSmall(uint256 size, uint256 min);
    /// @notice The signature's ring has `size` members, more than the policy maximum `max`.
    error RegistryRingTooLarge(uint256 size, uint256 max);
    /// @notice Ring member number `index` (x, y) is not a registered patient ring key.
    error RegistryRingMemberNotRegistered(uint256 index, uint256 x, uint256 y);
    /// @notice The ring-authorised action's deadline has passed.
    error RegistryDeadlineExpired(uint256 deadline);
    /// @notice The authorisation's nonce is not the record's current ring nonce.
    error RegistryNonceMismatch(RecordId id, uint256 expected, uint256 given);
    /// @notice A later ring-signed action on record `id` presents a ring (hash `given`) other than the ring the
    ///         record was created with (hash `expected`).
    error RegistryRingMismatch(RecordId id, bytes32 expected, bytes32 given);
    /// @notice The admission's deadline has passed.
    error RegistryAdmissionExpired(uint256 deadline);
    /// @notice `admitter` is neither a certified institution nor an ADMITTER_ROLE holder.
    error RegistryAdmitterNotAuthorized(address admitter);
    /// @notice The admission's signature is not `admitter`'s over this patient, ring key and deadline.
    error RegistryAdmissionSignatureInvalid(address admitter);
    /// @notice `admitter` has admitted `admitted` patients, its whole quota `quota`.
    error RegistryAdmissionQuotaExceeded(address admitter, uint256 quota, uint256 admitted);
    /// @notice An admission quota above 2^64 - 1.
    error RegistryAdmissionQuotaInvalid(uint256 quota);
    /// @notice The possession proof's ring is not exactly [ringKey].
    error RegistryPossessionRingInvalid();
    /// @notice The possession proof's MRS-1 signature is rejected by the verifier (`reason`).
    error RegistryPossessionProofInvalid(IRingVerifier.Reason reason);
    /// @notice The verifier rejected the ring signature.
    error RegistrySignatureInvalid(IRingVerifier.Reason reason);
    /// @notice A batch has `count` actions; it must have 1 to `max`.
    error RegistryBatchSizeInvalid(uint256 count, uint256 max);
    /// @notice The batch verifier rejected a signature of the batch: the signature at `index` for a per-signature
    ///         check, or the combined check (see IRingVerifier.tryVerifyBatch). The whole batch reverts.
    error RegistryBatchSignatureInvalid(uint256 index, IRingVerifier.Reason reason);
    /// @notice A call into MRC `record` failed without revert data.
    error RegistryRecordCallFailed(address record);
    /// @notice A record with this id already exists (one record per owner and scope).
    error RegistryRecordExists(RecordId id);
    /// @notice No record has this id.
    error RegistryRecordNotFound(RecordId id);
    /// @notice The content hash is zero.
    error RegistryContentHashZero();
    /// @notice The ciphertext given inline does not hash (keccak256) to the content hash.
    error RegistryContentHashMismatch(bytes32 contentHash, bytes32 ciphertextHash);
    /// @notice Neither an inline ciphertext nor a locator was given: the record's content could not be found.
    error RegistryContentMissing();
    /// @notice Both an inline ciphertext and a locator were given: give exactly one.
    error RegistryContentAmbiguous(uint256 ciphertextLength, uint256 locatorLength);
    /// @notice `institution` is already certified.
    error RegistryInstitutionAlreadyCertified(address institution);
    /// @notice `institution` is not certified.
    error RegistryInstitutionNotCertified(address institution);
    /// @notice An institution's encryption public key must be a compressed SEC1 secp256k1 point (33 bytes,
    ///         prefix 0x02/0x03, x on the curve): the form data keys are wrapped for (src/envelope).
    error RegistryEncryptionKeyInvalid(bytes encryptionKey);

    // ------------------------------------------------------------------ events

    /// @notice `patient` registered with `admitter`'s admission: `register` is its RC, (ringKeyX, ringKeyY) joined
    ///         the anonymity set at `memberIndex`.
    event PatientRegistered(
        address indexed patient,
        address indexed register,
        address indexed admitter,
        uint256 ringKeyX,
        uint256 ringKeyY,
        uint256 memberIndex
    );
    /// @notice The regulator set the ring-size policy.
    event RingPolicyUpdated(uint256 min, uint256 max);
    /// @notice The regulator set `admitter`'s admission quota to `quota` patients in all.
    event AdmissionQuotaSet(address indexed admitter, uint256 quota);
    /// @notice `institution` was certified (first time: `accessList` was deployed; again: it is reused).
    event InstitutionCertified(address indexed institution, address indexed accessList, bytes encryptionKey);
    /// @notice `institution` was decertified: it gets no new grants; existing grants stay until unwarranted.
    event InstitutionDecertified(address indexed institution, address indexed accessList);
    /// @notice A record was created. Exactly one of `ownerAccount` / `ownerKeyImage` is non-zero. `ciphertext`
    ///         is the encrypted record when the locator is `LOCATOR_CREATION_EVENT`, otherwise empty.
    event RecordCreated(
        RecordId indexed id,
        address indexed record,
        address indexed ownerAccount,
        KeyImageHash ownerKeyImage,
        bytes32 scope,
        bytes32 contentHash,
        bytes locator,
        bytes ciphertext
    );
    /// @notice The anonymous record `id` was created with `ring` (keccak256 of its packed points: `ringHash`); every
    ///         later ring-signed action on it must present exactly this ring. Clients read it back from here.
    event RecordRingFixed(RecordId indexed id, bytes32 ringHash, AffinePoint[] ring);
    /// @notice Action `index` of an `executeRingActions` batch was skipped: `reason` is the custom error it would
    ///         have reverted with alone (e.g. RegistryNonceMismatch, RegistryDeadlineExpired,
    ///         MedicalRecordInstitutionNotCertified). Nothing of it took effect; the other actions went ahead.
    event RingActionSkipped(uint256 indexed index, RecordId indexed id, bytes reason);
    /// @notice A ring-authorised action on record `id` consumed `nonce`; `keyImage` signed with a ring of `ringSize`.
    event RingActionExecuted(
        RecordId indexed id, KeyImageHash indexed keyImage, RingAction action, uint256 nonce, uint256 ringSize
    );

    // ------------------------------------------------------------------ constants and wiring

    /// @notice The role that certifies institutions, sets the ring policy and administers ADMITTER_ROLE.
    function REGULATOR_ROLE() external view returns (bytes32);
    /// @notice The role whose holders may sign admissions besides certified institutions (its admin is REGULATOR_ROLE).
    function ADMITTER_ROLE() external view returns (bytes32);
    /// @notice Hard upper bound on the ring policy maximum (guards against a policy no transaction can meet).
    function RING_SIZE_LIMIT() external view returns (uint256);
    /// @notice The locator meaning "the ciphertext is in this record's `RecordCreated` event".
    function LOCATOR_CREATION_EVENT() external view returns (bytes memory);
    /// @notice The MRS-1 verifier (IRingVerifier).
    function verifier() external view returns (IRingVerifier);
    /// @notice The implementations that RC, MRC and ALC clones delegate to.
    function implementations() external view returns (address register, address record, address accessList);

    // ------------------------------------------------------------------ patients and the anonymity set

    /// @notice Registers the caller (`_msgSender()`) as a patient: checks `admission` (deadline, an authorised
    ///         admitter, its signature over the caller, `ringKey` and the deadline) and the admitter's quota, then
    ///         `possession` (a ring-of-one MRS-1 signature by `ringKey` over the caller: only the key's owner can
    ///         register it), deploys the caller's RC bound to it for good, stores `ringKey` (validated on
    ///         secp256k1, unique across patients) in the anonymity set, counts one admission against the
    ///         admitter's quota, and passes `encryptedInfo` (ciphertext only; may be empty; at most
    ///         IPatientRegister.PERSON_INFO_MAX_LENGTH bytes) to the RC.
    /// @return register the new RC.
    function registerPatient(
        AffinePoint calldata ringKey,
        bytes calldata encryptedInfo,
        Admission calldata admission,
        RingKeyPossession calldata possession
    ) external returns (address register);

    /// @notice The MRS-1 scope of every `RingKeyPossession` proof: keccak256("MedRing ring key possession").
    function RING_KEY_POSSESSION_SCOPE() external view returns (bytes32);
    /// @notice EIP-712 digest of RingKeyPossession(patient) in this registry's domain: the message of a possession proof.
    function hashRingKeyPossession(address patient) external view returns (bytes32);

    /// @notice The quota an admitter has until the regulator sets one.
    function DEFAULT_ADMISSION_QUOTA() external view returns (uint256);
    /// @notice `admitter`'s quota (patients in all; `DEFAULT_ADMISSION_QUOTA` until set) and how many it admitted.
    function admissionQuota(address admitter) external view returns (uint256 quota, uint256 admitted);
    /// @notice REGULATOR_ROLE: sets `admitter`'s quota of admissions in all (below what it admitted stops it for good).
    function setAdmissionQuota(address admitter, uint256 quota) external;

    /// @notice Whether `account` may sign admissions now: a certified institution or an ADMITTER_ROLE holder.
    function isAdmitter(address account) external view returns (bool);
    /// @notice EIP-712 digest of Admission(patient, ringKeyX, ringKeyY, deadline): what an admitter signs.
    function hashAdmission(address patient, AffinePoint calldata ringKey, uint256 deadline)
        external
        view
        returns (bytes32);
    /// @notice The admitter of ring key (x, y), or address(0) when it is not a registered ring key.
    function ringMemberAdmitter(uint256 x, uint256 y) external view returns (address);

    /// @notice The RC of `patient`, or address(0).
    function registerOf(address patient) external view returns (address);
    /// @notice Number of registered ring keys.
    function ringMemberCount() external view returns (uint256);
    /// @notice Up to `limit` ring keys from position `offset` in registration order (empty past the end).
    function ringMembers(uint256 offset, uint256 limit) external view returns (AffinePoint[] memory members);
    /// @notice Whether (x, y) is a registered patient ring key.
    function isRingMember(uint256 x, uint256 y) external view returns (bool);

    // ------------------------------------------------------------------ ring policy

    /// @notice The ring-size policy: a ring-authorised action needs min <= n <= max. Default [8, 64].
    function ringPolicy() external view returns (uint256 min, uint256 max);
    /// @notice Sets the ring-size policy (REGULATOR_ROLE).
    function setRingPolicy(uint256 min, uint256 max) external;

    // ------------------------------------------------------------------ institutions

    /// @notice Certifies `institution` with its encryption public key (REGULATOR_ROLE), a compressed SEC1
    ///         secp256k1 point (33 bytes; any other form reverts with `RegistryEncryptionKeyInvalid`). Deploys its
    ///         ALC on the first certification and reuses it on re-certification (the key may change).
    /// @return accessList the institution's ALC.
    function certifyInstitution(address institution, bytes calldata encryptionKey)
        external
        returns (address accessList);
    /// @notice Decertifies `institution` (REGULATOR_ROLE): no new grants; revocation still works.
    function decertifyInstitution(address institution) external;
    /// @notice The institution's ALC, encryption key and certification status.
    function institutionInfo(address institution) external view returns (InstitutionInfo memory);
    /// @notice The institution's ALC (address(0) if never certified) and whether it is certified now.
    function accessListOf(address institution) external view returns (address accessList, bool certified);

    // ------------------------------------------------------------------ records

    /// @notice The id of the identified record of `ownerAccount` in `scope` (MedRingTypes.RecordId).
    function identifiedRecordIdOf(address ownerAccount, bytes32 scope) external pure returns (RecordId);
    /// @notice The id of the anonymous record of key image `keyImage` in `scope` (MedRingTypes.RecordId).
    function anonymousRecordIdOf(bytes32 scope, KeyImageHash keyImage) external pure returns (RecordId);
    /// @notice The MRC of record `id`, or address(0).
    function recordOf(RecordId id) external view returns (address);
    /// @notice Whether `record` is an MRC created by this registry.
    function isRecord(address record) external view returns (bool);
    /// @notice The next nonce a ring-authorised action on record `id` must carry (0 before creation).
    function ringNonce(RecordId id) external view returns (uint256);
    /// @notice keccak256 of the packed points (x_1, y_1, ..., x_n, y_n) of the ring anonymous record `id` was
    ///         created with; 0 for an identified or unknown record.
    function recordRingHash(RecordId id) external view returns (bytes32);
    /// @notice Number of anonymous records.
    function anonymousRecordCount() external view returns (uint256);
    /// @notice Up to `limit` anonymous record ids from position `offset` in creation order (empty past the end).
    ///         The public index a patient's client reads in bulk to find its records without naming any of them.
    function anonymousRecords(uint256 offset, uint256 limit) external view returns (RecordId[] memory ids);

    /// @notice Creates a record owned by the caller (`_msgSender()`, a registered patient). Give exactly one of
    ///         `ciphertext` (inline: keccak256(ciphertext) must equal `contentHash`; it is emitted in
    ///         `RecordCreated` and the stored locator is `LOCATOR_CREATION_EVENT`) and `locator` (a
    ///         content-addressed URI of the ciphertext, stored as given).
    /// @return id the record id `identifiedRecordIdOf(caller, scope)`.
    /// @return record the new MRC.
    function createRecord(bytes32 scope, bytes32 contentHash, bytes calldata locator, bytes calldata ciphertext)
        external
        returns (RecordId id, address record);

    // ------------------------------------------------------------------ ring-authorised (anonymous) actions

    /// @notice Creates a record owned by the key image of `auth.signature` in `scope` (same content rules as
    ///         `createRecord`) and fixes its ring. The id is `anonymousRecordIdOf(scope, keyImage)`; `auth.nonce`
    ///         must be 0.
    function createRecordAnonymous(
        bytes32 scope,
        bytes32 contentHash,
        bytes calldata locator,
        bytes calldata ciphertext,
        RingAuthorization calldata auth
    ) external returns (RecordId id, address record);

    /// @notice Warrants `institution` with its wrapped data key on the anonymous record of `scope` owned by the
    ///         signature's key image.
    function warrantAnonymous(
        bytes32 scope,
        address institution,
        bytes calldata wrappedKey,
        RingAuthorization calldata auth
    ) external;

    /// @notice Unwarrants `institution` on the anonymous record of `scope` owned by the signature's key image.
    function unwarrantAnonymous(bytes32 scope, address institution, RingAuthorization calldata auth) external;

    /// @notice Most actions one `executeRingActions` call takes.
    function MAX_RING_ACTIONS_PER_BATCH() external view returns (uint256);

    /// @notice Executes several ring-authorised actions, in any mix of create, warrant and unwarrant, each with its
    ///         own signature, nonce and deadline, in one transaction, with exactly the checks of its single-action
    ///         function; an action whose checks fail (nonce used, deadline passed, record state, the MRC's refusal)
    ///         is skipped with RingActionSkipped and the others go ahead. First each action's state checks run on
    ///         the state before the batch, except for an action after another one on the same record (only that
    ///         one could change what they read); an action failing them is left out of the verification, so one
    ///         made stale by another transaction costs its checks only. The remaining signatures are verified with
    ///         one multi-scalar multiplication (IRingVerifier.tryVerifyBatch; docs/batch-verification.md); an
    ///         invalid one reverts the whole batch with RegistryBatchSignatureInvalid (its index in `requests`).
    ///         Then each action runs in order, on the state the earlier ones left.
    /// @return executed how many actions took effect.
    function executeRingActions(RingActionRequest[] calldata requests) external returns (uint256 executed);

    /// @notice EIP-712 digest of CreateRecord(...): the MRS-1 message for `createRecordAnonymous`.
    function hashCreateRecord(
        bytes32 scope,
        bytes32 contentHash,
        bytes calldata locator,
        bytes calldata ciphertext,
        uint256 nonce,
        uint256 deadline
    ) external view returns (bytes32);
    /// @notice EIP-712 digest of Warrant(...): the MRS-1 message for `warrantAnonymous`.
    function hashWarrant(bytes32 scope, address institution, bytes calldata wrappedKey, uint256 nonce, uint256 deadline)
        external
        view
        returns (bytes32);
    /// @notice EIP-712 digest of Unwarrant(...): the MRS-1 message for `unwarrantAnonymous`.
    function hashUnwarrant(bytes32 scope, address institution, uint256 nonce, uint256 deadline)
        external
        view
        returns (bytes32);
}
