/**
 * A patient's actions (paper Protocols 1 and 2; docs/design.md#anonymous-actions and #confidentiality), each
 * prepared as a relayer submission body: register, create a record (anonymous by default), grant, revoke; and
 * the reads that need the key file: the patient's records (rediscovered from the key alone) and a record's
 * plaintext.
 */
import { ZeroAddress, getBytes, hexlify } from "ethers";
import { anonymousRecordId, identifiedRecordId, keyImageHash, medRingDomain, possessionArgs, proveRingKeyPossession } from "../actions";
import { deriveRecordScope, encryptionPublicKey } from "../envelope";
import { bytesToHex } from "../hex";
import { accountAddress, ringPublicKey, type PatientKeys } from "../keys";
import { keyImage, pointToHex, publicKeyOf, type Point } from "../mrs1";
import { IMedicalRecord__factory } from "../../typechain-types/factories/contracts/interfaces/IMedicalRecord__factory";
import { admissionArgs, checkAdmissionFor, type Admission } from "./admission";
import { affineArgs, type MedRingChain, type RecordInfoView } from "./chain";
import { matchAnonymousRecords, scanIdentifiedRecords, type FoundRecord } from "./discovery";
import { ClientError } from "./errors";
import { prepareIdentifiedAction, prepareRingAction, type Prepared, type RingContext } from "./prepare";
import { ownRecordEntry, type RecordEntry } from "./recordEntry";
import { candidatesAfterGrant, type Cohort } from "./ringPool";
import type { Member } from "./ringSources";
import { openBlob, ownerDataKey, sealBlob, wrapForInstitution } from "./recordBlob";

const MRC = IMedicalRecord__factory.createInterface();

/**
 * Context of the personal-info wrap: the tag and the patient's address (20 bytes). Personal info is sealed
 * unpadded: it sits beside the patient's account, and padding could push it past the RC's 8 KiB cap.
 */
const PERSON_INFO_TAG = new TextEncoder().encode("MEDRING-V1-PERSON-INFO");

/**
 * Paper Protocol 1: the RC, with the personal info sealed for the patient's own encryption key (identified), and
 * the admission an authorised admitter issued for this account and ring key (./admission.ts).
 */
export async function prepareRegister(
  chain: MedRingChain,
  keys: PatientKeys,
  admission: Admission,
  personalInfo?: Uint8Array,
): Promise<Prepared<{ address: string; ringPublicKey: string; admitter: string }>> {
  const address = accountAddress(keys.accountKey);
  const existing = await chain.registerOf(address);
  if (existing !== ZeroAddress) throw new ClientError("input", `${address} is already registered (register contract ${existing})`);
  await checkAdmissionFor(chain, admission, address, publicKeyOf(keys.ringKey));
  const context = new Uint8Array([...PERSON_INFO_TAG, ...getBytes(address)]);
  const encryptedInfo = personalInfo === undefined ? "0x" : bytesToHex(sealBlob(personalInfo, encryptionPublicKey(keys.encryptionKey), context, false).blob);
  const ringKey = affineArgs(publicKeyOf(keys.ringKey));
  const onChainAdmission = admissionArgs(admission);
  // Only the ring key's owner can register it (MedRingTypes.RingKeyPossession): a ring-of-one signature over this account.
  const possession = proveRingKeyPossession(
    { secretKey: keys.ringKey, publicKey: publicKeyOf(keys.ringKey) },
    medRingDomain(chain.chainId, chain.registryAddress),
    address,
  );
  const data = chain.registry.interface.encodeFunctionData("registerPatient", [
    { x: BigInt(ringKey.x), y: BigInt(ringKey.y) },
    encryptedInfo,
    onChainAdmission,
    possessionArgs(possession),
  ]);
  const args = { ringKey, encryptedInfo, admission: { ...onChainAdmission, deadline: onChainAdmission.deadline.toString() }, possession };
  const body = await prepareIdentifiedAction(chain, keys.accountKey, "registerPatient", args, chain.registryAddress, data);
  return { body, info: { address, ringPublicKey: ringPublicKey(keys.ringKey), admitter: admission.admitter } };
}

