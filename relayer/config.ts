import { isIP } from "node:net";
import { z } from "zod";
import { DEVNET_CHAIN_ID, DEVNET_RELAYER_INDEX, devnetWallet } from "../src/devnet";
import type { StoreChoice } from "./store";
import type { BatchPolicy } from "./submitter/batch";

/**
 * Relayer configuration: environment variables parsed once at start-up ("validate at the edges, trust inside").
 * Every variable has a devnet default except the signer keys off the devnet (chain id 31337).
 */

export { DEVNET_CHAIN_ID };

const privateKey = z.string().regex(/^0x[0-9a-fA-F]{64}$/, "a private key is 0x followed by 64 hex digits");

const intFromEnv = (def: number, min: number, max: number) => z.coerce.number().int().min(min).max(max).default(def);

/**
 * Which proxies' X-Forwarded-For entries count: none, the last `hops` ones, or those whose address is listed.
 * A blanket `true` is refused: it makes the leftmost entry, which the client writes, the address every per-IP
 * limit is keyed on (README "Security model").
 */
export type TrustProxy = { kind: "none" } | { kind: "hops"; hops: number } | { kind: "addresses"; addresses: string[] };

const trustProxyFromEnv = () =>
  z
    .string()
    .default("")
    .transform((raw, ctx): TrustProxy => {
      const v = raw.trim();
      if (v === "" || v === "0" || v === "false") return { kind: "none" };
      if (/^\d+$/.test(v)) {
        const hops = Number(v);
        if (hops > 16) ctx.addIssue({ code: "custom", message: "a hop count is at most 16" });
        return { kind: "hops", hops };
      }
      const addresses = v.split(",").map((a) => a.trim());
      const bad = addresses.find((a) => !isIP(a.split("/")[0]) || (a.includes("/") && !/^\d{1,3}$/.test(a.split("/")[1])));
      if (bad !== undefined || v === "true") {
        ctx.addIssue({
          code: "custom",
          message: `a hop count or comma-separated proxy addresses/CIDRs, not ${JSON.stringify(bad ?? v)} (a blanket true is refused)`,
        });
      }
      return { kind: "addresses", addresses };
    });

