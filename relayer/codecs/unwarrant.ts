import { encodeFunctionCall } from "../chain/abiEncode";
import type { z } from "zod";
import { IMedicalRecord__factory } from "../../typechain-types";
import { unwarrantIdentifiedArgs, unwarrantRingArgs } from "../../src/api";
import { requireRecord } from "./recordTarget";
import { medRingDomain, ringActionDigest, type RingAuthorizationArgs } from "../../src/actions";
import type { ActionCodec, ChainContext } from "./types";

type RingArgs = z.infer<typeof unwarrantRingArgs>;
type IdentifiedArgs = z.infer<typeof unwarrantIdentifiedArgs>;

const mrc = IMedicalRecord__factory.createInterface();

/** Paper Protocol 2, `unwarrant`: revoke an institution; the MRC removes the record from its ALC in the same transaction. */
export const unwarrant: ActionCodec = {
  kind: "unwarrant",
  ring: {
    createsRecord: false,
    args: unwarrantRingArgs,
    scope: (a: RingArgs) => a.scope,
    digest: (a: RingArgs, nonce: bigint, deadline: bigint, ctx: ChainContext) =>
      ringActionDigest(medRingDomain(ctx.chainId, ctx.registryAddress), "Unwarrant", { ...a, nonce, deadline }),
    calldata: (a: RingArgs, auth: RingAuthorizationArgs, ctx: ChainContext) =>
      encodeFunctionCall(ctx.registry.interface, "unwarrantAnonymous", [a.scope, a.institution, auth]),
  },
  identified: {
    args: unwarrantIdentifiedArgs,
    call: async (a: IdentifiedArgs, ctx: ChainContext) => ({
      to: await requireRecord(a.record, ctx),
      data: mrc.encodeFunctionData("unwarrant", [a.institution]),
    }),
  },
};