export interface CreatedRecordInfo {
  recordId: string;
  scope: string;
  index: number;
  contentHash: string;
  anonymous: boolean;
  ringSize?: number;
  /** Which members the decoys were drawn from (./ringPool.ts); absent when a ring saved for the scope was reused. */
  cohort?: Cohort;
}

/** Scan options shared by creation (to find the lowest free index) and listing. */
export interface ScanProgress {
  gapLimit?: number;
  onScan?: (scanned: number) => void;
}

/**
 * The patient's anonymous records, matched locally against the registry's whole public index: no id or scope of
 * the patient's goes to the RPC node (./discovery.ts).
 */
export async function findAnonymousRecords(
  chain: MedRingChain,
  keys: PatientKeys,
  options: ScanProgress = {},
): Promise<{ records: FoundRecord[]; firstFree: number }> {
  return matchAnonymousRecords(await chain.anonymousRecordIds(), keys.ringKey, { gapLimit: options.gapLimit, onProgress: options.onScan });
}

/** The patient's identified records, looked up by id (they are public beside the account anyway). */
export async function findIdentifiedRecords(
  chain: MedRingChain,
  keys: PatientKeys,
  options: ScanProgress = {},
): Promise<{ records: FoundRecord[]; firstFree: number }> {
  return scanIdentifiedRecords(chain, keys.ringKey, accountAddress(keys.accountKey), { gapLimit: options.gapLimit, onProgress: options.onScan });
}

/**
 * Paper Protocol 2, creation. The record goes in the lowest free scope index of its kind (./discovery.ts), is
 * sealed under a fresh data key wrapped for the patient (./recordBlob.ts, bound to the record id), and travels
 * inline in calldata and the `RecordCreated` event. Anonymous: ring-signed with a new ring that the record keeps
 * for good, owned by the key image in its scope; nothing sent names the patient's account.
 */
export async function prepareCreateRecord(
  context: RingContext,
  keys: PatientKeys,
  options: { plaintext: Uint8Array; identified?: boolean; ringSize?: number } & ScanProgress,
): Promise<Prepared<CreatedRecordInfo>> {
  const { chain } = context;
  const anonymous = options.identified !== true;
  const { firstFree: index } = anonymous ? await findAnonymousRecords(chain, keys, options) : await findIdentifiedRecords(chain, keys, options);
  const scopeBytes = deriveRecordScope(keys.ringKey, anonymous ? "anonymous" : "identified", index);
  const scope = bytesToHex(scopeBytes);
  const recordId = anonymous
    ? anonymousRecordId(scope, keyImageHash(keyImage(keys.ringKey, scopeBytes)))
    : identifiedRecordId(accountAddress(keys.accountKey), scope);
  const sealed = sealBlob(options.plaintext, encryptionPublicKey(keys.encryptionKey), getBytes(recordId));
  sealed.dataKey.fill(0); // grants unwrap the owner's copy from the chain; this one is not kept
  const args = { scope, contentHash: sealed.contentHash, locator: "0x", ciphertext: bytesToHex(sealed.blob) };
  const info = { recordId, scope, index, contentHash: sealed.contentHash, anonymous };
  if (anonymous) {
    const ring = await prepareRingAction(context, keys.ringKey, { kind: "createRecord", args }, 0n, { kind: "new", size: options.ringSize });
    return { body: ring.body, info: { ...info, ...ring.info } };
  }
  const data = chain.registry.interface.encodeFunctionData("createRecord", [scope, sealed.contentHash, "0x", args.ciphertext]);
  return { body: await prepareIdentifiedAction(chain, keys.accountKey, "createRecord", args, chain.registryAddress, data), info };
}

