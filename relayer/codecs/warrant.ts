import { encodeFunctionCall } from "../chain/abiEncode";
import { warrantIdentifiedArgs, warrantRingArgs } from "../../src/api";
import { mrc, recordCodec } from "./recordTarget";
import { ringCodec } from "./ringCodec";
import type { ActionCodec } from "./types";

/** Paper Protocol 2, `warrant`: grant an institution a record, with the data key wrapped for it. */
export const warrant: ActionCodec = {
  kind: "warrant",
  ring: ringCodec("warrant", warrantRingArgs, {
    createsRecord: false,
    calldata: (a, auth, ctx) => encodeFunctionCall(ctx.registry.interface, "warrantAnonymous", [a.scope, a.institution, a.wrappedKey, auth]),
  }),
  identified: recordCodec(warrantIdentifiedArgs, (a) => mrc.encodeFunctionData("warrant", [a.institution, a.wrappedKey])),
};
