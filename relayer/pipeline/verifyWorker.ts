import { parentPort } from "node:worker_threads";
import { parseSignatureJson, type VerifierArgs } from "../../src/mrs1";
import { nativePointDecoder, verifyForChainNative } from "../mrs1Native/verifyForChain";

/**
 * Worker thread: MRS-1 §Verification of one interchange-format signature, plus the on-chain verifier's
 * arguments and hints (they need the same point arithmetic, so computing both here keeps it off the event loop).
 * The point arithmetic is libsecp256k1's (relayer/mrs1Native), which gives src/mrs1's verdicts and hints.
 */
export interface VerifyTask {
  id: number;
  signature: unknown;
}
export type VerifyOutcome = { id: number; valid: true; verifierArgs: VerifierArgs } | { id: number; valid: false; reason: string; detail: string };

function run(task: VerifyTask): VerifyOutcome {
  const parsed = parseSignatureJson(task.signature, nativePointDecoder());
  if (!parsed.ok) return { id: task.id, valid: false, reason: parsed.reason, detail: parsed.detail };
  const { verdict, args } = verifyForChainNative(parsed.signature);
  if (!verdict.valid) return { id: task.id, valid: false, reason: verdict.reason, detail: verdict.detail };
  return { id: task.id, valid: true, verifierArgs: args! };
}

parentPort?.on("message", (task: VerifyTask) => {
  let outcome: VerifyOutcome;
  try {
    outcome = run(task);
  } catch (err) {
    // A throw here is a bug in the caller or the module (or a missing native binding, which the relayer's
    // start-up check rules out), not bad data: bad data gets a verdict.
    outcome = { id: task.id, valid: false, reason: "internal", detail: (err as Error).message };
  }
  parentPort!.postMessage(outcome);
});