/**
 * Record `recordId`, checked to be this patient's: by account (identified) or by key image in its scope
 * (anonymous). For an anonymous record no request carries the patient's account: the owner is read first, with
 * no `from`, and only an identified record (public beside its account anyway) is queried as the account.
 */
export async function ownRecord(chain: MedRingChain, keys: PatientKeys, recordId: string): Promise<{ info: RecordInfoView; anonymous: boolean }> {
  const address = await chain.recordAddress(recordId);
  if (address === undefined) throw new ClientError("input", `no record with id ${recordId}`);
  const owner = await chain.recordOwner(address);
  if (owner.account !== ZeroAddress) {
    const account = accountAddress(keys.accountKey);
    if (owner.account.toLowerCase() !== account.toLowerCase()) throw new ClientError("input", `record ${recordId} is not owned by this key file`);
    return { info: await chain.recordInfo(address, account), anonymous: false };
  }
  const info = await chain.recordInfo(address);
  // Signer-bound ids (MedRingTypes.RecordId): the record is ours iff our key image in its scope names this id.
  const mine = anonymousRecordId(info.scope, keyImageHash(keyImage(keys.ringKey, getBytes(info.scope)))).toLowerCase() === recordId.toLowerCase();
  if (!mine) throw new ClientError("input", `record ${recordId} is not owned by this key file`);
  return { info, anonymous: true };
}

/**
 * Refuses an anonymous grant that the public admitters would narrow (./ringPool.ts): granting to the patient's own
 * admitter leaves as candidates the ring members of that admitter; fewer than the floor is refused unless
 * `accept` (the patient chose to be one of those few).
 */
async function checkGrantNotNarrowing(context: RingContext, ring: readonly Point[], ringKey: bigint, institution: string, accept: boolean): Promise<void> {
  const members = new Map((await context.guard.members()).map((m) => [m.hex, m]));
  const ringMembers = ring.map((p) => members.get(pointToHex(p).toLowerCase())).filter((m): m is Member => m !== undefined);
  const self = members.get(pointToHex(publicKeyOf(ringKey)).toLowerCase());
  if (self === undefined || self.admitter !== institution.toLowerCase()) return;
  const candidates = candidatesAfterGrant(ringMembers, institution);
  if (candidates < context.guard.floor && !accept) {
    throw new ClientError(
      "anonymity",
      `${institution} admitted you; anyone who knows the members' public admitters would narrow this record's ring to its ${candidates} member(s) admitted there (floor ${context.guard.floor}); refusing (accept with --accept-narrow-grant)`,
    );
  }
}

/**
 * Paper Protocol 2, `warrant`: unwraps the owner's data key from the chain, wraps it for the institution's
 * encryption key (the one the regulator certified, unless `encryptionKey` is given) and signs the grant. An
 * anonymous record's grant is signed with the record's fixed ring, read back from the chain and checked by the
 * guard; a grant that the public admitters would narrow below the floor is refused unless `acceptNarrowGrant`.
 */
