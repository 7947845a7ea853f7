/**
 * The client SDK's entry point, shared by the `medring` CLI and `npm run demo`: a relayer client plus chain
 * reads, connected to one deployment. The registry address comes from `registry` when given, otherwise from the
 * relayer's GET /v1/status; either way the chain id the relayer reports must be the RPC endpoint's.
 *
 * Trust: decoys are read from the chain through `rpcUrl`, never from the relayer, so a dishonest relayer cannot
 * shrink the anonymity set it hands out. A relayer that lies about the registry address is caught only if
 * `registry` is given (the CLI's --registry, MEDRING_REGISTRY); use it against relayers you do not run.
 */
import { MedRingChain } from "./chain";
import { ClientError } from "./errors";
import { RelayerClient, type SubmissionBody, type SubmissionView } from "./relayerClient";

export interface ConnectOptions {
  relayerUrl: string;
  rpcUrl: string;
  /** The registry address; default: the relayer's /v1/status. */
  registry?: string;
}

/** Progress of a submission: accepted (id), then each status change with the transaction hash and, once mined, the block. */
export type SubmitProgress = (event: { id: string; status: string; txHash?: string | null; blockNumber?: number | null }) => void;

export class MedRingClient {
  constructor(
    readonly relayer: RelayerClient,
    readonly chain: MedRingChain,
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
    if (relayerChainId !== undefined && BigInt(relayerChainId) !== chain.chainId) {
      chain.close();
      throw new ClientError("input", `the relayer serves chain ${relayerChainId} but ${options.rpcUrl} is chain ${chain.chainId}`);
    }
    return new MedRingClient(relayer, chain);
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
  }
}
