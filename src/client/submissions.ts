/**
 * Bodies of POST /v1/submissions (src/api/schemas.ts `submissionRequest`), built the way docs/design.md#anonymous-actions
 * says: the action's EIP-712 digest (src/actions) is the MRS-1 message, signed with a ring of
 * the patient's key and decoys; or, for identified actions, the owner's EIP-712 ERC-2771 ForwardRequest.
 */
import { Wallet, type TypedDataDomain } from "ethers";
import { FORWARD_REQUEST_TYPES, RING_ACTION_PRIMARY_TYPE, ringActionDigest, signWithRing, type RingSigner } from "../actions";
import type { RingAction } from "../api";
import { encodeSignatureJson, type Point } from "../mrs1";
import type { SubmissionBody } from "./relayerClient";

/**
 * Signs `action` (nonce and deadline bound into the digest) with `ring` (MRS-1 canonical order, containing the
 * signer's key) and returns the submission body.
 */
export function ringSubmission(
  action: RingAction,
  signer: RingSigner,
  ring: readonly Point[],
  nonce: bigint,
  deadline: bigint,
  domain: TypedDataDomain,
): SubmissionBody {
  const digest = ringActionDigest(domain, RING_ACTION_PRIMARY_TYPE[action.kind], { ...action.args, nonce, deadline });
  const signature = signWithRing(signer, ring, action.args.scope, digest);
  return {
    action: { kind: action.kind, args: { ...action.args } },
    authorization: { type: "ring", signature: encodeSignatureJson(signature), nonce: nonce.toString(), deadline: deadline.toString() },
  };
}

/** An owner's call for the forwarder: `to` with `data`, at most `gas`, valid until `deadline` (uint48). */
export interface ForwardCall {
  to: string;
  data: string;
  gas: bigint;
  nonce: bigint;
  deadline: bigint;
}

/** Signs the ERC-2771 ForwardRequest for `call` with the owner's account key; the relayer submits it with `execute`. */
export async function identifiedSubmission(
  kind: string,
  args: Record<string, unknown>,
  owner: Wallet,
  call: ForwardCall,
  domain: TypedDataDomain,
): Promise<SubmissionBody> {
  const request = { from: owner.address, to: call.to, value: 0n, gas: call.gas, nonce: call.nonce, deadline: call.deadline, data: call.data };
  const signature = await owner.signTypedData(domain, FORWARD_REQUEST_TYPES, request);
  return {
    action: { kind, args },
    authorization: {
      type: "eip712",
      request: { ...request, value: "0", gas: call.gas.toString(), nonce: call.nonce.toString(), deadline: call.deadline.toString() },
      signature,
    },
  };
}
