/**
 * Actor key files (`medring keys new --role patient|institution|regulator --out FILE`): generating, encoding and
 * decoding, with no file system access, so the browser app (app/) uses the same code. Reading and writing files on
 * disk (Node only) is ./file.ts.
 */
export { ACTOR_ROLES, type ActorRole, type ActorKeys, type PatientKeys, type InstitutionKeys, type RegulatorKeys, type ActorPublicInfo } from "./types";
export { generateActorKeys, accountAddress, ringPublicKey, publicInfoOf } from "./derive";
export { KeyFileError, type KeyFileErrorCode } from "./errors";
export { encodeKeyFile, decodeKeyFile, decodeKeyFilePublicInfo, type EncodeKeyFileOptions, type KeyFilePublicInfo } from "./codec";
export { DEFAULT_SCRYPT_N } from "./passphrase";
export { KEYFILE_FORMAT, KEYFILE_VERSION } from "./schema";
