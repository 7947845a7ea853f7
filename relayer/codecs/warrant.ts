import { encodeFunctionCall } from "../chain/abiEncode";
import type { z } from "zod";
import { IMedicalRecord__factory } from "../../typechain-types";
import { warrantIdentifiedArgs, warrantRingArgs } from "../../src/api";
import { requireRecord } from "./recordTarget";
import { medRingDomain, ringActionDigest, type RingAuthorizationArgs } from "../../src/actions";
import type { ActionCodec, ChainContext } from "./types";

type RingArgs = z.infer<typeof warrantRingArgs>;
type IdentifiedArgs = z.infer<typeof warrantIdentifiedArgs>;

const mrc = IMedicalRecord__factory.createInterface();

/** Paper Protocol 2, `warrant`: grant an institution a record, with the data key wrapped for it. */
export const warrant: ActionCodec = {
  kind: "warrant",
  ring: {
    createsRecord: false,
    args: warrantRingArgs,
    scope: (a: RingArgs) => a.scope,
    digest: (a: RingArgs, nonce: bigint, deadline: bigint, ctx: ChainContext) => ringActionDigest(medRingDomain(ctx.chainId, ctx.registryAddress), "Warrant", { ...a, nonce, deadline }),
    calldata: (a: RingArgs, auth: RingAuthorizationArgs, ctx: ChainContext) =>
      encodeFunctionCall(ctx.registry.interface, "warrantAnonymous", [a.scope, a.institution, a.wrappedKey, auth]),
  },
  identified: {
    args: warrantIdentifiedArgs,
    call: async (a: IdentifiedArgs, ctx: ChainContext) => ({
      to: await requireRecord(a.record, ctx),
      data: mrc.encodeFunctionData("warrant", [a.institution, a.wrappedKey]),
    }),
  },
};
