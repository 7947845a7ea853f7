import type { JobStore, LaneStore, TxAttempt } from "../../../relayer/store/types";
import { loadConfig, resolveSignerKeys as resolve, DEVNET_CHAIN_ID } from "../../../relayer/config";
import type { Chain } from "./fixture";

/** The relayer's devnet signer key(s), as the relayer itself resolves them. */
export function resolveSignerKeys(): string[] {
  return resolve(loadConfig({}), DEVNET_CHAIN_ID);
}

/** Environment for a child-process relayer against the test chain. */
export function testConfigDefaults(chain: Chain, dataDir: string): Record<string, string> {
  return {
    MEDRING_RELAYER_RPC_URL: chain.rpcUrl,
    MEDRING_RELAYER_PORT: "0",
    MEDRING_RELAYER_DEPLOYMENT: chain.deploymentFile,
    MEDRING_RELAYER_DATA_DIR: dataDir,
    MEDRING_RELAYER_POLL_MS: "50",
    MEDRING_RELAYER_BUMP_AFTER_MS: "60000",
    // A restarted process is a new lease holder: it takes the killed one's lane once that lease has run out.
    MEDRING_RELAYER_LANE_LEASE_MS: "3000",
    MEDRING_RELAYER_LOG_LEVEL: "info",
    // The single-transaction path, one transaction per job (the crash test counts them); batch.ts covers batches.
    MEDRING_RELAYER_BATCH_MAX_ACTIONS: "1",
    // The tests poll job statuses from one address many times a second, far past a client's default budget (600 a
    // minute), which would answer them 429; the tests of the limit itself set their own.
    MEDRING_RELAYER_RATE_LIMIT: "1000000",
  };
}

/** The signed transactions of a job's current send (none while it is unsent), oldest first. */
export async function attemptsOfJob(ctx: { store: JobStore; laneStore: LaneStore }, jobId: string): Promise<TxAttempt[]> {
  const job = await ctx.store.getJob(jobId);
  return job?.sendId ? ctx.laneStore.attempts(job.sendId) : [];
}
