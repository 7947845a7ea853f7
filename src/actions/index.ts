/** MedRing authorisations shared by the client, the relayer, the contract tests and the benchmarks. */
export { RING_ACTION_TYPES, FORWARD_REQUEST_TYPES, medRingDomain, forwarderDomain, ringActionDigest, type RingActionType } from "./typedData";
export { signRingAction, authorize, type RingSigner, type RingAuthorizationArgs } from "./ringAuthorization";
export { keyImageHash, recordIdOf, anonymousRecordId } from "./ids";
