/**
 * The client SDK's entry point, shared by the `medring` CLI and `npm run demo`: a relayer client plus chain
 * reads, connected to one deployment. The registry address comes from `registry` when given, otherwise from the
 * relayer's GET /v1/status; either way the chain id the relayer reports must be the RPC endpoint's.
 *
 * Trust: the anonymity set and records' fixed rings are read from at least two independent sources that must
 * agree, the RPC node and the relayer, plus a second RPC node when `checkRpcUrl` is given, and checked against what
 * this client saw before (`store`): see ./anonymityGuard.ts. Neither the node nor the relayer alone can shrink or
 * pad the set or swap a record's ring. A relayer that lies about the registry address is caught only if
 * `registry` is given (the CLI's --registry, MEDRING_REGISTRY); use it against relayers you do not run.
 */
import { AnonymityGuard } from "./anonymityGuard";
import type { AnonymityStore } from "./anonymityStore";
import { MedRingChain } from "./chain";
import { ClientError } from "./errors";
import { RelayerClient, type SubmissionBody, type SubmissionView } from "./relayerClient";
import { relayerRingSource, rpcRingSource, type RingSource } from "./ringSources";

export interface ConnectOptions {
  relayerUrl: string;
  rpcUrl: string;
  /** The registry address; default: the relayer's /v1/status. */
  registry?: string;
  /** Where the anonymity set seen so far and the ring of each scope are kept (persistent for real use). */
  store: AnonymityStore;
  /** A second RPC node of the same chain, as a further source of the anonymity set. */
  checkRpcUrl?: string;
  /** The smallest ring this client signs (default and minimum 8). */
  ringFloor?: number;
}

/** Progress of a submission: accepted (id), then each status change with the transaction hash and, once mined, the block. */
export type SubmitProgress = (event: { id: string; status: string; txHash?: string | null; blockNumber?: number | null }) => void;

export class MedRingClient {
  constructor(
    readonly relayer: RelayerClient,
    readonly chain: MedRingChain,
    readonly guard: AnonymityGuard,
    private readonly checkChain?: MedRingChain,
  ) {}

  static async connect(options: ConnectOptions): Promise<MedRingClient> {
    const relayer = new RelayerClient(options.relayerUrl);
    let registry = options.registry;
    let relayerChainId: string | undefined;
    if (registry === undefined) {
      const status = await relayer.status();
      registry = status.contracts.MedRingRegistry;
      relayerChainId = status.chainId;
      if (registry === undefined) throw new ClientError("unavailable", `relayer ${relayer.baseUrl} reports no MedRingRegistry`);
    }
    const chain = await MedRingChain.connect(options.rpcUrl, registry);
    let checkChain: MedRingChain | undefined;
    try {
      if (relayerChainId !== undefined && BigInt(relayerChainId) !== chain.chainId) {
        throw new ClientError("input", `the relayer serves chain ${relayerChainId} but ${options.rpcUrl} is chain ${chain.chainId}`);
      }
      const sources: RingSource[] = [rpcRingSource(chain), relayerRingSource(relayer)];
      if (options.checkRpcUrl !== undefined) {
        checkChain = await MedRingChain.connect(options.checkRpcUrl, registry);
        if (checkChain.chainId !== chain.chainId) {
          throw new ClientError("input", `${options.checkRpcUrl} is chain ${checkChain.chainId} but ${options.rpcUrl} is chain ${chain.chainId}`);
        }
        sources.push(rpcRingSource(checkChain));
      }
      const guard = new AnonymityGuard(sources, options.store, `${chain.chainId}:${registry.toLowerCase()}`, options.ringFloor);
      return new MedRingClient(relayer, chain, guard, checkChain);
    } catch (err) {
      chain.close();
      checkChain?.close();
      throw err;
    }
  }

  /** POST /v1/submissions, then polls until confirmed (throws ClientError "refused" on failed / expired). */
  async send(body: SubmissionBody, progress?: SubmitProgress, timeoutMs?: number): Promise<SubmissionView> {
    const accepted = await this.relayer.submit(body);
    progress?.({ id: accepted.id, status: accepted.status });
    let last = `${accepted.status}:null`;
    return this.relayer.waitForFinal(accepted.id, {
      timeoutMs,
      onProgress: (v) => {
        if (`${v.status}:${v.txHash}` !== last) progress?.({ id: v.id, status: v.status, txHash: v.txHash, blockNumber: v.blockNumber });
        last = `${v.status}:${v.txHash}`;
      },
    });
  }

  close(): void {
    this.chain.close();
    this.checkChain?.close();
  }
}
