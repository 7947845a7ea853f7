/**
 * What every prepared action needs from the chain: the ring (policy, decoys, deadline, EIP-712 domain) for
 * ring-authorised actions, and the forwarder call (gas, nonce, deadline, domain) for identified ones.
 */
import { Wallet } from "ethers";
import { forwarderDomain, medRingDomain, type RingSigner } from "../actions";
import { bytesToHex } from "../hex";
import { publicKeyOf, sortRing, type Point } from "../mrs1";
import type { MedRingChain } from "./chain";
import { pickDecoys } from "./decoys";
import { ClientError } from "./errors";
import type { SubmissionBody } from "./relayerClient";
import { identifiedSubmission, ringSubmission, type RingAction } from "./submissions";

/** How long a signed action stays valid: one hour of chain time. */
export const ACTION_LIFETIME_SECONDS = 3600n;

/** A body ready for POST /v1/submissions (or for printing with --dry-run), with what the caller wants to show. */
export interface Prepared<T> {
  body: SubmissionBody;
  info: T;
}

/** Ring size: default the policy minimum (the smallest ring the registry accepts, hence the cheapest). */
async function ringSizeFor(chain: MedRingChain, requested: number | undefined): Promise<number> {
  const policy = await chain.ringPolicy();
  const size = requested ?? policy.min;
  if (!Number.isInteger(size) || size < policy.min || size > policy.max) {
    throw new ClientError("input", `ring size ${size} is outside the registry's policy [${policy.min}, ${policy.max}]`);
  }
  return size;
}

/**
 * The ring of a ring-authorised action: a new one for a record's creation (the signer's key and decoys drawn
 * uniformly from the anonymity set read from the chain, ./decoys.ts; size default = policy minimum), or the
 * record's fixed creation ring for every later action (IMedRingRegistry "One ring per record").
 */
export type RingChoice = { kind: "new"; size?: number } | { kind: "fixed"; ring: readonly Point[] };

async function ringFor(chain: MedRingChain, signer: RingSigner, choice: RingChoice): Promise<readonly Point[]> {
  if (choice.kind === "fixed") {
    if (!choice.ring.some((m) => m.equals(signer.publicKey))) throw new ClientError("input", "this key file's ring key is not in the record's ring");
    return choice.ring;
  }
  const size = await ringSizeFor(chain, choice.size);
  const members: Point[] = await chain.ringMembers();
  if (!members.some((m) => m.equals(signer.publicKey))) {
    throw new ClientError("input", "this key file's ring key is not registered: run `medring patient register` first");
  }
  return sortRing([signer.publicKey, ...pickDecoys(members, signer.publicKey, size - 1)]);
}

/** Signs a ring-authorised action with the ring of `choice`; deadline = latest block time + ACTION_LIFETIME_SECONDS. */
export async function prepareRingAction(
  chain: MedRingChain,
  ringKey: bigint,
  action: RingAction,
  nonce: bigint,
  choice: RingChoice,
): Promise<Prepared<{ ringSize: number }>> {
  const signer: RingSigner = { secretKey: ringKey, publicKey: publicKeyOf(ringKey) };
  const ring = await ringFor(chain, signer, choice);
  const deadline = (await chain.latestTimestamp()) + ACTION_LIFETIME_SECONDS;
  const body = ringSubmission(action, signer, ring, nonce, deadline, medRingDomain(chain.chainId, chain.registryAddress));
  return { body, info: { ringSize: ring.length } };
}

/**
 * Signs an identified action: the owner's ERC-2771 ForwardRequest calling `data` on `to`. Gas: the forwarded
 * call's estimate plus 25 % and 25,000 for the forwarder's own work; nonce: the forwarder's for the owner.
 */
export async function prepareIdentifiedAction(
  chain: MedRingChain,
  accountKey: Uint8Array,
  kind: string,
  args: Record<string, unknown>,
  to: string,
  data: string,
): Promise<SubmissionBody> {
  const owner = new Wallet(bytesToHex(accountKey));
  const [estimate, nonce, now] = await Promise.all([
    chain.estimateForwardedGas(owner.address, to, data),
    chain.forwarderNonce(owner.address),
    chain.latestTimestamp(),
  ]);
  const call = { to, data, gas: (estimate * 125n) / 100n + 25_000n, nonce, deadline: now + ACTION_LIFETIME_SECONDS };
  return identifiedSubmission(kind, args, owner, call, forwarderDomain(chain.chainId, chain.forwarderAddress));
}
