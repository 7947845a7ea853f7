/**
 * Configuration of `npm start` / `npm run devnet`: documented environment variables with devnet defaults,
 * parsed once here (validate at the edges).
 */
import { resolve } from "node:path";
import { z } from "zod";
import { PROJECT_ROOT } from "../../src/projectRoot";

const port = (def: number) => z.coerce.number().int().min(1).max(65535).default(def);

const schema = z.object({
  MEDRING_DEVNET_HOST: z.string().min(1).default("127.0.0.1"),
  MEDRING_DEVNET_PORT: port(8545),
  MEDRING_RELAYER_HOST: z.string().min(1).default("127.0.0.1"),
  MEDRING_RELAYER_PORT: port(8080),
  MEDRING_POSTGRES_PORT: port(5433),
  MEDRING_APP_HOST: z.string().min(1).default("127.0.0.1"),
  MEDRING_APP_PORT: port(8090),
  MEDRING_STACK_DIR: z.string().min(1).optional(),
});

export interface StackConfig {
  devnetHost: string;
  devnetPort: number;
  relayerHost: string;
  relayerPort: number;
  /** PostgreSQL's port on 127.0.0.1 (started only for several relayers: `npm start -- --relayers N`). */
  postgresPort: number;
  rpcUrl: string;
  /** The first relayer's URL; relayer i (from 0) listens on relayerPort + i. */
  relayerUrl: string;
  appHost: string;
  appPort: number;
  /** The web app's URL (app/, scripts/stack/appServer.ts): the one origin the relayer's CORS setting admits. */
  appUrl: string;
  /** Where deployments/ (addresses, the devnet regulator's key file) and data/ (relayer store, logs) go. */
  stateDir: string;
}

export const STACK_VARIABLES: Record<keyof z.infer<typeof schema>, string> = {
  MEDRING_DEVNET_HOST: "interface of the local devnet's JSON-RPC (default 127.0.0.1)",
  MEDRING_DEVNET_PORT: "port of the local devnet's JSON-RPC (default 8545)",
  MEDRING_RELAYER_HOST: "interface the relayer listens on (default 127.0.0.1)",
  MEDRING_RELAYER_PORT: "port the relayer listens on (default 8080; with --relayers N, relayer i listens on this + i)",
  MEDRING_POSTGRES_PORT: "port of the local PostgreSQL that several relayers share (--relayers N > 1; default 5433)",
  MEDRING_APP_HOST: "interface the web app (app/) is served on (default 127.0.0.1)",
  MEDRING_APP_PORT: "port the web app is served on (default 8090); the relayer admits this origin only (CORS)",
  MEDRING_STACK_DIR: "directory for deployments/ and data/ (default: the repository; tests use a temporary one)",
};

/** The repository root: deployments/ and data/ live here unless MEDRING_STACK_DIR says otherwise. */
export const REPO_ROOT = PROJECT_ROOT;

export function loadStackConfig(env: NodeJS.ProcessEnv): StackConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${String(issue.path[0])}: ${issue.message}`);
  }
  const v = parsed.data;
  return {
    devnetHost: v.MEDRING_DEVNET_HOST,
    devnetPort: v.MEDRING_DEVNET_PORT,
    relayerHost: v.MEDRING_RELAYER_HOST,
    relayerPort: v.MEDRING_RELAYER_PORT,
    postgresPort: v.MEDRING_POSTGRES_PORT,
    rpcUrl: `http://${v.MEDRING_DEVNET_HOST}:${v.MEDRING_DEVNET_PORT}`,
    relayerUrl: `http://${v.MEDRING_RELAYER_HOST}:${v.MEDRING_RELAYER_PORT}`,
    appHost: v.MEDRING_APP_HOST,
    appPort: v.MEDRING_APP_PORT,
    appUrl: `http://${v.MEDRING_APP_HOST}:${v.MEDRING_APP_PORT}`,
    stateDir: resolve(v.MEDRING_STACK_DIR ?? REPO_ROOT),
  };
}
