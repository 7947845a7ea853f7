import type { RegisterCommand } from "../context";
import { registerSign } from "./sign";
import { registerVerify } from "./verify";
import { registerKeyImage } from "./keyImage";
import { registerHashToPoint } from "./hashToPoint";
import { registerKeysNew } from "./keysNew";
import { registerAddress } from "./address";
import { registerPatientRegister } from "./patientRegister";
import { registerRecordCreate } from "./recordCreate";
import { registerRecordGrant } from "./recordGrant";
import { registerRecordRevoke } from "./recordRevoke";
import { registerRecordShow } from "./recordShow";
import { registerRecords } from "./records";
import { registerRegulatorCertify } from "./regulatorCertify";
import { registerRegulatorDecertify } from "./regulatorDecertify";
import { registerRegulatorQuota } from "./regulatorQuota";
import { registerInstitutionRegister } from "./institutionRegister";
import { registerInstitutionAdmit } from "./institutionAdmit";
import { registerInstitutionRecords } from "./institutionRecords";
import { registerInstitutionRead } from "./institutionRead";

export const COMMANDS: RegisterCommand[] = [
  // MRS-1 primitives
  registerSign,
  registerVerify,
  registerKeyImage,
  registerHashToPoint,
  // the user client: patients, institutions, the regulator
  registerKeysNew,
  registerAddress,
  registerPatientRegister,
  registerRecordCreate,
  registerRecordGrant,
  registerRecordRevoke,
  registerRecords,
  registerRecordShow,
  registerRegulatorCertify,
  registerRegulatorDecertify,
  registerRegulatorQuota,
  registerInstitutionRegister,
  registerInstitutionAdmit,
  registerInstitutionRecords,
  registerInstitutionRead,
];
