import { z } from "zod";
import { coordinatesHash } from "../../src/actions";
import { MAX_PERSON_INFO_BYTES, address, bytes32, hexBytesUpTo, uintString } from "../../src/api";
import type { ActionCodec, ChainContext } from "./types";

/** Largest admission signature accepted: a 65-byte ECDSA signature, or an ERC-1271 contract admitter's blob. */
const MAX_ADMISSION_SIGNATURE_BYTES = 1024;

/**
 * Paper Protocol 1: a patient registers (RC) with its MRS-1 ring key, encrypted personal info (at most
 * IPatientRegister.PERSON_INFO_MAX_LENGTH bytes) and the admission an authorised admitter signed for it
 * (MedRingTypes.Admission). Identified only. The relayer pays only for registrations whose admission the registry
 * accepts (checked by the simulation), and holds one live registration per ring key and per account.
 */
const args = z.strictObject({
  ringKey: z.strictObject({ x: bytes32, y: bytes32 }),
  encryptedInfo: hexBytesUpTo(MAX_PERSON_INFO_BYTES),
  admission: z.strictObject({
    admitter: address,
    deadline: uintString(64),
    signature: hexBytesUpTo(MAX_ADMISSION_SIGNATURE_BYTES),
  }),
});
type Args = z.infer<typeof args>;

export const registerPatient: ActionCodec = {
  kind: "registerPatient",
  identified: {
    args,
    call: async (a: Args, ctx: ChainContext) => ({
      to: ctx.registryAddress,
      data: ctx.registry.interface.encodeFunctionData("registerPatient", [
        { x: BigInt(a.ringKey.x), y: BigInt(a.ringKey.y) },
        a.encryptedInfo,
        { admitter: a.admission.admitter, deadline: BigInt(a.admission.deadline), signature: a.admission.signature },
      ]),
    }),
    replayKeys: (a: Args, from: string, ctx: ChainContext) => {
      const registry = ctx.registryAddress.toLowerCase();
      // keccak256(abi.encode(x, y)): the key under which the registry stores ring keys.
      const ringKey = coordinatesHash(BigInt(a.ringKey.x), BigInt(a.ringKey.y));
      return [`register:${registry}:ringkey:${ringKey}`, `register:${registry}:account:${from.toLowerCase()}`];
    },
    deadlines: (a: Args) => [BigInt(a.admission.deadline)],
  },
};
