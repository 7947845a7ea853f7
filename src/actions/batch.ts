/**
 * One ring-authorised action as an element of `IMedRingRegistry.executeRingActions` (MedRingTypes.RingActionRequest):
 * the arguments of the matching single-action function in one shape for every kind, fields of other kinds empty.
 * Used by the relayer to batch jobs and by the tests and benchmarks.
 */
import { ZeroAddress, ZeroHash } from "ethers";
import type { RingAction } from "../api";
import type { RingAuthorizationArgs } from "./ringAuthorization";
import type { RingActionType } from "./typedData";

/** RingAction (MedRingTypes.sol): the enum's order. */
export const RING_ACTION_INDEX = { createRecord: 0, warrant: 1, unwarrant: 2 } as const satisfies Record<RingAction["kind"], number>;
export type RingActionKind = keyof typeof RING_ACTION_INDEX;

/** The EIP-712 primary type each kind's signature covers (IMedRingRegistry NatSpec). */
export const RING_ACTION_PRIMARY_TYPE: Record<RingActionKind, RingActionType> = { createRecord: "CreateRecord", warrant: "Warrant", unwarrant: "Unwarrant" };

export interface RingActionRequestArgs {
  action: number;
  scope: string;
  contentHash: string;
  locator: string;
  ciphertext: string;
  institution: string;
  wrappedKey: string;
  auth: RingAuthorizationArgs;
}

/** The batch element of `action` authorised by `auth`. */
export function ringActionRequest(action: RingAction, auth: RingAuthorizationArgs): RingActionRequestArgs {
  const empty = { contentHash: ZeroHash, locator: "0x", ciphertext: "0x", institution: ZeroAddress, wrappedKey: "0x" };
  return { ...empty, ...action.args, action: RING_ACTION_INDEX[action.kind], auth };
}
