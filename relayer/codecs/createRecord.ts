import { encodeFunctionCall } from "../chain/abiEncode";
import type { z } from "zod";
import { createRecordArgs } from "../../src/api";
import { ringCodec } from "./ringCodec";
import type { ActionCodec, ChainContext } from "./types";

type Args = z.infer<typeof createRecordArgs>;

/** Paper Protocol 2 (MRC creation): the registry's createRecordAnonymous, or its createRecord through the forwarder. */
export const createRecord: ActionCodec = {
  kind: "createRecord",
  ring: ringCodec("createRecord", createRecordArgs, {
    createsRecord: true,
    calldata: (a, auth, ctx) => encodeFunctionCall(ctx.registry.interface, "createRecordAnonymous", [a.scope, a.contentHash, a.locator, a.ciphertext, auth]),
  }),
  identified: {
    args: createRecordArgs,
    call: async (a: Args, ctx: ChainContext) => ({
      to: ctx.registryAddress,
      data: ctx.registry.interface.encodeFunctionData("createRecord", [a.scope, a.contentHash, a.locator, a.ciphertext]),
    }),
  },
};
