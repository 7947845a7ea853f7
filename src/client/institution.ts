/**
 * An institution's side (paper Protocol 3): what it gives the regulator to be certified, the records its ALC
 * lists, and reading one: fetch the ciphertext from `RecordCreated`, check the content hash, unwrap the key
 * wrapped for it on `warrant`, decrypt. Revocation stops future reads only: what it already decrypted, it keeps.
 */
import { getBytes } from "ethers";
import { encryptionPublicKey } from "../envelope";
import { bytesToHex } from "../hex";
import { accountAddress, type InstitutionKeys } from "../keys";
import type { GrantView, MedRingChain } from "./chain";
import { ClientError } from "./errors";
import { openBlob } from "./recordBlob";
import { grantEntry, type RecordEntry } from "./recordEntry";

/** The public info the regulator certifies (`medring institution register`; `regulator certify --institution-info`). */
export interface InstitutionPublicInfo {
  role: "institution";
  address: string;
  encryptionKey: string;
}

export function institutionPublicInfo(keys: InstitutionKeys): InstitutionPublicInfo {
  return { role: "institution", address: accountAddress(keys.accountKey), encryptionKey: bytesToHex(encryptionPublicKey(keys.encryptionKey)) };
}

/** The records granted to `institution` now (its ALC, paper Protocol 3), as every listing shows a record (./recordEntry.ts). */
export async function listGrantedRecords(chain: MedRingChain, institution: string): Promise<RecordEntry[]> {
  return (await chain.grants(institution)).map(grantEntry);
}

/** The grant of `recordId` in the institution's ALC; ClientError "refused" when there is none (never granted, or revoked). */
export async function findGrant(chain: MedRingChain, institution: string, recordId: string): Promise<GrantView> {
  const grant = (await chain.grants(institution)).find((g) => g.id.toLowerCase() === recordId.toLowerCase());
  if (!grant) throw new ClientError("refused", `record ${recordId} is not granted to ${institution} (never granted, or revoked)`, "not_granted");
  return grant;
}

export async function readGrantedRecord(chain: MedRingChain, keys: InstitutionKeys, recordId: string): Promise<{ plaintext: Uint8Array; grant: GrantView }> {
  const grant = await findGrant(chain, accountAddress(keys.accountKey), recordId);
  const blob = await chain.recordCiphertext(grant.id);
  const plaintext = openBlob({
    blob,
    expectedContentHash: grant.contentHash,
    recipientSecretKey: keys.encryptionKey,
    context: getBytes(grant.id),
    wrappedKey: getBytes(grant.wrappedKey),
  });
  return { plaintext, grant };
}
