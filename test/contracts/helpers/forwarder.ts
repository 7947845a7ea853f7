/**
 * ERC-2771 meta-transactions through the MedRing forwarder: the owner signs an EIP-712 ForwardRequest
 * (OpenZeppelin ERC2771Forwarder, typed data from src/actions), any relayer submits it.
 */
import type { Signer } from "ethers";
import { FORWARD_REQUEST_TYPES, forwarderDomain } from "../../../src/actions";
import type { MedRingForwarder } from "../../../typechain-types";
import type { ERC2771Forwarder } from "../../../typechain-types/contracts/MedRingForwarder";

/** A ForwardRequestData signed by `from` (deadline one hour after the latest block unless given). */
export async function signForwardRequest(
  forwarder: MedRingForwarder,
  from: Signer,
  to: string,
  data: string,
  options: { gas?: bigint; deadline?: bigint; signAs?: Signer } = {},
): Promise<ERC2771Forwarder.ForwardRequestDataStruct> {
  const provider = forwarder.runner!.provider!;
  const { chainId } = await provider.getNetwork();
  const latest = await provider.getBlock("latest");
  const fromAddress = await from.getAddress();
  const request = {
    from: fromAddress,
    to,
    value: 0n,
    gas: options.gas ?? 1_000_000n,
    nonce: await forwarder.nonces(fromAddress),
    deadline: options.deadline ?? BigInt(latest!.timestamp + 3600),
    data,
  };
  const domain = forwarderDomain(chainId, await forwarder.getAddress());
  const signature = await (options.signAs ?? from).signTypedData(domain, FORWARD_REQUEST_TYPES, request);
  const { nonce: _nonce, ...withoutNonce } = request;
  return { ...withoutNonce, signature };
}
