import type { z } from "zod";
import { RING_ACTION_PRIMARY_TYPE, medRingDomain, ringActionDigest, type RingActionKind } from "../../src/actions";
import type { RingActionCodec } from "./types";

/**
 * A ring codec from what differs per action: its `args` schema, whether it creates its record, and its calldata.
 * What every ring action shares is written once here: the MRS-1 scope is the record's scope, and the MRS-1 message
 * is the action's EIP-712 digest with the nonce and deadline (IMedRingRegistry: hashCreateRecord / hashWarrant /
 * hashUnwarrant; docs/design.md#anonymous-actions).
 */
export function ringCodec<A extends { scope: string }>(
  kind: RingActionKind,
  args: z.ZodType<A>,
  parts: Pick<RingActionCodec<A>, "createsRecord" | "calldata">,
): RingActionCodec<A> {
  const primaryType = RING_ACTION_PRIMARY_TYPE[kind];
  return {
    ...parts,
    args,
    scope: (a) => a.scope,
    digest: (a, nonce, deadline, ctx) => ringActionDigest(medRingDomain(ctx.chainId, ctx.registryAddress), primaryType, { ...a, nonce, deadline }),
  };
}
