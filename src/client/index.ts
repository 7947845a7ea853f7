/** The MedRing client SDK: used by the `medring` CLI (src/cli) and `npm run demo` (scripts/demo.ts). */
export { MedRingClient, type ConnectOptions, type SubmitProgress } from "./client";
export { MedRingChain, affineArgs, type RecordInfoView, type GrantView, type InstitutionView } from "./chain";
export { RelayerClient, encodeSubmissionBody, type SubmissionBody, type SubmissionView, type StatusView, type VerifyResult } from "./relayerClient";
export { ClientError, type ClientErrorKind } from "./errors";
export { pickDecoys, cryptoRandomIndex, type RandomIndex } from "./decoys";
export { ringPool, registrationBucket, candidatesAfterGrant, type Cohort } from "./ringPool";
export { AnonymityGuard, RING_FLOOR, ringFloorOf } from "./anonymityGuard";
export { MemoryAnonymityStore, emptyAnonymityState, type AnonymityStore, type AnonymityState, type StoredMember } from "./anonymityStore";
export { rpcRingSource, relayerRingSource, memberOf, type Member, type RingSource } from "./ringSources";
export {
  matchAnonymousRecords,
  scanIdentifiedRecords,
  anonymousSlot,
  type FoundRecord,
  type ScanResult,
  type ScanOptions,
  type RecordDirectory,
} from "./discovery";
export {
  issueAdmission,
  parseAdmission,
  encodeAdmission,
  checkAdmissionFor,
  admissionArgs,
  ADMISSION_FORMAT,
  ADMISSION_LIFETIME_SECONDS,
  type Admission,
} from "./admission";
export { parsePatientPublicInfo } from "./patientPublicInfo";
export { sealBlob, openBlob } from "./recordBlob";
export { ringSubmission, identifiedSubmission } from "./submissions";
export type { RingAction } from "../api";
export { prepareRingAction, prepareIdentifiedAction, ACTION_LIFETIME_SECONDS, type Prepared, type RingChoice, type RingContext } from "./prepare";
export {
  prepareRegister,
  prepareCreateRecord,
  prepareGrant,
  prepareRevoke,
  listOwnRecords,
  findAnonymousRecords,
  findIdentifiedRecords,
  readOwnRecord,
  ownRecord,
  type CreatedRecordInfo,
} from "./patient";
export { institutionPublicInfo, findGrant, listGrantedRecords, readGrantedRecord, type InstitutionPublicInfo } from "./institution";
export type { RecordEntry } from "./recordEntry";
export { admissionQuotaTransaction, certifyTransaction, decertifyTransaction, sendAsRegulator, type SentTransaction } from "./regulator";
