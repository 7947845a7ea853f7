import { randomBytes } from "node:crypto";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { Contract, Wallet, type TypedDataDomain } from "ethers";
import { PROJECT_ROOT } from "../src/projectRoot";
import { IMedRingRegistry__factory } from "../typechain-types";
import { resolveSignerKeys, type RelayerConfig } from "./config";
import { ChainView } from "./chain/chainView";
import { readDeployment } from "./chain/deployment";
import { OnChainRevertExplainer } from "./chain/onChainRevert";
import { revertDecoderFromArtifacts } from "../src/chain/artifactReverts";
import { connectRpc } from "./chain/rpc";
import { nodeAppliesStateOverrides } from "./chain/verifierStub";
import { createApp } from "./http/app";
import { serverTimeouts } from "./http/serverTimeouts";
import { createMetricsServer } from "./http/metricsServer";
import type { AppContext } from "./http/context";
import type { Logger } from "./logger";
import { createRelayerMetrics } from "./metrics";
import { assertNativeVerifier } from "./mrs1Native/startupCheck";
import { GasEstimateCache, VerifierStubMode } from "./pipeline/simulate";
import { VerifyPool } from "./pipeline/verifyPool";
import type { PipelineDeps } from "./pipeline/types";
import { openStores } from "./store";
import { SignerLane } from "./submitter/lane";
import { Submitter } from "./submitter/submitter";

// The OpenZeppelin forwarder ABI ships with @openzeppelin/contracts; it is the contract the deployment uses unmodified.
import ForwarderArtifact from "@openzeppelin/contracts/build/contracts/ERC2771Forwarder.json";

export const RELAYER_VERSION = "0.1.0";

export interface RunningRelayer {
  url: string;
  /** The private /metrics listener (relayer/http/metricsServer.ts). */
  metricsUrl: string;
  ctx: AppContext;
  submitter: Submitter;
  stop(): Promise<void>;
}

/**
 * Builds and starts the relayer: the native MRS-1 check, RPC, deployment, store, signer lanes (reconciled with
 * the chain), the submitter loop and the HTTP server. `stop` shuts everything down in reverse order.
 */
