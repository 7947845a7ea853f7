import type { JsonRpcProvider } from "ethers";
import type { ChainContext } from "../codecs/types";
import type { ChainView } from "../chain/chainView";
import type { RelayerConfig } from "../config";
import type { Logger } from "../logger";
import type { RelayerMetrics } from "../metrics";
import type { PipelineDeps } from "../pipeline/types";
import type { JobStore, LaneStore } from "../store/types";
import type { SignerLane } from "../submitter/lane";

/** Everything a route handler may use. Built once in server.ts. */
export interface AppContext {
  config: RelayerConfig;
  version: string;
  log: Logger;
  metrics: RelayerMetrics;
  store: JobStore;
  laneStore: LaneStore;
  provider: JsonRpcProvider;
  chain: ChainContext;
  view: ChainView;
  pipeline: PipelineDeps;
  lanes: SignerLane[];
  contracts: Record<string, string>;
}
