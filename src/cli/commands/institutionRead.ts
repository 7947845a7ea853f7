import type { RegisterCommand } from "../context";
import { registerDecryptCommand } from "../decryptCommand";

/**
 * `medring institution read --key FILE --record ID [--out FILE]`: fetches the ciphertext from the record's
 * creation event, checks keccak256 against the content hash the ALC returns, unwraps the data key wrapped for
 * this institution and decrypts. A revoked (or never granted) record exits 3.
 */
export const registerInstitutionRead: RegisterCommand = (program, context) =>
  registerDecryptCommand(program, context, {
    group: "institution",
    name: "read",
    role: "institution",
    description: "decrypt a record granted to this institution (hash checked)",
    read: async ({ readGrantedRecord }, chain, keys, recordId) => {
      const { plaintext, grant } = await readGrantedRecord(chain, keys, recordId);
      return {
        plaintext,
        contentHash: grant.contentHash,
        details: { recordId: grant.id, record: grant.record, contentHash: grant.contentHash, hashVerified: true },
      };
    },
  });
