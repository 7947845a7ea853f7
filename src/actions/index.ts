/** MedRing authorisations shared by the client, the relayer, the contract tests and the benchmarks. */
export {
  RING_ACTION_TYPES,
  FORWARD_REQUEST_TYPES,
  ADMISSION_TYPES,
  medRingDomain,
  forwarderDomain,
  ringActionDigest,
  admissionDigest,
  RING_KEY_POSSESSION_TYPES,
  ringKeyPossessionDigest,
  type RingActionType,
} from "./typedData";
export { signRingAction, signWithRing, authorize, authorizeWithRing, type RingSigner, type RingAuthorizationArgs } from "./ringAuthorization";
export { keyImageHash, pointHash, coordinatesHash, identifiedRecordId, anonymousRecordId, ringHash } from "./ids";
export { signAdmission, type AdmissionArgs } from "./admission";
export { RING_KEY_POSSESSION_SCOPE, proveRingKeyPossession, possessionArgs, ringKeyPossession, type RingKeyPossessionArgs } from "./possession";
export { ringActionRequest, RING_ACTION_INDEX, RING_ACTION_PRIMARY_TYPE, type RingActionKind, type RingActionRequestArgs } from "./batch";
