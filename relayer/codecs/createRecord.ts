import { encodeFunctionCall } from "../chain/abiEncode";
import { z } from "zod";
import { bytes32, hexBytes } from "../../src/api";
import { medRingDomain, ringActionDigest } from "../../src/actions";
import type { ActionCodec, ChainContext, RingAuthArgs } from "./types";

/** Paper Protocol 2 (MRC creation): a record's content hash, and either the inline ciphertext or a locator. */
const args = z.strictObject({ scope: bytes32, contentHash: bytes32, locator: hexBytes, ciphertext: hexBytes });
type Args = z.infer<typeof args>;

export const createRecord: ActionCodec = {
  kind: "createRecord",
  ring: {
    createsRecord: true,
    args,
    scope: (a: Args) => a.scope,
    digest: (a: Args, nonce: bigint, deadline: bigint, ctx: ChainContext) =>
      ringActionDigest(medRingDomain(ctx.chainId, ctx.registryAddress), "CreateRecord", { ...a, nonce, deadline }),
    calldata: (a: Args, auth: RingAuthArgs, ctx: ChainContext) =>
      encodeFunctionCall(ctx.registry.interface, "createRecordAnonymous", [a.scope, a.contentHash, a.locator, a.ciphertext, auth]),
  },
  identified: {
    args,
    call: async (a: Args, ctx: ChainContext) => ({
      to: ctx.registryAddress,
      data: ctx.registry.interface.encodeFunctionData("createRecord", [a.scope, a.contentHash, a.locator, a.ciphertext]),
    }),
  },
};
