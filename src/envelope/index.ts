/** Encrypted records: records encrypted on the client, keys wrapped per reader, the on-chain encoding (docs/design.md#confidentiality). */
export { EnvelopeError, type EnvelopeErrorCode } from "./errors";
export { contentHash, type ContentHash } from "./content-hash";
export {
  encryptRecord,
  decryptRecord,
  RECORD_ENVELOPE_VERSION,
  RECORD_ENVELOPE_UNPADDED_VERSION,
  RECORD_ENVELOPE_MIN_LENGTH,
  type EncryptedRecord,
} from "./record";
export { paddedLength, pad, unpad, SMALLEST_BUCKET, PAD_LENGTH_PREFIX } from "./padding";
export { wrapKey, unwrapKey, encryptionPublicKey, WRAP_VERSION, WRAP_DOMAIN_TAG, WRAPPED_KEY_LENGTH } from "./wrap";
export { deriveRecordScope, TAG_ANONYMOUS_SCOPE, TAG_IDENTIFIED_SCOPE, MAX_RECORD_INDEX, type RecordKind } from "./scope";
export { sealRecord, openRecord, unwrapOwnerDataKey, RECORD_BLOB_MIN_LENGTH, type SealRecordInput, type SealedRecord, type OpenRecordInput } from "./seal";
