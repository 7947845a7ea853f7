import { createHmac } from "node:crypto";
import { ParamType, getBytes } from "ethers";
import { encodeParams } from "../chain/abiEncode";

/** Domain tag of job ids, so that they never collide with any other hash in the system. */
const JOB_ID_TAG = "medring-relayer/job/v2";
const JOB_ID_TYPES = ["string", "uint256", "address", "bytes32", "bytes32"].map((t) => ParamType.from(t));

/**
 * The job id: HMAC-SHA256 under the relayer's secret `key` of abi.encode(tag, chainId, target, digest, principal).
 * `digest` is what the authorisation signed (the MRS-1 message, or the forwarder's EIP-712 ForwardRequest digest),
 * which already binds the action, its arguments, the nonce and the deadline; `principal` is the key image hash or the
 * signing account. The same signed request therefore always maps to the same id under one key (a resubmission is
 * idempotent, also on another instance given the same key), while nobody without the key can compute an id from the
 * calldata on chain and ask the relayer when the action arrived (README, security model: no public timing).
 */
export function jobId(key: string, chainId: bigint, target: string, digest: string, principal: string): string {
  const preimage = getBytes("0x" + encodeParams(JOB_ID_TYPES, [JOB_ID_TAG, chainId, target, digest, principal]));
  return "0x" + createHmac("sha256", getBytes(key)).update(preimage).digest("hex");
}
