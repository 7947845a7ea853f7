/**
 * What every prepared action needs from the chain: the ring (policy, decoys, deadline, EIP-712 domain) for
 * ring-authorised actions, checked by the anonymity guard, and the forwarder call (gas, nonce, deadline, domain)
 * for identified ones.
 */
import { Wallet } from "ethers";
import { forwarderDomain, medRingDomain, type RingSigner } from "../actions";
import { bytesToHex } from "../hex";
import { parsePoint, publicKeyOf, sortRing, type Point } from "../mrs1";
import type { AnonymityGuard } from "./anonymityGuard";
import type { MedRingChain } from "./chain";
import { pickDecoys } from "./decoys";
import { ringPool, type Cohort } from "./ringPool";
import { ClientError } from "./errors";
import type { SubmissionBody } from "./relayerClient";
import { identifiedSubmission, ringSubmission } from "./submissions";
import type { RingAction } from "../api";

/** How long a signed action stays valid: one hour of chain time. */
export const ACTION_LIFETIME_SECONDS = 3600n;

/** A body ready for POST /v1/submissions (or for printing with --dry-run), with what the caller wants to show. */
export interface Prepared<T> {
  body: SubmissionBody;
  info: T;
}

/** What a ring-authorised action needs: chain reads, and the guard that checks what they say (./anonymityGuard.ts). */
export interface RingContext {
  chain: MedRingChain;
  guard: AnonymityGuard;
}

/**
 * Ring size: default the larger of the policy minimum (the smallest ring the registry accepts, hence the cheapest)
 * and the client's floor. The policy comes from the RPC node, so it only ever raises the size: a policy whose
 * maximum is below the floor is refused, never followed.
 */
async function ringSizeFor({ chain, guard }: RingContext, requested: number | undefined): Promise<number> {
  const policy = await chain.ringPolicy();
  if (policy.max < guard.floor) {
    throw new ClientError(
      "anonymity",
      `the ring policy [${policy.min}, ${policy.max}] (as the RPC node reports it) allows no ring of this client's floor of ${guard.floor}; refusing to sign`,
    );
  }
  const size = requested ?? Math.max(policy.min, guard.floor);
  guard.requireFloor(size, "the requested ring");
  if (!Number.isInteger(size) || size < policy.min || size > policy.max) {
    throw new ClientError("input", `ring size ${size} is outside the registry's policy [${policy.min}, ${policy.max}]`);
  }
  return size;
}

/**
 * The ring of a ring-authorised action: a new one for a record's creation (the signer's key and decoys drawn
 * uniformly from the signer's cohort of the checked anonymity set, ./ringPool.ts, ./decoys.ts; size default = the
 * policy minimum, at least the floor), or the record's fixed creation ring for every later action
 * (IMedRingRegistry "One ring per record"), checked by the guard. A scope that was signed in before keeps its ring.
 */
export type RingChoice = { kind: "new"; size?: number } | { kind: "fixed"; recordId: string; ring: readonly Point[] };

async function ringFor(context: RingContext, signer: RingSigner, scope: string, choice: RingChoice): Promise<{ ring: readonly Point[]; cohort?: Cohort }> {
  const { guard } = context;
  const isSigner = (m: Point) => m.equals(signer.publicKey);
  if (choice.kind === "fixed") {
    if (!choice.ring.some(isSigner)) throw new ClientError("input", "this key file's ring key is not in the record's ring");
    await guard.checkRecordRing(choice.recordId, scope, choice.ring);
    return { ring: choice.ring };
  }
  const saved = await guard.ringOfScope(scope);
  if (saved !== undefined) {
    // A signature over this scope may already be out (a refused or interrupted attempt): sign with the same ring.
    const ring = saved.map((hex, i) => parsePoint(hex, `saved ring member ${i}`));
    if (!ring.some(isSigner)) throw new ClientError("integrity", `the ring saved for scope ${scope} does not contain this key file's ring key`);
    if (choice.size !== undefined && choice.size !== ring.length) {
      throw new ClientError(
        "input",
        `scope ${scope} was already signed with a ring of ${ring.length}; it keeps that ring (omit --ring-size or give ${ring.length})`,
      );
    }
    guard.requireFloor(ring.length, "the ring saved for this scope");
    return { ring };
  }
  const size = await ringSizeFor(context, choice.size);
  const members = await guard.members();
  const self = members.find((m) => isSigner(m.key));
  if (self === undefined) throw new ClientError("input", "this key file's ring key is not registered: run `medring patient register` first");
  const { pool, cohort } = ringPool(members, self, size);
  const ring = sortRing([
    signer.publicKey,
    ...pickDecoys(
      pool.map((m) => m.key),
      signer.publicKey,
      size - 1,
    ),
  ]);
  await guard.rememberRing(scope, ring);
  return { ring, cohort };
}

/**
 * Signs a ring-authorised action with the ring of `choice`; deadline = latest block time + ACTION_LIFETIME_SECONDS.
 * The ring is saved for the action's scope before the signature exists (./anonymityGuard.ts).
 */
export async function prepareRingAction(
  context: RingContext,
  ringKey: bigint,
  action: RingAction,
  nonce: bigint,
  choice: RingChoice,
): Promise<Prepared<{ ringSize: number; cohort?: Cohort }>> {
  const { chain } = context;
  const signer: RingSigner = { secretKey: ringKey, publicKey: publicKeyOf(ringKey) };
  const { ring, cohort } = await ringFor(context, signer, action.args.scope, choice);
  const deadline = (await chain.latestTimestamp()) + ACTION_LIFETIME_SECONDS;
  const body = ringSubmission(action, signer, ring, nonce, deadline, medRingDomain(chain.chainId, chain.registryAddress));
  return { body, info: { ringSize: ring.length, ...(cohort === undefined ? {} : { cohort }) } };
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
