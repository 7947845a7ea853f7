import type { z } from "zod";
import type { IMedRingRegistry } from "../../typechain-types";
import type { RingAuthorizationArgs } from "../../src/actions";

/**
 * The seam between the action-independent relayer (pipeline, store, submitter, HTTP) and the concrete
 * MedRing actions. An API action `{kind, args}` plus an authorisation maps, through its codec, to one
 * contract call; the codec also says what the authorisation must have signed.
 */

/** What codecs may read: the deployment and the chain it lives on. */
export interface ChainContext {
  chainId: bigint;
  registry: IMedRingRegistry;
  registryAddress: string;
  forwarderAddress: string;
}

/** An action authorised by an MRS-1 ring signature and executed by the registry (IMedRingRegistry, anonymous actions). */
export interface RingActionCodec<A> {
  args: z.ZodType<A>;
  /**
   * Whether the action creates its record: then the ring is new (policy and membership are checked); otherwise it
   * must be the record's creation ring (IMedRingRegistry "One ring per record").
   */
  createsRecord: boolean;
  /** The MRS-1 scope the signature must use: the record's scope. */
  scope(args: A): string;
  /** The EIP-712 digest the MRS-1 `message` must equal (IMedRingRegistry: hashCreateRecord / hashWarrant / hashUnwarrant). */
  digest(args: A, nonce: bigint, deadline: bigint, ctx: ChainContext): string;
  /** Calldata for the registry, with the ring-signature fields of `RingAuthorization` (MedRingTypes.sol). */
  calldata(args: A, auth: RingAuthorizationArgs, ctx: ChainContext): string;
}

/** An action the owner performs from its own account, forwarded through the ERC2771Forwarder. */
export interface IdentifiedActionCodec<A> {
  args: z.ZodType<A>;
  /**
   * The owner's call. Throws ApiError when the target is not a MedRing contract: the relayer pays only
   * for MedRing actions, never for arbitrary ERC-2771 calls.
   */
  call(args: A, ctx: ChainContext): Promise<{ to: string; data: string }>;
  /**
   * On-chain slots the action consumes besides the owner's forwarder nonce (a registration: its ring key and its
   * account), so that two requests that would collide on chain are never both accepted.
   */
  replayKeys?(args: A, from: string, ctx: ChainContext): string[];
  /** Deadlines inside the arguments (an admission's) that must leave the relayer's deadline margin. */
  deadlines?(args: A): bigint[];
  /**
   * The admitter whose quota the action spends (a registration's), if any: the relayer accepts it only while that
   * quota, counting registrations in flight, has room (pipeline/admissionQuota.ts), and a failure on chain
   * suspends the admitter rather than the fresh account (README "Security model: who can make the relayer pay").
   */
  admitter?(args: A): string;
}

export interface ActionCodec {
  kind: string;
  // The codecs' argument types differ per action; the registry keeps them behind this common shape.
  ring?: RingActionCodec<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  identified?: IdentifiedActionCodec<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}