export async function startRelayer(
  config: RelayerConfig,
  log: Logger,
  opts: { artifactsDir?: string; startSubmitter?: boolean; secp256k1PackageDir?: string } = {},
): Promise<RunningRelayer> {
  // Before anything else: MRS-1 verification in the workers needs the native libsecp256k1, never its JS fall-back.
  assertNativeVerifier(opts.secp256k1PackageDir);
  const { provider, chainId } = await connectRpc(config.rpcUrl, { attempts: 30, delayMs: 1_000, timeoutMs: config.rpcTimeoutMs });
  const deployment = readDeployment(config.deploymentFile);
  if (deployment.chainId !== chainId) {
    throw new Error(`deployment file ${config.deploymentFile} is for chain ${deployment.chainId}, the RPC endpoint is chain ${chainId}`);
  }
  const keys = resolveSignerKeys(config, chainId);
  const stores = await openStores(config.store, {
    onPoolError: (err) => log.warn({ err: { message: err.message } }, "job store connection lost; it is reopened on the next query"),
  });
  const metrics = createRelayerMetrics();
  const revert = revertDecoderFromArtifacts(opts.artifactsDir ?? path.join(PROJECT_ROOT, "artifacts"));
  const registry = IMedRingRegistry__factory.connect(deployment.registry, provider);
  const forwarder = new Contract(deployment.forwarder, ForwarderArtifact.abi, provider);
  const d = await forwarder.eip712Domain();
  const forwarderDomain: TypedDataDomain = { name: d[1], version: d[2], chainId: d[3], verifyingContract: d[4] };
  const chain = { chainId, registry, registryAddress: deployment.registry, forwarderAddress: deployment.forwarder };
  const view = new ChainView(provider, registry);
  const pool = new VerifyPool(config.verifyWorkers, config.verifyQueue);
  const deadlinePolicy = { marginSeconds: config.deadlineMarginSeconds, blockIntervalSeconds: config.blockIntervalSeconds };
  const gasCache = new GasEstimateCache();
  // The acceptance simulation stubs the verifier when the node applies eth_call state overrides (probed once here).
  const verifierAddress = await registry.verifier();
  const verifierStub = new VerifierStubMode(verifierAddress, await nodeAppliesStateOverrides(provider, verifierAddress), log, (err) => {
    metrics.verifierStubErrors.inc();
    log.warn({ err: { message: err.message } }, "stubbed acceptance simulation failed; retrying (the stub stays on)");
  });
  log.info(
    { verifierStub: verifierStub.active },
    verifierStub.active ? "acceptance simulations stub the verifier" : "the node applies no state overrides; acceptance simulations run the verifier",
  );
  const explainer = new OnChainRevertExplainer(provider, revert, { address: deployment.forwarder, iface: forwarder.interface });
  const laneDeps = {
    provider,
    jobs: stores.jobs,
    lanes: stores.lanes,
    log,
    metrics,
    revert,
    explainer,
    gasCache,
    observeBlock: (t: bigint) => view.observeBlock(t),
  };
  const lanes = keys.map(
    (k) =>
      new SignerLane(new Wallet(k, provider), laneDeps, {
        chainId,
        confirmations: config.confirmations,
        bumpAfterMs: config.bumpAfterMs,
        bumpPercent: config.bumpPercent,
        maxFeePerGas: config.maxFeePerGas,
        gasHeadroomPercent: config.gasHeadroomPercent,
        maxInFlight: config.maxInFlight,
        deadlinePolicy,
        penaltyMs: config.penaltySeconds * 1000,
        batchGasBudget: config.batch.gasBudget,
      }),
  );
  const pipeline: PipelineDeps = {
    ctx: chain,
    provider,
    view,
    pool,
    store: stores.jobs,
    revert,
    forwarder,
    forwarderDomain,
    simulationFrom: () => lanes[0].address,
    gasCache,
    gasHeadroomPercent: config.gasHeadroomPercent,
    verifierStub,
    steps: metrics.acceptanceStepSeconds,
    gasOverBound: metrics.gasOverBound,
    deadlinePolicy,
    // Configured (the same for every instance), or generated once and kept in the store (shared by its instances).
    jobIdKey: config.jobIdSecret ?? (await stores.jobs.sharedSecret("job-id", "0x" + randomBytes(32).toString("hex"))),
  };
  const ctx: AppContext = {
    config,
    version: RELAYER_VERSION,
    log,
    metrics,
    store: stores.jobs,
    laneStore: stores.lanes,
    provider,
    chain,
    view,
    pipeline,
    lanes,
    contracts: deployment.contracts,
  };
  // This process's name in the lanes' leases: unique per start, so that a restarted instance counts as a new holder
  // (its lanes are taken anew and reconciled with the chain).
  const holder = `${os.hostname()}/${process.pid}/${randomBytes(4).toString("hex")}`;
  // The registry bounds a batch (IMedRingRegistry.MAX_RING_ACTIONS_PER_BATCH); a larger setting would make every batch revert.
  const maxPerBatch = await registry.MAX_RING_ACTIONS_PER_BATCH();
  if (BigInt(config.batch.maxActions) > maxPerBatch) {
    throw new Error(`MEDRING_RELAYER_BATCH_MAX_ACTIONS is ${config.batch.maxActions}, above the registry's MAX_RING_ACTIONS_PER_BATCH (${maxPerBatch})`);
  }
  const submitter = new Submitter(
    lanes,
    provider,
    stores,
    {
      pollMs: config.pollMs,
      maxInFlight: config.maxInFlight,
      holder,
      leaseMs: config.laneLeaseMs,
      batch: config.batch,
      gasHeadroomPercent: config.gasHeadroomPercent,
    },
    log,
    metrics,
  );
  if (opts.startSubmitter !== false) await submitter.start();
  else await submitter.takeLanes();

  const server = http.createServer(serverTimeouts(config.timeouts), createApp(ctx));
  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  const addr = server.address() as { port: number };
  const url = `http://${config.host}:${addr.port}`;
  const metricsServer = createMetricsServer(ctx);
  await new Promise<void>((resolve) => metricsServer.listen(config.metrics.port, config.metrics.host, resolve));
  const metricsUrl = `http://${config.metrics.host}:${(metricsServer.address() as { port: number }).port}`;
  log.info(
    {
      url,
      metrics: metricsUrl,
      chainId: chainId.toString(),
      store: config.store.kind,
      holder,
      signers: lanes.map((l) => l.address),
      held: lanes.filter((l) => l.held).map((l) => l.address),
    },
    "relayer listening",
  );

  return {
    url,
    metricsUrl,
    ctx,
    submitter,
    async stop() {
      for (const listener of [server, metricsServer]) {
        await new Promise<void>((resolve) => {
          listener.close(() => resolve());
          listener.closeAllConnections();
        });
      }
      await submitter.stop();
      await pool.close();
      provider.destroy();
      await stores.close();
    },
  };
}