export async function prepareGrant(
  context: RingContext,
  keys: PatientKeys,
  recordId: string,
  institution: string,
  options: { encryptionKey?: Uint8Array; acceptNarrowGrant?: boolean } = {},
): Promise<Prepared<{ recordId: string; institution: string; anonymous: boolean; ringSize?: number }>> {
  const { chain } = context;
  const { info, anonymous } = await ownRecord(chain, keys, recordId);
  let recipient = options.encryptionKey;
  if (recipient === undefined) {
    const onChain = await chain.institution(institution);
    if (onChain.encryptionKey === "0x")
      throw new ClientError("input", `institution ${institution} has no encryption key on chain (never certified); pass its key with --encryption-key`);
    recipient = getBytes(onChain.encryptionKey);
  }
  const boundTo = getBytes(info.id);
  const dataKey = ownerDataKey(await chain.recordCiphertext(info.id), info.contentHash, keys.encryptionKey, boundTo);
  const wrappedKey = hexlify(wrapForInstitution(dataKey, recipient, boundTo));
  dataKey.fill(0);
  const shown = { recordId: info.id, institution, anonymous };
  if (anonymous) {
    const [nonce, ring] = await Promise.all([chain.ringNonce(info.id), chain.recordRing(info.id)]);
    await checkGrantNotNarrowing(context, ring, keys.ringKey, institution, options.acceptNarrowGrant === true);
    const prepared = await prepareRingAction(context, keys.ringKey, { kind: "warrant", args: { scope: info.scope, institution, wrappedKey } }, nonce, {
      kind: "fixed",
      recordId: info.id,
      ring,
    });
    return { body: prepared.body, info: { ...shown, ringSize: prepared.info.ringSize } };
  }
  const data = MRC.encodeFunctionData("warrant", [institution, wrappedKey]);
  return {
    body: await prepareIdentifiedAction(chain, keys.accountKey, "warrant", { record: info.address, institution, wrappedKey }, info.address, data),
    info: shown,
  };
}

/**
 * Paper Protocol 2, `unwarrant`: the MRC removes the record from the institution's ALC in the same transaction.
 * An anonymous record's revocation is signed with the record's fixed ring, read back from the chain.
 */
export async function prepareRevoke(
  context: RingContext,
  keys: PatientKeys,
  recordId: string,
  institution: string,
): Promise<Prepared<{ recordId: string; institution: string; anonymous: boolean; ringSize?: number }>> {
  const { chain } = context;
  const { info, anonymous } = await ownRecord(chain, keys, recordId);
  const shown = { recordId: info.id, institution, anonymous };
  if (anonymous) {
    const [nonce, ring] = await Promise.all([chain.ringNonce(info.id), chain.recordRing(info.id)]);
    const prepared = await prepareRingAction(context, keys.ringKey, { kind: "unwarrant", args: { scope: info.scope, institution } }, nonce, {
      kind: "fixed",
      recordId: info.id,
      ring,
    });
    return { body: prepared.body, info: { ...shown, ringSize: prepared.info.ringSize } };
  }
  const data = MRC.encodeFunctionData("unwarrant", [institution]);
  return { body: await prepareIdentifiedAction(chain, keys.accountKey, "unwarrant", { record: info.address, institution }, info.address, data), info: shown };
}

/**
 * The patient's records, found from the key file alone (./discovery.ts): anonymous ones first, then identified, each
 * as every listing shows a record (./recordEntry.ts). Only the identified ones' info is read (ownRecordEntry says why).
 */
export async function listOwnRecords(chain: MedRingChain, keys: PatientKeys, options: ScanProgress = {}): Promise<RecordEntry[]> {
  const anonymous = await findAnonymousRecords(chain, keys, options);
  const identified = await findIdentifiedRecords(chain, keys, options);
  const account = accountAddress(keys.accountKey);
  const withInfo = await Promise.all(
    identified.records.map(async (r) => {
      const address = await chain.recordAddress(r.recordId);
      return ownRecordEntry(r, address === undefined ? undefined : await chain.recordInfo(address, account));
    }),
  );
  return [...anonymous.records.map((r) => ownRecordEntry(r)), ...withInfo];
}

/** Decrypts one of the patient's own records with the data key wrapped for the patient (content hash checked first). */
export async function readOwnRecord(
  chain: MedRingChain,
  keys: PatientKeys,
  recordId: string,
): Promise<{ plaintext: Uint8Array; info: RecordInfoView; anonymous: boolean }> {
  const { info, anonymous } = await ownRecord(chain, keys, recordId);
  const blob = await chain.recordCiphertext(info.id);
  const plaintext = openBlob({ blob, expectedContentHash: info.contentHash, recipientSecretKey: keys.encryptionKey, context: getBytes(info.id) });
  return { plaintext, info, anonymous };
}
