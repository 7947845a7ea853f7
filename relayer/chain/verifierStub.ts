import { AbiCoder, type JsonRpcProvider } from "ethers";
import { IRingVerifier__factory } from "../../typechain-types";
import { RevertDecoder } from "../../src/chain/revertDecoder";

/**
 * Runtime code that answers every call with `abi.encode(true, IRingVerifier.Reason.None)`: what `tryVerify` returns
 * for a valid signature. The relayer puts it at the verifier's address, through the state-override argument of
 * `eth_call`, for the acceptance simulation of a ring action whose MRS-1 signature it has already verified off chain
 * (pipeline step 4): the node then runs every other check of the exact transaction (deadline, ring policy and
 * membership, nonce, record state, the record's fixed ring) without re-running the 2.5 M-gas verification.
 *
 *   60 01   PUSH1 1      ok = true
 *   60 00   PUSH1 0
 *   52      MSTORE       memory[0:32] = ok
 *   60 40   PUSH1 64     two ABI words: ok, then reason
 *   60 00   PUSH1 0
 *   f3      RETURN       memory[0:64]; memory[32:64] was never written, so reason = 0 = Reason.None
 *
 * PUSH1 0 rather than PUSH0 (EIP-3855), so the stub also runs on chains before Shanghai.
 */
export const ACCEPTING_VERIFIER_CODE = "0x600160005260406000f3";

/** What the stub returns, ABI-encoded: (bool ok, uint8 reason) = (true, None). */
export const ACCEPTING_VERIFIER_RESULT = AbiCoder.defaultAbiCoder().encode(["bool", "uint8"], [true, 0]);

/** Geth's `eth_call` state-override set (third parameter) that replaces the verifier's code with the stub. */
export function acceptingVerifierOverride(verifier: string): Record<string, { code: string }> {
  return { [verifier]: { code: ACCEPTING_VERIFIER_CODE } };
}

/**
 * Whether the node applies `eth_call` state overrides. The probe calls `tryVerify` with empty arguments at the
 * verifier's address with the stub in place: only the stub answers (true, None); the real verifier reverts on
 * calldata that does not decode, and a node that ignores or refuses the override set answers that revert or an
 * error. A transport failure is thrown (the caller decides whether to retry); any answer of the node decides.
 */
export async function nodeAppliesStateOverrides(provider: JsonRpcProvider, verifier: string): Promise<boolean> {
  const data = IRingVerifier__factory.createInterface().getFunction("tryVerify").selector;
  try {
    const result = await provider.send("eth_call", [{ to: verifier, data }, "latest", acceptingVerifierOverride(verifier)]);
    return typeof result === "string" && result.toLowerCase() === ACCEPTING_VERIFIER_RESULT;
  } catch (err) {
    if (isRpcErrorAnswer(err) || RevertDecoder.revertData(err) !== undefined) return false;
    throw err;
  }
}

/**
 * Whether `err` is the node refusing the request itself (it answered with a JSON-RPC error that is no revert: e.g.
 * -32602 invalid params for an override set it does not support), as opposed to a revert, a transport failure or a
 * timeout. ethers turns every JSON-RPC error of `eth_call` into CALL_EXCEPTION; a revert carries revert data or says
 * "revert" in the node's message, a refusal does neither.
 */
export function isRpcErrorAnswer(err: unknown): boolean {
  const e = err as { code?: string; data?: unknown; error?: { code?: unknown; message?: unknown }; info?: { error?: { code?: unknown; message?: unknown } } };
  const answer = e.info?.error ?? e.error;
  if (typeof answer?.code !== "number") return false;
  const message = typeof answer.message === "string" ? answer.message : "";
  return !(e.code === "CALL_EXCEPTION" && (e.data != null || /revert/i.test(message)));
}

/**
 * Whether a JSON-RPC error answer (`isRpcErrorAnswer`) of a stubbed `eth_call` says that the node does not support the
 * state-override argument: invalid params (-32602, how clients answer an argument they do not know) or a message that
 * names the override or the extra argument. Anything else (a provider's rate limit, a busy or syncing node, an
 * internal error) says nothing about overrides: the stub stays on and the call is retried (pipeline/simulate.ts).
 */
export function overridesUnsupported(err: unknown): boolean {
  const e = err as { error?: { code?: unknown; message?: unknown }; info?: { error?: { code?: unknown; message?: unknown } } };
  const answer = e.info?.error ?? e.error;
  const message = typeof answer?.message === "string" ? answer.message : "";
  return answer?.code === -32602 || /override|too many arguments|invalid argument 2|unexpected (argument|param)/i.test(message);
}
