/**
 * Admissions (docs/design.md#who-learns-what; MedRingTypes.Admission): a certified institution, or an ADMITTER_ROLE
 * holder, vouches for a patient's account and ring key, so that nobody can fill the anonymity set with keys of
 * their own. The institution signs the EIP-712 `Admission` in the registry's domain and hands the patient an
 * admission file; `medring patient register --admission FILE` sends it with the registration.
 *
 * Admission file (JSON, not secret):
 *   { "format": "medring-admission", "version": 1, "chainId": "31337", "registry": "0x…",
 *     "patient": "0x…", "ringPublicKey": "0x02…", "admitter": "0x…", "deadline": "1767225600",
 *     "signature": "0x…" (65 bytes) }
 */
import { Wallet, getAddress, isAddress } from "ethers";
import { z } from "zod";
import { medRingDomain, signAdmission, type AdmissionArgs } from "../actions";
import { bytesToHex } from "../hex";
import { parsePoint, pointToHex, type Point } from "../mrs1";
import type { MedRingChain } from "./chain";
import { ClientError } from "./errors";

export const ADMISSION_FORMAT = "medring-admission";
/** Default validity of an admission: a week of chain time for the patient to register. */
export const ADMISSION_LIFETIME_SECONDS = 7n * 24n * 3600n;

export interface Admission {
  chainId: bigint;
  registry: string;
  patient: string;
  ringPublicKey: Point;
  admitter: string;
  deadline: bigint;
  signature: string;
}

const addressField = z
  .string()
  .refine((v) => isAddress(v), "expected a 0x-prefixed 20-byte address")
  .transform((v) => getAddress(v));
const uintField = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,76})$/, "expected a decimal unsigned integer string")
  .transform((v) => BigInt(v));

const admissionFileSchema = z.strictObject({
  format: z.literal(ADMISSION_FORMAT),
  version: z.literal(1),
  chainId: uintField,
  registry: addressField,
  patient: addressField,
  ringPublicKey: z.string(),
  admitter: addressField,
  deadline: uintField,
  signature: z.string().regex(/^0x[0-9a-fA-F]{130}$/, "expected a 65-byte signature (0x + 130 hex digits)"),
});

/** Parses an admission file's JSON; a malformed one is ClientError "input" naming the field. */
export function parseAdmission(json: unknown, source = "admission"): Admission {
  const parsed = admissionFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ClientError("input", `${source}: ${issue.path.map(String).join(".") || "file"}: ${issue.message}`);
  }
  let ringPublicKey: Point;
  try {
    ringPublicKey = parsePoint(parsed.data.ringPublicKey, "ringPublicKey");
  } catch (err) {
    throw new ClientError("input", `${source}: ${(err as Error).message}`);
  }
  return { ...parsed.data, ringPublicKey };
}

export function encodeAdmission(admission: Admission): string {
  return (
    JSON.stringify(
      {
        format: ADMISSION_FORMAT,
        version: 1,
        chainId: admission.chainId.toString(),
        registry: admission.registry,
        patient: admission.patient,
        ringPublicKey: pointToHex(admission.ringPublicKey),
        admitter: admission.admitter,
        deadline: admission.deadline.toString(),
        signature: admission.signature,
      },
      null,
      2,
    ) + "\n"
  );
}

/**
 * Signs an admission for `patient` with ring key `ringPublicKey`, valid for `lifetimeSeconds` of chain time. The
 * signer must be an admitter now (else ClientError "refused": the registry would refuse the registration).
 */
export async function issueAdmission(
  chain: MedRingChain,
  admitterAccountKey: Uint8Array,
  patient: { address: string; ringPublicKey: Point },
  lifetimeSeconds: bigint = ADMISSION_LIFETIME_SECONDS,
): Promise<Admission> {
  const wallet = new Wallet(bytesToHex(admitterAccountKey));
  if (!(await chain.isAdmitter(wallet.address))) {
    throw new ClientError(
      "refused",
      `${wallet.address} may not admit patients: it is neither a certified institution nor an ADMITTER_ROLE holder`,
      "not_admitter",
    );
  }
  const deadline = (await chain.latestTimestamp()) + lifetimeSeconds;
  const domain = medRingDomain(chain.chainId, chain.registryAddress);
  const { signature } = await signAdmission(wallet, domain, getAddress(patient.address), patient.ringPublicKey.toAffine(), deadline);
  return {
    chainId: chain.chainId,
    registry: chain.registryAddress,
    patient: getAddress(patient.address),
    ringPublicKey: patient.ringPublicKey,
    admitter: wallet.address,
    deadline,
    signature,
  };
}

/**
 * Checks that `admission` is for this deployment, this patient and this ring key, and still valid by chain time,
 * before anything is sent (the registry checks the signature and the admitter itself).
 */
export async function checkAdmissionFor(chain: MedRingChain, admission: Admission, patient: string, ringPublicKey: Point): Promise<void> {
  if (admission.chainId !== chain.chainId || admission.registry.toLowerCase() !== chain.registryAddress.toLowerCase()) {
    throw new ClientError(
      "input",
      `the admission is for registry ${admission.registry} on chain ${admission.chainId}, not ${chain.registryAddress} on chain ${chain.chainId}`,
    );
  }
  if (admission.patient.toLowerCase() !== patient.toLowerCase())
    throw new ClientError("input", `the admission is for ${admission.patient}, not for this key file's account ${patient}`);
  if (!admission.ringPublicKey.equals(ringPublicKey)) throw new ClientError("input", "the admission is for another ring key than this key file's");
  const now = await chain.latestTimestamp();
  if (admission.deadline <= now) throw new ClientError("input", `the admission expired (deadline ${admission.deadline}, chain time ${now}): ask for a new one`);
}

/** The registry's `Admission` struct (MedRingTypes.sol) for a typechain call or calldata. */
export function admissionArgs(admission: Admission): AdmissionArgs {
  return { admitter: admission.admitter, deadline: admission.deadline, signature: admission.signature };
}
