import type { z } from "zod";
import { coordinatesHash, possessionArgs, type RingKeyPossessionArgs } from "../../src/actions";
import { ApiError } from "../errors";
import { registerPatientArgs } from "../../src/api";
import type { ActionCodec, ChainContext } from "./types";

type Args = z.infer<typeof registerPatientArgs>;

/**
 * Paper Protocol 1, identified only: the registry's registerPatient through the forwarder. The relayer pays only for
 * registrations whose admission and ring-key possession proof the registry accepts (checked by the simulation), by
 * an admitter with quota left (pipeline/admissionQuota.ts), and holds one live registration per ring key and per
 * account.
 */
export const registerPatient: ActionCodec = {
  kind: "registerPatient",
  identified: {
    args: registerPatientArgs,
    call: async (a: Args, ctx: ChainContext) => ({
      to: ctx.registryAddress,
      data: ctx.registry.interface.encodeFunctionData("registerPatient", [
        { x: BigInt(a.ringKey.x), y: BigInt(a.ringKey.y) },
        a.encryptedInfo,
        { admitter: a.admission.admitter, deadline: BigInt(a.admission.deadline), signature: a.admission.signature },
        possessionOf(a),
      ]),
    }),
    replayKeys: (a: Args, from: string, ctx: ChainContext) => {
      const registry = ctx.registryAddress.toLowerCase();
      // keccak256(abi.encode(x, y)): the key under which the registry stores ring keys.
      const ringKey = coordinatesHash(BigInt(a.ringKey.x), BigInt(a.ringKey.y));
      return [`register:${registry}:ringkey:${ringKey}`, `register:${registry}:account:${from.toLowerCase()}`];
    },
    deadlines: (a: Args) => [BigInt(a.admission.deadline)],
    admitter: (a: Args) => a.admission.admitter,
  },
};

/** The possession proof's contract struct (its verifier hints computed here, as the client computed them). */
function possessionOf(a: Args): RingKeyPossessionArgs {
  try {
    return possessionArgs(a.possession);
  } catch (err) {
    throw new ApiError("invalid_request", `action.args.possession: ${(err as Error).message}`);
  }
}
