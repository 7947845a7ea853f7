/**
 * Signing a patient's admission (MedRingTypes.Admission; docs/design.md#who-learns-what): an authorised admitter's
 * EIP-712 signature over the patient's account, ring key and a deadline, in the registry's domain. One
 * implementation for the institution's CLI (src/client/admission.ts), the demo, the tests and the benchmarks.
 */
import type { Signer, TypedDataDomain } from "ethers";
import { ADMISSION_TYPES } from "./typedData";

/** The registry's `Admission` struct, ready for a typechain call or ABI encoding. */
export interface AdmissionArgs {
  admitter: string;
  deadline: bigint;
  signature: string;
}

/** `admitter` signs the admission of `patient` with ring key `ringKey` (affine) until `deadline`. */
export async function signAdmission(
  admitter: Pick<Signer, "signTypedData" | "getAddress">,
  domain: TypedDataDomain,
  patient: string,
  ringKey: { x: bigint; y: bigint },
  deadline: bigint,
): Promise<AdmissionArgs> {
  const value = { patient, ringKeyX: ringKey.x, ringKeyY: ringKey.y, deadline };
  const signature = await admitter.signTypedData(domain, { Admission: [...ADMISSION_TYPES.Admission] }, value);
  return { admitter: await admitter.getAddress(), deadline, signature };
}
