// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {RingSignature, VerificationHints} from "./IRingVerifier.sol";

/// @notice Identifies one medical record (MRC) across the system (RecordIds.sol has the one definition):
///           identified record: keccak256(abi.encode(ownerAccount, scope))                   (64-byte preimage)
///           anonymous record:  keccak256(abi.encode(address(0), scope, ownerKeyImageHash))  (96-byte preimage)
///         The two preimages differ in length, so the two kinds can never share an id. An anonymous id depends on
///         the key image, which only the owner's secret key produces in that scope: nobody can take a scope
///         first (docs/design.md#anonymous-actions). Derived from the scope so that a patient who
///         derives scopes from their secret key can rediscover every record from that key alone.
///         A distinct type so that a record id is never mistaken for a key image or a scope.
type RecordId is bytes32;

/// @notice `keccak256(abi.encode(I.x, I.y))` of an MRS-1 key image `I` (MRS-1 §Key image). It is the owner of an
///         anonymous record: only a ring signature in the record's scope by the same secret key reproduces it.
type KeyImageHash is bytes32;

/// @notice The kinds of ring-authorised (anonymous) actions; recorded in `IMedRingRegistry.RingActionExecuted`.
enum RingAction {
    CreateRecord,
    Warrant,
    Unwarrant
}

/// @notice Everything a ring-authorised action carries beside its own arguments.
/// @param signature the MRS-1 signature; its `message` is the action's EIP-712 digest (see IMedRingRegistry) and
///        its scope is the record's scope.
/// @param hints the verifier hints for `signature` (computed by `src/mrs1` `toVerifierArgs`).
/// @param nonce must equal the record's current `ringNonce` (0 for a record that does not exist yet).
///        After creation, `signature.ring` must be exactly the ring the record was created with (`recordRingHash`).
/// @param deadline last valid `block.timestamp` (inclusive).
struct RingAuthorization {
    RingSignature signature;
    VerificationHints hints;
    uint256 nonce;
    uint256 deadline;
}

/// @notice One ring-authorised action of a batch (`IMedRingRegistry.executeRingActions`): the arguments of the
///         matching single-action function, in one shape for every kind (fields another kind uses stay empty).
/// @param action which action: CreateRecord (scope, contentHash, locator, ciphertext), Warrant (scope,
///        institution, wrappedKey) or Unwarrant (scope, institution).
/// @param auth the action's own signature, hints, nonce and deadline, exactly as for the single-action function.
struct RingActionRequest {
    RingAction action;
    bytes32 scope;
    bytes32 contentHash;
    bytes locator;
    bytes ciphertext;
    address institution;
    bytes wrappedKey;
    RingAuthorization auth;
}

/// @notice What a medical record contract (MRC) stores about its record. No plaintext: the ciphertext is in the
///         event data of the transaction that created the record, or behind `locator`.
/// @param id the record id.
/// @param scope the 32-byte scope chosen by the patient at creation.
/// @param ownerAccount the owning account, or address(0) when the record is owned by a key image.
/// @param ownerKeyImage the owning key image, or 0 when the record is owned by an account.
/// @param contentHash keccak256 of the ciphertext bytes.
/// @param locator where the ciphertext is: `LOCATOR_CREATION_EVENT` ("medring:event") when it is the
///        `ciphertext` field of `IMedRingRegistry.RecordCreated` in the creating transaction, otherwise a
///        content-addressed URI such as `ipfs://...`.
/// @param createdAt block timestamp of creation.
/// @param institutions the institutions currently warranted (order changes on unwarrant).
struct RecordInfo {
    RecordId id;
    bytes32 scope;
    address ownerAccount;
    KeyImageHash ownerKeyImage;
    bytes32 contentHash;
    bytes locator;
    uint64 createdAt;
    address[] institutions;
}

/// @notice One record granted to an institution, as its access list contract (ALC) returns it.
/// @param record the MRC address.
/// @param id the record id.
/// @param contentHash keccak256 of the ciphertext; the institution checks it after fetching.
/// @param locator where the ciphertext is (see RecordInfo.locator).
/// @param createdAt block timestamp of the record's creation.
/// @param wrappedKey the record's data key wrapped for the institution's registered encryption key.
struct GrantedRecord {
    address record;
    RecordId id;
    bytes32 contentHash;
    bytes locator;
    uint64 createdAt;
    bytes wrappedKey;
}

/// @notice A certified (or formerly certified) institution as the registry knows it.
/// @param accessList its ALC, deployed at first certification and reused on re-certification; 0 if never certified.
/// @param certified whether it may receive new grants now.
/// @param encryptionKey the public key records' data keys are wrapped for: a compressed SEC1 secp256k1 point
///        (33 bytes, the only form `certifyInstitution` accepts).
struct InstitutionInfo {
    address accessList;
    bool certified;
    bytes encryptionKey;
}

/// @notice A party the regulator trusts vouches that `patient` (an account) with MRS-1 ring key (ringKeyX, ringKeyY)
///         is a real patient, so that nobody can fill the anonymity set with keys of their own
///         (docs/design.md#who-learns-what). The admitter signs the EIP-712 struct
///           Admission(address patient,uint256 ringKeyX,uint256 ringKeyY,uint256 deadline)
///         in the registry's domain (`IMedRingRegistry.hashAdmission`).
/// @param admitter a certified institution or a holder of ADMITTER_ROLE at registration time.
/// @param deadline last valid `block.timestamp` (inclusive).
/// @param signature the admitter's signature: 65-byte ECDSA for an account, or ERC-1271 for a contract admitter.
struct Admission {
    address admitter;
    uint256 deadline;
    bytes signature;
}

/// @notice Proof that whoever registers ring key P knows its secret key (README "Security model: who can make the
///         relayer pay"): an MRS-1 signature with the ring {P} alone (a ring of one is a Schnorr-like proof of
///         knowledge of x with P = x·G, MRS-1 §Signing), in the fixed scope
///         `IMedRingRegistry.RING_KEY_POSSESSION_SCOPE`, over the EIP-712 digest of
///           RingKeyPossession(address patient)
///         in the registry's domain (`IMedRingRegistry.hashRingKeyPossession`). The digest binds the chain, the
///         registry and the registering account, so a proof seen on chain or in a mempool cannot register the key
///         under another account. Its key image is published with the registration, which is identified anyway;
///         it is in a scope no record uses, so it links to no anonymous action.
/// @param signature the ring-of-one signature: `ring` must be exactly [ringKey].
/// @param hints the verifier's hints for it (`src/mrs1/hints.ts`).
struct RingKeyPossession {
    RingSignature signature;
    VerificationHints hints;
}
