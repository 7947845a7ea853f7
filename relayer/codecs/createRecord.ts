import { encodeFunctionCall } from "../chain/abiEncode";
import type { z } from "zod";
import { createRecordArgs } from "../../src/api";
import { medRingDomain, ringActionDigest, type RingAuthorizationArgs } from "../../src/actions";
import type { ActionCodec, ChainContext } from "./types";

type Args = z.infer<typeof createRecordArgs>;

/** Paper Protocol 2 (MRC creation): the registry's createRecordAnonymous, or its createRecord through the forwarder. */
export const createRecord: ActionCodec = {
  kind: "createRecord",
  ring: {
    createsRecord: true,
    args: createRecordArgs,
    scope: (a: Args) => a.scope,
    digest: (a: Args, nonce: bigint, deadline: bigint, ctx: ChainContext) =>
      ringActionDigest(medRingDomain(ctx.chainId, ctx.registryAddress), "CreateRecord", { ...a, nonce, deadline }),
    calldata: (a: Args, auth: RingAuthorizationArgs, ctx: ChainContext) =>
      encodeFunctionCall(ctx.registry.interface, "createRecordAnonymous", [a.scope, a.contentHash, a.locator, a.ciphertext, auth]),
  },
  identified: {
    args: createRecordArgs,
    call: async (a: Args, ctx: ChainContext) => ({
      to: ctx.registryAddress,
      data: ctx.registry.interface.encodeFunctionData("createRecord", [a.scope, a.contentHash, a.locator, a.ciphertext]),
    }),
  },
};
