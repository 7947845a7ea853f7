import { encodeFunctionCall } from "../chain/abiEncode";
import { z } from "zod";
import { IMedicalRecord__factory } from "../../typechain-types";
import { address, bytes32 } from "../../src/api";
import { requireRecord } from "./recordTarget";
import { medRingDomain, ringActionDigest } from "../../src/actions";
import type { ActionCodec, ChainContext, RingAuthArgs } from "./types";

/** Paper Protocol 2, `unwarrant`: revoke an institution; the MRC removes the record from its ALC in the same transaction. */
const ringArgs = z.strictObject({ scope: bytes32, institution: address });
const identifiedArgs = z.strictObject({ record: address, institution: address });
type RingArgs = z.infer<typeof ringArgs>;
type IdentifiedArgs = z.infer<typeof identifiedArgs>;

const mrc = IMedicalRecord__factory.createInterface();

export const unwarrant: ActionCodec = {
  kind: "unwarrant",
  ring: {
    createsRecord: false,
    args: ringArgs,
    scope: (a: RingArgs) => a.scope,
    digest: (a: RingArgs, nonce: bigint, deadline: bigint, ctx: ChainContext) =>
      ringActionDigest(medRingDomain(ctx.chainId, ctx.registryAddress), "Unwarrant", { ...a, nonce, deadline }),
    calldata: (a: RingArgs, auth: RingAuthArgs, ctx: ChainContext) =>
      encodeFunctionCall(ctx.registry.interface, "unwarrantAnonymous", [a.scope, a.institution, auth]),
  },
  identified: {
    args: identifiedArgs,
    call: async (a: IdentifiedArgs, ctx: ChainContext) => ({
      to: await requireRecord(a.record, ctx),
      data: mrc.encodeFunctionData("unwarrant", [a.institution]),
    }),
  },
};
