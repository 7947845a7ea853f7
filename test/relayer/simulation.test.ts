import { expect } from "chai";
import path from "node:path";
import { ethers } from "hardhat";
import { JsonRpcProvider } from "ethers";
import { generateKeyPair, sign, sortRing, toVerifierArgs, type Point } from "../../src/mrs1";
import { ACCEPTING_VERIFIER_CODE, ACCEPTING_VERIFIER_RESULT, acceptingVerifierOverride, nodeAppliesStateOverrides } from "../../relayer/chain/verifierStub";
import { RevertDecoder } from "../../src/chain/revertDecoder";
import { revertDecoderFromArtifacts } from "../../src/chain/artifactReverts";
import { checkBeforeSending, GasEstimateCache } from "../../relayer/pipeline/simulate";
import { IRingVerifier__factory } from "../../typechain-types";
import type { RunningRelayer } from "../../relayer/server";
import { deployChain, freshScope, get, post, ringCreateRecord, startTestRelayer, waitFor, type Chain, type LogCapture } from "./helpers/fixture";
import { NoOverrideProxy } from "./helpers/noOverrideProxy";

const REVERTS = revertDecoderFromArtifacts(path.join(__dirname, "..", "..", "artifacts"));

describe("relayer acceptance simulation with the verifier stubbed", function () {
  let chain: Chain;
  let verifier: string;
  let relayerFrom: string;
  /** A plain ethers JSON-RPC provider over HTTP, as the relayer has (its errors are what the relayer decodes). */
  let rpc: JsonRpcProvider;

  before(async function () {
    chain = await deployChain(10);
    rpc = new JsonRpcProvider(chain.rpcUrl, undefined, { staticNetwork: true, batchMaxCount: 1, cacheTimeout: -1 });
    verifier = await chain.registry.verifier();
    relayerFrom = (await ethers.getSigners())[0].address;
  });
  after(async function () {
    rpc?.destroy();
    await chain?.close();
  });

  /** Calldata of createRecordAnonymous signed by patient 0, with the real verifier arguments; `forged` breaks e_0. */
  async function createCall(o: { nonce?: bigint; deadline?: bigint; ring?: Point[]; scope?: string; forged?: boolean } = {}) {
    const scope = o.scope ?? freshScope();
    const ciphertext = ethers.hexlify(ethers.randomBytes(48));
    const contentHash = ethers.keccak256(ciphertext);
    const nonce = o.nonce ?? 0n;
    const deadline = o.deadline ?? BigInt((await ethers.provider.getBlock("latest"))!.timestamp) + 3600n;
    const message = await chain.registry.hashCreateRecord(scope, contentHash, "0x", ciphertext, nonce, deadline);
    const ring = o.ring ?? sortRing(chain.patients.slice(0, 8).map((p) => p.publicKey));
    const args = toVerifierArgs(sign({ secretKey: chain.patients[0].secretKey, ring, scope: ethers.getBytes(scope), message: ethers.getBytes(message) }));
    if (o.forged) args.sig.e[0] = args.sig.e[0] ^ 1n;
    const auth = { signature: args.sig, hints: args.hints, nonce, deadline };
    return {
      to: await chain.registry.getAddress(),
      data: chain.registry.interface.encodeFunctionData("createRecordAnonymous", [scope, contentHash, "0x", ciphertext, auth]),
      verifierData: IRingVerifier__factory.createInterface().encodeFunctionData("tryVerify", [args.scope, args.message, args.sig, args.hints]),
    };
  }

  /** eth_call from the relayer's account, with or without the stub; the decoded custom error, or "ok". */
  async function outcome(call: { to: string; data: string }, stubbed: boolean): Promise<string> {
    const params: unknown[] = [{ from: relayerFrom, to: call.to, data: call.data }, "latest"];
    if (stubbed) params.push(acceptingVerifierOverride(verifier));
    try {
      await rpc.send("eth_call", params);
      return "ok";
    } catch (err) {
      return REVERTS.decode(RevertDecoder.revertData(err));
    }
  }

  it("the stub's ten bytes answer tryVerify with abi.encode(true, Reason.None)", async function () {
    expect(ACCEPTING_VERIFIER_CODE).to.equal("0x600160005260406000f3");
    const call = await createCall({ forged: true });
    const verifierInterface = IRingVerifier__factory.createInterface();
    const real = verifierInterface.decodeFunctionResult("tryVerify", await rpc.send("eth_call", [{ to: verifier, data: call.verifierData }, "latest"]));
    expect([real[0], Number(real[1])]).to.deep.equal([false, 8]); // Reason.CommitmentMismatch: e_0 was changed
    const stubbed = await rpc.send("eth_call", [{ to: verifier, data: call.verifierData }, "latest", acceptingVerifierOverride(verifier)]);
    expect(stubbed).to.equal(ACCEPTING_VERIFIER_RESULT);
    const decoded = verifierInterface.decodeFunctionResult("tryVerify", stubbed);
    expect([decoded[0], Number(decoded[1])]).to.deep.equal([true, 0]);
    expect(await nodeAppliesStateOverrides(rpc, verifier)).to.equal(true);
  });

  it("with the stub in place the registry accepts a forged signature, so the stub (not the verifier) is what runs", async function () {
    const forged = await createCall({ forged: true });
    expect(await outcome(forged, false)).to.equal("RegistrySignatureInvalid(8)");
    expect(await outcome(forged, true)).to.equal("ok");
    const valid = await createCall();
    expect(await outcome(valid, false)).to.equal("ok");
    expect(await outcome(valid, true)).to.equal("ok");
  });

  it("with the stub in place every other check of the registry still runs: deadline, ring policy and membership, nonce, record state", async function () {
    const latest = BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
    const outsider = generateKeyPair().publicKey;
    const executed = await ringCreateRecord(chain, chain.patients[0]);
    const { relayer } = await startTestRelayer(chain);
    try {
      const res = await post(`${relayer.url}/v1/submissions`, executed);
      expect(res.status, res.text).to.equal(202);
      await waitFor(async () => ((await get(`${relayer.url}/v1/submissions/${res.json.id}`)).json.status === "confirmed" ? true : undefined));
    } finally {
      await relayer.stop();
    }
    const cases: [string, Parameters<typeof createCall>[0], RegExp][] = [
      ["an expired deadline", { deadline: latest - 1n }, /^RegistryDeadlineExpired\(/],
      ["a ring below the policy minimum", { ring: sortRing(chain.patients.slice(0, 2).map((p) => p.publicKey)) }, /^RegistryRingTooSmall\(2, /],
      [
        "a member that is not registered",
        { ring: sortRing([...chain.patients.slice(0, 7).map((p) => p.publicKey), outsider]) },
        /^RegistryRingMemberNotRegistered\(/,
      ],
      ["a nonce ahead of the record's", { nonce: 1n }, /^RegistryNonceMismatch\(0x[0-9a-f]{64}, 0, 1\)$/],
      [
        "the nonce of an executed record",
        { scope: executed.action.args.scope, ring: sortRing(chain.patients.slice(0, 8).map((p) => p.publicKey)) },
        /^RegistryNonceMismatch\(0x[0-9a-f]{64}, 1, 0\)$/,
      ],
    ];
    for (const [what, o, expected] of cases) {
      for (const forged of [false, true]) {
        const call = await createCall({ ...o, forged });
        expect(await outcome(call, true), `${what}, stubbed, forged=${forged}`).to.match(expected);
      }
      expect(await outcome(await createCall(o), false), `${what}, real verifier`).to.match(expected);
    }
  });

  it("the relayer stubs the verifier when the node applies overrides, and checks the nonce through the simulation", async function () {
    const { relayer, logs } = await startTestRelayer(chain);
    try {
      expect(relayer.ctx.pipeline.verifierStub.active).to.equal(true);
      expect(logs.text).to.include("acceptance simulations stub the verifier");
      const body = await ringCreateRecord(chain, chain.patients[1]);
      const res = await post(`${relayer.url}/v1/submissions`, body);
      expect(res.status, res.text).to.equal(202);
      await waitFor(async () => ((await get(`${relayer.url}/v1/submissions/${res.json.id}`)).json.status === "confirmed" ? true : undefined));
      // A record created on chain without this relayer (so no job holds its slot): only the simulation sees its nonce spent.
      const scope = freshScope();
      const direct = await createCall({ scope });
      await (await (await ethers.getSigners())[1].sendTransaction({ to: direct.to, data: direct.data })).wait();
      const replay = await post(`${relayer.url}/v1/submissions`, await ringCreateRecord(chain, chain.patients[0], { scope }));
      expect([replay.status, replay.json.error.code]).to.deep.equal([409, "replay"]);
      expect(replay.json.error.message).to.equal("record nonce 0 was already used (next is 1)");
    } finally {
      await relayer.stop();
    }
  });

  /** A relayer behind a NoOverrideProxy (refusing overrides from the start or not); both are stopped afterwards. */
  async function behindProxy(refuseOverrides: boolean, test: (relayer: RunningRelayer, proxy: NoOverrideProxy, logs: LogCapture) => Promise<void>) {
    const proxy = new NoOverrideProxy(chain.rpcUrl, refuseOverrides);
    await proxy.start();
    const { relayer, logs } = await startTestRelayer({ ...chain, rpcUrl: proxy.url });
    try {
      await test(relayer, proxy, logs);
    } finally {
      await relayer.stop();
      await proxy.stop();
    }
  }

  it("behind a node without state overrides the relayer runs the full simulation from the start", async function () {
    await behindProxy(true, async (relayer, proxy, logs) => {
      expect(relayer.ctx.pipeline.verifierStub.active).to.equal(false);
      expect(logs.text).to.include("the node applies no state overrides");
      const refusedAtStart = proxy.refused;
      expect(refusedAtStart).to.equal(1); // the probe
      const res = await post(`${relayer.url}/v1/submissions`, await ringCreateRecord(chain, chain.patients[2]));
      expect(res.status, res.text).to.equal(202);
      expect(proxy.refused).to.equal(refusedAtStart); // no stubbed call was tried
      await waitFor(async () => ((await get(`${relayer.url}/v1/submissions/${res.json.id}`)).json.status === "confirmed" ? true : undefined));
    });
  });

  it("falls back to the full simulation the first time the node refuses an override set, and still accepts the request", async function () {
    await behindProxy(false, async (relayer, proxy, logs) => {
      expect(relayer.ctx.pipeline.verifierStub.active).to.equal(true);
      proxy.refuseOverrides = true;
      const res = await post(`${relayer.url}/v1/submissions`, await ringCreateRecord(chain, chain.patients[3]));
      expect(res.status, res.text).to.equal(202);
      expect(proxy.refused).to.equal(1);
      expect(relayer.ctx.pipeline.verifierStub.active).to.equal(false);
      expect(logs.text).to.include("the node refused an eth_call state override");
      const next = await post(`${relayer.url}/v1/submissions`, await ringCreateRecord(chain, chain.patients[4]));
      expect(next.status, next.text).to.equal(202);
      expect(proxy.refused).to.equal(1);
      for (const id of [res.json.id, next.json.id]) {
        await waitFor(async () => ((await get(`${relayer.url}/v1/submissions/${id}`)).json.status === "confirmed" ? true : undefined));
      }
    });
  });

  it("keeps the stub on through a transient error answer (a rate limit): retried and counted, the request accepted", async function () {
    await behindProxy(false, async (relayer, proxy) => {
      proxy.transientErrors = 2;
      const res = await post(`${relayer.url}/v1/submissions`, await ringCreateRecord(chain, chain.patients[5]));
      expect(res.status, res.text).to.equal(202);
      expect(proxy.transientErrors).to.equal(0);
      expect(relayer.ctx.pipeline.verifierStub.active).to.equal(true);
      expect((await relayer.ctx.metrics.verifierStubErrors.get()).values[0].value).to.equal(2);
      // Past the retries, the one request is simulated in full and still accepted; the stub stays on.
      proxy.transientErrors = 10;
      const next = await post(`${relayer.url}/v1/submissions`, await ringCreateRecord(chain, chain.patients[6]));
      expect(next.status, next.text).to.equal(202);
      expect(relayer.ctx.pipeline.verifierStub.active).to.equal(true);
      expect((await relayer.ctx.metrics.verifierStubErrors.get()).values[0].value).to.equal(5);
      proxy.transientErrors = 0;
      for (const id of [res.json.id, next.json.id]) {
        await waitFor(async () => ((await get(`${relayer.url}/v1/submissions/${id}`)).json.status === "confirmed" ? true : undefined));
      }
    });
  });

  it("before signing, a call that runs out of gas at its shape's estimate is signed with a full estimate, and a reverting one is refused", async function () {
    const p = { provider: rpc, revert: REVERTS, gasCache: new GasEstimateCache(), gasHeadroomPercent: 20 };
    const valid = await createCall();
    const tx = { from: relayerFrom, to: valid.to, data: valid.data };
    const full = await rpc.estimateGas(tx);
    const low = await checkBeforeSending(p, tx, 100_000n);
    expect(low).to.deep.equal({ ok: true, gasLimit: (full * 120n) / 100n });
    expect(p.gasCache.get(tx.to, tx.data)).to.equal(full);
    const forged = await createCall({ forged: true });
    expect(await checkBeforeSending(p, { ...tx, data: forged.data }, full)).to.deep.equal({ ok: false, reason: "RegistrySignatureInvalid(8)" });
  });
});
