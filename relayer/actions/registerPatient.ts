import { z } from "zod";
import { bytes32, hexBytes } from "../api/schemas";
import type { ActionCodec, ChainContext } from "./types";

/** Paper Protocol 1: a patient registers (RC) with its MRS-1 ring key and encrypted personal info. Identified only. */
const args = z.strictObject({ ringKey: z.strictObject({ x: bytes32, y: bytes32 }), encryptedInfo: hexBytes });
type Args = z.infer<typeof args>;

export const registerPatient: ActionCodec = {
  kind: "registerPatient",
  identified: {
    args,
    call: async (a: Args, ctx: ChainContext) => ({
      to: ctx.registryAddress,
      data: ctx.registry.interface.encodeFunctionData("registerPatient", [{ x: BigInt(a.ringKey.x), y: BigInt(a.ringKey.y) }, a.encryptedInfo]),
    }),
  },
};
