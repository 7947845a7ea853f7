/**
 * A patient's actions (paper Protocols 1 and 2; DESIGN.md §Anonymous actions and §Confidentiality), each
 * prepared as a relayer submission body: register, create a record (anonymous by default), grant, revoke; and
 * the reads that need the key file: the patient's records (rediscovered from the key alone) and a record's
 * plaintext.
 */
import { ZeroAddress, getBytes, hexlify } from "ethers";
import { anonymousRecordId, keyImageHash, recordIdOf } from "../actions";
import { deriveRecordScope, encryptionPublicKey } from "../envelope";
import { bytesToHex } from "../hex";
import { accountAddress, ringPublicKey, type PatientKeys } from "../keys";
import { keyImage, publicKeyOf } from "../mrs1";
import { IMedicalRecord__factory } from "../../typechain-types/factories/contracts/interfaces/IMedicalRecord__factory";
import { affineArgs, type MedRingChain, type RecordInfoView } from "./chain";
import { scanRecords, type PatientIdentity, type ScanResult } from "./discovery";
import { ClientError } from "./errors";
import { prepareIdentifiedAction, prepareRingAction, type Prepared } from "./prepare";
import { openBlob, ownerDataKey, sealBlob, wrapForInstitution } from "./recordBlob";

const MRC = IMedicalRecord__factory.createInterface();

/** Context of the personal-info wrap: the tag and the patient's address (20 bytes). */
const PERSON_INFO_TAG = new TextEncoder().encode("MEDRING-V1-PERSON-INFO");

function identity(keys: PatientKeys): PatientIdentity {
  return { ringKey: keys.ringKey, account: accountAddress(keys.accountKey) };
}

/** Paper Protocol 1: the RC, with the personal info sealed for the patient's own encryption key (identified). */
export async function prepareRegister(chain: MedRingChain, keys: PatientKeys, personalInfo?: Uint8Array): Promise<Prepared<{ address: string; ringPublicKey: string }>> {
  const address = accountAddress(keys.accountKey);
  const existing = await chain.registerOf(address);
  if (existing !== ZeroAddress) throw new ClientError("input", `${address} is already registered (register contract ${existing})`);
  const context = new Uint8Array([...PERSON_INFO_TAG, ...getBytes(address)]);
  const encryptedInfo = personalInfo === undefined ? "0x" : bytesToHex(sealBlob(personalInfo, encryptionPublicKey(keys.encryptionKey), context).blob);
  const ringKey = affineArgs(publicKeyOf(keys.ringKey));
  const data = chain.registry.interface.encodeFunctionData("registerPatient", [{ x: BigInt(ringKey.x), y: BigInt(ringKey.y) }, encryptedInfo]);
  const body = await prepareIdentifiedAction(chain, keys.accountKey, "registerPatient", { ringKey, encryptedInfo }, chain.registryAddress, data);
  return { body, info: { address, ringPublicKey: ringPublicKey(keys.ringKey) } };
}

export interface CreatedRecordInfo {
  recordId: string;
  scope: string;
  index: number;
  contentHash: string;
  anonymous: boolean;
  ringSize?: number;
}

/**
 * Paper Protocol 2, creation. The record goes in the lowest free scope index (./discovery.ts), is sealed under a
 * fresh data key wrapped for the patient (./recordBlob.ts, bound to the record id), and travels inline in
 * calldata and the `RecordCreated` event. Anonymous: ring-signed, owned by the key image in its scope.
 */
export async function prepareCreateRecord(
  chain: MedRingChain,
  keys: PatientKeys,
  options: { plaintext: Uint8Array; identified?: boolean; ringSize?: number; gapLimit?: number; onScan?: (scanned: number) => void },
): Promise<Prepared<CreatedRecordInfo>> {
  const who = identity(keys);
  const { firstFree: index } = await scanRecords(chain, who, { gapLimit: options.gapLimit, onProgress: options.onScan });
  const scope = bytesToHex(deriveRecordScope(keys.ringKey, index));
  const anonymous = options.identified !== true;
  const recordId = anonymous ? anonymousRecordId(scope) : recordIdOf(who.account, scope);
  const sealed = sealBlob(options.plaintext, encryptionPublicKey(keys.encryptionKey), getBytes(recordId));
  sealed.dataKey.fill(0); // grants unwrap the owner's copy from the chain; this one is not kept
  const args = { scope, contentHash: sealed.contentHash, locator: "0x", ciphertext: bytesToHex(sealed.blob) };
  const info = { recordId, scope, index, contentHash: sealed.contentHash, anonymous };
  if (anonymous) {
    const ring = await prepareRingAction(chain, keys.ringKey, { kind: "createRecord", args }, 0n, options.ringSize);
    return { body: ring.body, info: { ...info, ringSize: ring.info.ringSize } };
  }
  const data = chain.registry.interface.encodeFunctionData("createRecord", [scope, sealed.contentHash, "0x", args.ciphertext]);
  return { body: await prepareIdentifiedAction(chain, keys.accountKey, "createRecord", args, chain.registryAddress, data), info };
}

