import { encodeFunctionCall } from "../chain/abiEncode";
import { z } from "zod";
import { IMedicalRecord__factory } from "../../typechain-types";
import { address, bytes32, hexBytes } from "../api/schemas";
import { requireRecord } from "./recordTarget";
import { medRingDomain, ringActionDigest } from "../../src/actions";
import type { ActionCodec, ChainContext, RingAuthArgs } from "./types";

/** Paper Protocol 2, `warrant`: grant an institution a record, with the data key wrapped for it. */
const ringArgs = z.strictObject({ scope: bytes32, institution: address, wrappedKey: hexBytes });
const identifiedArgs = z.strictObject({ record: address, institution: address, wrappedKey: hexBytes });
type RingArgs = z.infer<typeof ringArgs>;
type IdentifiedArgs = z.infer<typeof identifiedArgs>;

const mrc = IMedicalRecord__factory.createInterface();

export const warrant: ActionCodec = {
  kind: "warrant",
  ring: {
    createsRecord: false,
    args: ringArgs,
    scope: (a: RingArgs) => a.scope,
    digest: (a: RingArgs, nonce: bigint, deadline: bigint, ctx: ChainContext) =>
      ringActionDigest(medRingDomain(ctx.chainId, ctx.registryAddress), "Warrant", { ...a, nonce, deadline }),
    calldata: (a: RingArgs, auth: RingAuthArgs, ctx: ChainContext) =>
      encodeFunctionCall(ctx.registry.interface, "warrantAnonymous", [a.scope, a.institution, a.wrappedKey, auth]),
  },
  identified: {
    args: identifiedArgs,
    call: async (a: IdentifiedArgs, ctx: ChainContext) => ({
      to: await requireRecord(a.record, ctx),
      data: mrc.encodeFunctionData("warrant", [a.institution, a.wrappedKey]),
    }),
  },
};
