/**
 * Serial costs of the steps of one valid ring-16 submission, each measured alone with no load (bench/relayer.ts):
 * the verify worker's task, ABI encoding, the node's calls, ring-membership reads and a SQLite insert.
 */
import path from "node:path";
import { ethers } from "ethers";
import { parseSignatureJson, verifyForChain, type VerifierArgs } from "../../src/mrs1";
import { nativePointDecoder, verifyForChainNative } from "../../relayer/mrs1Native/verifyForChain";
import { acceptingVerifierOverride } from "../../relayer/chain/verifierStub";
import { createRecord } from "../../relayer/codecs/createRecord";
import { openStores } from "../../relayer/store";
import { median } from "./load";
import type { Body, World } from "./setup";

const timed = async <T>(fn: () => Promise<T> | T): Promise<[T, number]> => {
  const t = performance.now();
  const v = await fn();
  return [v, performance.now() - t];
};

export type StepProfile = Awaited<ReturnType<typeof profile>>;

/** Serial costs of one valid ring-16 submission's steps, each measured alone (no load). */
export async function profile(w: World, body: Body, forged: Body, dataDir: string, relayerAddress: string, verifierAddress: string) {
  const json = body.authorization.signature;
  // What a verify worker runs per submission (relayer/pipeline/verifyWorker.ts): parse with libsecp256k1's decoder,
  // verify and build the hints in one pass; and the same task on a forged signature, which it refuses.
  const workerTask = (signature: unknown) => {
    const parsed = parseSignatureJson(signature, nativePointDecoder());
    if (!parsed.ok) throw new Error(parsed.detail);
    return verifyForChainNative(parsed.signature);
  };
  const workerMsRuns: number[] = [];
  const forgedMsRuns: number[] = [];
  let verifierArgs: VerifierArgs | undefined;
  for (let i = 0; i < 15; i++) {
    const [result, ms] = await timed(() => workerTask(json));
    verifierArgs = result.args;
    workerMsRuns.push(ms);
    const [refused, forgedMs] = await timed(() => workerTask(forged.authorization.signature));
    if (refused.verdict.valid) throw new Error("profile: the forged signature verified");
    forgedMsRuns.push(forgedMs);
  }
  if (verifierArgs === undefined) throw new Error("profile: the benchmark's own signature did not verify");
  // src/mrs1 (noble), the reference the workers used before libsecp256k1, for scale.
  const parsedReference = parseSignatureJson(json);
  if (!parsedReference.ok) throw new Error(parsedReference.detail);
  const referenceRuns: number[] = [];
  for (let i = 0; i < 3; i++) referenceRuns.push((await timed(() => verifyForChain(parsedReference.signature)))[1]);
  const referenceMs = median(referenceRuns);
  const a = body.action.args;
  const auth = { signature: verifierArgs.sig, hints: verifierArgs.hints, nonce: 0n, deadline: BigInt(body.authorization.deadline as string) };
  const calldataRuns: number[] = [];
  for (let i = 0; i < 15; i++) calldataRuns.push((await timed(() => createRecord.ring!.calldata(a, auth, w.ctx)))[1]);
  const calldataMs = median(calldataRuns);
  const data = createRecord.ring!.calldata(a, auth, w.ctx);
  const tx = { from: relayerAddress, to: w.ctx.registryAddress, data };
  // The acceptance simulation: eth_call of the exact transaction with the accepting stub at the verifier's address.
  const stubMs: number[] = [];
  for (let i = 0; i < 15; i++) stubMs.push((await timed(() => w.provider.send("eth_call", [tx, "latest", acceptingVerifierOverride(verifierAddress)])))[1]);
  const estimateMs: number[] = [];
  const callMs: number[] = [];
  let gas = 0n;
  for (let i = 0; i < 3; i++) {
    const [g, ms] = await timed(() => w.provider.estimateGas(tx));
    gas = g;
    estimateMs.push(ms);
    callMs.push((await timed(() => w.provider.call({ ...tx, gasLimit: (g * 120n) / 100n })))[1]);
  }
  const ring = parsedReference.signature.ring.map((p) => p.toAffine());
  const membershipMs = (await timed(() => Promise.all(ring.map((p) => w.ctx.registry.isRingMember(p.x, p.y)))))[1];
  const { jobs: store, close } = await openStores({ kind: "sqlite", dataDir: path.join(dataDir, "profile") });
  const insertMs: number[] = [];
  for (let i = 0; i < 50; i++) {
    const id = ethers.keccak256(ethers.toUtf8Bytes(`profile-${i}`));
    insertMs.push(
      (
        await timed(() =>
          store.insertJob(
            { id, kind: "createRecord", authType: "ring", to: tx.to, data, gasEstimate: gas, deadline: 1, replayKeys: [id], principal: id },
            Date.now(),
          ),
        )
      )[1],
    );
  }
  await close();
  return {
    /** The verify worker's task for a valid ring-16 signature: parse, MRS-1 verification and hints (libsecp256k1). */
    mrs1VerifyForChainMs: median(workerMsRuns),
    /** The same task for a forged signature (c_1 + 1): the verify time a forgery costs before it is refused. */
    mrs1VerifyForgedMs: median(forgedMsRuns),
    /** src/mrs1's verifyForChain (noble), for scale. */
    mrs1ReferenceMs: referenceMs,
    calldataEncodeMs: calldataMs,
    nodeStubbedCallMs: median(stubMs),
    nodeEstimateGasMs: median(estimateMs),
    nodeEthCallMs: median(callMs),
    ringMembershipReadsUncachedMs: membershipMs,
    sqliteInsertFsyncMs: median(insertMs),
    gasEstimate: Number(gas),
    calldataBytes: (data.length - 2) / 2,
  };
}