/** name → [zod schema, help line]. The help text is generated from this table, so it cannot drift. */
const VARIABLES = {
  MEDRING_RELAYER_RPC_URL: [z.string().url().default("http://127.0.0.1:8545"), "JSON-RPC endpoint of the chain"],
  MEDRING_RELAYER_RPC_TIMEOUT_MS: [intFromEnv(30_000, 100, 300_000), "a JSON-RPC request unanswered this long fails (the node is treated as down)"],
  MEDRING_RELAYER_HOST: [z.string().min(1).default("127.0.0.1"), "interface to listen on"],
  MEDRING_RELAYER_PORT: [intFromEnv(8080, 0, 65535), "TCP port (0 = any free port)"],
  MEDRING_RELAYER_METRICS_HOST: [z.string().min(1).default("127.0.0.1"), "interface of the separate /metrics listener (keep it private: metrics show timing)"],
  MEDRING_RELAYER_METRICS_PORT: [intFromEnv(0, 0, 65535), "TCP port of the /metrics listener (0 = any free port, logged at start)"],
  MEDRING_RELAYER_METRICS_TOKEN: [z.string().min(16).optional(), "if set, /metrics requires `Authorization: Bearer <token>` (at least 16 characters)"],
  MEDRING_RELAYER_JOB_ID_SECRET: [
    z
      .string()
      .regex(/^0x([0-9a-fA-F]{2}){32,64}$/, "0x followed by 32 to 64 bytes in hex")
      .optional(),
    "secret key of the job ids (HMAC), the same for every instance; unset: generated once and kept in the store (shared through a PostgreSQL store)",
  ],
  MEDRING_RELAYER_DEPLOYMENT: [z.string().min(1).default("deployments/localhost.json"), "deployment file with the contract addresses"],
  MEDRING_RELAYER_KEYS: [z.string().optional(), "comma-separated signer private keys (one nonce lane each); default on chain 31337 only: Hardhat account #19"],
  MEDRING_RELAYER_DATABASE_URL: [
    z
      .string()
      .regex(/^postgres(ql)?:\/\/\S+$/, "a PostgreSQL URL: postgres://user:password@host:port/database")
      .optional(),
    "PostgreSQL job store shared by several relayer instances (postgres://…); unset: the embedded SQLite store",
  ],
  MEDRING_RELAYER_DATA_DIR: [z.string().min(1).default("data/relayer"), "directory of the SQLite job store"],
  MEDRING_RELAYER_STORE: [z.enum(["sqlite", "memory"]).default("sqlite"), "job store backend without a database URL (memory loses jobs on exit: tests only)"],
  MEDRING_RELAYER_LANE_LEASE_MS: [
    intFromEnv(10_000, 500, 600_000),
    "lease of an instance on a signer key's nonce lane; a dead instance's lanes are taken over after this long",
  ],
  MEDRING_RELAYER_CONFIRMATIONS: [intFromEnv(1, 1, 1000), "blocks (including the inclusion block) before a job is confirmed"],
  MEDRING_RELAYER_POLL_MS: [intFromEnv(500, 10, 60_000), "how often the submitter looks at the queue and the chain"],
  MEDRING_RELAYER_BUMP_AFTER_MS: [intFromEnv(15_000, 100, 3_600_000), "a transaction unmined this long gets a fee bump"],
  MEDRING_RELAYER_BUMP_PERCENT: [intFromEnv(15, 10, 200), "fee increase per bump, percent (nodes require >= 10)"],
  MEDRING_RELAYER_MAX_FEE_GWEI: [z.coerce.number().positive().default(500), "cap on maxFeePerGas, gwei"],
  MEDRING_RELAYER_GAS_HEADROOM_PERCENT: [intFromEnv(20, 0, 100), "gas limit = estimateGas + this percent"],
  MEDRING_RELAYER_MAX_IN_FLIGHT: [intFromEnv(64, 1, 10_000), "unconfirmed transactions per signer before the queue waits"],
  MEDRING_RELAYER_BATCH_MAX_ACTIONS: [
    intFromEnv(16, 1, 32),
    "most ring actions in one executeRingActions transaction (<= the registry's MAX_RING_ACTIONS_PER_BATCH, 32); 1 turns batching off",
  ],
  MEDRING_RELAYER_BATCH_GAS_BUDGET: [
    intFromEnv(16_000_000, 1_000_000, 1_000_000_000),
    "most gas a batch transaction is signed with, its estimate plus the headroom (below EIP-7825's 16,777,216 per transaction, and the block gas limit)",
  ],
  MEDRING_RELAYER_BATCH_WAIT_MS: [intFromEnv(1_000, 0, 60_000), "how long the oldest queued ring action may wait for more to fill its batch"],
  MEDRING_RELAYER_LONE_DELAY_MS: [
    intFromEnv(2_000, 0, 60_000),
    "a ring action that would go alone waits a random delay up to this long first, so that its sending time does not show its arrival (0: none)",
  ],
  MEDRING_RELAYER_RATE_LIMIT: [intFromEnv(600, 1, 1_000_000), "requests per minute per client IP"],
  MEDRING_RELAYER_MAX_CONCURRENCY_PER_IP: [
    intFromEnv(16, 1, 100_000),
    "requests of one client IP in progress at once (bodies still arriving included); more get 429, before the global limit is consulted",
  ],
  MEDRING_RELAYER_MAX_CONCURRENCY: [intFromEnv(256, 1, 100_000), "requests processed at once, all clients; more get 503 (/healthz and /readyz are exempt)"],
  MEDRING_RELAYER_HEADERS_TIMEOUT_S: [intFromEnv(10, 1, 600), "a client that has not sent its request headers within this many seconds is disconnected"],
  MEDRING_RELAYER_REQUEST_TIMEOUT_S: [
    intFromEnv(30, 1, 600),
    "a client that has not sent its whole request (headers and body) within this many seconds gets 408 and is disconnected",
  ],
  MEDRING_RELAYER_KEEP_ALIVE_TIMEOUT_S: [intFromEnv(5, 1, 600), "an idle keep-alive connection is closed after this many seconds"],
  MEDRING_RELAYER_CORS_ORIGINS: [z.string().default(""), "comma-separated allowed origins, '*' for any, empty for none"],
  MEDRING_RELAYER_MAX_BODY_BYTES: [intFromEnv(262_144, 1024, 16_777_216), "largest accepted request body"],
  MEDRING_RELAYER_VERIFY_WORKERS: [intFromEnv(2, 1, 64), "worker threads for off-chain MRS-1 verification"],
  MEDRING_RELAYER_VERIFY_QUEUE: [intFromEnv(64, 1, 100_000), "signatures waiting for a verify worker before new ones get 503 busy"],
  MEDRING_RELAYER_DEADLINE_MARGIN_S: [
    intFromEnv(120, 0, 86_400),
    "a deadline must lie at least one block interval plus this many seconds beyond chain time, when accepted and when sent",
  ],
  MEDRING_RELAYER_BLOCK_INTERVAL_S: [intFromEnv(12, 0, 3_600), "the chain's block interval, seconds (part of the deadline margin)"],
  MEDRING_RELAYER_PENALTY_S: [
    intFromEnv(600, 0, 604_800),
    "a ring job's key image, an account or an admitter whose accepted job failed through its own doing is refused this long",
  ],
  MEDRING_RELAYER_TRUST_PROXY: [
    trustProxyFromEnv(),
    "reverse proxies whose X-Forwarded-For is believed: a hop count (1 = one proxy in front) or comma-separated proxy addresses/CIDRs; empty: none (never a blanket true)",
  ],
  MEDRING_RELAYER_LOG_LEVEL: [z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"), "pino log level"],
} as const;

type Vars = typeof VARIABLES;
type Parsed = { [K in keyof Vars]: z.output<Vars[K][0]> };

export interface RelayerConfig {
  rpcUrl: string;
  rpcTimeoutMs: number;
  host: string;
  port: number;
  /** The separate /metrics listener (relayer/http/metricsServer.ts), and its bearer token if any. */
  metrics: { host: string; port: number; token: string | undefined };
  /** The job ids' HMAC key (pipeline/jobId.ts), or undefined: the store's generated one. */
  jobIdSecret: string | undefined;
  deploymentFile: string;
  /** Explicit keys, or undefined: then `resolveSignerKeys` applies the devnet default. */
  signerKeys: string[] | undefined;
  dataDir: string;
  /** Where the jobs live: PostgreSQL when a database URL is configured, else SQLite in `dataDir` (or memory). */
  store: StoreChoice;
  laneLeaseMs: number;
  confirmations: number;
  pollMs: number;
  bumpAfterMs: number;
  bumpPercent: number;
  maxFeePerGas: bigint;
  gasHeadroomPercent: number;
  maxInFlight: number;
  /** Batching of ring actions (submitter/batch.ts). */
  batch: BatchPolicy;
  rateLimitPerMinute: number;
  maxConcurrencyPerIp: number;
  maxConcurrency: number;
  /** Server timeouts, seconds (relayer/http/serverTimeouts.ts). */
  timeouts: { headersSeconds: number; requestSeconds: number; keepAliveSeconds: number };
  corsOrigins: string[] | "*";
  maxBodyBytes: number;
  verifyWorkers: number;
  verifyQueue: number;
  deadlineMarginSeconds: number;
  blockIntervalSeconds: number;
  penaltySeconds: number;
  trustProxy: TrustProxy;
  logLevel: string;
}

export class ConfigError extends Error {}

/** Parses `env` (normally process.env); throws ConfigError with one line per bad variable. */
export function loadConfig(env: Record<string, string | undefined>): RelayerConfig {
  const shape = Object.fromEntries(Object.entries(VARIABLES).map(([k, [schema]]) => [k, schema]));
  const picked = Object.fromEntries(Object.keys(VARIABLES).map((k) => [k, env[k] === "" && k !== "MEDRING_RELAYER_CORS_ORIGINS" ? undefined : env[k]]));
  const result = z.object(shape).safeParse(picked);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${String(i.path[0])}: ${i.message}`);
    throw new ConfigError(`invalid relayer configuration:\n${lines.join("\n")}`);
  }
  const v = result.data as Parsed;
  let signerKeys: string[] | undefined;
  if (v.MEDRING_RELAYER_KEYS !== undefined) {
    signerKeys = v.MEDRING_RELAYER_KEYS.split(",").map((k) => k.trim());
    const bad = signerKeys.findIndex((k) => !privateKey.safeParse(k).success);
    if (bad >= 0) throw new ConfigError(`invalid relayer configuration:\n  MEDRING_RELAYER_KEYS: entry ${bad} is not 0x + 64 hex digits`);
    if (new Set(signerKeys.map((k) => k.toLowerCase())).size !== signerKeys.length) {
      throw new ConfigError("invalid relayer configuration:\n  MEDRING_RELAYER_KEYS: the same key appears twice");
    }
  }
  // Node refuses a headers timeout above the request timeout (the headers are part of the request).
  if (v.MEDRING_RELAYER_HEADERS_TIMEOUT_S > v.MEDRING_RELAYER_REQUEST_TIMEOUT_S) {
    throw new ConfigError("invalid relayer configuration:\n  MEDRING_RELAYER_HEADERS_TIMEOUT_S: must not exceed MEDRING_RELAYER_REQUEST_TIMEOUT_S");
  }
  const cors = v.MEDRING_RELAYER_CORS_ORIGINS.trim();
  return {
    rpcUrl: v.MEDRING_RELAYER_RPC_URL,
    rpcTimeoutMs: v.MEDRING_RELAYER_RPC_TIMEOUT_MS,
    host: v.MEDRING_RELAYER_HOST,
    port: v.MEDRING_RELAYER_PORT,
    metrics: { host: v.MEDRING_RELAYER_METRICS_HOST, port: v.MEDRING_RELAYER_METRICS_PORT, token: v.MEDRING_RELAYER_METRICS_TOKEN },
    jobIdSecret: v.MEDRING_RELAYER_JOB_ID_SECRET?.toLowerCase(),
    deploymentFile: v.MEDRING_RELAYER_DEPLOYMENT,
    signerKeys,
    dataDir: v.MEDRING_RELAYER_DATA_DIR,
    store: storeChoice(v, env),
    laneLeaseMs: v.MEDRING_RELAYER_LANE_LEASE_MS,
    confirmations: v.MEDRING_RELAYER_CONFIRMATIONS,
    pollMs: v.MEDRING_RELAYER_POLL_MS,
    bumpAfterMs: v.MEDRING_RELAYER_BUMP_AFTER_MS,
    bumpPercent: v.MEDRING_RELAYER_BUMP_PERCENT,
    maxFeePerGas: BigInt(Math.round(v.MEDRING_RELAYER_MAX_FEE_GWEI * 1e9)),
    gasHeadroomPercent: v.MEDRING_RELAYER_GAS_HEADROOM_PERCENT,
    maxInFlight: v.MEDRING_RELAYER_MAX_IN_FLIGHT,
    batch: {
      maxActions: v.MEDRING_RELAYER_BATCH_MAX_ACTIONS,
      gasBudget: BigInt(v.MEDRING_RELAYER_BATCH_GAS_BUDGET),
      maxWaitMs: v.MEDRING_RELAYER_BATCH_WAIT_MS,
      loneDelayMs: v.MEDRING_RELAYER_LONE_DELAY_MS,
    },
    rateLimitPerMinute: v.MEDRING_RELAYER_RATE_LIMIT,
    maxConcurrencyPerIp: v.MEDRING_RELAYER_MAX_CONCURRENCY_PER_IP,
    maxConcurrency: v.MEDRING_RELAYER_MAX_CONCURRENCY,
    timeouts: {
      headersSeconds: v.MEDRING_RELAYER_HEADERS_TIMEOUT_S,
      requestSeconds: v.MEDRING_RELAYER_REQUEST_TIMEOUT_S,
      keepAliveSeconds: v.MEDRING_RELAYER_KEEP_ALIVE_TIMEOUT_S,
    },
    corsOrigins: cors === "*" ? "*" : cors === "" ? [] : cors.split(",").map((o) => o.trim()),
    maxBodyBytes: v.MEDRING_RELAYER_MAX_BODY_BYTES,
    verifyWorkers: v.MEDRING_RELAYER_VERIFY_WORKERS,
    verifyQueue: v.MEDRING_RELAYER_VERIFY_QUEUE,
    deadlineMarginSeconds: v.MEDRING_RELAYER_DEADLINE_MARGIN_S,
    blockIntervalSeconds: v.MEDRING_RELAYER_BLOCK_INTERVAL_S,
    penaltySeconds: v.MEDRING_RELAYER_PENALTY_S,
    trustProxy: v.MEDRING_RELAYER_TRUST_PROXY,
    logLevel: v.MEDRING_RELAYER_LOG_LEVEL,
  };
}

/** PostgreSQL when a database URL is set (then MEDRING_RELAYER_STORE must not ask for another backend), else the store asked for. */
function storeChoice(v: Parsed, env: Record<string, string | undefined>): StoreChoice {
  if (v.MEDRING_RELAYER_DATABASE_URL !== undefined) {
    if (env.MEDRING_RELAYER_STORE) {
      throw new ConfigError(
        "invalid relayer configuration:\n  MEDRING_RELAYER_STORE: leave it unset with MEDRING_RELAYER_DATABASE_URL (the URL chooses PostgreSQL)",
      );
    }
    return { kind: "postgres", url: v.MEDRING_RELAYER_DATABASE_URL };
  }
  return v.MEDRING_RELAYER_STORE === "memory" ? { kind: "memory" } : { kind: "sqlite", dataDir: v.MEDRING_RELAYER_DATA_DIR };
}

/**
 * The signer keys for `chainId`: the configured ones, or the public Hardhat devnet key on chain 31337 only.
 * Anywhere else a missing key is a configuration error: a public key there would be drained at once.
 */
export function resolveSignerKeys(config: RelayerConfig, chainId: bigint): string[] {
  if (config.signerKeys) return config.signerKeys;
  if (chainId !== DEVNET_CHAIN_ID) {
    throw new ConfigError(`MEDRING_RELAYER_KEYS is required on chain ${chainId} (the devnet default applies to chain 31337 only)`);
  }
  // The public Hardhat devnet account #19 (src/devnet.ts): funded on chain 31337 and nowhere else.
  return [devnetWallet(DEVNET_RELAYER_INDEX).privateKey];
}

export function helpText(): string {
  const rows = Object.entries(VARIABLES).map(([name, [schema, help]]) => {
    const def = (schema as z.ZodType).safeParse(undefined);
    const shown = def.success && def.data !== undefined && def.data !== "" && typeof def.data !== "object" ? ` (default: ${String(def.data)})` : "";
    return `  ${name}\n      ${help}${shown}`;
  });
  return [
    "Usage: npm run relayer [-- --help]",
    "",
    "MedRing relayer: checks anonymous (MRS-1 ring-signed) and identified (EIP-712, ERC-2771) actions",
    "off-chain, simulates them, and submits the ones that pass from its own account.",
    "",
    "Environment variables:",
    ...rows,
  ].join("\n");
}
