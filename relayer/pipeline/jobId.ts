import { ParamType, keccak256 } from "ethers";
import { encodeParams } from "../chain/abiEncode";

/** Domain tag of job ids, so that they never collide with any other hash in the system. */
const JOB_ID_TAG = "medring-relayer/job/v1";
const JOB_ID_TYPES = ["string", "uint256", "address", "bytes32", "bytes32"].map((t) => ParamType.from(t));

/**
 * The job id: keccak256(abi.encode(tag, chainId, target, digest, principal)). `digest` is what the authorisation
 * signed (the MRS-1 message, or the forwarder's EIP-712 ForwardRequest digest), which already binds the action,
 * its arguments, the nonce and the deadline; `principal` is the key image hash or the signing account. The same
 * signed request therefore always maps to the same id, and so does a second signature by the same key over the
 * same action and nonce (which the contract would execute at most once anyway).
 */
export function jobId(chainId: bigint, target: string, digest: string, principal: string): string {
  return keccak256("0x" + encodeParams(JOB_ID_TYPES, [JOB_ID_TAG, chainId, target, digest, principal]));
}
