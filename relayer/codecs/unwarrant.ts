import { encodeFunctionCall } from "../chain/abiEncode";
import { unwarrantIdentifiedArgs, unwarrantRingArgs } from "../../src/api";
import { mrc, recordCodec } from "./recordTarget";
import { ringCodec } from "./ringCodec";
import type { ActionCodec } from "./types";

/** Paper Protocol 2, `unwarrant`: revoke an institution; the MRC removes the record from its ALC in the same transaction. */
export const unwarrant: ActionCodec = {
  kind: "unwarrant",
  ring: ringCodec("unwarrant", unwarrantRingArgs, {
    createsRecord: false,
    calldata: (a, auth, ctx) => encodeFunctionCall(ctx.registry.interface, "unwarrantAnonymous", [a.scope, a.institution, auth]),
  }),
  identified: recordCodec(unwarrantIdentifiedArgs, (a) => mrc.encodeFunctionData("unwarrant", [a.institution])),
};
