import type { Contract, JsonRpcProvider, TypedDataDomain } from "ethers";
import type { ChainContext } from "../codecs/types";
import type { ChainView } from "../chain/chainView";
import type { RevertDecoder } from "../../src/chain/revertDecoder";
import type { Histogram, RelayerMetrics } from "../metrics";
import type { Job, JobStore, NewJob } from "../store/types";
import type { DeadlinePolicy } from "./replay";
import type { GasEstimateCache, VerifierStubMode } from "./simulate";
import type { VerifyPool } from "./verifyPool";

export interface PipelineDeps {
  ctx: ChainContext;
  provider: JsonRpcProvider;
  view: ChainView;
  pool: VerifyPool;
  store: JobStore;
  revert: RevertDecoder;
  /** The OpenZeppelin ERC2771Forwarder the contracts trust, and its EIP-712 domain (read from the chain). */
  forwarder: Contract;
  forwarderDomain: TypedDataDomain;
  /** The account simulations run from: a relayer signer, so that the estimate is the real transaction's. */
  simulationFrom(): string;
  /** Estimates by call shape, and the headroom the lanes add to an estimate to get the gas limit they sign with. */
  gasCache: GasEstimateCache;
  gasHeadroomPercent: number;
  /** Whether ring actions are simulated with the accepting verifier stub (the signature was verified off chain). */
  verifierStub: VerifierStubMode;
  /** Where the time of each acceptance step goes (metrics: medring_relayer_acceptance_step_seconds). */
  steps: Histogram<"step">;
  /** Ring jobs refused because their estimate exceeds their honest gas bound (pipeline/actionGasBound.ts). */
  gasOverBound: RelayerMetrics["gasOverBound"];
  /** The job ids' HMAC key (jobId.ts): the same on every instance, so that a resubmission anywhere gets the same id. */
  jobIdKey: string;
  /** How far ahead of chain time a deadline must lie to be accepted (and later sent). */
  deadlinePolicy: DeadlinePolicy;
}

/** A request that passed every check: the job to store, or the job already stored for the same signed request. */
export interface Checked {
  job: NewJob;
  existing: Job | undefined;
}
