import type { RegisterCommand } from "../context";
import { registerDecryptCommand } from "../decryptCommand";

/** `medring record show --key FILE --record ID [--out FILE]`: decrypts one of your records (content hash checked first). */
export const registerRecordShow: RegisterCommand = (program, context) =>
  registerDecryptCommand(program, context, {
    group: "record",
    name: "show",
    role: "patient",
    description: "decrypt one of your records",
    read: async ({ readOwnRecord }, chain, keys, recordId) => {
      const { plaintext, info, anonymous } = await readOwnRecord(chain, keys, recordId);
      return {
        plaintext,
        contentHash: info.contentHash,
        details: { recordId: info.id, anonymous, contentHash: info.contentHash, createdAt: info.createdAt, institutions: info.institutions },
      };
    },
  });