/** Record `recordId`, checked to be this patient's: by account (identified) or by key image in its scope (anonymous). */
export async function ownRecord(chain: MedRingChain, keys: PatientKeys, recordId: string): Promise<{ info: RecordInfoView; anonymous: boolean }> {
  const address = await chain.recordAddress(recordId);
  if (address === undefined) throw new ClientError("input", `no record with id ${recordId}`);
  const account = accountAddress(keys.accountKey);
  const info = await chain.recordInfo(address, account);
  if (info.ownerAccount !== ZeroAddress) {
    if (info.ownerAccount.toLowerCase() !== account.toLowerCase()) throw new ClientError("input", `record ${recordId} is not owned by this key file`);
    return { info, anonymous: false };
  }
  const mine = keyImageHash(keyImage(keys.ringKey, getBytes(info.scope))).toLowerCase() === info.ownerKeyImage.toLowerCase();
  if (!mine) throw new ClientError("input", `record ${recordId} is not owned by this key file`);
  return { info, anonymous: true };
}

/**
 * Paper Protocol 2, `warrant`: unwraps the owner's data key from the chain, wraps it for the institution's
 * encryption key (the one the regulator certified, unless `encryptionKey` is given) and signs the grant.
 */
export async function prepareGrant(
  chain: MedRingChain,
  keys: PatientKeys,
  recordId: string,
  institution: string,
  options: { encryptionKey?: Uint8Array; ringSize?: number } = {},
): Promise<Prepared<{ recordId: string; institution: string; anonymous: boolean; ringSize?: number }>> {
  const { info, anonymous } = await ownRecord(chain, keys, recordId);
  let recipient = options.encryptionKey;
  if (recipient === undefined) {
    const onChain = await chain.institution(institution);
    if (onChain.encryptionKey === "0x") throw new ClientError("input", `institution ${institution} has no encryption key on chain (never certified); pass its key with --encryption-key`);
    recipient = getBytes(onChain.encryptionKey);
  }
  const context = getBytes(info.id);
  const dataKey = ownerDataKey(await chain.recordCiphertext(info.id), info.contentHash, keys.encryptionKey, context);
  const wrappedKey = hexlify(wrapForInstitution(dataKey, recipient, context));
  dataKey.fill(0);
  const shown = { recordId: info.id, institution, anonymous };
  if (anonymous) {
    const ring = await prepareRingAction(chain, keys.ringKey, { kind: "warrant", args: { scope: info.scope, institution, wrappedKey } }, await chain.ringNonce(info.id), options.ringSize);
    return { body: ring.body, info: { ...shown, ringSize: ring.info.ringSize } };
  }
  const data = MRC.encodeFunctionData("warrant", [institution, wrappedKey]);
  return { body: await prepareIdentifiedAction(chain, keys.accountKey, "warrant", { record: info.address, institution, wrappedKey }, info.address, data), info: shown };
}

/** Paper Protocol 2, `unwarrant`: the MRC removes the record from the institution's ALC in the same transaction. */
export async function prepareRevoke(
  chain: MedRingChain,
  keys: PatientKeys,
  recordId: string,
  institution: string,
  options: { ringSize?: number } = {},
): Promise<Prepared<{ recordId: string; institution: string; anonymous: boolean; ringSize?: number }>> {
  const { info, anonymous } = await ownRecord(chain, keys, recordId);
  const shown = { recordId: info.id, institution, anonymous };
  if (anonymous) {
    const ring = await prepareRingAction(chain, keys.ringKey, { kind: "unwarrant", args: { scope: info.scope, institution } }, await chain.ringNonce(info.id), options.ringSize);
    return { body: ring.body, info: { ...shown, ringSize: ring.info.ringSize } };
  }
  const data = MRC.encodeFunctionData("unwarrant", [institution]);
  return { body: await prepareIdentifiedAction(chain, keys.accountKey, "unwarrant", { record: info.address, institution }, info.address, data), info: shown };
}

export interface OwnRecordView extends RecordInfoView {
  index: number;
  anonymous: boolean;
}

/** The patient's records, found from the key file alone (./discovery.ts), with their on-chain info. */
export async function listOwnRecords(chain: MedRingChain, keys: PatientKeys, options: { gapLimit?: number; onScan?: (scanned: number) => void } = {}): Promise<{ records: OwnRecordView[]; scan: ScanResult }> {
  const who = identity(keys);
  const scan = await scanRecords(chain, who, { gapLimit: options.gapLimit, onProgress: options.onScan });
  const records = await Promise.all(
    scan.records.map(async (slot) => ({ ...(await chain.recordInfo(slot.record, who.account)), index: slot.index, anonymous: slot.anonymous })),
  );
  return { records, scan };
}

/** Decrypts one of the patient's own records with the data key wrapped for the patient (content hash checked first). */
export async function readOwnRecord(chain: MedRingChain, keys: PatientKeys, recordId: string): Promise<{ plaintext: Uint8Array; info: RecordInfoView; anonymous: boolean }> {
  const { info, anonymous } = await ownRecord(chain, keys, recordId);
  const blob = await chain.recordCiphertext(info.id);
  const plaintext = openBlob({ blob, expectedContentHash: info.contentHash, recipientSecretKey: keys.encryptionKey, context: getBytes(info.id) });
  return { plaintext, info, anonymous };
}
